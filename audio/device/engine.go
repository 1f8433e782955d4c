// Package device holds the malgo (miniaudio) audio engine: device listing
// with stable IDs, capture and playback streams of 48 kHz mono int16 behind
// lock-free rings, device switching and hot-plug fallback. It imports no
// Fyne and nothing from core but its device type.
package device

import (
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"slices"
	"sync"
	"time"

	"github.com/gen2brain/malgo"

	"github.com/agentdesk/agentdesk/core"
)

// Backends worth naming. malgo.BackendNull is miniaudio's *custom* backend;
// the real null backend (timer-driven silent devices, no sound system
// needed) is one past it.
const (
	PulseAudioBackend malgo.Backend = malgo.BackendPulseaudio
	NullBackend       malgo.Backend = malgo.BackendNull + 1
)

// Defaults for Config's zero fields.
const (
	DefaultSampleRate   = 48000
	DefaultPeriodMs     = 10
	DefaultPeriods      = 3
	DefaultRingSamples  = 16384 // 341 ms at 48 kHz
	DefaultPollInterval = 500 * time.Millisecond
	DefaultIdlePoll     = 2 * time.Second
	DefaultOpTimeout    = 3 * time.Second
	// DefaultPlaybackTarget is the audio PulseAudio keeps queued for a
	// playback stream, libwebrtc's floor: see Config.PlaybackTarget.
	DefaultPlaybackTarget = 20 * time.Millisecond
)

// Errors callers can test for with errors.Is.
var (
	ErrTimeout  = errors.New("the audio system did not respond in time")
	ErrClosed   = errors.New("audio engine or stream is closed")
	ErrNoDevice = errors.New("no such audio device")
)

// Config configures an Engine. The zero value is usable.
type Config struct {
	// Backends in order of preference; nil means miniaudio's platform order.
	// Tests use PulseAudioBackend or NullBackend.
	Backends []malgo.Backend
	// SampleRate of every stream (default 48000).
	SampleRate int
	// PeriodMs is the device callback period (default 10 ms).
	PeriodMs int
	// Periods is how many periods the device buffer holds (default 3).
	Periods int
	// RingSamples is each stream's ring size, rounded up to a power of two
	// (default 16384).
	RingSamples int
	// PollInterval is how often the device list is polled for hot-plug
	// while a stream runs (default 500 ms): malgo reports neither unplugging
	// nor rerouting.
	PollInterval time.Duration
	// IdlePoll is how often it is polled while no stream runs (default 2 s,
	// never more often than PollInterval): stopped streams (the ringer
	// between rings) and the device lists still follow, and an idle app
	// wakes less. Opening or starting a stream polls at once.
	IdlePoll time.Duration
	// PlaybackTarget is how much audio PulseAudio keeps queued for each
	// playback stream, asked for a quarter at a time (default 20 ms, so a
	// request every 5 ms; negative leaves miniaudio's one period, which at
	// 10 ms wakes the client thread every 2.5 ms). Other backends ignore it.
	PlaybackTarget time.Duration
	// OpTimeout bounds each device open, start, stop, close and listing
	// (default 3 s).
	OpTimeout time.Duration
	// Logger for device events (default slog.Default()).
	Logger *slog.Logger
}

