package g711

import "math/bits"

// Rates and frame sizes: PCMU runs at 8 kHz; the audio tree's PCM runs at
// 48 kHz; a frame is 20 ms of either.
const (
	SampleRate      = 8000
	FrameSamples    = 160 // 20 ms at 8 kHz: one PCMU payload
	PCMSampleRate   = 48000
	PCMFrameSamples = 960 // 20 ms at 48 kHz
	ratio           = PCMSampleRate / SampleRate
)

const (
	ulawBias = 0x84
	ulawClip = 32635 // largest magnitude that, with the bias, fits 15 bits
)

// LinearToUlaw encodes one sample with the G.711 μ-law segment algorithm
// (the reference implementation's, clipping at ±32635). Zero encodes as 0xFF.
func LinearToUlaw(s int16) byte {
	v := int32(s)
	mask := byte(0xFF)
	if v < 0 {
		v = -v
		mask = 0x7F
	}
	v = min(v, ulawClip) + ulawBias  // in [132, 32767]
	seg := bits.Len32(uint32(v)) - 8 // 0..7
	return byte(seg<<4|int(v>>(seg+3))&0x0F) ^ mask
}

// UlawToLinear decodes one μ-law byte to the midpoint of its interval.
func UlawToLinear(u byte) int16 {
	return ulawTable[u]
}

var ulawTable = buildUlawTable()

func buildUlawTable() (t [256]int16) {
	for i := range t {
		u := ^byte(i)
		v := (int32(u&0x0F)<<3 + ulawBias) << ((u >> 4) & 0x07)
		if u&0x80 != 0 {
			t[i] = int16(ulawBias - v)
		} else {
			t[i] = int16(v - ulawBias)
		}
	}
	return t
}

// EncodeUlaw encodes min(len(dst), len(src)) 8 kHz samples and returns the
// count.
func EncodeUlaw(dst []byte, src []int16) int {
	n := min(len(dst), len(src))
	for i, s := range src[:n] {
		dst[i] = LinearToUlaw(s)
	}
	return n
}

// DecodeUlaw decodes min(len(dst), len(src)) μ-law bytes and returns the
// count.
func DecodeUlaw(dst []int16, src []byte) int {
	n := min(len(dst), len(src))
	for i, u := range src[:n] {
		dst[i] = ulawTable[u]
	}
	return n
}
