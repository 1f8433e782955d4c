package tone

import "math"

// Levels are in dBFS where 0 dBFS is the RMS of a full-scale square wave, so a
// full-scale sine reads −3.01 dBFS. Goertzel's power uses the same scale:
// 10*log10(Goertzel(...)) of a sine equals its RMSdBFS.

const fullScaleSquared = 32768.0 * 32768.0

// RMSdBFS is the RMS level of samples in dBFS. Silence and an empty slice
// read −Inf.
func RMSdBFS(samples []int16) float64 {
	if len(samples) == 0 {
		return math.Inf(-1)
	}
	var sum float64
	for _, s := range samples {
		v := float64(s)
		sum += v * v
	}
	return 10 * math.Log10(sum/float64(len(samples))/fullScaleSquared)
}

// Goertzel is the power of the component of samples at freqHz, as a mean
// square relative to full scale: a sine of peak a (fraction of full scale)
// reads a²/2. It uses a rectangular window, so it is exact for a whole number
// of cycles and close (error ~ 1/cycles) otherwise; use blocks of tens of
// milliseconds or more.
func Goertzel(samples []int16, sampleRate int, freqHz float64) float64 {
	n := len(samples)
	if n == 0 {
		return 0
	}
	w := 2 * math.Pi * freqHz / float64(sampleRate)
	coeff := 2 * math.Cos(w)
	var s1, s2 float64
	for _, x := range samples {
		s0 := float64(x) + coeff*s1 - s2
		s2, s1 = s1, s0
	}
	mag2 := s1*s1 + s2*s2 - coeff*s1*s2
	if mag2 < 0 { // rounding, for a vanishing component
		mag2 = 0
	}
	return 2 * mag2 / (float64(n) * float64(n)) / fullScaleSquared
}

// ToneDBFS is Goertzel's power in dBFS.
func ToneDBFS(samples []int16, sampleRate int, freqHz float64) float64 {
	return 10 * math.Log10(Goertzel(samples, sampleRate, freqHz))
}

// SNR is, in dB, the power of the sinusoid at freqHz that best fits samples
// (least squares) over the power of everything else: noise, distortion and
// any other tone. A clean tone reads high; the wrong frequency reads low.
func SNR(samples []int16, sampleRate int, freqHz float64) float64 {
	tonePower, residual := fitSinusoid(samples, sampleRate, freqHz)
	switch {
	case tonePower == 0:
		return math.Inf(-1)
	case residual == 0:
		return math.Inf(1)
	}
	return 10 * math.Log10(tonePower/residual)
}

// fitSinusoid solves for a·cos + b·sin at freqHz minimizing the squared
// error, and returns the mean-square power of that sinusoid and of the
// residual.
func fitSinusoid(samples []int16, sampleRate int, freqHz float64) (tonePower, residual float64) {
	n := len(samples)
	if n == 0 {
		return 0, 0
	}
	w := 2 * math.Pi * freqHz / float64(sampleRate)
	var cc, ss, cs, xc, xs, xx float64
	// Rotate a phasor instead of calling Sin/Cos per sample; renormalize
	// periodically to stop its magnitude drifting.
	rc, rs := math.Cos(w), math.Sin(w)
	c, s := 1.0, 0.0
	for i, v := range samples {
		x := float64(v)
		cc += c * c
		ss += s * s
		cs += c * s
		xc += x * c
		xs += x * s
		xx += x * x
		c, s = c*rc-s*rs, c*rs+s*rc
		if i%1024 == 1023 {
			m := math.Hypot(c, s)
			c, s = c/m, s/m
		}
	}
	det := cc*ss - cs*cs
	var fit float64 // sum of squares of the fitted sinusoid
	if det > 1e-9*cc*ss {
		a := (xc*ss - xs*cs) / det
		b := (xs*cc - xc*cs) / det
		fit = a*xc + b*xs
	} else if cc > 0 { // freqHz at 0 or Nyquist: only the cosine exists
		fit = xc * xc / cc
	}
	fit = math.Max(0, math.Min(fit, xx))
	norm := float64(n) * fullScaleSquared
	return fit / norm, (xx - fit) / norm
}

// DominantFrequency finds the strongest tone in samples and reports its SNR
// (as SNR does). With candidates it picks the candidate with the most power;
// without, it scans from 20 Hz to just below Nyquist and refines the peak to
// a fraction of a hertz. This judges "a tone in is a tone out at the right
// frequency" by spectral peak, which noise and harmonics do not fool the way
// they fool zero crossings.
func DominantFrequency(samples []int16, sampleRate int, candidates []float64) (freqHz, snrDB float64) {
	if len(samples) == 0 {
		return 0, math.Inf(-1)
	}
	if len(candidates) > 0 {
		best := math.Inf(-1)
		for _, f := range candidates {
			if p := Goertzel(samples, sampleRate, f); p > best {
				best, freqHz = p, f
			}
		}
		return freqHz, SNR(samples, sampleRate, freqHz)
	}
	freqHz = scanPeak(samples, sampleRate)
	return freqHz, SNR(samples, sampleRate, freqHz)
}

// scanPeak searches a grid of half-bin steps over at most scanSamples
// samples for the largest Goertzel power, then searches the neighbourhood on
// the whole block at its finer resolution, and narrows in by halving on the
// least-squares fit.
func scanPeak(samples []int16, sampleRate int) float64 {
	const scanSamples = 8192
	coarse := samples[:min(len(samples), scanSamples)]
	nyquist := float64(sampleRate) / 2
	step := float64(sampleRate) / float64(len(coarse)) / 2
	bestF := gridPeak(coarse, sampleRate, 20, nyquist-step, step)
	if len(coarse) < len(samples) {
		fine := float64(sampleRate) / float64(len(samples)) / 2
		bestF = gridPeak(samples, sampleRate, bestF-step, bestF+step, fine)
		step = fine
	}
	// Goertzel's peak is pulled by the tone's own negative-frequency image
	// when there are few cycles; the least-squares fit is not.
	fitted := func(f float64) float64 {
		p, _ := fitSinusoid(samples, sampleRate, f)
		return p
	}
	best := fitted(bestF)
	for range 30 {
		step /= 2
		for _, f := range [2]float64{bestF - step, bestF + step} {
			if p := fitted(f); p > best {
				best, bestF = p, f
			}
		}
	}
	return bestF
}

func gridPeak(samples []int16, sampleRate int, from, to, step float64) float64 {
	best, bestF := -1.0, from
	for f := from; f <= to; f += step {
		if p := Goertzel(samples, sampleRate, f); p > best {
			best, bestF = p, f
		}
	}
	return bestF
}
