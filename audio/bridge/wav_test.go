package bridge

import (
	"encoding/binary"
	"strings"
	"testing"

	"github.com/agentdesk/agentdesk/assets"
	"github.com/agentdesk/agentdesk/audio/tone"
)

// wav builds a canonical RIFF WAVE file.
func wav(format, channels uint16, rate uint32, bits uint16, data []byte) []byte {
	b := []byte("RIFF\x00\x00\x00\x00WAVEfmt ")
	b = binary.LittleEndian.AppendUint32(b, 16)
	b = binary.LittleEndian.AppendUint16(b, format)
	b = binary.LittleEndian.AppendUint16(b, channels)
	b = binary.LittleEndian.AppendUint32(b, rate)
	b = binary.LittleEndian.AppendUint32(b, rate*uint32(channels*bits/8))
	b = binary.LittleEndian.AppendUint16(b, channels*bits/8)
	b = binary.LittleEndian.AppendUint16(b, bits)
	b = append(b, "LIST\x04\x00\x00\x00INFO"...) // a chunk to skip
	b = append(b, "data"...)
	b = binary.LittleEndian.AppendUint32(b, uint32(len(data)))
	b = append(b, data...)
	binary.LittleEndian.PutUint32(b[4:], uint32(len(b)-8))
	return b
}

func TestDecodeWAV(t *testing.T) {
	pcm, rate, err := decodeWAV(wav(1, 1, 16000, 16, []byte{1, 0, 0xff, 0xff, 0, 0x80}))
	if err != nil || rate != 16000 || len(pcm) != 3 || pcm[0] != 1 || pcm[1] != -1 || pcm[2] != -32768 {
		t.Fatalf("decode = %v, %d, %v; want [1 -1 -32768] at 16000 Hz", pcm, rate, err)
	}
	for _, tc := range []struct {
		name string
		data []byte
		want string
	}{
		{"stereo", wav(1, 2, 16000, 16, make([]byte, 8)), "16-bit mono"},
		{"8-bit", wav(1, 1, 16000, 8, make([]byte, 8)), "16-bit mono"},
		{"float", wav(3, 1, 16000, 32, make([]byte, 8)), "16-bit mono"},
		{"not RIFF", []byte("OggS and more bytes"), "not a RIFF WAVE"},
		{"truncated", wav(1, 1, 16000, 16, make([]byte, 8))[:60], "truncated"},
		{"no data", wav(1, 1, 16000, 16, nil)[:48], "no data chunk"},
	} {
		if _, _, err := decodeWAV(tc.data); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err %v, want one saying %q", tc.name, err, tc.want)
		}
	}
}

func TestUpsampleKeepsToneAndAddsNoImages(t *testing.T) {
	in := make([]int16, 16000)
	tone.Sine(1000, 0.5, 16000).Read(in)
	out := upsample3(in)
	if len(out) != 48000 {
		t.Fatalf("%d samples out, want 48000", len(out))
	}
	mid := out[4800 : 48000-4800]
	f, snr := tone.DominantFrequency(mid, sampleRate, nil)
	if f < 999.5 || f > 1000.5 || snr < 40 {
		t.Fatalf("upsampled 1 kHz peaks at %.2f Hz, SNR %.1f dB; want 1000 Hz above 40 dB", f, snr)
	}
	// The images of 1 kHz at 16 kHz sampling sit at 15 and 17 kHz.
	for _, img := range []float64{15000, 17000} {
		if lvl := tone.ToneDBFS(mid, sampleRate, img) - tone.ToneDBFS(mid, sampleRate, 1000); lvl > -50 {
			t.Errorf("image at %v Hz only %.1f dB below the tone", img, lvl)
		}
	}
}

func TestPromptsDecode(t *testing.T) {
	clips, err := loadPrompts(assets.Prompts)
	if err != nil {
		t.Fatal(err)
	}
	if len(clips) < 3 {
		t.Fatalf("%d prompts, want at least 3", len(clips))
	}
	for i, c := range clips {
		secs := float64(len(c)) / sampleRate
		if secs < 0.5 || secs > 4 {
			t.Errorf("prompt %d lasts %.2f s, want a short phrase", i, secs)
		}
		if lvl := tone.RMSdBFS(c); lvl < -35 {
			t.Errorf("prompt %d is at %.1f dBFS RMS: too quiet", i, lvl)
		}
	}
}

func TestHoldMusic(t *testing.T) {
	m := holdMusic()
	if lvl := tone.RMSdBFS(m); lvl < holdMusicDBFS-1.5 || lvl > holdMusicDBFS+1.5 {
		t.Errorf("hold music at %.1f dBFS RMS, want about %d", lvl, holdMusicDBFS)
	}
	if lvl := tone.ToneDBFS(m, sampleRate, 440); lvl > -55 {
		t.Errorf("hold music has %.1f dBFS at 440 Hz, want none: it must not pass for the agent's test tone", lvl)
	}
	// Seamless: the jump from the last sample to the first is like any other step.
	if d := int(m[0]) - int(m[len(m)-1]); d > 2000 || d < -2000 {
		t.Errorf("the loop jumps by %d at its seam", d)
	}
}

func TestQueueBoundsDelay(t *testing.T) {
	var q frameQueue
	frame := func(v int16) []int16 { f := make([]int16, 960); f[0] = v; return f }
	got := make([]int16, 960)
	q.ReadFrame(got) // empty and not primed: silence, not an underrun
	q.WriteFrame(frame(1))
	q.ReadFrame(got)
	if got[0] != 0 {
		t.Fatal("played before two frames were queued")
	}
	for v := int16(2); v <= 7; v++ { // 1..7 into five slots: 1 and 2 dropped
		q.WriteFrame(frame(v))
	}
	q.ReadFrame(got) // five queued, more than maxLevel: skip to the newest three
	if got[0] != 5 {
		t.Fatalf("read frame %d, want 5 (delay bounded to %d frames)", got[0], maxLevel)
	}
	q.ReadFrame(got)
	q.ReadFrame(got)
	q.ReadFrame(got)
	if got[0] != 0 {
		t.Fatalf("read %d from an empty queue, want silence", got[0])
	}
	if u, s := q.counters(); u != 1 || s != 4 {
		t.Fatalf("underruns %d, skipped %d; want 1 and 4", u, s)
	}
}

func TestRecorderRing(t *testing.T) {
	r := &recorder{}
	f := make([]int16, 960)
	for i := range recordSeconds*50 + 7 {
		f[0] = int16(i)
		r.WriteFrame(f)
	}
	last := r.last(2 * 960)
	if last[0] != int16(recordSeconds*50+5) || last[960] != int16(recordSeconds*50+6) {
		t.Fatalf("last two frames start %d, %d", last[0], last[960])
	}
	if n := len(r.last(1 << 30)); n != recordSeconds*48000 {
		t.Fatalf("kept %d samples, want %d", n, recordSeconds*48000)
	}
}
