package aec

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"
	"testing"
)

func newCanceller(t testing.TB, cfg Config) *Canceller {
	t.Helper()
	c, err := New(cfg)
	if err != nil {
		t.Fatalf("New(%+v): %v", cfg, err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// run feeds mic and speaker through c one frame at a time, as the audio
// goroutine would, and returns the processed mic signal.
func run(t testing.TB, c *Canceller, mic, speaker []int16) []int16 {
	t.Helper()
	n := c.Config().FrameSamples
	out := make([]int16, len(mic))
	for off := 0; off+n <= len(mic); off += n {
		if err := c.Process(mic[off:off+n], speaker[off:off+n], out[off:off+n]); err != nil {
			t.Fatalf("Process frame %d: %v", off/n, err)
		}
	}
	return out
}

// lastSecond returns the final second of x.
func lastSecond(x []int16) []int16 { return x[len(x)-rate:] }

const seconds = 8 // simulated; adaptation needs a few seconds of audio

var path30ms = echoPath{delay: 30 * rate / 1000, gainDB: -6}

func TestCancelsBroadbandEcho(t *testing.T) {
	tests := []struct {
		name string
		path echoPath
	}{
		{"30 ms -6 dB", path30ms},
		{"30 ms -6 dB with 60 ms of reflections", echoPath{delay: 30 * rate / 1000, gainDB: -6, tailDB: -10, tailLen: 60 * rate / 1000}},
		{"120 ms -12 dB", echoPath{delay: 120 * rate / 1000, gainDB: -12}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := seconds * rate
			far := bandNoise(n, 3000, 1)
			mic := toPCM(add(tt.path.apply(far), bandNoise(n, 10, 2)))
			out := run(t, newCanceller(t, DefaultConfig()), mic, toPCM(far))

			reduction := dB(energy(lastSecond(mic)) / energy(lastSecond(out)))
			t.Logf("echo reduced by %.1f dB over the last second", reduction)
			if reduction < 20 {
				t.Errorf("echo reduced by %.1f dB, want >= 20 dB", reduction)
			}
		})
	}
}

func TestCancelsLoopedBackTone(t *testing.T) {
	const freq = 1000
	tests := []struct {
		name    string
		noiseDB float64 // far-end noise bed relative to the tone; 0 = none
	}{
		{"pure tone", 0},
		{"tone over -30 dB noise", -30},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := seconds * rate
			far := tone(n, freq, 8000)
			if tt.noiseDB != 0 {
				far = add(far, bandNoise(n, rmsOf(far)*math.Pow(10, tt.noiseDB/20), 3))
			}
			mic := toPCM(add(path30ms.apply(far), bandNoise(n, 10, 4)))
			out := run(t, newCanceller(t, DefaultConfig()), mic, toPCM(far))

			reduction := dB(goertzelPower(lastSecond(mic), freq) / goertzelPower(lastSecond(out), freq))
			t.Logf("looped-back %d Hz tone reduced by %.1f dB at %d Hz (broadband %.1f dB)", freq, reduction, freq,
				dB(energy(lastSecond(mic))/energy(lastSecond(out))))
			if reduction < 20 {
				t.Errorf("looped-back tone reduced by %.1f dB, want >= 20 dB", reduction)
			}
		})
	}
}

// TestNearEndSurvivesDoubleTalk has the agent talk (a 440 Hz tone keyed in
// syllable-length bursts) over a customer whose far-end 1 kHz tone and noise
// echo back. Near-end speech must come through while the echo still goes.
// A tone held steady for more than about a second would be learned as noise
// by the preprocessor and lowered by its noise suppression; speech is not
// steady, so the bursts model it.
func TestNearEndSurvivesDoubleTalk(t *testing.T) {
	const farFreq, nearFreq = 1000, 440
	tests := []struct {
		name    string
		nearAmp float64
		startS  int // when the agent starts talking
	}{
		{"quiet agent throughout", 1000, 0},
		{"loud agent throughout", 8000, 0},
		{"agent starts after convergence", 3000, seconds - 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := seconds * rate
			far := add(tone(n, farFreq, 8000), bandNoise(n, 300, 5))
			near := syllables(tone(n, nearFreq, tt.nearAmp), 6)
			clear(near[:tt.startS*rate])
			mic := toPCM(add(path30ms.apply(far), near, bandNoise(n, 10, 7)))
			out := run(t, newCanceller(t, DefaultConfig()), mic, toPCM(far))

			nearDrop := dB(goertzelPower(lastSecond(toPCM(near)), nearFreq) / goertzelPower(lastSecond(out), nearFreq))
			echoDrop := dB(goertzelPower(lastSecond(mic), farFreq) / goertzelPower(lastSecond(out), farFreq))
			t.Logf("near-end %d Hz level drops %.2f dB; far-end %d Hz echo reduced %.1f dB", nearFreq, nearDrop, farFreq, echoDrop)
			if nearDrop > 3 {
				t.Errorf("near-end speech lowered by %.1f dB, want < 3 dB", nearDrop)
			}
			if echoDrop < 20 {
				t.Errorf("echo during double talk reduced by %.1f dB, want >= 20 dB", echoDrop)
			}
		})
	}
}

