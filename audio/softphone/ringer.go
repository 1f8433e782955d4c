package softphone

import (
	"log/slog"
	"sync"
	"time"

	"github.com/agentdesk/agentdesk/audio/device"
	"github.com/agentdesk/agentdesk/audio/tone"
	"github.com/agentdesk/agentdesk/core"
)

// Tone is what the ringer plays.
type Tone int

// Ringer tones.
const (
	Silent      Tone = iota
	Ringing          // a contact is offered
	CallWaiting      // another contact is offered while the agent is on a call
)

// Ringer plays the ringtone on its own device while a contact rings. Its
// stream stays open, so a ring starts within a frame or two of the offer;
// the device is stopped while nothing has rung for a second, and started
// again for the next ring.
type Ringer struct {
	log *slog.Logger

	mu       sync.Mutex
	stream   *device.Stream
	tone     Tone
	gens     map[Tone]*tone.Generator
	beep     *tone.Generator
	beepLeft int // samples of beep still to play
	startAt  time.Time
	wake     chan struct{} // a tone or beep was set while the device was stopped
	stop     chan struct{}
	done     chan struct{}
}

// NewRinger opens the ringer on the default output device, with
// miniaudio's one-period buffering: a ring starts sounding about 10 ms
// sooner than on the call's 20 ms target, and it only rings for seconds.
func NewRinger(eng *device.Engine, log *slog.Logger) (*Ringer, error) {
	st, err := eng.OpenPlayback("", device.WithName("ringer"), device.WithPlaybackTarget(-1))
	if err != nil {
		return nil, err
	}
	r := &Ringer{log: log, stream: st, wake: make(chan struct{}, 1), stop: make(chan struct{}), done: make(chan struct{}),
		gens: map[Tone]*tone.Generator{Ringing: tone.Ringtone(), CallWaiting: tone.CallWaiting()},
		beep: tone.Sine(880, 0.25, 48000)}
	go r.run()
	return r, nil
}

// SetDevice moves the ringer to another output device.
func (r *Ringer) SetDevice(id string) error { return r.stream.SwitchDevice(id) }

// Playing is the tone playing now.
func (r *Ringer) Playing() Tone {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.tone
}

// Set starts or stops a tone.
func (r *Ringer) Set(t Tone) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.tone == t {
		return
	}
	r.tone = t
	if g := r.gens[t]; g != nil {
		g.Reset() // every ring starts at the top of its cadence
		r.startAt = time.Now()
		r.wakeRun()
	}
	r.log.Debug("ringer", "tone", t)
}

// Update rings while any of the agent's contacts shows an Accept button:
// the call-waiting tone when the agent is already on a contact.
func (r *Ringer) Update(a *core.Agent) {
	ringing, busy := false, false
	for _, c := range a.Contacts() {
		if core.ShouldShowAcceptButton(c) {
			ringing = true
		} else if c.State().Type == core.ContactStateConnected {
			busy = true
		}
	}
	switch {
	case ringing && busy:
		r.Set(CallWaiting)
	case ringing:
		r.Set(Ringing)
	default:
		r.Set(Silent)
	}
}

// Beep plays a short tone once (auto-accepted contact).
func (r *Ringer) Beep() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.beep.Reset()
	r.beepLeft = 48000 * 3 / 10
	r.wakeRun()
}

// wakeRun wakes run if it sleeps with the device stopped. r.mu is held.
func (r *Ringer) wakeRun() {
	select {
	case r.wake <- struct{}{}:
	default:
	}
}

// Close stops the ringer and closes its stream.
func (r *Ringer) Close() {
	close(r.stop)
	<-r.done
	r.stream.Close()
}

// idleStop is how long the ringer's device runs with nothing to play before
// it is stopped: a running device calls back every 10 ms, which costs CPU
// all through every call.
const idleStop = time.Second

// run keeps at most two frames queued, so a stop is heard within 40 ms. It
// starts the device when there is something to play and stops it once it
// has played nothing for idleStop. While the device is stopped it sleeps
// until Set or Beep wakes it: an idle ringer costs no wake-ups.
func (r *Ringer) run() {
	defer close(r.done)
	frame := make([]int16, 960)
	t := time.NewTicker(10 * time.Millisecond)
	defer t.Stop()
	running, quietTicks := true, 0
	for {
		if !running && !r.pending() {
			t.Stop()
			select {
			case <-r.stop:
				return
			case <-r.wake:
			}
			t.Reset(10 * time.Millisecond)
		} else {
			select {
			case <-r.stop:
				return
			case <-t.C:
			}
		}
		if !running && r.pending() {
			if err := r.stream.SetRunning(true); err != nil {
				r.log.Warn("starting the ringer's device", "err", err)
			}
			running = true
		}
		wrote := false
		for r.stream.Len() < 2*len(frame) {
			r.mu.Lock()
			g := r.gens[r.tone]
			switch {
			case g != nil:
				g.Read(frame)
			case r.beepLeft > 0:
				r.beep.Read(frame)
				r.beepLeft -= len(frame)
			default:
				r.mu.Unlock()
				goto idle
			}
			r.mu.Unlock()
			r.stream.Write(frame)
			wrote = true
		}
	idle:
		switch {
		case wrote || r.stream.Len() > 0:
			quietTicks = 0
		case running:
			if quietTicks++; time.Duration(quietTicks)*10*time.Millisecond >= idleStop {
				if err := r.stream.SetRunning(false); err != nil {
					r.log.Warn("stopping the ringer's device", "err", err)
				}
				running, quietTicks = false, 0
			}
		}
	}
}

// pending says whether a tone or a beep waits to be played.
func (r *Ringer) pending() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.gens[r.tone] != nil || r.beepLeft > 0
}
