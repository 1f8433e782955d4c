package tone

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"
)

func read(g *Generator, n int) []int16 {
	buf := make([]int16, n)
	g.Read(buf)
	return buf
}

func TestSineFrequencyLevelAndPurity(t *testing.T) {
	tests := []struct {
		freq, amp float64
		minSNR    float64
	}{
		{100, 1, 85},
		{440, 0.5, 80},
		{1000, 0.5, 80},
		{1000, 0.01, 45},
		{3400, 0.25, 75},
		{12000, 0.8, 85},
		{19999.5, 0.5, 80},
	}
	for _, tt := range tests {
		x := read(Sine(tt.freq, tt.amp, SampleRate), SampleRate/10) // 100 ms
		wantDB := 20*math.Log10(tt.amp) - 3.0103
		if got := RMSdBFS(x); math.Abs(got-wantDB) > 0.05 {
			t.Errorf("%g Hz at %g: RMS %.3f dBFS, want %.3f", tt.freq, tt.amp, got, wantDB)
		}
		if got := ToneDBFS(x, SampleRate, tt.freq); math.Abs(got-wantDB) > 0.05 {
			t.Errorf("%g Hz at %g: Goertzel %.3f dBFS, want %.3f", tt.freq, tt.amp, got, wantDB)
		}
		f, snr := DominantFrequency(x, SampleRate, nil)
		if math.Abs(f-tt.freq) > 0.5 {
			t.Errorf("%g Hz: dominant frequency %.2f Hz", tt.freq, f)
		}
		if snr < tt.minSNR {
			t.Errorf("%g Hz at %g: SNR %.1f dB, want ≥ %g", tt.freq, tt.amp, snr, tt.minSNR)
		}
	}
}

func TestSinePeakNeverExceedsAmplitude(t *testing.T) {
	for _, amp := range []float64{1, 0.5, 0.123, 2, -1} {
		x := read(Sine(997, amp, SampleRate), SampleRate)
		want := math.Round(math.Max(0, math.Min(1, amp)) * fullScale)
		var peak float64
		for _, s := range x {
			peak = math.Max(peak, math.Abs(float64(s)))
		}
		if peak > want || peak < want-1 {
			t.Errorf("amplitude %g: peak %g, want %g", amp, peak, want)
		}
	}
}

func TestReadIsPhaseContinuous(t *testing.T) {
	for _, g := range []func() *Generator{
		func() *Generator { return Sine(1234.5, 0.7, SampleRate) },
		func() *Generator { return DualTone(697, 1209, 0.7, 8000) },
		Ringtone,
		CallWaiting,
	} {
		whole := read(g(), 3*SampleRate)
		chunked := make([]int16, 0, len(whole))
		gen := g()
		sizes := []int{1, 7, 960, 480, 13, 4096}
		for i := 0; len(chunked) < len(whole); i++ {
			n := min(sizes[i%len(sizes)], len(whole)-len(chunked))
			chunked = append(chunked, read(gen, n)...)
		}
		for i := range whole {
			if whole[i] != chunked[i] {
				t.Fatalf("sample %d: chunked read %d, whole read %d", i, chunked[i], whole[i])
			}
		}
	}
}

func TestReset(t *testing.T) {
	g := Ringtone()
	first := read(g, 5000)
	read(g, 12345)
	g.Reset()
	again := read(g, 5000)
	for i := range first {
		if first[i] != again[i] {
			t.Fatalf("sample %d after Reset: %d, want %d", i, again[i], first[i])
		}
	}
}

func TestRMSdBFS(t *testing.T) {
	square := make([]int16, 480)
	for i := range square {
		square[i] = math.MaxInt16
		if i%2 == 1 {
			square[i] = math.MinInt16
		}
	}
	tests := []struct {
		name string
		x    []int16
		want float64
	}{
		{"empty", nil, math.Inf(-1)},
		{"silence", make([]int16, 960), math.Inf(-1)},
		{"full-scale square", square, 0},
		{"full-scale sine", read(Sine(1000, 1, SampleRate), 4800), -3.0103},
		{"-20 dB sine", read(Sine(1000, 0.1, SampleRate), 4800), -23.0103},
	}
	for _, tt := range tests {
		got := RMSdBFS(tt.x)
		if math.IsInf(tt.want, -1) {
			if !math.IsInf(got, -1) {
				t.Errorf("%s: %g, want -Inf", tt.name, got)
			}
			continue
		}
		if math.Abs(got-tt.want) > 0.01 {
			t.Errorf("%s: %.4f dBFS, want %.4f", tt.name, got, tt.want)
		}
	}
}