// runDown is run through ProcessDown: the processed mic signal at the
// filter's rate.
func runDown(t testing.TB, c *Canceller, mic, speaker []int16) []int16 {
	t.Helper()
	n, low := c.Config().FrameSamples, c.DownFrameSamples()
	out := make([]int16, len(mic)/n*low)
	for i := 0; (i+1)*n <= len(mic); i++ {
		if err := c.ProcessDown(mic[i*n:(i+1)*n], speaker[i*n:(i+1)*n], out[i*low:(i+1)*low]); err != nil {
			t.Fatalf("ProcessDown frame %d: %v", i, err)
		}
	}
	return out
}

// TestProcessDownCancelsAndKeepsTheAgent: the frames left at 16 kHz for
// the encoder lose the looped-back 1 kHz tone as Process's do, while the
// agent's 440 Hz comes through at its level.
func TestProcessDownCancelsAndKeepsTheAgent(t *testing.T) {
	const farFreq, nearFreq, nearAmp = 1000, 440, 3000
	c := newCanceller(t, DefaultConfig())
	if got := c.DownFrameSamples(); got != 320 {
		t.Fatalf("DownFrameSamples() = %d, want 320 (20 ms at 16 kHz)", got)
	}
	n := seconds * rate
	far := tone(n, farFreq, 8000)
	near := syllables(tone(n, nearFreq, nearAmp), 6)
	clear(near[:(seconds-3)*rate]) // the agent speaks once the filter has converged
	mic := toPCM(add(path30ms.apply(far), near, bandNoise(n, 10, 4)))
	out := runDown(t, c, mic, toPCM(far))
	if len(out) != n/3 {
		t.Fatalf("%d samples out for %d in, want a third", len(out), n)
	}
	last := out[len(out)-DefaultProcessRate:]
	echoDrop := dB(goertzelPower(lastSecond(mic), farFreq) / goertzelPowerAt(last, farFreq, DefaultProcessRate))
	nearDrop := dB(goertzelPower(lastSecond(toPCM(near)), nearFreq) / goertzelPowerAt(last, nearFreq, DefaultProcessRate))
	t.Logf("at 16 kHz: looped-back %d Hz reduced by %.1f dB; the agent's %d Hz drops %.2f dB", farFreq, echoDrop, nearFreq, nearDrop)
	if echoDrop < 20 {
		t.Errorf("looped-back tone reduced by %.1f dB, want >= 20 dB", echoDrop)
	}
	if math.Abs(nearDrop) > 3 {
		t.Errorf("the agent's tone changed by %.1f dB, want within 3 dB", nearDrop)
	}
}

// TestProcessDownDisabledResamplesMic: with cancellation off the mic still
// reaches the encoder, at 16 kHz, at its level and frequency.
func TestProcessDownDisabledResamplesMic(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Enabled = false
	c := newCanceller(t, cfg)
	n := rate
	mic := toPCM(tone(n, 440, 2000))
	out := runDown(t, c, mic, toPCM(bandNoise(n, 3000, 1)))
	tail := out[len(out)/2:]
	lvl := dB(goertzelPowerAt(tail, 440, DefaultProcessRate) / goertzelPower(mic[n/2:], 440))
	t.Logf("440 Hz at 16 kHz: %.2f dB against the mic", lvl)
	if math.Abs(lvl) > 0.5 {
		t.Errorf("440 Hz level changed by %.2f dB, want within 0.5 dB", lvl)
	}
	for _, f := range []float64{220, 880, 1000, 3000} {
		if r := dB(goertzelPowerAt(tail, 440, DefaultProcessRate) / goertzelPowerAt(tail, f, DefaultProcessRate)); r < 40 {
			t.Errorf("440 Hz only %.1f dB above %g Hz, want >= 40 dB", r, f)
		}
	}
}

