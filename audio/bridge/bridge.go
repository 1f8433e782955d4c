// Package bridge is the embedded contact center's media side: a trunk peer
// per party of each voice contact, simulated customers and third parties as
// real pion peers in process, and a 20 ms mix-minus conference with hold
// music and silent monitoring. It imports no Fyne and no malgo.
package bridge

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/agentdesk/agentdesk/assets"
	"github.com/agentdesk/agentdesk/audio/rtc"
	"github.com/agentdesk/agentdesk/core/center"
)

// HeardWindow is how much of what a simulated person heard Heard returns.
const HeardWindow = 2 * time.Second

// MaxParties is the largest conference mixed; more are mixed too, with a warning.
const MaxParties = 6

// setupTimeout bounds connecting a simulated person.
const setupTimeout = 20 * time.Second

// Config sets up a Server.
type Config struct {
	Log *slog.Logger
	// CustomerVoice, when set, gives what a simulated customer or third
	// party says (tests pass a tone). By default they play the prompts.
	// The echo test number always echoes.
	CustomerVoice func(contactID string, p center.MediaParty) rtc.Source
}

// Server is the media server of the embedded contact center.
type Server struct {
	cfg Config
	log *slog.Logger

	promptsOnce sync.Once
	prompts     [][]int16
	holdOnce    sync.Once
	hold        []int16

	mu       sync.Mutex
	contacts map[string]*contact
	links    map[linkKey]*link // the two ends of each agent-to-agent consult
	closed   bool
	wg       sync.WaitGroup // mixers, person setups and peer closes
}

var _ center.MediaServer = (*Server)(nil)

// New makes a media server. Close stops it.
func New(cfg Config) *Server {
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	return &Server{cfg: cfg, log: cfg.Log, contacts: map[string]*contact{}, links: map[linkKey]*link{}}
}

// Close ends every contact and waits for their peers to close.
func (s *Server) Close() {
	s.mu.Lock()
	s.closed = true
	cs := s.contacts
	s.contacts = map[string]*contact{}
	s.mu.Unlock()
	var wg sync.WaitGroup
	for _, c := range cs {
		wg.Go(c.end)
	}
	wg.Wait()
	s.wg.Wait()
}

// contact returns the contact, making it (and starting its mixer) if create
// is set. It returns nil once the server is closed.
func (s *Server) contact(id string, create bool) *contact {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil
	}
	c := s.contacts[id]
	if c == nil && create {
		c = &contact{id: id, log: s.log.With("contact_id", id), parties: map[string]*party{}, stop: make(chan struct{})}
		s.contacts[id] = c
		s.wg.Add(1)
		go s.runMixer(c)
	}
	return c
}

// AnswerAgent builds the center's end of an agent's softphone call for a
// contact. A second offer from the same agent replaces the first call.
func (s *Server) AnswerAgent(ctx context.Context, contactID, login, offer string) (string, error) {
	c := s.contact(contactID, true)
	if c == nil {
		return "", errors.New("the media server is shut down")
	}
	c.mu.Lock()
	if c.ended {
		c.mu.Unlock()
		return "", fmt.Errorf("contact %s has just ended", contactID)
	}
	p := c.parties[login]
	if p == nil {
		p = newParty(center.MediaParty{ID: login, Role: center.RoleAgent})
		c.parties[login] = p
	}
	c.mu.Unlock()
	log := c.log.With("agent", login)
	c.mu.Lock()
	in, out := p.in, p.out
	c.mu.Unlock()
	trunk, err := rtc.NewPeer(rtc.Config{Log: log}, out, in)
	if err != nil {
		return "", fmt.Errorf("make the center's peer for %s on contact %s: %w", login, contactID, err)
	}
	trunk.OnDigit(func(d rune) { c.addDigit(login, d) })
	answer, err := trunk.Answer(ctx, offer)
	if err != nil {
		trunk.Close()
		return "", fmt.Errorf("answer the softphone of %s on contact %s: %w", login, contactID, err)
	}
	c.mu.Lock()
	if c.ended || p.closed {
		c.mu.Unlock()
		trunk.Close()
		return "", fmt.Errorf("contact %s ended, or %s left it, while the call was set up", contactID, login)
	}
	old := p.trunk
	p.trunk, p.connected = trunk, false
	s.goLocked(func() { markConnected(c, p, trunk) })
	if old != nil {
		s.goLocked(func() { old.Close() })
	}
	c.mu.Unlock()
	log.Info("agent softphone answered", "replaced", old != nil)
	return answer, nil
}

