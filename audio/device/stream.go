package device

import (
	"errors"
	"fmt"
	"math"
	"runtime"
	"sync"
	"time"
	"unsafe"

	"github.com/gen2brain/malgo"

	"github.com/agentdesk/agentdesk/core"
)

// MinDBFS is the floor of Level readings (silence).
const MinDBFS = -100.0

// Level is a stream's meter over its last device period, in dBFS.
type Level struct {
	Peak float64
	RMS  float64 // a full-scale sine reads -3 dBFS
}

// Stats are a stream's counters since it was opened.
type Stats struct {
	Callbacks uint64 // device periods served
	Frames    uint64 // samples moved by the device
	Overflows uint64 // samples dropped because the ring was full
	Underruns uint64 // playback: silent samples played because the ring was empty (includes idle time)
}

// StreamOption customises a stream.
type StreamOption func(*Stream)

// WithName labels a stream in logs and in the sound server ("speaker",
// "ringer", "microphone").
func WithName(name string) StreamOption { return func(s *Stream) { s.name = name } }

// WithPlaybackTarget overrides Config.PlaybackTarget for one playback
// stream. A negative target keeps miniaudio's one period, which starts
// sounding soonest: the ringer uses it, as a ring must start within 50 ms
// of the offer and rings are short.
func WithPlaybackTarget(d time.Duration) StreamOption {
	return func(s *Stream) { s.playTarget = d }
}

// Stream is a capture or playback stream: 48 kHz mono int16 moving through
// a ring between the device callback and the caller. The callback is C
// (cring.c) and never enters Go. The stream (and its ring) outlives the
// devices under it, so SwitchDevice and hot-plug fallback do not interrupt
// whoever reads or writes it; only the device the ring names live may touch
// it, so a device being replaced never races the new one. Read (capture)
// and Write (playback) must each be called from one goroutine at a time.
type Stream struct {
	e    *Engine
	kind malgo.DeviceType
	name string
	ring *cring
	pair *pair // the call's microphone and speaker share one device (OpenCall)
	// playTarget is the playback buffering asked of PulseAudio (set at
	// open, then read only).
	playTarget time.Duration

	switchMu sync.Mutex // serialises reopen and Close

	mu        sync.Mutex
	preferred string // the device asked for; "" follows the default
	current   string // the device in use; "" if the backend picked it
	closed    bool
	stopped   bool // SetRunning(false): the device is kept but not started

	dev *malgo.Device // worker only
}

func newStream(e *Engine, kind malgo.DeviceType, id string, opts []StreamOption) *Stream {
	s := &Stream{
		e:          e,
		kind:       kind,
		name:       map[malgo.DeviceType]string{malgo.Capture: "capture", malgo.Playback: "playback"}[kind],
		ring:       newCRing(e.cfg.RingSamples, kind == malgo.Capture),
		preferred:  id,
		playTarget: e.cfg.PlaybackTarget,
	}
	for _, o := range opts {
		o(s)
	}
	return s
}

// Name is the stream's label.
func (s *Stream) Name() string { return s.name }

// Kind is core.MediaKindInput for capture, core.MediaKindOutput for playback.
func (s *Stream) Kind() string { return kindName(s.kind) }

// DeviceID is the device the stream is on now.
func (s *Stream) DeviceID() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.current
}

// Read copies captured samples into dst and returns how many; 0 when none
// are ready or on a playback stream.
func (s *Stream) Read(dst []int16) int {
	if s.kind != malgo.Capture {
		return 0
	}
	return s.ring.read(dst[:min(len(dst), s.ring.len())])
}

// Write queues samples for playback and returns how many fit; 0 on a
// capture stream. Samples that do not fit are dropped and counted.
func (s *Stream) Write(src []int16) int {
	if s.kind != malgo.Playback {
		return 0
	}
	return s.ring.write(src)
}

// Len is the number of samples buffered: captured and unread, or written and
// not yet played.
func (s *Stream) Len() int { return s.ring.len() }