func TestDisabledPassesMicThrough(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Enabled = false
	c := newCanceller(t, cfg)
	n := rate
	far := toPCM(bandNoise(n, 3000, 1))
	mic := toPCM(add(path30ms.apply(bandNoise(n, 3000, 1)), tone(n, 440, 2000)))
	out := run(t, c, mic, far)
	if !slices.Equal(out, mic) {
		t.Fatal("disabled canceller changed the mic signal")
	}
	if c.Enabled() {
		t.Error("Enabled() = true for a canceller configured off")
	}
}

func TestSetEnabledBetweenFrames(t *testing.T) {
	c := newCanceller(t, DefaultConfig())
	n := 3 * seconds * rate / 2
	farF := bandNoise(n, 3000, 1)
	far, mic := toPCM(farF), toPCM(add(path30ms.apply(farF), bandNoise(n, 10, 2)))
	frame := c.Config().FrameSamples
	out := make([]int16, n)
	third := n / 3 / frame * frame
	process := func(from, to int) {
		for off := from; off < to; off += frame {
			if err := c.Process(mic[off:off+frame], far[off:off+frame], out[off:off+frame]); err != nil {
				t.Fatal(err)
			}
		}
	}

	process(0, third) // on: converges
	c.SetEnabled(false)
	process(third, 2*third)
	if !slices.Equal(out[third:2*third], mic[third:2*third]) {
		t.Error("frames processed while disabled differ from the mic")
	}
	c.SetEnabled(true)
	process(2*third, n/frame*frame)

	for _, seg := range []struct {
		name     string
		from, to int
	}{
		{"before disabling", third - rate, third},
		{"after re-enabling", n/frame*frame - rate, n / frame * frame},
	} {
		r := dB(energy(mic[seg.from:seg.to]) / energy(out[seg.from:seg.to]))
		t.Logf("%s: echo reduced %.1f dB", seg.name, r)
		if r < 20 {
			t.Errorf("%s: echo reduced %.1f dB, want >= 20 dB", seg.name, r)
		}
	}
}

// TestSetEnabledFromAnotherGoroutine is for the race detector: the UI
// flips the switch while the audio goroutine processes.
func TestSetEnabledFromAnotherGoroutine(t *testing.T) {
	c := newCanceller(t, DefaultConfig())
	frame := c.Config().FrameSamples
	mic, far, out := make([]int16, frame), make([]int16, frame), make([]int16, frame)
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		for i := 0; ; i++ {
			select {
			case <-done:
				return
			default:
				c.SetEnabled(i%2 == 0)
			}
		}
	})
	for range 200 {
		if err := c.Process(mic, far, out); err != nil {
			t.Fatal(err)
		}
	}
	close(done)
	wg.Wait()
}

func TestOutMayAliasMic(t *testing.T) {
	n := 2 * rate
	farF := bandNoise(n, 3000, 1)
	far, mic := toPCM(farF), toPCM(add(path30ms.apply(farF), tone(n, 440, 1000)))
	want := run(t, newCanceller(t, DefaultConfig()), mic, far)

	c := newCanceller(t, DefaultConfig())
	frame := c.Config().FrameSamples
	inPlace := slices.Clone(mic)
	for off := 0; off < n; off += frame {
		buf := inPlace[off : off+frame]
		if err := c.Process(buf, far[off:off+frame], buf); err != nil {
			t.Fatal(err)
		}
	}
	if !slices.Equal(inPlace, want) {
		t.Error("processing in place gives a different result from a separate out buffer")
	}
}

func TestProcessDoesNotAllocate(t *testing.T) {
	for _, enabled := range []bool{true, false} {
		cfg := DefaultConfig()
		cfg.Enabled = enabled
		c := newCanceller(t, cfg)
		frame := cfg.FrameSamples
		mic := toPCM(bandNoise(frame, 1000, 1))
		far := toPCM(bandNoise(frame, 1000, 2))
		out := make([]int16, frame)
		allocs := testing.AllocsPerRun(200, func() { _ = c.Process(mic, far, out) })
		if allocs != 0 {
			t.Errorf("enabled=%v: %.1f allocations per frame, want 0", enabled, allocs)
		}
		low := make([]int16, c.DownFrameSamples())
		if allocs := testing.AllocsPerRun(200, func() { _ = c.ProcessDown(mic, far, low) }); allocs != 0 {
			t.Errorf("ProcessDown, enabled=%v: %.1f allocations per frame, want 0", enabled, allocs)
		}
	}
}

