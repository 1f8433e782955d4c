package g711

import (
	"fmt"
	"math"
)

// The 48 kHz ↔ 8 kHz filter is one Kaiser-windowed sinc low-pass used both to
// decimate and, as six polyphase branches, to interpolate. It passes the
// telephone band to 3.4 kHz (ripple < 0.01 dB) and stops everything from
// 4.6 kHz by more than 60 dB, so what would alias back into the band is gone.
// Its delay is (filterTaps-1)/2 samples at 48 kHz, 1.67 ms, each way.
const (
	filterTaps     = 161
	filterCutoff   = 4000.0 // Hz, the middle of the transition band
	filterStopband = 65.0   // dB
	phaseTaps      = (filterTaps + ratio - 1) / ratio
)

var lowPass = designLowPass()

// polyphase[p] is the interpolator's branch for output phase p, reversed so
// it runs over the input oldest first: polyphase[p][phaseTaps-1-j] =
// ratio·h[p + ratio·j], with the gain that makes up for zero-stuffing.
var polyphase = splitPolyphase(lowPass)

func designLowPass() []float64 {
	h := make([]float64, filterTaps)
	beta := 0.1102 * (filterStopband - 8.7)
	fc := filterCutoff / PCMSampleRate // cycles per sample
	mid := float64(filterTaps-1) / 2
	var sum float64
	for i := range h {
		x := float64(i) - mid
		sinc := 2 * fc
		if x != 0 {
			sinc = math.Sin(2*math.Pi*fc*x) / (math.Pi * x)
		}
		r := x / mid
		h[i] = sinc * besselI0(beta*math.Sqrt(1-r*r)) / besselI0(beta)
		sum += h[i]
	}
	for i := range h {
		h[i] /= sum // unity gain at DC
	}
	return h
}

func splitPolyphase(h []float64) (p [ratio][phaseTaps]float64) {
	for i, v := range h {
		p[i%ratio][phaseTaps-1-i/ratio] = ratio * v
	}
	return p
}

// besselI0 is the zeroth-order modified Bessel function of the first kind,
// by its power series.
func besselI0(x float64) float64 {
	sum, term := 1.0, 1.0
	for k := 1; term > 1e-12*sum; k++ {
		f := x / (2 * float64(k))
		term *= f * f
		sum += term
	}
	return sum
}

// Encoder turns 48 kHz PCM into 8 kHz μ-law, low-pass filtering before it
// keeps every sixth sample. It keeps the filter's history between frames, so
// use one Encoder per outgoing stream. It is not safe for concurrent use.
type Encoder struct {
	buf []float64 // filterTaps-1 samples of history, then the current input
}

// NewEncoder returns an Encoder with silent history.
func NewEncoder() *Encoder {
	return &Encoder{buf: make([]float64, filterTaps-1, filterTaps-1+PCMFrameSamples)}
}

// Reset forgets the filter history, as at the start of a new stream.
func (e *Encoder) Reset() {
	e.buf = e.buf[:filterTaps-1]
	clear(e.buf)
}

// EncodeFrame48k encodes src, 48 kHz PCM whose length is a multiple of 6
// (normally 960 samples, 20 ms), into len(src)/6 μ-law bytes in dst (160 for
// a 20 ms frame), and returns that count.
func (e *Encoder) EncodeFrame48k(dst []byte, src []int16) (int, error) {
	n := len(src) / ratio
	if len(src)%ratio != 0 {
		return 0, fmt.Errorf("g711: encode %d samples: 48 kHz input must be a multiple of %d samples (960 for 20 ms)", len(src), ratio)
	}
	if len(dst) < n {
		return 0, fmt.Errorf("g711: encode %d samples needs %d output bytes, have %d", len(src), n, len(dst))
	}
	const hist = filterTaps - 1
	for _, s := range src {
		e.buf = append(e.buf, float64(s))
	}
	h := lowPass
	for m := range n {
		// y[m] = Σ h[k]·x[6m-k]; x[j] is buf[hist+j]. The window buf[6m :
		// 6m+filterTaps] holds x[6m-hist .. 6m], newest last, and h is
		// symmetric, so it needs no reversal.
		x := e.buf[ratio*m : ratio*m+filterTaps]
		acc := h[filterTaps/2] * x[filterTaps/2]
		for k, c := range h[:filterTaps/2] {
			acc += c * (x[k] + x[filterTaps-1-k])
		}
		dst[m] = LinearToUlaw(round16(acc))
	}
	copy(e.buf, e.buf[len(e.buf)-hist:])
	e.buf = e.buf[:hist]
	return n, nil
}

// Decoder turns 8 kHz μ-law into 48 kHz PCM, interpolating through the same
// low-pass filter. It keeps the filter's history between frames, so use one
// Decoder per incoming stream. It is not safe for concurrent use.
type Decoder struct {
	buf []float64 // phaseTaps-1 samples of history, then the current input
}

// NewDecoder returns a Decoder with silent history.
func NewDecoder() *Decoder {
	return &Decoder{buf: make([]float64, phaseTaps-1, phaseTaps-1+FrameSamples)}
}

// Reset forgets the filter history, as at the start of a new stream.
func (d *Decoder) Reset() {
	d.buf = d.buf[:phaseTaps-1]
	clear(d.buf)
}

// DecodeFrame48k decodes src, μ-law bytes at 8 kHz (normally 160, 20 ms),
// into 6·len(src) samples of 48 kHz PCM in dst (960 for a 20 ms frame), and
// returns that count.
func (d *Decoder) DecodeFrame48k(dst []int16, src []byte) (int, error) {
	n := len(src) * ratio
	if len(dst) < n {
		return 0, fmt.Errorf("g711: decode %d bytes needs %d output samples, have %d", len(src), n, len(dst))
	}
	const hist = phaseTaps - 1
	for _, u := range src {
		d.buf = append(d.buf, float64(ulawTable[u]))
	}
	for m := range len(src) {
		// y[6m+p] = Σ_j ratio·h[p+6j]·x[m-j]; x[m-j] is buf[hist+m-j].
		x := d.buf[m : m+phaseTaps] // x[m-hist .. m], oldest first
		for p := range ratio {
			var acc float64
			for j, c := range &polyphase[p] {
				acc += c * x[j]
			}
			dst[ratio*m+p] = round16(acc)
		}
	}
	copy(d.buf, d.buf[len(d.buf)-hist:])
	d.buf = d.buf[:hist]
	return n, nil
}

func round16(v float64) int16 {
	v = math.Round(v)
	switch {
	case v > math.MaxInt16:
		return math.MaxInt16
	case v < math.MinInt16:
		return math.MinInt16
	}
	return int16(v)
}