// Free is the room left in the ring, e.g. how much Write will take.
func (s *Stream) Free() int { return s.ring.cap - s.ring.len() }

// periodPoll is how often WaitPeriod looks at the device's counter: the
// device thread never wakes Go, which is what keeps a call cheap.
const periodPoll = 5 * time.Millisecond

// WaitPeriod waits until the device has served another period, or until
// timeout; it reports whether one came. For callers that fill or drain the
// ring as the device goes (test tones, tests) instead of sleeping blindly.
func (s *Stream) WaitPeriod(timeout time.Duration) bool {
	start := s.ring.stats().Callbacks
	deadline := time.Now().Add(timeout)
	t := time.NewTicker(periodPoll)
	defer t.Stop()
	for s.ring.stats().Callbacks == start {
		if !time.Now().Before(deadline) {
			return false
		}
		<-t.C
	}
	return true
}

// Level reads the meter over the last device period. Safe from any goroutine.
func (s *Stream) Level() Level {
	st := s.ring.stats()
	return Level{Peak: dbfs(float64(st.peak)), RMS: dbfs(math.Sqrt(st.meanSquare))}
}

// TakePeak is the loudest sample since the last TakePeak, in dBFS: a meter
// that reads it a few times a second still shows every syllable, where
// Level's one period would often fall between two. Safe from any goroutine.
func (s *Stream) TakePeak() float64 {
	return dbfs(float64(s.ring.takePeak()))
}

func dbfs(v float64) float64 {
	if v <= 0 {
		return MinDBFS
	}
	return max(20*math.Log10(v/32768), MinDBFS)
}

// Stats reads the counters. Safe from any goroutine.
func (s *Stream) Stats() Stats {
	st := s.ring.stats().Stats
	if s.kind != malgo.Playback {
		st.Underruns = 0 // the Go reader's own shortfalls are not the device's
	}
	return st
}

// SwitchDevice moves the stream to device id ("" = the default, followed
// from then on) without losing buffered samples. On error the stream stays
// where it was.
func (s *Stream) SwitchDevice(id string) error {
	s.switchMu.Lock()
	defer s.switchMu.Unlock()
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return fmt.Errorf("device: switching %s stream: %w", s.name, ErrClosed) // the stream, not the engine
	}
	prev := s.preferred
	s.preferred = id
	s.mu.Unlock()
	old := s.DeviceID()
	if err := s.reopen(id); err != nil {
		s.mu.Lock()
		s.preferred = prev
		s.mu.Unlock()
		return err
	}
	s.e.log.Info("audio stream switched", "stream", s.name, "from", old, "device", s.DeviceID())
	return nil
}

// SetRunning stops (false) or starts again (true) the device under the
// stream. A stopped stream keeps its device, its place and its ring
// (SwitchDevice and hot-plug still move it) but the device makes no
// callbacks: a playback stream with nothing to play costs no CPU. Streams
// start running.
func (s *Stream) SetRunning(on bool) error {
	s.switchMu.Lock()
	defer s.switchMu.Unlock()
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return fmt.Errorf("device: starting or stopping %s stream: %w", s.name, ErrClosed)
	}
	if s.stopped == !on {
		s.mu.Unlock()
		return nil
	}
	s.stopped = !on
	s.mu.Unlock()
	if on {
		defer s.e.wake() // poll at the running pace, and see the device is still there
	}
	if s.pair != nil { // one device: both sides start and stop together
		for _, side := range []*Stream{s.pair.mic, s.pair.spk} {
			side.mu.Lock()
			side.stopped = !on
			side.mu.Unlock()
		}
	}
	what := "stopping stream " + s.name
	if on {
		what = "starting stream " + s.name
	}
	return s.e.do(what, func() error {
		dev := s.dev
		if s.pair != nil {
			dev = s.pair.dev
		}
		if dev == nil {
			return nil
		}
		if on {
			return dev.Start()
		}
		return dev.Stop()
	})
}

