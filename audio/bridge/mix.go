package bridge

import (
	"log/slog"
	"sync"
	"time"

	"github.com/agentdesk/agentdesk/audio/rtc"
	"github.com/agentdesk/agentdesk/core/center"
)

// contact is one voice contact's conference.
type contact struct {
	id   string
	log  *slog.Logger
	stop chan struct{}

	mu      sync.Mutex
	parties map[string]*party
	digits  []rune
	ended   bool
	acc     [rtc.FrameSamples]int32 // mixer only
	out     [rtc.FrameSamples]int16 // mixer only
}

// party is one leg of the conference: the center's trunk peer and its two
// queues, and for a simulated person their own peer and what they heard.
// Fields other than the queues are guarded by the contact's mu.
type party struct {
	info      center.MediaParty
	listed    bool // named by an Update; agents may come first from AnswerAgent
	closed    bool
	connected bool
	cancel    func() // stops a simulated person's setup

	in, out *frameQueue // from and to the trunk peer, or the linked party
	trunk   *rtc.Peer
	person  *rtc.Peer
	rec     *recorder

	frame   [rtc.FrameSamples]int16 // this tick's input
	holdPos int                     // where in the hold music they are
	// echo: the echo test lives in the mixer, with no peer of its own: it
	// says back what it hears in the same tick, so the agent hears
	// themselves without two more network legs.
	echo bool
	// unlink, for a party linked to a party of another contact (the two
	// ends of an agent-to-agent consult), gives back the link's queues.
	unlink func()
}

func newParty(info center.MediaParty) *party {
	return &party{info: info, in: &frameQueue{}, out: &frameQueue{}}
}

// heard says whether the others hear this party.
func (p *party) heard() bool { return p.info.Talking && !p.info.OnHold }

// hangUp marks the party gone, stops its setup and returns its peers to
// close. Called with the contact's mu held.
func (p *party) hangUp() []*rtc.Peer {
	p.closed = true
	if p.cancel != nil {
		p.cancel()
	}
	if p.unlink != nil {
		p.unlink()
		p.unlink = nil
	}
	return []*rtc.Peer{p.trunk, p.person}
}

// end stops the mixer and hangs up every party.
func (c *contact) end() {
	c.mu.Lock()
	if c.ended {
		c.mu.Unlock()
		return
	}
	c.ended = true
	close(c.stop)
	var peers []*rtc.Peer
	for _, p := range c.parties {
		peers = append(peers, p.hangUp()...)
	}
	n := len(c.parties)
	c.parties = map[string]*party{}
	c.mu.Unlock()
	closeAll(peers)
	c.log.Info("media ended", "parties", n)
}

func (c *contact) addDigit(login string, d rune) {
	c.mu.Lock()
	c.digits = append(c.digits, d)
	c.mu.Unlock()
	c.log.Debug("DTMF from agent", "agent", login, "digit", string(d))
}

// runMixer mixes a frame every 20 ms; after a late tick it catches up so the
// trunks' queues neither starve nor fill.
func (s *Server) runMixer(c *contact) {
	defer s.wg.Done()
	t := time.NewTicker(rtc.FrameDuration)
	defer t.Stop()
	start := time.Now()
	var mixed int64
	for {
		select {
		case <-c.stop:
			return
		case now := <-t.C:
			due := int64(now.Sub(start) / rtc.FrameDuration)
			for n := 0; mixed < due && n < queueFrames; n++ {
				mixed++
				c.mix(s.holdLoop)
			}
			mixed = max(mixed, due)
		}
	}
}

// mix takes a frame from every party and gives each the sum of the others
// who talk (mix-minus). A party on hold hears hold music; a silent monitor
// hears everyone who talks; anyone else who is not talking hears silence.
// Only talking parties are heard.
func (c *contact) mix(holdLoop func() []int16) {
	c.mu.Lock()
	defer c.mu.Unlock()
	clear(c.acc[:])
	for _, p := range c.parties {
		if p.echo {
			continue
		}
		p.in.ReadFrame(p.frame[:])
		if p.heard() {
			for i, v := range p.frame {
				c.acc[i] += int32(v)
			}
		}
	}
	// The echo test says back, in the same tick, what everyone else says.
	for _, p := range c.parties {
		if !p.echo {
			continue
		}
		for i, v := range c.acc {
			p.frame[i] = saturate(v)
		}
	}
	for _, p := range c.parties {
		if p.echo && p.heard() {
			for i, v := range p.frame {
				c.acc[i] += int32(v)
			}
		}
	}
	c.reflectEcho()
	for _, p := range c.parties {
		if p.trunk == nil && !p.echo && p.unlink == nil {
			continue
		}
		out := c.out[:]
		switch {
		case p.info.OnHold:
			music := holdLoop()
			for i := range out {
				out[i] = music[p.holdPos]
				p.holdPos = (p.holdPos + 1) % len(music)
			}
		case p.info.Talking:
			for i, v := range c.acc {
				out[i] = saturate(v - int32(p.frame[i]))
			}
		case p.info.Listening:
			for i, v := range c.acc {
				out[i] = saturate(v)
			}
		default:
			clear(out)
		}
		if p.echo {
			p.rec.WriteFrame(out)
			continue
		}
		p.out.WriteFrame(out)
	}
}

// reflectEcho lets a party alone with the echo test be echoed by their own
// trunk peer, packet by packet as the packets arrive, rather than through
// the trunk's jitter buffer, this mixer and the frame queues: what they hear
// is the same, a few frames sooner. The mixer's echo still serves everyone
// else (a silent monitor hears both). Called with the contact's mu held.
func (c *contact) reflectEcho() {
	echo, heard := false, 0
	for _, p := range c.parties {
		switch {
		case p.echo:
			echo = echo || p.heard()
		case p.heard():
			heard++
		}
	}
	for _, p := range c.parties {
		if p.trunk != nil {
			p.trunk.SetReflect(echo && heard == 1 && p.heard())
		}
	}
}

// linkKey names the two ends of a link, in a fixed order.
type linkKey struct{ a, b center.MediaLink }

// link is the pair of queues between two linked parties: q[0] carries what
// end a hears (and end b says), q[1] the other way.
type link struct {
	q    [2]*frameQueue
	refs int
}

// linkParty joins party p of contact c to the party link names: each
// contact's mixer then hears from its party what the other contact's mixer
// gives the other party. The other end may come first or later. Called with
// c's mu held.
func (s *Server) linkParty(c *contact, p *party, to center.MediaLink) {
	me := center.MediaLink{ContactID: c.id, PartyID: p.info.ID}
	key, side := linkKey{me, to}, 0
	if to.ContactID < me.ContactID || to.ContactID == me.ContactID && to.PartyID < me.PartyID {
		key, side = linkKey{to, me}, 1
	}
	s.mu.Lock()
	l := s.links[key]
	if l == nil {
		l = &link{q: [2]*frameQueue{{}, {}}}
		s.links[key] = l
	}
	l.refs++
	s.mu.Unlock()
	p.out, p.in = l.q[side], l.q[1-side]
	p.unlink = func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		if l.refs--; l.refs == 0 {
			delete(s.links, key)
		}
	}
	c.log.Info("party linked to another contact", "party", p.info.ID, "contact", to.ContactID, "to", to.PartyID)
}
