package aec

import (
	"math"
	"math/rand/v2"
)

const rate = DefaultSampleRate

// bandNoise returns n samples of noise band-limited to roughly
// 200 Hz..6 kHz at the given RMS.
func bandNoise(n int, rms float64, seed uint64) []float64 {
	rng := rand.New(rand.NewPCG(seed, ^seed))
	out := make([]float64, n)
	// One-pole high-pass then two one-pole low-passes.
	hpA := math.Exp(-2 * math.Pi * 200 / rate)
	lpA := math.Exp(-2 * math.Pi * 6000 / rate)
	var hpPrevIn, hpPrevOut, lp1, lp2 float64
	for i := range out {
		x := rng.NormFloat64()
		hp := hpA * (hpPrevOut + x - hpPrevIn)
		hpPrevIn, hpPrevOut = x, hp
		lp1 = (1-lpA)*hp + lpA*lp1
		lp2 = (1-lpA)*lp1 + lpA*lp2
		out[i] = lp2
	}
	scale := rms / rmsOf(out)
	for i := range out {
		out[i] *= scale
	}
	return out
}

func tone(n int, freq, amp float64) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = amp * math.Sin(2*math.Pi*freq*float64(i)/rate)
	}
	return out
}

func add(signals ...[]float64) []float64 {
	out := make([]float64, len(signals[0]))
	for _, s := range signals {
		for i, v := range s {
			out[i] += v
		}
	}
	return out
}

func rmsOf(x []float64) float64 {
	var e float64
	for _, v := range x {
		e += v * v
	}
	return math.Sqrt(e / float64(len(x)))
}

func toPCM(x []float64) []int16 {
	out := make([]int16, len(x))
	for i, v := range x {
		out[i] = int16(math.Max(-32768, math.Min(32767, math.Round(v))))
	}
	return out
}

// echoPath is the room between speaker and mic: a delay, an attenuation and
// a short decaying tail of reflections.
type echoPath struct {
	delay   int     // samples
	gainDB  float64 // direct path
	tailDB  float64 // first reflection relative to the direct path; 0 = none
	tailLen int     // samples over which reflections decay
}

// apply returns what the mic hears of far played through the path.
func (p echoPath) apply(far []float64) []float64 {
	g := math.Pow(10, p.gainDB/20)
	taps := map[int]float64{p.delay: g}
	if p.tailDB != 0 {
		rng := rand.New(rand.NewPCG(7, 11))
		tg := g * math.Pow(10, p.tailDB/20)
		for k := 1; k <= 12; k++ {
			off := p.delay + k*p.tailLen/12
			taps[off] += tg * math.Exp(-3*float64(k)/12) * (2*rng.Float64() - 1)
		}
	}
	out := make([]float64, len(far))
	for off, tg := range taps {
		for i := off; i < len(out); i++ {
			out[i] += tg * far[i-off]
		}
	}
	return out
}

// goertzelPower returns the power of x at freq Hz; a sine of amplitude A
// spanning x gives about A²/4.
func goertzelPower(x []int16, freq float64) float64 { return goertzelPowerAt(x, freq, rate) }

// goertzelPowerAt is goertzelPower for x sampled at sr Hz.
func goertzelPowerAt(x []int16, freq float64, sr int) float64 {
	w := 2 * math.Pi * freq / float64(sr)
	coeff := 2 * math.Cos(w)
	var s1, s2 float64
	for _, v := range x {
		s0 := float64(v) + coeff*s1 - s2
		s2, s1 = s1, s0
	}
	n := float64(len(x))
	return (s1*s1 + s2*s2 - coeff*s1*s2) / (n * n)
}

func energy(x []int16) float64 {
	var e float64
	for _, v := range x {
		e += float64(v) * float64(v)
	}
	return e
}

func dB(ratio float64) float64 { return 10 * math.Log10(ratio) }

// syllables keys x on and off in speech-like bursts (150-400 ms on,
// 100-300 ms off, 5 ms ramps), so it is not stationary.
func syllables(x []float64, seed uint64) []float64 {
	rng := rand.New(rand.NewPCG(seed, 5))
	out := make([]float64, len(x))
	ramp := 5 * rate / 1000
	for i := 0; i < len(x); {
		on := (150 + rng.IntN(250)) * rate / 1000
		off := (100 + rng.IntN(200)) * rate / 1000
		for k := 0; k < on && i+k < len(x); k++ {
			g := math.Min(1, float64(min(k, on-k))/float64(ramp))
			out[i+k] = g * x[i+k]
		}
		i += on + off
	}
	return out
}