// reopen opens target ("" = default) and swaps it in under the ring. The
// new device is initialised before the old one stops, so a failure leaves
// the stream as it was. Caller holds switchMu.
func (s *Stream) reopen(target string) error {
	what := fmt.Sprintf("opening %s device %q for stream %s", kindName(s.kind), target, s.name)
	if target == "" {
		what = fmt.Sprintf("opening default %s device for stream %s", kindName(s.kind), s.name)
	}
	return s.e.do(what, func() error {
		if s.pair != nil {
			return s.pair.reopen(s, target, what)
		}
		ents, err := s.e.list(s.kind)
		if err != nil {
			return err
		}
		pick, ok := choose(ents, target)
		if !ok {
			return fmt.Errorf("device: %s: %w", what, NotConnected())
		}
		dev, err := s.initDevice(pick)
		if err != nil {
			return refused(what, err)
		}
		old := s.dev
		if old != nil {
			if err := old.Stop(); err != nil {
				s.e.log.Debug("stopping replaced audio device", "stream", s.name, "err", err)
			}
		}
		s.ring.setLive(deviceAddr(dev))
		s.mu.Lock()
		stopped := s.stopped
		s.mu.Unlock()
		if !stopped { // a stopped stream follows device changes, and stays stopped
			if err := dev.Start(); err != nil {
				dev.Uninit()
				if old != nil {
					s.ring.setLive(deviceAddr(old))
					_ = old.Start()
				} else {
					s.ring.setLive(0)
				}
				return refused(what+": starting", err)
			}
		}
		if old != nil {
			old.Uninit() // stopped above
		}
		s.dev = dev
		s.mu.Lock()
		s.current = ""
		if pick != nil {
			s.current = pick.dev.ID
		}
		s.mu.Unlock()
		return nil
	})
}

// initDevice makes (but does not start) a device for ent (nil = backend
// default) whose C callback serves the ring once the ring names it live.
// Worker only.
func (s *Stream) initDevice(ent *entry) (*malgo.Device, error) {
	var capture, playback *entry
	if s.kind == malgo.Capture {
		capture = ent
	} else {
		playback = ent
	}
	dev, err := s.e.initMalgo(s.kind, capture, playback, s.name, s.name, s.playTarget)
	if err != nil {
		return nil, err
	}
	if err := s.ring.bind(dev, s.kind == malgo.Capture, s.e.cfg.SampleRate); err != nil {
		dev.Uninit()
		return nil, err
	}
	return dev, nil
}

// initMalgo makes (but does not start) a miniaudio device of kind on the
// capture and playback devices it uses (nil = the backend's default),
// 48 kHz mono int16 at the engine's periods, its streams named in the sound
// server after capName and playName, its playback side buffered to
// playTarget (see Config.PlaybackTarget). Worker only.
func (e *Engine) initMalgo(kind malgo.DeviceType, capture, playback *entry, capName, playName string, playTarget time.Duration) (*malgo.Device, error) {
	cfg := e.cfg
	dc := malgo.DefaultDeviceConfig(kind)
	dc.SampleRate = uint32(cfg.SampleRate)
	dc.PeriodSizeInFrames = uint32(cfg.SampleRate * cfg.PeriodMs / 1000)
	dc.Periods = uint32(cfg.Periods)
	var pin runtime.Pinner
	defer pin.Unpin()
	var capID, playID malgo.DeviceID
	for _, side := range []struct {
		sub *malgo.SubConfig
		ent *entry
		id  *malgo.DeviceID
	}{{&dc.Capture, capture, &capID}, {&dc.Playback, playback, &playID}} {
		side.sub.Format = malgo.FormatS16
		side.sub.Channels = 1
		if side.ent != nil {
			// miniaudio copies the ID during init; pinning lets cgo pass it.
			*side.id = side.ent.id
			pin.Pin(side.id)
			side.sub.DeviceID = unsafe.Pointer(side.id)
		}
	}
	dc.Pulse.StreamNameCapture = "AgentDesk " + capName
	dc.Pulse.StreamNamePlayback = "AgentDesk " + playName
	dev, err := malgo.InitDevice(e.ctx.Context, dc, malgo.DeviceCallbacks{Stop: e.wake})
	if err != nil {
		return nil, err
	}
	if kind != malgo.Capture && playTarget > 0 {
		got, err := setPlaybackBuffer(dev, cfg.SampleRate, playTarget)
		switch {
		case errors.Is(err, errNotPulse):
		case err != nil: // the device still plays, at miniaudio's buffering
			e.log.Warn("keeping miniaudio's playback buffering", "stream", playName, "err", err)
		default:
			e.log.Debug("playback buffering", "stream", playName, "queue", got.queue, "request", got.request)
		}
	}
	return dev, nil
}

