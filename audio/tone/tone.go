package tone

import (
	"math"
	"time"
)

// SampleRate is the rate of the audio tree's PCM (mono int16 at 48 kHz).
const SampleRate = 48000

// fullScale is the peak of an amplitude-1.0 tone.
const fullScale = 32767

// rampDuration is the raised-cosine fade at each edge of a cadenced burst, so
// that bursts start and stop without a click.
const rampDuration = 4 * time.Millisecond

// Cadence is the on/off rhythm of a tone: alternating on and off durations,
// starting with on, repeated forever. An empty Cadence is a continuous tone.
type Cadence []time.Duration

// Period is the length of one repetition of the cadence.
func (c Cadence) Period() time.Duration {
	var p time.Duration
	for _, d := range c {
		p += d
	}
	return p
}

type oscillator struct {
	phase float64 // in cycles, [0, 1)
	step  float64 // cycles per sample
	amp   float64 // peak, in int16 units
}

// Generator produces a sum of sines, optionally switched on and off by a
// Cadence. Successive Reads continue the waveform without a phase jump. A
// Generator is not safe for concurrent use.
type Generator struct {
	sampleRate int
	oscs       []oscillator

	edges []int // cumulative sample positions of the cadence segment ends
	ramp  int   // samples
	pos   int   // position within the cadence period
}

// Sine returns a continuous sine at freqHz. amplitude is the peak as a
// fraction of full scale (1.0 peaks at 32767), clamped to [0, 1].
func Sine(freqHz, amplitude float64, sampleRate int) *Generator {
	return newGenerator(sampleRate, amplitude, freqHz)
}

// DualTone returns the sum of two sines at lowHz and highHz, each at half of
// amplitude, so that the sum peaks at amplitude (a fraction of full scale).
func DualTone(lowHz, highHz, amplitude float64, sampleRate int) *Generator {
	return newGenerator(sampleRate, amplitude/2, lowHz, highHz)
}

func newGenerator(sampleRate int, amplitude float64, freqs ...float64) *Generator {
	g := &Generator{sampleRate: sampleRate}
	amplitude = math.Max(0, math.Min(1, amplitude))
	for _, f := range freqs {
		g.oscs = append(g.oscs, oscillator{step: f / float64(sampleRate), amp: amplitude * fullScale})
	}
	return g
}

// WithCadence switches g on and off by c and returns g. Each burst fades in
// and out over a few milliseconds. It restarts the cadence at its first burst.
func (g *Generator) WithCadence(c Cadence) *Generator {
	g.edges = g.edges[:0]
	total := 0
	for _, d := range c {
		total += samplesIn(d, g.sampleRate)
		g.edges = append(g.edges, total)
	}
	if total == 0 {
		g.edges = nil
	}
	g.ramp = samplesIn(rampDuration, g.sampleRate)
	g.pos = 0
	return g
}

// Reset restarts the tone: phase zero and the beginning of the cadence.
func (g *Generator) Reset() {
	for i := range g.oscs {
		g.oscs[i].phase = 0
	}
	g.pos = 0
}

// Read fills dst with the next len(dst) samples.
func (g *Generator) Read(dst []int16) {
	for i := range dst {
		var v float64
		for j := range g.oscs {
			o := &g.oscs[j]
			v += o.amp * math.Sin(2*math.Pi*o.phase)
			o.phase += o.step
			if o.phase >= 1 {
				o.phase -= math.Floor(o.phase)
			}
		}
		if g.edges != nil {
			v *= g.envelope()
		}
		dst[i] = clamp16(v)
	}
}

// envelope is the gain at the current cadence position, then advances it.
func (g *Generator) envelope() float64 {
	period := g.edges[len(g.edges)-1]
	pos := g.pos
	g.pos++
	if g.pos == period {
		g.pos = 0
	}
	start := 0
	for i, end := range g.edges {
		if pos < end {
			if i%2 == 1 { // off segment
				return 0
			}
			return edgeGain(pos-start, end-pos-1, g.ramp)
		}
		start = end
	}
	return 0
}

// edgeGain is a raised-cosine fade for a sample sinceStart samples into a
// burst with untilEnd samples left in it.
func edgeGain(sinceStart, untilEnd, ramp int) float64 {
	n := min(sinceStart, untilEnd)
	if n >= ramp {
		return 1
	}
	return 0.5 - 0.5*math.Cos(math.Pi*float64(n)/float64(ramp))
}

func samplesIn(d time.Duration, sampleRate int) int {
	return int(int64(d) * int64(sampleRate) / int64(time.Second))
}

func clamp16(v float64) int16 {
	v = math.Round(v)
	switch {
	case v > math.MaxInt16:
		return math.MaxInt16
	case v < math.MinInt16:
		return math.MinInt16
	}
	return int16(v)
}

// Ringtone levels and cadences. The ringer plays both on its own device;
// the call-waiting beep comes while the agent is talking, so it is quieter.
const (
	ringtoneAmplitude    = 0.5  // −6 dBFS peak
	callWaitingAmplitude = 0.25 // −12 dBFS peak
)

// RingtoneCadence is the UK ring: 0.4 s on, 0.2 s off, 0.4 s on, 2 s off.
func RingtoneCadence() Cadence {
	return Cadence{400 * time.Millisecond, 200 * time.Millisecond, 400 * time.Millisecond, 2000 * time.Millisecond}
}

// CallWaitingCadence is two short beeps every 4 s: 0.2 s on, 0.2 s off,
// 0.2 s on, 3.4 s off.
func CallWaitingCadence() Cadence {
	return Cadence{200 * time.Millisecond, 200 * time.Millisecond, 200 * time.Millisecond, 3400 * time.Millisecond}
}

// Ringtone returns the ringer's tone at 48 kHz: 400 Hz + 450 Hz in the UK
// double-ring cadence (RingtoneCadence), peaking at −6 dBFS.
func Ringtone() *Generator {
	return DualTone(400, 450, ringtoneAmplitude, SampleRate).WithCadence(RingtoneCadence())
}

// CallWaiting returns the call-waiting tone at 48 kHz: 440 Hz beeps in
// CallWaitingCadence, peaking at −12 dBFS so it sits under speech.
func CallWaiting() *Generator {
	return Sine(440, callWaitingAmplitude, SampleRate).WithCadence(CallWaitingCadence())
}