// Update reconciles a contact's parties: simulated people are made for new
// customers and third parties (connecting in the background, silent until
// then), parties no longer listed are hung up, and everyone's talking, hold
// and listening flags take effect from the next frame.
func (s *Server) Update(contactID string, parties []center.MediaParty) {
	c := s.contact(contactID, true)
	if c == nil {
		return
	}
	if len(parties) > MaxParties {
		c.log.Warn("conference larger than the bridge is sized for", "parties", len(parties), "max", MaxParties)
	}
	if slices.ContainsFunc(parties, func(p center.MediaParty) bool { return p.OnHold }) {
		s.holdLoop() // made once, here rather than in the mixer's tick
	}
	listed := make(map[string]bool, len(parties))
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ended {
		return
	}
	for _, info := range parties {
		listed[info.ID] = true
		p := c.parties[info.ID]
		switch {
		case p == nil:
			p = newParty(info)
			c.parties[info.ID] = p
			if simulated(info.Role) && info.Link != (center.MediaLink{}) {
				s.linkParty(c, p, info.Link)
			} else if simulated(info.Role) {
				ctx, cancel := context.WithTimeout(context.Background(), setupTimeout)
				p.cancel = cancel
				s.goLocked(func() { s.connectPerson(ctx, cancel, c, p, info) })
			}
		case simulated(info.Role) && p.unlink == nil && info.Link != (center.MediaLink{}):
			// The other agent answered: their voice replaces the stand-in's.
			stale := p.hangUp()
			p.closed = false
			p.person, p.trunk, p.rec = nil, nil, nil
			s.goLocked(func() { closeAll(stale) })
			s.linkParty(c, p, info.Link)
		}
		p.info, p.listed = info, true
	}
	var gone []*rtc.Peer
	for id, p := range c.parties {
		// An agent whose softphone answered before any Update named them
		// has not left: they have not arrived yet.
		if !listed[id] && (p.listed || simulated(p.info.Role)) {
			delete(c.parties, id)
			gone = append(gone, p.hangUp()...)
			c.log.Info("party left", "party", id, "role", string(p.info.Role))
		}
	}
	if len(gone) > 0 {
		s.goLocked(func() { closeAll(gone) })
	}
}

// End hangs up every peer of a contact, in the background.
func (s *Server) End(contactID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.contacts[contactID]
	if c == nil {
		return
	}
	delete(s.contacts, contactID)
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		c.end()
	}()
}

// goLocked runs f in a goroutine that Close waits for. It is called with
// c.mu held and c not ended, which orders it before Close's wait.
func (s *Server) goLocked(f func()) {
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		f()
	}()
}

// markConnected marks the party connected once this trunk connects, if it
// is still the party's trunk then.
func markConnected(c *contact, p *party, trunk *rtc.Peer) {
	ctx, cancel := context.WithTimeout(context.Background(), setupTimeout)
	defer cancel()
	if trunk.WaitConnected(ctx) != nil {
		return
	}
	c.mu.Lock()
	if p.trunk == trunk {
		p.connected = true
	}
	c.mu.Unlock()
}

func closeAll(peers []*rtc.Peer) {
	var wg sync.WaitGroup
	for _, pr := range peers {
		if pr != nil {
			wg.Go(func() { pr.Close() })
		}
	}
	wg.Wait()
}

func simulated(r center.MediaRole) bool {
	return r == center.RoleCustomer || r == center.RoleThirdParty
}