func TestGoertzelSelectivity(t *testing.T) {
	x := read(Sine(1000, 0.5, SampleRate), 960) // 20 whole cycles
	on := ToneDBFS(x, SampleRate, 1000)
	for _, f := range []float64{950, 1050, 2000, 3000, 500} {
		if off := ToneDBFS(x, SampleRate, f); on-off < 80 {
			t.Errorf("1 kHz tone reads %.1f dBFS at %g Hz, only %.1f dB below the tone", off, f, on-off)
		}
	}
	if p := Goertzel(nil, SampleRate, 1000); p != 0 {
		t.Errorf("Goertzel of nothing = %g, want 0", p)
	}
}

func TestSNRMeasuresNoise(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, wantSNR := range []float64{0, 10, 20, 40} {
		const amp = 0.3
		x := read(Sine(1000, amp, SampleRate), SampleRate)
		// Gaussian noise with power amp²/2 / 10^(snr/10).
		sigma := amp * fullScale / math.Sqrt2 / math.Pow(10, wantSNR/20)
		for i := range x {
			x[i] = clamp16(float64(x[i]) + rng.NormFloat64()*sigma)
		}
		f, snr := DominantFrequency(x, SampleRate, []float64{500, 1000, 2000})
		if f != 1000 {
			t.Errorf("SNR %g: dominant %g Hz, want 1000", wantSNR, f)
		}
		if math.Abs(snr-wantSNR) > 0.5 {
			t.Errorf("SNR %g: measured %.2f dB", wantSNR, snr)
		}
	}
}

func TestSNRWrongFrequency(t *testing.T) {
	x := read(Sine(1000, 0.5, SampleRate), 4800)
	if snr := SNR(x, SampleRate, 1100); snr > -40 {
		t.Errorf("SNR of a 1 kHz tone at 1.1 kHz = %.1f dB, want very negative", snr)
	}
	if snr := SNR(make([]int16, 480), SampleRate, 1000); !math.IsInf(snr, -1) {
		t.Errorf("SNR of silence = %g, want -Inf", snr)
	}
	if f, snr := DominantFrequency(nil, SampleRate, nil); f != 0 || !math.IsInf(snr, -1) {
		t.Errorf("DominantFrequency(nil) = %g, %g", f, snr)
	}
}

func TestDominantFrequencyScanLongBlock(t *testing.T) {
	x := read(Sine(2345.6, 0.5, SampleRate), 3*SampleRate)
	f, snr := DominantFrequency(x, SampleRate, nil)
	if math.Abs(f-2345.6) > 0.05 || snr < 80 {
		t.Errorf("dominant = %.3f Hz at %.1f dB, want 2345.6 Hz, > 80 dB", f, snr)
	}
}

func TestDTMF(t *testing.T) {
	tests := []struct {
		digit     rune
		low, high float64
	}{
		{'1', 697, 1209}, {'2', 697, 1336}, {'3', 697, 1477}, {'A', 697, 1633},
		{'4', 770, 1209}, {'5', 770, 1336}, {'6', 770, 1477}, {'B', 770, 1633},
		{'7', 852, 1209}, {'8', 852, 1336}, {'9', 852, 1477}, {'C', 852, 1633},
		{'*', 941, 1209}, {'0', 941, 1336}, {'#', 941, 1477}, {'D', 941, 1633},
		{'a', 697, 1633}, {'d', 941, 1633},
		{'E', 0, 0}, {',', 0, 0}, {'x', 0, 0}, {'٣', 0, 0},
	}
	for _, tt := range tests {
		low, high := DTMF(tt.digit)
		if low != tt.low || high != tt.high {
			t.Errorf("DTMF(%q) = %g, %g; want %g, %g", tt.digit, low, high, tt.low, tt.high)
		}
	}
}

func TestDTMFTone(t *testing.T) {
	rows := []float64{697, 770, 852, 941}
	cols := []float64{1209, 1336, 1477, 1633}
	for _, d := range "0123456789*#ABCD" {
		g, err := DTMFTone(d, 0.5, 8000)
		if err != nil {
			t.Fatal(err)
		}
		x := read(g, 800) // 100 ms at 8 kHz
		low, high := DTMF(d)
		if f, _ := DominantFrequency(x, 8000, rows); f != low {
			t.Errorf("%q: row %g Hz, want %g", d, f, low)
		}
		if f, _ := DominantFrequency(x, 8000, cols); f != high {
			t.Errorf("%q: column %g Hz, want %g", d, f, high)
		}
		// Each component carries half the amplitude: −6 dB −3 dB −6 dB.
		for _, f := range []float64{low, high} {
			if got := ToneDBFS(x, 8000, f); math.Abs(got-(-15.05)) > 0.3 {
				t.Errorf("%q: %g Hz at %.2f dBFS, want -15.05", d, f, got)
			}
		}
	}
	if _, err := DTMFTone('x', 0.5, 8000); err == nil {
		t.Error("DTMFTone('x') succeeded, want an error")
	}
}

