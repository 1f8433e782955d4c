package device

import (
	"fmt"

	"github.com/gen2brain/malgo"
)

// pair is a microphone and a speaker stream served by one duplex device:
// one sound-server client thread and one callback where two separate
// devices take two. Under PulseAudio at 10 ms periods that is 1.3-1.4 % of
// a core against 2.3-2.5 % for miniaudio alone on the 2-core VM the project
// is measured on. Switching either side, or either side's device vanishing,
// reopens the pair with the other side where it was.
type pair struct {
	mic, spk *Stream
	dev      *malgo.Device // worker only
}

// OpenCall opens a microphone stream on capture device micID and a speaker
// stream on playback device spkID ("" is the default, followed as it
// changes) as one duplex device: what a call needs, at about half the
// sound server's cost of two devices. Each stream switches and falls back
// on its own as OpenCapture's and OpenPlayback's do (the other side of the
// pair pauses for a moment while the device reopens), and closing either
// closes both.
func (e *Engine) OpenCall(micID, spkID string) (mic, spk *Stream, err error) {
	mic = newStream(e, malgo.Capture, micID, []StreamOption{WithName("microphone")})
	spk = newStream(e, malgo.Playback, spkID, []StreamOption{WithName("speaker")})
	p := &pair{mic: mic, spk: spk}
	mic.pair, spk.pair = p, p
	e.mu.Lock()
	if e.closed {
		e.mu.Unlock()
		return nil, nil, closed("opening the call's microphone and speaker")
	}
	e.streams[mic] = struct{}{}
	e.streams[spk] = struct{}{}
	e.mu.Unlock()
	defer e.wake() // poll at the running pace
	mic.switchMu.Lock()
	err = mic.reopen(micID)
	mic.switchMu.Unlock()
	if err != nil {
		go mic.Close() // also frees a device a timed-out open finishes late
		return nil, nil, err
	}
	e.log.Info("audio call streams opened", "microphone", mic.DeviceID(), "speaker", spk.DeviceID())
	return mic, spk, nil
}

// wanted is the device s asks for ("" the default): its choice if that is
// connected, else the default. Worker only.
func wanted(s *Stream, ents []entry) (*entry, bool) {
	s.mu.Lock()
	pref := s.preferred
	s.mu.Unlock()
	return choose(ents, pref)
}

// choose picks target ("" = the default) from ents; false when target is
// not connected.
func choose(ents []entry, target string) (*entry, bool) {
	for i := range ents {
		if (target == "" && ents[i].dev.IsDefault) || (target != "" && ents[i].dev.ID == target) {
			return &ents[i], true
		}
	}
	return nil, target == ""
}

// reopen moves s (one side of the pair) to target and the other side to
// the device it asks for, or the default if that is gone, on a new duplex
// device. A failure leaves the pair as it was. Worker only.
func (p *pair) reopen(s *Stream, target, what string) error {
	e := s.e
	caps, err := e.list(malgo.Capture)
	if err != nil {
		return err
	}
	plays, err := e.list(malgo.Playback)
	if err != nil {
		return err
	}
	var micEnt, spkEnt *entry
	var ok bool
	if s == p.mic {
		if micEnt, ok = choose(caps, target); !ok {
			return fmt.Errorf("device: %s: %w", what, NotConnected())
		}
		if spkEnt, ok = wanted(p.spk, plays); !ok {
			spkEnt, _ = choose(plays, "")
		}
	} else {
		if spkEnt, ok = choose(plays, target); !ok {
			return fmt.Errorf("device: %s: %w", what, NotConnected())
		}
		if micEnt, ok = wanted(p.mic, caps); !ok {
			micEnt, _ = choose(caps, "")
		}
	}
	dev, err := p.initDevice(e, micEnt, spkEnt)
	if err != nil {
		return refused(what, err)
	}
	old := p.dev
	if old != nil {
		if err := old.Stop(); err != nil {
			e.log.Debug("stopping replaced audio device", "stream", s.name, "err", err)
		}
	}
	p.setLive(deviceAddr(dev))
	if !p.stopped() {
		if err := p.start(dev, old); err != nil {
			return refused(what+": starting", err)
		}
	}
	if old != nil {
		old.Uninit() // stopped above
	}
	p.dev = dev
	for _, side := range []struct {
		s   *Stream
		ent *entry
	}{{p.mic, micEnt}, {p.spk, spkEnt}} {
		side.s.mu.Lock()
		side.s.current = ""
		if side.ent != nil {
			side.s.current = side.ent.dev.ID
		}
		side.s.mu.Unlock()
	}
	return nil
}

// stopped is whether SetRunning(false) stopped the pair (through either
// side): a stopped pair follows device changes and stays stopped.
func (p *pair) stopped() bool {
	p.mic.mu.Lock()
	defer p.mic.mu.Unlock()
	p.spk.mu.Lock()
	defer p.spk.mu.Unlock()
	return p.mic.stopped || p.spk.stopped
}

// start starts dev in place of old; on failure it frees dev and puts old
// back. Worker only.
func (p *pair) start(dev, old *malgo.Device) error {
	if err := dev.Start(); err != nil {
		dev.Uninit()
		if old != nil {
			p.setLive(deviceAddr(old))
			_ = old.Start()
		} else {
			p.setLive(0)
		}
		return err
	}
	return nil
}

func (p *pair) setLive(addr uintptr) {
	p.mic.ring.setLive(addr)
	p.spk.ring.setLive(addr)
}

// close releases the pair's device. Worker only.
func (p *pair) close() {
	p.setLive(0)
	if p.dev != nil {
		release(p.dev)
		p.dev = nil
	}
}

// initDevice makes (but does not start) a duplex device on mic and spk
// (nil = the backend's default) whose C callback serves both rings once
// they name it live. Worker only.
func (p *pair) initDevice(e *Engine, mic, spk *entry) (*malgo.Device, error) {
	dev, err := e.initMalgo(malgo.Duplex, mic, spk, p.mic.name, p.spk.name, p.spk.playTarget)
	if err != nil {
		return nil, err
	}
	if err := p.mic.ring.bindDuplex(dev, p.spk.ring, e.cfg.SampleRate); err != nil {
		dev.Uninit()
		return nil, err
	}
	return dev, nil
}