// connectPerson makes the simulated person and the center's trunk to them,
// and connects the two.
func (s *Server) connectPerson(ctx context.Context, cancel context.CancelFunc, c *contact, p *party, info center.MediaParty) {
	defer cancel()
	log := c.log.With("party", info.ID, "role", string(info.Role))
	rec := &recorder{}
	var voice rtc.Source
	var ears rtc.Sink = rec
	switch {
	case info.Number == center.EchoTestNumber:
		c.mu.Lock()
		if !p.closed {
			p.echo, p.rec, p.connected = true, rec, true
		}
		c.mu.Unlock()
		log.Info("echo test connected")
		return
	case s.cfg.CustomerVoice != nil:
		voice = s.cfg.CustomerVoice(c.id, info)
	default:
		voice = newPromptVoice(s.promptClips())
	}
	person, err := rtc.NewPeer(rtc.Config{Log: log.With("side", "person")}, voice, ears)
	if err != nil {
		log.Error("make simulated person", "err", err)
		return
	}
	c.mu.Lock()
	in, out := p.in, p.out
	c.mu.Unlock()
	trunk, err := rtc.NewPeer(rtc.Config{Log: log.With("side", "trunk")}, out, in)
	if err != nil {
		person.Close()
		log.Error("make trunk to simulated person", "err", err)
		return
	}
	c.mu.Lock()
	if p.closed || p.unlink != nil {
		c.mu.Unlock()
		closeAll([]*rtc.Peer{person, trunk})
		return
	}
	p.person, p.trunk, p.rec = person, trunk, rec
	c.mu.Unlock()
	err = func() error {
		offer, err := person.Offer(ctx)
		if err != nil {
			return err
		}
		answer, err := trunk.Answer(ctx, offer)
		if err != nil {
			return err
		}
		if err := person.Accept(answer); err != nil {
			return err
		}
		return trunk.WaitConnected(ctx)
	}()
	if err != nil {
		if !errors.Is(ctx.Err(), context.Canceled) { // not hung up meanwhile
			log.Warn("connect simulated person", "err", err)
		}
		return
	}
	c.mu.Lock()
	if p.trunk == trunk {
		p.connected = true
	}
	c.mu.Unlock()
	log.Info("simulated person connected", "echo", info.Number == center.EchoTestNumber)
}

func (s *Server) promptClips() [][]int16 {
	s.promptsOnce.Do(func() {
		clips, err := loadPrompts(assets.Prompts)
		if err != nil {
			s.log.Error("customer prompts unusable: simulated customers stay silent", "err", err)
		}
		s.prompts = clips
	})
	return s.prompts
}

func (s *Server) holdLoop() []int16 {
	s.holdOnce.Do(func() { s.hold = holdMusic() })
	return s.hold
}

// Digits returns the DTMF digits agents sent on a contact, in order.
func (s *Server) Digits(contactID string) string {
	c := s.contact(contactID, false)
	if c == nil {
		return ""
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return string(c.digits)
}

// Heard returns the last HeardWindow of what a simulated person on a contact
// heard, or nil if there is no such person.
func (s *Server) Heard(contactID, partyID string) []int16 {
	c := s.contact(contactID, false)
	if c == nil {
		return nil
	}
	c.mu.Lock()
	var rec *recorder
	if p := c.parties[partyID]; p != nil {
		rec = p.rec
	}
	c.mu.Unlock()
	if rec == nil {
		return nil
	}
	return rec.last(samples(HeardWindow))
}

// PartyStats is how one party of a contact is doing.
type PartyStats struct {
	center.MediaParty
	Connected bool      // the center's trunk to them has connected
	Trunk     rtc.Stats // the center's trunk peer
	// Underruns counts mixer frames that found nothing from them after
	// audio had started; Skipped counts frames dropped, either way, to keep
	// the delay bounded.
	Underruns, Skipped uint64
}

// Stats returns a contact's parties, by ID.
func (s *Server) Stats(contactID string) []PartyStats {
	c := s.contact(contactID, false)
	if c == nil {
		return nil
	}
	type row struct {
		st    PartyStats
		trunk *rtc.Peer
	}
	var rows []row
	c.mu.Lock()
	for _, p := range c.parties {
		st := PartyStats{MediaParty: p.info, Connected: p.connected}
		u, sk := p.in.counters()
		_, sk2 := p.out.counters()
		st.Underruns, st.Skipped = u, sk+sk2
		rows = append(rows, row{st, p.trunk})
	}
	c.mu.Unlock()
	out := make([]PartyStats, 0, len(rows))
	for _, r := range rows {
		if r.trunk != nil {
			r.st.Trunk = r.trunk.Stats()
		}
		out = append(out, r.st)
	}
	slices.SortFunc(out, func(a, b PartyStats) int { return cmp.Compare(a.ID, b.ID) })
	return out
}
