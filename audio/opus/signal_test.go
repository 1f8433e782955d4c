package opus

import (
	"math"
	"math/rand/v2"
)

// sine returns n samples of a tone at freq Hz starting at phase sample start.
func sine(n, start int, freq, amp float64) []int16 { return sineAt(SampleRate, n, start, freq, amp) }

// sineAt is sine sampled at rate Hz.
func sineAt(rate, n, start int, freq, amp float64) []int16 {
	out := make([]int16, n)
	for i := range out {
		t := float64(start+i) / float64(rate)
		out[i] = int16(amp * math.Sin(2*math.Pi*freq*t))
	}
	return out
}

// speechLike returns a deterministic voiced-speech stand-in: a glottal-ish
// harmonic series on a wandering pitch, shaped by a syllable envelope, with
// a little breath noise.
func speechLike(n int, seed uint64) []int16 {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	out := make([]int16, n)
	const harmonics = 20
	var gain [harmonics + 1]float64
	phase := 0.0
	for i := range out {
		t := float64(i) / SampleRate
		pitch := 140 + 30*math.Sin(2*math.Pi*1.3*t) + 10*math.Sin(2*math.Pi*4.1*t)
		phase += 2 * math.Pi * pitch / SampleRate
		if i%48 == 0 { // the spectral envelope moves slowly; refresh each ms
			for h := 1; h <= harmonics; h++ {
				f := pitch * float64(h)
				// Two broad formant bumps around 500 Hz and 1500 Hz.
				gain[h] = (1/(1+sq((f-500)/300)) + 0.5/(1+sq((f-1500)/400)) + 0.05) / float64(h)
			}
		}
		v := 0.0
		for h := 1; h <= harmonics; h++ {
			v += gain[h] * math.Sin(float64(h)*phase)
		}
		env := 0.55 + 0.45*math.Sin(2*math.Pi*3*t)
		out[i] = int16(clamp(6000*env*v + 150*rng.NormFloat64()))
	}
	return out
}

func sq(x float64) float64 { return x * x }

func clamp(v float64) float64 {
	return math.Max(-32768, math.Min(32767, v))
}

// goertzelPower returns the power of x at freq Hz, normalised so a
// full-length sine of amplitude A gives about A²/4.
func goertzelPower(x []int16, freq float64) float64 {
	w := 2 * math.Pi * freq / SampleRate
	coeff := 2 * math.Cos(w)
	var s1, s2 float64
	for _, v := range x {
		s0 := float64(v) + coeff*s1 - s2
		s2, s1 = s1, s0
	}
	p := s1*s1 + s2*s2 - coeff*s1*s2
	n := float64(len(x))
	return p / (n * n)
}

func energy(x []int16) float64 {
	var e float64
	for _, v := range x {
		e += float64(v) * float64(v)
	}
	return e
}

// errorEnergy sums (ref[i] - got[i+lag])² over i in [from, to).
func errorEnergy(ref, got []int16, lag, from, to int) float64 {
	var e float64
	for i := from; i < to; i++ {
		d := float64(ref[i]) - float64(got[i+lag])
		e += d * d
	}
	return e
}

// bestLag finds the codec delay: the lag in [0, maxLag] minimising the
// error between ref and got over [from, to).
func bestLag(ref, got []int16, maxLag, from, to int) int {
	best, bestErr := 0, math.Inf(1)
	for lag := 0; lag <= maxLag; lag++ {
		if e := errorEnergy(ref, got, lag, from, to); e < bestErr {
			best, bestErr = lag, e
		}
	}
	return best
}

func dB(ratio float64) float64 { return 10 * math.Log10(ratio) }