func TestBadInput(t *testing.T) {
	c := newCanceller(t, DefaultConfig())
	f := make([]int16, DefaultFrameSamples)
	short := make([]int16, DefaultFrameSamples-1)
	closed, err := New(DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	if err := closed.Close(); err != nil {
		t.Fatal(err)
	}
	if err := closed.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}

	tests := []struct {
		name    string
		call    func() error
		wantIs  error
		wantMsg string
	}{
		{"short mic", func() error { return c.Process(short, f, f) }, ErrFrameSize, fmt.Sprintf("mic %d, speaker %d, out %d", DefaultFrameSamples-1, DefaultFrameSamples, DefaultFrameSamples)},
		{"short speaker", func() error { return c.Process(f, short, f) }, ErrFrameSize, fmt.Sprintf("speaker %d", DefaultFrameSamples-1)},
		{"nil speaker", func() error { return c.Process(f, nil, f) }, ErrFrameSize, "speaker 0"},
		{"short out", func() error { return c.Process(f, f, short) }, ErrFrameSize, fmt.Sprintf("out %d", DefaultFrameSamples-1)},
		{"after close", func() error { return closed.Process(f, f, f) }, ErrClosed, "closed"},
		{"down into a 48 kHz frame", func() error { return c.ProcessDown(f, f, f) }, ErrFrameSize, fmt.Sprintf("%d out: mic %d, speaker %d, out %d", DefaultFrameSamples/3, DefaultFrameSamples, DefaultFrameSamples, DefaultFrameSamples)},
		{"down after close", func() error { return closed.ProcessDown(f, f, f[:DefaultFrameSamples/3]) }, ErrClosed, "closed"},
		{"rate too high", func() error { _, err := New(Config{SampleRate: 96000}); return err }, nil, "sample rate 96000"},
		{"negative frame", func() error { _, err := New(Config{FrameSamples: -1}); return err }, nil, "frame of -1 samples"},
		{"filter shorter than frame", func() error { _, err := New(Config{FilterLength: 100}); return err }, nil, "filter length 100"},
		{"process rate above sample rate", func() error { _, err := New(Config{ProcessRate: 96000}); return err }, nil, "process rate 96000"},
		{"frame not whole at process rate", func() error { _, err := New(Config{FrameSamples: 100}); return err }, nil, "not a whole number"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			if err == nil {
				t.Fatal("got nil error")
			}
			if tt.wantIs != nil && !errors.Is(err, tt.wantIs) {
				t.Errorf("error %q does not wrap %v", err, tt.wantIs)
			}
			if !strings.Contains(err.Error(), tt.wantMsg) {
				t.Errorf("error %q does not say %q", err, tt.wantMsg)
			}
		})
	}
}

func TestConfigDefaults(t *testing.T) {
	c := newCanceller(t, Config{Enabled: true})
	want := DefaultConfig()
	if got := c.Config(); got != want {
		t.Errorf("Config() = %+v, want %+v", got, want)
	}
	if !c.Enabled() {
		t.Error("Enabled() = false for a canceller configured on")
	}
}

// BenchmarkProcess reports the cost of one 20 ms frame and the share of
// one core that cancelling a real-time stream takes.
func BenchmarkProcess(b *testing.B) { benchProcess(b, false) }

// BenchmarkProcessDown is BenchmarkProcess leaving the frame at 16 kHz,
// as the softphone hands it to the encoder.
func BenchmarkProcessDown(b *testing.B) { benchProcess(b, true) }

// benchProcess cancels broadband echo frame by frame, with Process or with
// ProcessDown, and reports the time a frame takes.
func benchProcess(b *testing.B, down bool) {
	c := newCanceller(b, DefaultConfig())
	frame := c.Config().FrameSamples
	farF := bandNoise(rate, 3000, 1)
	far, mic := toPCM(farF), toPCM(add(path30ms.apply(farF), bandNoise(rate, 10, 2)))
	process, out := c.Process, make([]int16, frame)
	if down {
		process, out = c.ProcessDown, make([]int16, c.DownFrameSamples())
	}
	frames := rate / frame
	i := 0
	for b.Loop() {
		off := (i % frames) * frame
		if err := process(mic[off:off+frame], far[off:off+frame], out); err != nil {
			b.Fatal(err)
		}
		i++
	}
	us := float64(b.Elapsed().Microseconds()) / float64(b.N)
	b.ReportMetric(us, "µs/frame")
	b.ReportMetric(100*us/(1e6*float64(frame)/rate), "%core")
	b.ReportMetric(0, "ns/op")
}
