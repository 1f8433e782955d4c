package g711

import (
	"math"
	"testing"

	"github.com/agentdesk/agentdesk/audio/tone"
)

// refLinearToUlaw is the 16-bit CCITT reference algorithm (Sun's g711.c),
// with its explicit segment-end search, as an independent check.
func refLinearToUlaw(pcm int) byte {
	segEnd := [8]int{0xFF, 0x1FF, 0x3FF, 0x7FF, 0xFFF, 0x1FFF, 0x3FFF, 0x7FFF}
	var mask int
	if pcm < 0 {
		pcm = ulawBias - pcm
		mask = 0x7F
	} else {
		pcm += ulawBias
		mask = 0xFF
	}
	seg := 0
	for seg < 8 && pcm > segEnd[seg] {
		seg++
	}
	if seg >= 8 {
		return byte(0x7F ^ mask)
	}
	return byte(((seg << 4) | ((pcm >> (seg + 3)) & 0xF)) ^ mask)
}

func refUlawToLinear(u byte) int {
	u = ^u
	t := (int(u&0x0F) << 3) + ulawBias
	t <<= (u & 0x70) >> 4
	if u&0x80 != 0 {
		return ulawBias - t
	}
	return t - ulawBias
}

func TestKnownVectors(t *testing.T) {
	encode := []struct {
		in   int16
		want byte
	}{
		{0, 0xFF}, {1, 0xFF}, {3, 0xFF}, {4, 0xFE}, {-1, 0x7F}, {-4, 0x7E},
		{100, 0xF2}, {-100, 0x72}, {1000, 0xCE}, {-1000, 0x4E},
		{8031, 0xA0}, {32124, 0x80}, {32635, 0x80}, {32767, 0x80},
		{-32124, 0x00}, {-32768, 0x00},
	}
	for _, tt := range encode {
		if got := LinearToUlaw(tt.in); got != tt.want {
			t.Errorf("LinearToUlaw(%d) = %#02x, want %#02x", tt.in, got, tt.want)
		}
	}
	decode := []struct {
		in   byte
		want int16
	}{
		{0xFF, 0}, {0x7F, 0}, {0xFE, 8}, {0x7E, -8}, {0xF0, 120}, {0xEF, 132},
		{0x80, 32124}, {0x00, -32124}, {0xA0, 7932}, {0xCE, 988}, {0x4E, -988},
	}
	for _, tt := range decode {
		if got := UlawToLinear(tt.in); got != tt.want {
			t.Errorf("UlawToLinear(%#02x) = %d, want %d", tt.in, got, tt.want)
		}
	}
}

func TestMatchesReferenceForEverySample(t *testing.T) {
	for v := math.MinInt16; v <= math.MaxInt16; v++ {
		if got, want := LinearToUlaw(int16(v)), refLinearToUlaw(v); got != want {
			t.Fatalf("LinearToUlaw(%d) = %#02x, reference %#02x", v, got, want)
		}
	}
	for u := range 256 {
		if got, want := int(UlawToLinear(byte(u))), refUlawToLinear(byte(u)); got != want {
			t.Fatalf("UlawToLinear(%#02x) = %d, reference %d", u, got, want)
		}
	}
}

// TestRoundTripErrorBound checks every 16-bit sample: decoding its code lands
// within half a quantization step, the step doubling with each segment, and
// re-encoding a decoded value gives the same code (but for −0).
func TestRoundTripErrorBound(t *testing.T) {
	worstRel := 0.0
	for v := math.MinInt16; v <= math.MaxInt16; v++ {
		u := LinearToUlaw(int16(v))
		got := int(UlawToLinear(u))
		mag := min(abs(v), ulawClip)
		seg := int(^u>>4) & 7
		bound := 4 << seg // half of the 2^(seg+3) step
		clipped := abs(v) - mag
		if err := abs(got - v); err > bound+clipped {
			t.Fatalf("%d → %#02x → %d: error %d, bound %d", v, u, got, err, bound+clipped)
		}
		if abs(v) >= 256 && abs(v) <= ulawClip {
			worstRel = math.Max(worstRel, float64(abs(got-v))/float64(abs(v)))
		}
		if u != 0x7F && LinearToUlaw(int16(got)) != u { // 0x7F is −0, which encodes as +0
			t.Fatalf("%#02x decodes to %d, which encodes to %#02x", u, got, LinearToUlaw(int16(got)))
		}
	}
	// Companding keeps the relative error near half a step over the
	// segment's smallest value: 1/32, plus the bias's share in low segments.
	if worstRel > 0.043 {
		t.Errorf("worst relative error %.4f, want ≤ 0.043", worstRel)
	}
}

