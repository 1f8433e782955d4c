package pulsetest

import "math"

// Sine returns n samples of a sine at freq Hz with peak amplitude amp (0..1 of
// full scale) at SampleRate, starting at phase 0.
func Sine(freq, amp float64, n int) []int16 {
	s := make([]int16, n)
	SineAt(s, freq, amp, 0)
	return s
}

// SineAt fills dst with the sine continuing from sample index start, so
// consecutive calls make one unbroken tone.
func SineAt(dst []int16, freq, amp float64, start int) {
	for i := range dst {
		dst[i] = int16(math.Round(amp * 32767 * math.Sin(2*math.Pi*freq*float64(start+i)/SampleRate)))
	}
}

// ToneAmplitude estimates the peak amplitude (in sample units, 0..32767) of
// the freq Hz component of samples with the Goertzel algorithm. A window of
// whole periods (e.g. 4800 samples for 1 kHz or 440 Hz) gives an exact
// answer for a pure tone.
func ToneAmplitude(samples []int16, freq float64) float64 {
	if len(samples) == 0 {
		return 0
	}
	w := 2 * math.Pi * freq / SampleRate
	coeff := 2 * math.Cos(w)
	var s1, s2 float64
	for _, x := range samples {
		s0 := float64(x) + coeff*s1 - s2
		s2, s1 = s1, s0
	}
	power := s1*s1 + s2*s2 - coeff*s1*s2
	return 2 * math.Sqrt(math.Max(power, 0)) / float64(len(samples))
}

// RMS is the root mean square of samples in sample units.
func RMS(samples []int16) float64 {
	if len(samples) == 0 {
		return 0
	}
	var sum float64
	for _, x := range samples {
		sum += float64(x) * float64(x)
	}
	return math.Sqrt(sum / float64(len(samples)))
}

// HasTone reports whether freq dominates samples: its amplitude is at least
// minAmp and it carries at least half of the signal's power.
func HasTone(samples []int16, freq, minAmp float64) bool {
	a := ToneAmplitude(samples, freq)
	r := RMS(samples)
	return a >= minAmp && a*a/2 >= 0.5*r*r
}
