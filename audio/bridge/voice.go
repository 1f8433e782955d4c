package bridge

import (
	"math"
	"time"
)

const sampleRate = 48000

func samples(d time.Duration) int { return int(d * sampleRate / time.Second) }

// promptVoice is a simulated customer talking: the prompts in turn, with
// pauses for the agent to answer, over and over.
type promptVoice struct {
	clips [][]int16
	clip  int
	pos   int
	pause int // samples of silence left before the current clip
}

// Pauses after each prompt, in turn, so the conversation does not sound
// metronomic.
var promptPauses = [...]time.Duration{1800 * time.Millisecond, 2600 * time.Millisecond, 2200 * time.Millisecond, 3000 * time.Millisecond}

func newPromptVoice(clips [][]int16) *promptVoice {
	return &promptVoice{clips: clips, pause: samples(300 * time.Millisecond)}
}

func (v *promptVoice) ReadFrame(pcm []int16) {
	for len(pcm) > 0 {
		if len(v.clips) == 0 {
			clear(pcm)
			return
		}
		if v.pause > 0 {
			n := min(v.pause, len(pcm))
			clear(pcm[:n])
			v.pause -= n
			pcm = pcm[n:]
			continue
		}
		c := v.clips[v.clip]
		n := copy(pcm, c[v.pos:])
		v.pos += n
		pcm = pcm[n:]
		if v.pos == len(c) {
			v.pause = samples(promptPauses[v.clip%len(promptPauses)])
			v.clip = (v.clip + 1) % len(v.clips)
			v.pos = 0
		}
	}
}

// holdMusicDBFS is the hold music's RMS level.
const holdMusicDBFS = -20

// holdMusic makes a seamless loop of a slow arpeggio over soft sustained
// chords, C - G - Em - G, in pure sines with a touch of second harmonic. It
// avoids A (440 Hz) so the test tones stay distinguishable from it.
func holdMusic() []int16 {
	const (
		chordLen = 2400 * time.Millisecond
		noteStep = 300 * time.Millisecond
	)
	type chord struct {
		pad [2]float64 // sustained root and fifth
		arp [8]float64 // the arpeggio, one note per step
	}
	const (
		c3, g3, b3, c4, d4, e4, g4, b4, c5, d5, e5 = 130.81, 196.00, 246.94, 261.63, 293.66, 329.63, 392.00, 493.88, 523.25, 587.33, 659.26
		e3                                         = 164.81
	)
	chords := []chord{
		{pad: [2]float64{c3, g3}, arp: [8]float64{c4, e4, g4, c5, e5, c5, g4, e4}},
		{pad: [2]float64{g3, d4}, arp: [8]float64{b3, d4, g4, b4, d5, b4, g4, d4}},
		{pad: [2]float64{e3, b3}, arp: [8]float64{e4, g4, b4, e5, g4, b4, e5, b4}},
		{pad: [2]float64{g3, d4}, arp: [8]float64{d4, g4, b4, d5, b4, g4, d4, b3}},
	}
	n := len(chords) * samples(chordLen)
	loop := make([]float64, n)
	// add puts a sine (with 15 % second harmonic) of the given envelope at
	// start, wrapping round the loop so it joins seamlessly.
	add := func(start, length int, freq, amp float64, env func(i, length int) float64) {
		w := 2 * math.Pi * freq / sampleRate
		rc, rs := math.Cos(w), math.Sin(w)
		c, s := 1.0, 0.0 // a rotating phasor: cheaper than Sin per sample
		for i := range length {
			s2 := 2 * s * c // sin of twice the phase
			loop[(start+i)%n] += amp * env(i, length) * (s + 0.15*s2)
			c, s = c*rc-s*rs, c*rs+s*rc
			if i%1024 == 1023 {
				m := math.Hypot(c, s)
				c, s = c/m, s/m
			}
		}
	}
	attack := samples(12 * time.Millisecond)
	pluck := func(i, length int) float64 { // soft attack, exponential decay, faded end
		g := math.Exp(-float64(i) / float64(samples(450*time.Millisecond)))
		if i < attack {
			g *= float64(i) / float64(attack)
		}
		if tail := length - i; tail < attack*8 {
			g *= float64(tail) / float64(attack*8)
		}
		return g
	}
	swell := func(i, length int) float64 { // a pad that breathes in and out over its chord
		return math.Sin(math.Pi * float64(i) / float64(length))
	}
	for ci, ch := range chords {
		at := ci * samples(chordLen)
		for _, f := range ch.pad {
			add(at, samples(chordLen)+samples(400*time.Millisecond), f, 0.35, swell)
		}
		for k, f := range ch.arp {
			add(at+k*samples(noteStep), samples(1600*time.Millisecond), f, 1, pluck)
		}
	}
	var sum float64
	for _, v := range loop {
		sum += v * v
	}
	rms := math.Sqrt(sum / float64(n))
	gain := 32768 * math.Pow(10, holdMusicDBFS/20.0) / rms
	out := make([]int16, n)
	for i, v := range loop {
		out[i] = saturate(int32(math.Round(v * gain)))
	}
	return out
}