func (c Config) withDefaults() Config {
	if c.SampleRate <= 0 {
		c.SampleRate = DefaultSampleRate
	}
	if c.PeriodMs <= 0 {
		c.PeriodMs = DefaultPeriodMs
	}
	if c.Periods <= 0 {
		c.Periods = DefaultPeriods
	}
	if c.RingSamples <= 0 {
		c.RingSamples = DefaultRingSamples
	}
	if c.PollInterval <= 0 {
		c.PollInterval = DefaultPollInterval
	}
	if c.IdlePoll <= 0 {
		c.IdlePoll = DefaultIdlePoll
	}
	c.IdlePoll = max(c.IdlePoll, c.PollInterval)
	if c.OpTimeout <= 0 {
		c.OpTimeout = DefaultOpTimeout
	}
	if c.PlaybackTarget == 0 {
		c.PlaybackTarget = DefaultPlaybackTarget
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	return c
}

// DeviceLost reports a stream moved off a device that disappeared.
type DeviceLost struct {
	Stream *Stream
	Kind   string // core.MediaKindInput or core.MediaKindOutput
	OldID  string
	NewID  string // "" when no device could take the stream over
	Err    error  // why the fallback failed; it is retried on every poll
}

// Engine owns a miniaudio context and every stream opened on it. All
// miniaudio device and context calls run on one locked OS thread, one at a
// time, each bounded by Config.OpTimeout. Its methods are safe for
// concurrent use.
type Engine struct {
	cfg Config
	log *slog.Logger

	ops        chan *op
	workerDone chan struct{}
	ctx        *malgo.AllocatedContext // worker only

	kick     chan struct{}
	stopPoll chan struct{}
	pollDone chan struct{}

	mu        sync.Mutex
	closed    bool
	streams   map[*Stream]struct{}
	last      []core.MediaDevice
	hookID    int
	onChanged map[int]func([]core.MediaDevice)
	onLost    map[int]func(DeviceLost)
}

type op struct {
	name string
	fn   func() error
	last bool // the worker exits after it
	done chan error
}

// NewEngine initialises a miniaudio context for cfg.Backends, lists the
// devices once and starts polling for hot-plug.
func NewEngine(cfg Config) (*Engine, error) {
	cfg = cfg.withDefaults()
	e := &Engine{
		cfg:        cfg,
		log:        cfg.Logger,
		ops:        make(chan *op, 64),
		workerDone: make(chan struct{}),
		kick:       make(chan struct{}, 1),
		stopPoll:   make(chan struct{}),
		pollDone:   make(chan struct{}),
		streams:    map[*Stream]struct{}{},
		onChanged:  map[int]func([]core.MediaDevice){},
		onLost:     map[int]func(DeviceLost){},
	}
	ready := make(chan error, 1)
	go e.work(ready)
	select {
	case err := <-ready:
		if err != nil {
			return nil, fmt.Errorf("device: initialising audio backends %v: %w", cfg.Backends, err)
		}
	case <-time.After(cfg.OpTimeout):
		return nil, fmt.Errorf("device: initialising audio backends %v: %w", cfg.Backends, ErrTimeout)
	}
	devs, err := e.Devices()
	if err != nil {
		e.shutdownWorker()
		return nil, err
	}
	e.last = devs
	e.log.Info("audio engine started", "devices", len(devs))
	go e.poll()
	return e, nil
}

// work runs every miniaudio call. The OS thread is locked because some
// backends (WASAPI, CoreAudio) tie devices to the thread that made them.
func (e *Engine) work(ready chan<- error) {
	runtime.LockOSThread()
	defer close(e.workerDone)
	ctx, err := malgo.InitContext(e.cfg.Backends, malgo.ContextConfig{}, func(msg string) {
		e.log.Debug("miniaudio", "msg", msg)
	})
	ready <- err
	if err != nil {
		return
	}
	e.ctx = ctx
	for o := range e.ops {
		o.done <- o.fn()
		if o.last {
			return
		}
	}
}

// do runs fn on the worker and waits at most OpTimeout for it. A timed-out
// op still runs later, in order, so an op queued after it (a close) cleans
// up whatever it leaves behind.
func (e *Engine) do(name string, fn func() error) error {
	return e.run(&op{name: name, fn: fn, done: make(chan error, 1)})
}

func (e *Engine) run(o *op) error {
	t := time.NewTimer(e.cfg.OpTimeout)
	defer t.Stop()
	select {
	case e.ops <- o:
	case <-e.workerDone:
		return closed(o.name)
	case <-t.C:
		return e.timedOut(o)
	}
	select {
	case err := <-o.done:
		return err
	case <-e.workerDone:
		select {
		case err := <-o.done:
			return err
		default:
			return closed(o.name)
		}
	case <-t.C:
		return e.timedOut(o)
	}
}

func (e *Engine) timedOut(o *op) error {
	e.log.Error("audio operation timed out", "op", o.name, "timeout", e.cfg.OpTimeout)
	return fmt.Errorf("device: %s took longer than %v: %w", o.name, e.cfg.OpTimeout,
		Problemf(ErrTimeout, "the sound system did not answer within %s; try another device, or restart the sound service", e.cfg.OpTimeout))
}

type entry struct {
	dev core.MediaDevice
	id  malgo.DeviceID
}

// list enumerates one kind of device. Worker only.
func (e *Engine) list(kind malgo.DeviceType) ([]entry, error) {
	infos, err := e.ctx.Devices(kind)
	if err != nil {
		return nil, fmt.Errorf("device: listing %s devices: %w", kindName(kind),
			Problemf(err, "the sound system would not list its devices (%s)", err.Error()))
	}
	out := make([]entry, 0, len(infos))
	for _, info := range infos {
		out = append(out, entry{
			dev: core.MediaDevice{
				ID:        idString(info.ID),
				Name:      info.Name(),
				Kind:      kindName(kind),
				IsDefault: info.IsDefault != 0,
			},
			id: info.ID,
		})
	}
	return out, nil
}

// Devices lists playback devices (Kind "audiooutput") then capture devices
// ("audioinput"). IDs come from the backend's device IDs (PulseAudio sink
// and source names, ALSA names, ...), so they stay the same across calls and
// hot-plugs; they are unique within a kind.
func (e *Engine) Devices() ([]core.MediaDevice, error) {
	var out []core.MediaDevice
	err := e.do("list devices", func() error {
		out = out[:0]
		for _, kind := range []malgo.DeviceType{malgo.Playback, malgo.Capture} {
			ents, err := e.list(kind)
			if err != nil {
				return err
			}
			for _, en := range ents {
				out = append(out, en.dev)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// OnDevicesChanged calls f with the new list whenever the poller sees the
// device list change (a device added, removed, renamed or made default). f
// runs on the poller goroutine; it may call streams and the Engine, except
// Engine.Close, which waits for the poller. The returned func unsubscribes.
func (e *Engine) OnDevicesChanged(f func([]core.MediaDevice)) (cancel func()) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.hookID++
	id := e.hookID
	e.onChanged[id] = f
	return func() { e.mu.Lock(); delete(e.onChanged, id); e.mu.Unlock() }
}

// OnDeviceLost calls f after a stream's device disappeared and the stream
// was moved to the current default device (or failed to be, see
// DeviceLost.Err). The stream returns by itself when its device comes back.
// f runs on the poller goroutine, like OnDevicesChanged's. The returned func
// unsubscribes.
func (e *Engine) OnDeviceLost(f func(DeviceLost)) (cancel func()) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.hookID++
	id := e.hookID
	e.onLost[id] = f
	return func() { e.mu.Lock(); delete(e.onLost, id); e.mu.Unlock() }
}

// OpenCapture opens a microphone stream on the capture device id ("" is the
// default device, and then the stream follows the default as it changes).
func (e *Engine) OpenCapture(id string, opts ...StreamOption) (*Stream, error) {
	return e.open(malgo.Capture, id, opts)
}

// OpenPlayback opens a speaker stream on the playback device id ("" is the
// default device, and then the stream follows the default as it changes).
// Several playback streams may be open at once, e.g. the call on a headset
// and the ringer on the loudspeaker.
func (e *Engine) OpenPlayback(id string, opts ...StreamOption) (*Stream, error) {
	return e.open(malgo.Playback, id, opts)
}

func (e *Engine) open(kind malgo.DeviceType, id string, opts []StreamOption) (*Stream, error) {
	s := newStream(e, kind, id, opts)
	e.mu.Lock()
	if e.closed {
		e.mu.Unlock()
		return nil, closed("opening " + kindName(kind) + " stream")
	}
	e.streams[s] = struct{}{}
	e.mu.Unlock()
	defer e.wake() // poll at the running pace
	s.switchMu.Lock()
	err := s.reopen(id)
	s.switchMu.Unlock()
	if err != nil {
		// Close queues behind a timed-out open, so it also frees a device
		// that open finishes late.
		go s.Close()
		return nil, err
	}
	e.log.Info("audio stream opened", "stream", s.name, "kind", kindName(kind), "device", s.DeviceID())
	return s, nil
}

func (e *Engine) forget(s *Stream) {
	e.mu.Lock()
	delete(e.streams, s)
	e.mu.Unlock()
}

// wake asks the poller to look at the devices now, e.g. after a device
// stopped by itself. Never blocks; safe from audio callbacks.
func (e *Engine) wake() {
	select {
	case e.kick <- struct{}{}:
	default:
	}
}

func (e *Engine) poll() {
	defer close(e.pollDone)
	t := time.NewTimer(e.cfg.PollInterval)
	defer t.Stop()
	for {
		select {
		case <-e.stopPoll:
			return
		case <-t.C:
		case <-e.kick:
		}
		e.check()
		next := e.cfg.IdlePoll
		if e.running() {
			next = e.cfg.PollInterval
		}
		t.Reset(next)
	}
}

// running says whether any stream runs, i.e. is open and not stopped.
func (e *Engine) running() bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	for s := range e.streams {
		s.mu.Lock()
		on := !s.stopped && !s.closed
		s.mu.Unlock()
		if on {
			return true
		}
	}
	return false
}

// check compares the device list with the last one and moves streams whose
// device vanished, whose preferred device came back, or that follow a
// default that changed.
func (e *Engine) check() {
	devs, err := e.Devices()
	if err != nil {
		e.log.Warn("polling audio devices failed", "err", err)
		return
	}
	e.mu.Lock()
	if e.closed {
		e.mu.Unlock()
		return
	}
	changed := !slices.Equal(devs, e.last)
	e.last = devs
	var hooks []func([]core.MediaDevice)
	if changed {
		for _, id := range sortedKeys(e.onChanged) {
			hooks = append(hooks, e.onChanged[id])
		}
	}
	streams := make([]*Stream, 0, len(e.streams))
	for s := range e.streams {
		streams = append(streams, s)
	}
	e.mu.Unlock()
	if changed {
		e.log.Info("audio devices changed", "devices", len(devs))
		for _, h := range hooks {
			h(slices.Clone(devs))
		}
	}
	for _, s := range streams {
		if lost, ok := s.follow(devs); ok {
			e.mu.Lock()
			var hooks []func(DeviceLost)
			for _, id := range sortedKeys(e.onLost) {
				hooks = append(hooks, e.onLost[id])
			}
			e.mu.Unlock()
			for _, h := range hooks {
				h(lost)
			}
		}
	}
}

func sortedKeys[V any](m map[int]V) []int {
	keys := make([]int, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// Close closes every stream, stops the poller and frees the context.
func (e *Engine) Close() error {
	e.mu.Lock()
	if e.closed {
		e.mu.Unlock()
		return nil
	}
	e.closed = true
	streams := make([]*Stream, 0, len(e.streams))
	for s := range e.streams {
		streams = append(streams, s)
	}
	e.mu.Unlock()
	close(e.stopPoll)
	<-e.pollDone
	var errs []error
	for _, s := range streams {
		errs = append(errs, s.Close())
	}
	errs = append(errs, e.shutdownWorker())
	e.log.Info("audio engine closed")
	return errors.Join(errs...)
}

func (e *Engine) shutdownWorker() error {
	return e.run(&op{name: "close audio context", last: true, done: make(chan error, 1), fn: func() error {
		err := e.ctx.Uninit()
		e.ctx.Free()
		return err
	}})
}

func kindName(kind malgo.DeviceType) string {
	if kind == malgo.Capture {
		return core.MediaKindInput
	}
	return core.MediaKindOutput
}