// window is a stretch of a cadence where the tone is wholly on or off.
type window struct {
	from, to time.Duration
	on       bool
}

// steadyWindows lists the parts of each cadence segment away from its edges,
// over repeats periods.
func steadyWindows(c Cadence, repeats int) []window {
	const guard = 10 * time.Millisecond
	var ws []window
	var at time.Duration
	for range repeats {
		for i, d := range c {
			ws = append(ws, window{at + guard, at + d - guard, i%2 == 0})
			at += d
		}
	}
	return ws
}

func TestCadencedTones(t *testing.T) {
	tests := []struct {
		name    string
		g       *Generator
		cadence Cadence
		freqs   []float64
		peak    float64 // fraction of full scale
	}{
		{"ringtone", Ringtone(), RingtoneCadence(), []float64{400, 450}, 0.5},
		{"call waiting", CallWaiting(), CallWaitingCadence(), []float64{440}, 0.25},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			const repeats = 2
			x := read(tt.g, samplesIn(repeats*tt.cadence.Period(), SampleRate))
			var peak float64
			for _, s := range x {
				peak = math.Max(peak, math.Abs(float64(s)))
			}
			if peak > tt.peak*fullScale+1 {
				t.Errorf("peak %.0f, want ≤ %.0f", peak, tt.peak*fullScale)
			}
			for _, w := range steadyWindows(tt.cadence, repeats) {
				seg := x[samplesIn(w.from, SampleRate):samplesIn(w.to, SampleRate)]
				level := RMSdBFS(seg)
				if !w.on {
					if !math.IsInf(level, -1) {
						t.Errorf("%v–%v should be silent, reads %.1f dBFS", w.from, w.to, level)
					}
					continue
				}
				for _, f := range tt.freqs {
					want := 20*math.Log10(tt.peak/float64(len(tt.freqs))) - 3.0103
					if got := ToneDBFS(seg, SampleRate, f); math.Abs(got-want) > 0.5 {
						t.Errorf("%v–%v: %g Hz at %.2f dBFS, want %.2f", w.from, w.to, f, got, want)
					}
				}
				others := []float64{350, 480, 620, 1000}
				if f, _ := DominantFrequency(seg, SampleRate, append(others, tt.freqs...)); !contains(tt.freqs, f) {
					t.Errorf("%v–%v: dominant %g Hz, want one of %v", w.from, w.to, f, tt.freqs)
				}
			}
		})
	}
}

func contains(fs []float64, f float64) bool {
	for _, x := range fs {
		if x == f {
			return true
		}
	}
	return false
}

// TestCadenceEdgesDoNotClick checks that bursts fade in and out: no step
// between samples is larger than the steepest slope of the steady tone.
func TestCadenceEdgesDoNotClick(t *testing.T) {
	for _, tt := range []struct {
		name     string
		g        *Generator
		maxSlope float64 // of the steady waveform, per sample
	}{
		{"ringtone", Ringtone(), 2 * math.Pi * (400*0.25 + 450*0.25) / SampleRate * fullScale},
		{"call waiting", CallWaiting(), 2 * math.Pi * 440 * 0.25 / SampleRate * fullScale},
	} {
		x := read(tt.g, 10*SampleRate)
		for i := 1; i < len(x); i++ {
			if d := math.Abs(float64(x[i]) - float64(x[i-1])); d > tt.maxSlope+2 {
				t.Fatalf("%s: step of %.0f at sample %d, steady slope is at most %.0f", tt.name, d, i, tt.maxSlope)
			}
		}
	}
}

func TestCadencePeriod(t *testing.T) {
	if p := RingtoneCadence().Period(); p != 3*time.Second {
		t.Errorf("ring period %v, want 3s", p)
	}
	if p := CallWaitingCadence().Period(); p != 4*time.Second {
		t.Errorf("call-waiting period %v, want 4s", p)
	}
	// An empty cadence leaves the tone continuous.
	x := read(Sine(1000, 0.5, SampleRate).WithCadence(nil), 4800)
	if got := RMSdBFS(x); math.Abs(got-(-9.03)) > 0.05 {
		t.Errorf("empty cadence: %.2f dBFS, want continuous −9.03", got)
	}
}

func BenchmarkSineRead20ms(b *testing.B) {
	g := Sine(1000, 0.5, SampleRate)
	buf := make([]int16, 960)
	for b.Loop() {
		g.Read(buf)
	}
}

func BenchmarkRingtoneRead20ms(b *testing.B) {
	g := Ringtone()
	buf := make([]int16, 960)
	for b.Loop() {
		g.Read(buf)
	}
}

func BenchmarkGoertzel20ms(b *testing.B) {
	x := read(Sine(1000, 0.5, SampleRate), 960)
	for b.Loop() {
		Goertzel(x, SampleRate, 1000)
	}
}