func TestDecodeTableIsMonotonic(t *testing.T) {
	// Codes 0x80..0xFF run from the largest positive value down to zero, and
	// 0x00..0x7F from the largest negative value up to zero.
	for u := 0x81; u <= 0xFF; u++ {
		if UlawToLinear(byte(u)) >= UlawToLinear(byte(u-1)) {
			t.Fatalf("decode not decreasing at %#02x", u)
		}
	}
	for u := 1; u <= 0x7F; u++ {
		if UlawToLinear(byte(u)) <= UlawToLinear(byte(u-1)) {
			t.Fatalf("decode not increasing at %#02x", u)
		}
		if UlawToLinear(byte(u)) != -UlawToLinear(byte(u|0x80)) {
			t.Fatalf("%#02x and %#02x are not mirror images", u, u|0x80)
		}
	}
}

func TestEncodeDecodeUlawSlices(t *testing.T) {
	src := []int16{0, 100, -100, 32767, -32768}
	enc := make([]byte, 3)
	if n := EncodeUlaw(enc, src); n != 3 || enc[0] != 0xFF || enc[1] != 0xF2 || enc[2] != 0x72 {
		t.Errorf("EncodeUlaw = %d %x", n, enc)
	}
	dec := make([]int16, 5)
	if n := DecodeUlaw(dec, enc); n != 3 || dec[0] != 0 || dec[1] != 104 || dec[2] != -104 {
		t.Errorf("DecodeUlaw = %d %v", n, dec)
	}
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}

// roundTrip sends seconds of a tone at amplitude through Encoder and Decoder
// in 20 ms frames, and returns the 48 kHz output after the filters settle,
// and the 8 kHz linear samples on the wire.
func roundTrip(t testing.TB, freq, amplitude float64, seconds int) (out48, wire8 []int16) {
	gen := tone.Sine(freq, amplitude, PCMSampleRate)
	enc, dec := NewEncoder(), NewDecoder()
	pcm := make([]int16, PCMFrameSamples)
	payload := make([]byte, FrameSamples)
	back := make([]int16, PCMFrameSamples)
	line := make([]int16, FrameSamples)
	for i := range seconds * 50 {
		gen.Read(pcm)
		if n, err := enc.EncodeFrame48k(payload, pcm); err != nil || n != FrameSamples {
			t.Fatalf("EncodeFrame48k = %d, %v", n, err)
		}
		if n, err := dec.DecodeFrame48k(back, payload); err != nil || n != PCMFrameSamples {
			t.Fatalf("DecodeFrame48k = %d, %v", n, err)
		}
		DecodeUlaw(line, payload)
		if i >= 5 { // skip the first 100 ms: the filters filling up
			out48 = append(out48, back...)
			wire8 = append(wire8, line...)
		}
	}
	return out48, wire8
}