// follow is the poller's look at one stream given the device list; it
// returns a DeviceLost when the stream's device vanished.
func (s *Stream) follow(devs []core.MediaDevice) (DeviceLost, bool) {
	s.switchMu.Lock()
	defer s.switchMu.Unlock()
	s.mu.Lock()
	closed, cur, pref := s.closed, s.current, s.preferred
	s.mu.Unlock()
	if closed {
		return DeviceLost{}, false
	}
	kind := kindName(s.kind)
	var def string
	present := func(id string) bool {
		for _, d := range devs {
			if d.Kind == kind && d.ID == id {
				return true
			}
		}
		return false
	}
	for _, d := range devs {
		if d.Kind == kind && d.IsDefault {
			def = d.ID
			break
		}
	}
	log := s.e.log.With("stream", s.name, "kind", kind)
	switch {
	case cur != "" && !present(cur):
		target := ""
		if pref != "" && present(pref) {
			target = pref
		}
		err := s.reopen(target)
		lost := DeviceLost{Stream: s, Kind: kind, OldID: cur, NewID: s.DeviceID(), Err: err}
		if err != nil {
			// Forget the dead device so the next poll retries whatever
			// default appears rather than reporting the loss again.
			s.mu.Lock()
			s.current = ""
			s.mu.Unlock()
			lost.NewID = ""
			log.Error("audio device lost, no fallback", "device", cur, "err", err)
		} else {
			log.Warn("audio device lost, fell back", "device", cur, "fallback", lost.NewID)
		}
		return lost, true
	case pref != "" && cur != pref && present(pref):
		if err := s.reopen(pref); err != nil {
			log.Warn("preferred audio device is back but reopening failed", "device", pref, "err", err)
		} else {
			log.Info("audio stream back on preferred device", "device", pref, "from", cur)
		}
	case pref == "" && def != "" && cur != def:
		if err := s.reopen(""); err != nil {
			log.Warn("following the new default audio device failed", "device", def, "err", err)
		} else {
			log.Info("audio stream followed the default device", "device", s.DeviceID(), "from", cur)
		}
	}
	return DeviceLost{}, false
}

// Close stops the stream and releases its device. Safe to call twice. One
// side of a call pair (OpenCall) closes the other with it.
func (s *Stream) Close() error {
	err := s.closeOne()
	if s.pair != nil {
		other := s.pair.mic
		if other == s {
			other = s.pair.spk
		}
		err = errors.Join(err, other.closeOne())
	}
	return err
}

func (s *Stream) closeOne() error {
	s.switchMu.Lock()
	defer s.switchMu.Unlock()
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	s.mu.Unlock()
	s.e.forget(s)
	err := s.e.do("closing stream "+s.name, func() error {
		if s.pair != nil {
			s.pair.close()
			return nil
		}
		s.ring.setLive(0)
		if s.dev != nil {
			release(s.dev)
			s.dev = nil
		}
		return nil
	})
	s.e.log.Info("audio stream closed", "stream", s.name)
	return err
}

// release stops then frees a device. miniaudio's uninit alone only flags
// the device and joins its thread; a PulseAudio device whose sink vanished
// sits in a blocking main-loop wait nobody wakes, so the join would hang.
// Stop wakes that loop first. Worker only.
func release(dev *malgo.Device) {
	_ = dev.Stop()
	dev.Uninit()
}
