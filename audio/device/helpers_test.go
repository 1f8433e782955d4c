package device

import (
	"fmt"
	"log/slog"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/gen2brain/malgo"

	"github.com/agentdesk/agentdesk/audio/pulsetest"
	"github.com/agentdesk/agentdesk/core"
)

// srv is the private PulseAudio server every PulseAudio test talks to.
var srv *pulsetest.Server

func TestMain(m *testing.M) {
	s, err := pulsetest.Start()
	if err != nil {
		fmt.Fprintf(os.Stderr, "audio/device tests need PulseAudio (CI installs it with scripts/deps.sh test): %v\n", err)
		os.Exit(1)
	}
	srv = s
	code := m.Run()
	if err := s.Close(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		code = 1
	}
	os.Exit(code)
}

const (
	toneAmp    = 0.5              // written tones peak at -6 dBFS
	minToneAmp = 0.2 * 32767      // found on the far side
	silentAmp  = 30.0             // a tone below -60 dBFS is absent
	leakAmp    = 0.05 * 32767     // -26 dBFS: far below a mixed-in tone
	window     = 4800             // 100 ms: whole periods of 1 kHz and 440 Hz
	toneWait   = 10 * time.Second // new PulseAudio streams can stall ~2 s
	eventWait  = 3 * time.Second  // generous bound for hot-plug events
	pollEvery  = 100 * time.Millisecond
)

func testLogger(t testing.TB) *slog.Logger {
	return slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelInfo}))
}

func newEngine(t testing.TB, cfg Config) *Engine {
	t.Helper()
	if cfg.Backends == nil {
		cfg.Backends = []malgo.Backend{PulseAudioBackend}
	}
	if cfg.Logger == nil {
		cfg.Logger = testLogger(t)
	}
	e, err := NewEngine(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := e.Close(); err != nil {
			t.Errorf("Engine.Close: %v", err)
		}
	})
	return e
}

// loadSink adds a null sink for the test and removes it afterwards unless the
// test already did.
func loadSink(t testing.TB, name string) int {
	t.Helper()
	id, err := srv.LoadNullSink(name)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Unload(id) })
	return id
}

func openPlayback(t testing.TB, e *Engine, id string, opts ...StreamOption) *Stream {
	t.Helper()
	s, err := e.OpenPlayback(id, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func openCapture(t testing.TB, e *Engine, id string, opts ...StreamOption) *Stream {
	t.Helper()
	s, err := e.OpenCapture(id, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// playTone keeps a playback stream fed with an unbroken sine, paced by the
// ring's free space, until the test ends.
func playTone(t *testing.T, s *Stream, freq float64) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		buf := make([]int16, 960)
		pos := 0
		for {
			if n := min(s.Free(), len(buf)); n > 0 {
				pulsetest.SineAt(buf[:n], freq, toneAmp, pos)
				pos += s.Write(buf[:n])
				continue
			}
			select {
			case <-done:
				return
			default:
				s.WaitPeriod(20 * time.Millisecond)
			}
		}
	}()
	t.Cleanup(func() { close(done); wg.Wait() })
}

// nextWindow waits for the next 100 ms of captured audio.
func nextWindow(s *Stream, buf []int16, deadline time.Time) bool {
	got := 0
	for got < len(buf) {
		got += s.Read(buf[got:])
		if got == len(buf) {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		s.WaitPeriod(50 * time.Millisecond)
	}
	return true
}

// waitTone reads a capture stream until a window holds freq, and returns
// how long that took.
func waitTone(t *testing.T, s *Stream, freq float64) time.Duration {
	t.Helper()
	start := time.Now()
	deadline := start.Add(toneWait)
	buf := make([]int16, window)
	best := 0.0
	for nextWindow(s, buf, deadline) {
		if pulsetest.HasTone(buf, freq, minToneAmp) {
			return time.Since(start)
		}
		best = max(best, pulsetest.ToneAmplitude(buf, freq))
	}
	t.Fatalf("no %.0f Hz tone on %s (%s) within %v; best amplitude %.0f, stats %+v",
		freq, s.DeviceID(), s.Name(), toneWait, best, s.Stats())
	return 0
}

// waitNoTone reads a capture stream until a window is free of freq.
func waitNoTone(t *testing.T, s *Stream, freq float64) {
	t.Helper()
	deadline := time.Now().Add(toneWait)
	buf := make([]int16, window)
	for nextWindow(s, buf, deadline) {
		if pulsetest.ToneAmplitude(buf, freq) < silentAmp {
			return
		}
	}
	t.Fatalf("%.0f Hz tone never left %s within %v", freq, s.DeviceID(), toneWait)
}

// assertNoTone reads n windows from a capture stream and fails if freq
// reaches maxAmp in any: silentAmp for a silent device, leakAmp for one
// playing another tone (dropouts on a loaded VM smear a little energy
// across the spectrum; a real leak would be near toneAmp).
func assertNoTone(t *testing.T, s *Stream, freq, maxAmp float64, windows int) {
	t.Helper()
	deadline := time.Now().Add(toneWait)
	buf := make([]int16, window)
	for i := 0; i < windows; i++ {
		if !nextWindow(s, buf, deadline) {
			t.Fatalf("%s delivered only %d of %d windows in %v", s.DeviceID(), i, windows, toneWait)
		}
		if a := pulsetest.ToneAmplitude(buf, freq); a >= maxAmp {
			t.Fatalf("%.0f Hz leaks onto %s: amplitude %.0f in window %d", freq, s.DeviceID(), a, i)
		}
	}
}

func waitFor(t *testing.T, what string, timeout time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", timeout, what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func find(devs []core.MediaDevice, kind, id string) (core.MediaDevice, bool) {
	for _, d := range devs {
		if d.Kind == kind && d.ID == id {
			return d, true
		}
	}
	return core.MediaDevice{}, false
}

func mustDevices(t *testing.T, e *Engine) []core.MediaDevice {
	t.Helper()
	devs, err := e.Devices()
	if err != nil {
		t.Fatal(err)
	}
	return devs
}