// TestPassband: tones in the telephone band come back at the frequency
// they went in at, at the same level, well above μ-law's quantization noise.
func TestPassband(t *testing.T) {
	for _, freq := range []float64{300, 1000, 2000, 3000, 3400} {
		const amp = 0.3 // −13.5 dBFS
		inDB := 20*math.Log10(amp) - 3.0103
		out, wire := roundTrip(t, freq, amp, 1)
		if got := tone.ToneDBFS(out, PCMSampleRate, freq); math.Abs(got-inDB) > 0.3 {
			t.Errorf("%g Hz: out at %.2f dBFS, in at %.2f", freq, got, inDB)
		}
		f, snr := tone.DominantFrequency(out, PCMSampleRate, nil)
		if math.Abs(f-freq) > 0.5 || snr < 33 {
			t.Errorf("%g Hz: out dominant %.2f Hz at SNR %.1f dB, want %g Hz ≥ 33 dB", freq, f, snr, freq)
		}
		if f, snr := tone.DominantFrequency(wire, SampleRate, nil); math.Abs(f-freq) > 0.5 || snr < 33 {
			t.Errorf("%g Hz: wire dominant %.2f Hz at SNR %.1f dB", freq, f, snr)
		}
	}
}

// TestAliasRejection: tones above the 8 kHz Nyquist frequency must not fold
// back into the band. A 6 kHz tone would alias to 2 kHz.
func TestAliasRejection(t *testing.T) {
	for _, tt := range []struct {
		freq, alias float64
	}{
		{4600, 3400}, {5000, 3000}, {6000, 2000}, {7000, 1000}, {9000, 1000}, {12000, 0}, {20000, 0},
	} {
		const amp = 0.5
		inDB := 20*math.Log10(amp) - 3.0103
		out, wire := roundTrip(t, tt.freq, amp, 1)
		for _, x := range []struct {
			name string
			pcm  []int16
		}{{"wire", wire}, {"out", out}} {
			// Everything that comes through: the alias, any leak of the tone,
			// and the quantization noise of what is left.
			if got := tone.RMSdBFS(x.pcm); inDB-got < 30 {
				t.Errorf("%g Hz at %.1f dBFS: %s at %.1f dBFS, attenuated %.1f dB, want ≥ 30", tt.freq, inDB, x.name, got, inDB-got)
			}
		}
		if tt.alias > 0 {
			if got := tone.ToneDBFS(wire, SampleRate, tt.alias); inDB-got < 55 {
				t.Errorf("%g Hz: alias at %g Hz is %.1f dBFS, only %.1f dB down", tt.freq, tt.alias, got, inDB-got)
			}
		}
	}
}

func TestFilterResponse(t *testing.T) {
	response := func(f float64) float64 {
		var re, im float64
		for k, h := range lowPass {
			w := 2 * math.Pi * f / PCMSampleRate * float64(k)
			re += h * math.Cos(w)
			im -= h * math.Sin(w)
		}
		return 20 * math.Log10(math.Hypot(re, im))
	}
	for f := 0.0; f <= 3400; f += 50 {
		if g := response(f); math.Abs(g) > 0.01 {
			t.Errorf("passband %g Hz: %.4f dB", f, g)
		}
	}
	for f := 4600.0; f <= PCMSampleRate/2; f += 50 {
		if g := response(f); g > -60 {
			t.Errorf("stopband %g Hz: %.1f dB", f, g)
		}
	}
}

// TestStateCarriesAcrossFrames: encoding and decoding frame by frame gives
// exactly what one long call would, so there are no seams at frame edges.
func TestStateCarriesAcrossFrames(t *testing.T) {
	gen := tone.DualTone(697, 1477, 0.8, PCMSampleRate)
	pcm := make([]int16, 10*PCMFrameSamples)
	gen.Read(pcm)

	whole := make([]byte, len(pcm)/ratio)
	if _, err := NewEncoder().EncodeFrame48k(whole, pcm); err != nil {
		t.Fatal(err)
	}
	enc := NewEncoder()
	framed := make([]byte, 0, len(whole))
	for i := 0; i < len(pcm); i += PCMFrameSamples {
		b := make([]byte, FrameSamples)
		if _, err := enc.EncodeFrame48k(b, pcm[i:i+PCMFrameSamples]); err != nil {
			t.Fatal(err)
		}
		framed = append(framed, b...)
	}
	if string(framed) != string(whole) {
		t.Fatal("frame-by-frame encoding differs from encoding in one go")
	}

	wholeOut := make([]int16, len(whole)*ratio)
	if _, err := NewDecoder().DecodeFrame48k(wholeOut, whole); err != nil {
		t.Fatal(err)
	}
	dec := NewDecoder()
	for i := 0; i < len(whole); i += FrameSamples {
		out := make([]int16, PCMFrameSamples)
		if _, err := dec.DecodeFrame48k(out, whole[i:i+FrameSamples]); err != nil {
			t.Fatal(err)
		}
		for j, s := range out {
			if s != wholeOut[i*ratio+j] {
				t.Fatalf("frame-by-frame decoding differs at sample %d", i*ratio+j)
			}
		}
	}
}

func TestSilenceAndReset(t *testing.T) {
	enc, dec := NewEncoder(), NewDecoder()
	loud := make([]int16, PCMFrameSamples)
	tone.Sine(1000, 1, PCMSampleRate).Read(loud)
	b := make([]byte, FrameSamples)
	out := make([]int16, PCMFrameSamples)
	if _, err := enc.EncodeFrame48k(b, loud); err != nil {
		t.Fatal(err)
	}
	if _, err := dec.DecodeFrame48k(out, b); err != nil {
		t.Fatal(err)
	}
	enc.Reset()
	dec.Reset()
	if _, err := enc.EncodeFrame48k(b, make([]int16, PCMFrameSamples)); err != nil {
		t.Fatal(err)
	}
	for i, u := range b {
		if u != 0xFF {
			t.Fatalf("silence after Reset encodes byte %d as %#02x, want 0xFF", i, u)
		}
	}
	if _, err := dec.DecodeFrame48k(out, b); err != nil {
		t.Fatal(err)
	}
	for i, s := range out {
		if s != 0 {
			t.Fatalf("silence after Reset decodes sample %d as %d", i, s)
		}
	}
}

func TestFrameSizeErrors(t *testing.T) {
	enc, dec := NewEncoder(), NewDecoder()
	if _, err := enc.EncodeFrame48k(make([]byte, 160), make([]int16, 961)); err == nil {
		t.Error("encoding 961 samples succeeded, want an error")
	}
	if _, err := enc.EncodeFrame48k(make([]byte, 159), make([]int16, 960)); err == nil {
		t.Error("encoding into 159 bytes succeeded, want an error")
	}
	if _, err := dec.DecodeFrame48k(make([]int16, 959), make([]byte, 160)); err == nil {
		t.Error("decoding into 959 samples succeeded, want an error")
	}
	// 10 ms frames are fine.
	if n, err := enc.EncodeFrame48k(make([]byte, 80), make([]int16, 480)); n != 80 || err != nil {
		t.Errorf("10 ms encode = %d, %v", n, err)
	}
	if n, err := dec.DecodeFrame48k(make([]int16, 480), make([]byte, 80)); n != 480 || err != nil {
		t.Errorf("10 ms decode = %d, %v", n, err)
	}
}

func BenchmarkLinearToUlaw(b *testing.B) {
	src := make([]int16, FrameSamples)
	tone.Sine(1000, 0.5, SampleRate).Read(src)
	dst := make([]byte, FrameSamples)
	for b.Loop() {
		EncodeUlaw(dst, src)
	}
}

func BenchmarkEncodeFrame48k(b *testing.B) {
	src := make([]int16, PCMFrameSamples)
	tone.Sine(1000, 0.5, PCMSampleRate).Read(src)
	dst := make([]byte, FrameSamples)
	enc := NewEncoder()
	for b.Loop() {
		if _, err := enc.EncodeFrame48k(dst, src); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecodeFrame48k(b *testing.B) {
	src := make([]byte, FrameSamples)
	for i := range src {
		src[i] = byte(i)
	}
	dst := make([]int16, PCMFrameSamples)
	dec := NewDecoder()
	for b.Loop() {
		if _, err := dec.DecodeFrame48k(dst, src); err != nil {
			b.Fatal(err)
		}
	}
}
