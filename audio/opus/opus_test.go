package opus

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"

	libopus "gopkg.in/hraban/opus.v2"
)

func newPair(t testing.TB, cfg Config) (*Encoder, *Decoder) {
	t.Helper()
	enc, err := NewEncoder(cfg)
	if err != nil {
		t.Fatalf("NewEncoder(%+v): %v", cfg, err)
	}
	dec, err := NewDecoder()
	if err != nil {
		t.Fatalf("NewDecoder: %v", err)
	}
	return enc, dec
}

// encodeAll encodes pcm frame by frame; len(pcm) must be a multiple of
// the encoder's frame.
func encodeAll(t testing.TB, enc *Encoder, pcm []int16) [][]byte {
	t.Helper()
	var packets [][]byte
	buf := make([]byte, MaxPacketBytes)
	frame := enc.FrameSamples()
	for off := 0; off+frame <= len(pcm); off += frame {
		n, err := enc.Encode(pcm[off:off+frame], buf)
		if err != nil {
			t.Fatalf("Encode frame %d: %v", off/frame, err)
		}
		packets = append(packets, append([]byte(nil), buf[:n]...))
	}
	return packets
}

// lossMode says how a decoder fills a lost frame.
type lossMode int

const (
	usePLC lossMode = iota
	useFEC
)

// decodeAll decodes packets in order; packets whose index is in lost are
// treated as never received and filled according to mode.
func decodeAll(t testing.TB, dec *Decoder, packets [][]byte, lost map[int]bool, mode lossMode) []int16 {
	t.Helper()
	out := make([]int16, 0, len(packets)*FrameSamples)
	pcm := make([]int16, FrameSamples)
	for i, p := range packets {
		switch {
		case !lost[i]:
			n, err := dec.Decode(p, pcm)
			if err != nil {
				t.Fatalf("Decode packet %d: %v", i, err)
			}
			if n != FrameSamples {
				t.Fatalf("Decode packet %d: got %d samples, want %d", i, n, FrameSamples)
			}
		case mode == useFEC && i+1 < len(packets) && !lost[i+1]:
			if err := dec.DecodeFEC(packets[i+1], pcm); err != nil {
				t.Fatalf("DecodeFEC for packet %d: %v", i, err)
			}
		default:
			if err := dec.Conceal(pcm); err != nil {
				t.Fatalf("Conceal packet %d: %v", i, err)
			}
		}
		out = append(out, pcm...)
	}
	return out
}

func TestEncoderSettings(t *testing.T) {
	tests := []struct {
		name        string
		cfg         Config
		bitrate     int
		lossPercent int
		rate, frame int
	}{
		{"defaults", Config{}, DefaultBitrate, DefaultPacketLossPercent, SampleRate, FrameSamples},
		{"custom", Config{Bitrate: 24000, PacketLossPercent: 25}, 24000, 25, SampleRate, FrameSamples},
		{"wideband input", Config{SampleRate: WidebandRate}, DefaultBitrate, DefaultPacketLossPercent, WidebandRate, WidebandFrameSamples},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			enc, err := NewEncoder(tt.cfg)
			if err != nil {
				t.Fatal(err)
			}
			if got := enc.Config(); got.Bitrate != tt.bitrate || got.PacketLossPercent != tt.lossPercent {
				t.Errorf("Config() = %+v, want bitrate %d loss %d", got, tt.bitrate, tt.lossPercent)
			}
			check := func(what string, got, want any, err error) {
				t.Helper()
				if err != nil {
					t.Fatalf("read %s: %v", what, err)
				}
				if got != want {
					t.Errorf("%s = %v, want %v", what, got, want)
				}
			}
			br, err := enc.enc.Bitrate()
			check("bitrate", br, tt.bitrate, err)
			loss, err := enc.enc.PacketLossPerc()
			check("packet loss %", loss, tt.lossPercent, err)
			fec, err := enc.enc.InBandFEC()
			check("in-band FEC", fec, true, err)
			dtx, err := enc.enc.DTX()
			check("DTX", dtx, false, err)
			rate, err := enc.enc.SampleRate()
			check("sample rate", rate, tt.rate, err)
			check("frame", enc.FrameSamples(), tt.frame, nil)
			check("configured rate", enc.Config().SampleRate, tt.rate, nil)
		})
	}
}

func TestSDPFactsMatchEncoder(t *testing.T) {
	if MimeType != "audio/opus" || ClockRate != 48000 || Channels != 2 || FrameSamples != 960 {
		t.Fatalf("SDP facts changed: %s %d/%d, %d samples", MimeType, ClockRate, Channels, FrameSamples)
	}
	if FrameSamples != SampleRate/50 {
		t.Errorf("FrameSamples %d is not 20 ms at %d Hz", FrameSamples, SampleRate)
	}
	for _, want := range []string{"useinbandfec=1", "usedtx=0", "stereo=0", "sprop-stereo=0", "minptime=10"} {
		if !strings.Contains(SDPFmtpLine, want) {
			t.Errorf("SDPFmtpLine %q lacks %q", SDPFmtpLine, want)
		}
	}
}

// TestRoundTripKeepsTone sends a 1 kHz tone through at both input rates;
// it comes out of the 48 kHz decoder at the same level and frequency.
func TestRoundTripKeepsTone(t *testing.T) {
	for _, rate := range []int{SampleRate, WidebandRate} {
		t.Run(fmt.Sprintf("%d Hz in", rate), func(t *testing.T) { roundTripKeepsTone(t, rate) })
	}
}

func roundTripKeepsTone(t *testing.T, rate int) {
	enc, dec := newPair(t, Config{SampleRate: rate})
	const amp = 10000
	ref := sine(SampleRate, 0, 1000, amp) // 1 s, 50 frames, as it comes out
	in := ref
	if rate != SampleRate {
		in = sineAt(rate, rate, 0, 1000, amp)
	}
	out := decodeAll(t, dec, encodeAll(t, enc, in), nil, usePLC)

	// Skip the first 200 ms while the encoder settles.
	from, to := SampleRate/5, len(ref)-FrameSamples
	lag := bestLag(ref, out, FrameSamples, from, from+SampleRate/4)
	snr := dB(energy(ref[from:to]) / errorEnergy(ref, out, lag, from, to))
	t.Logf("waveform SNR %.1f dB (aligned at lag %d)", snr, lag)
	if snr < 20 {
		t.Errorf("waveform SNR %.1f dB, want >= 20 dB", snr)
	}

	tail := out[from:to]
	peak := goertzelPower(tail, 1000)
	wantAmp := amp * amp / 4.0
	if lvl := dB(peak / wantAmp); math.Abs(lvl) > 1 {
		t.Errorf("1 kHz level %.2f dB relative to input, want within ±1 dB", lvl)
	}
	for _, f := range []float64{250, 500, 750, 1250, 1500, 2000, 3000, 5000, 8000} {
		if r := dB(peak / goertzelPower(tail, f)); r < 40 {
			t.Errorf("1 kHz peak only %.1f dB above %g Hz, want >= 40 dB", r, f)
		}
	}
}

// TestFECRecoversLostFrameBetterThanPLC drops frames from a speech-like
// stream and fills them once by concealment and once from the next packet's
// in-band FEC. SILK only sends FEC for frames its VAD calls active, so a
// steady tone (which the VAD soon treats as noise) is no test of it.
func TestFECRecoversLostFrameBetterThanPLC(t *testing.T) {
	ref := speechLike(5*SampleRate, 1)
	enc, err := NewEncoder(Config{})
	if err != nil {
		t.Fatal(err)
	}
	lost, clean, plc, fec := decodeWithLoss(t, encodeAll(t, enc, ref))

	// Against the original, aligned by the codec delay: the lost frame as
	// it lands in the decoded timeline, in reference coordinates.
	lag := bestLag(ref, clean, FrameSamples, 10*FrameSamples, 10*FrameSamples+SampleRate/2)
	var eRef, eClean, ePLC, eFEC float64
	// Against what the decoder would have produced had nothing been lost.
	var eDecoded, ePLCDecoded, eFECDecoded float64
	for i := range lost {
		from, to := i*FrameSamples-lag, (i+1)*FrameSamples-lag
		eRef += energy(ref[from:to])
		eClean += errorEnergy(ref, clean, lag, from, to)
		ePLC += errorEnergy(ref, plc, lag, from, to)
		eFEC += errorEnergy(ref, fec, lag, from, to)

		from, to = i*FrameSamples, (i+1)*FrameSamples
		eDecoded += energy(clean[from:to])
		ePLCDecoded += errorEnergy(clean, plc, 0, from, to)
		eFECDecoded += errorEnergy(clean, fec, 0, from, to)
	}
	t.Logf("%d lost frames, codec delay %d samples", len(lost), lag)
	t.Logf("SNR vs original over lost frames: no loss %.1f dB, FEC %.1f dB, PLC %.1f dB",
		dB(eRef/eClean), dB(eRef/eFEC), dB(eRef/ePLC))
	t.Logf("SNR vs loss-free decode over lost frames: FEC %.1f dB, PLC %.1f dB",
		dB(eDecoded/eFECDecoded), dB(eDecoded/ePLCDecoded))

	// Opus is perceptual, so even loss-free audio is far from the original
	// sample by sample; judge FEC by how much of the gap between concealment
	// and no loss at all it closes.
	if ePLC <= eClean {
		t.Fatalf("concealment (error %.3g) no worse than loss-free decode (%.3g): the test proves nothing", ePLC, eClean)
	}
	if closed := (ePLC - eFEC) / (ePLC - eClean); closed < 0.5 {
		t.Errorf("vs original: FEC closes %.0f%% of the error gap between PLC and no loss, want >= 50%%", 100*closed)
	} else {
		t.Logf("vs original: FEC closes %.0f%% of the error gap between PLC and no loss", 100*closed)
	}
	if gain := dB(ePLCDecoded / eFECDecoded); gain < 6 {
		t.Errorf("vs loss-free decode: FEC error only %.1f dB below PLC error, want >= 6 dB", gain)
	}
}

// decodeWithLoss decodes packets three times with fresh decoders: with
// nothing lost, and with every seventh packet from the 20th lost, filled by
// concealment and by FEC from the next packet.
func decodeWithLoss(t *testing.T, packets [][]byte) (lost map[int]bool, clean, plc, fec []int16) {
	t.Helper()
	lost = map[int]bool{}
	for i := 20; i < len(packets)-2; i += 7 {
		lost[i] = true
	}
	decode := func(lost map[int]bool, mode lossMode) []int16 {
		dec, err := NewDecoder()
		if err != nil {
			t.Fatal(err)
		}
		return decodeAll(t, dec, packets, lost, mode)
	}
	return lost, decode(nil, usePLC), decode(lost, usePLC), decode(lost, useFEC)
}

// fecGain is how far below concealment's error FEC's error lies, in dB,
// over the lost frames of speech enc codes, against the loss-free decode:
// 0 dB when the packets carry no redundancy.
func fecGain(t *testing.T, enc *Encoder, seed uint64) float64 {
	t.Helper()
	lost, clean, plc, fec := decodeWithLoss(t, encodeAll(t, enc, speechLike(3*SampleRate, seed)))
	var ePLC, eFEC float64
	for i := range lost {
		from, to := i*FrameSamples, (i+1)*FrameSamples
		ePLC += errorEnergy(clean, plc, 0, from, to)
		eFEC += errorEnergy(clean, fec, 0, from, to)
	}
	if eFEC == 0 {
		t.Fatal("FEC recovered the lost frames exactly: the test proves nothing")
	}
	return dB(ePLC / eFEC)
}

// With no loss expected the encoder codes no redundancy, so a lost frame
// can only be concealed; once loss is expected again, FEC recovers it.
func TestFECFollowsTheExpectedLoss(t *testing.T) {
	enc, err := NewEncoder(Config{})
	if err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		percent      int
		minDB, maxDB float64
		what         string
	}{
		{0, -1, 1, "no redundancy"},
		{10, 6, math.Inf(1), "FEC recovering lost frames"},
		{0, -1, 1, "no redundancy again"},
	}
	for i, st := range steps {
		if err := enc.SetPacketLossPercent(st.percent); err != nil {
			t.Fatal(err)
		}
		if got := enc.Config().PacketLossPercent; got != st.percent {
			t.Errorf("step %d: Config().PacketLossPercent = %d, want %d", i, got, st.percent)
		}
		if on, err := enc.enc.InBandFEC(); err != nil || !on {
			t.Errorf("step %d: in-band FEC = %v (%v), want it left on", i, on, err)
		}
		gain := fecGain(t, enc, uint64(i+2))
		t.Logf("expected loss %d%%: FEC error %.1f dB below concealment's", st.percent, gain)
		if gain < st.minDB || gain > st.maxDB {
			t.Errorf("expected loss %d%%: FEC error %.1f dB below concealment's, want %s (%.0f..%.0f dB)",
				st.percent, gain, st.what, st.minDB, st.maxDB)
		}
	}
	for _, bad := range []int{-1, 101} {
		if err := enc.SetPacketLossPercent(bad); err == nil || !strings.Contains(err.Error(), "out of range 0..100") {
			t.Errorf("SetPacketLossPercent(%d) = %v, want an out-of-range error", bad, err)
		}
	}
	if got := enc.Config().PacketLossPercent; got != 0 {
		t.Errorf("after refused values, Config().PacketLossPercent = %d, want 0 kept", got)
	}
}

func TestConcealIsContinuous(t *testing.T) {
	enc, dec := newPair(t, Config{})
	ref := sine(SampleRate/2, 0, 440, 8000)
	packets := encodeAll(t, enc, ref)

	pcm := make([]int16, FrameSamples)
	var out []int16
	for _, p := range packets[:20] {
		if _, err := dec.Decode(p, pcm); err != nil {
			t.Fatal(err)
		}
		out = append(out, pcm...)
	}
	maxStep := 0.0
	for i := 10 * FrameSamples; i < len(out); i++ {
		maxStep = math.Max(maxStep, math.Abs(float64(out[i])-float64(out[i-1])))
	}
	lastGood := energy(out[len(out)-FrameSamples:])

	boundaries := []int{len(out)}
	for range 2 {
		if err := dec.Conceal(pcm); err != nil {
			t.Fatal(err)
		}
		out = append(out, pcm...)
		boundaries = append(boundaries, len(out))
	}
	firstConcealed := energy(out[boundaries[0] : boundaries[0]+FrameSamples])
	if _, err := dec.Decode(packets[22], pcm); err != nil {
		t.Fatal(err)
	}
	out = append(out, pcm...)

	for _, b := range boundaries {
		step := math.Abs(float64(out[b]) - float64(out[b-1]))
		t.Logf("step at sample %d: %.0f (largest step in clean audio %.0f)", b, step, maxStep)
		if step > 1.5*maxStep {
			t.Errorf("discontinuity at sample %d: step %.0f > 1.5× the largest clean step %.0f", b, step, maxStep)
		}
	}
	if r := dB(firstConcealed / lastGood); r < -6 {
		t.Errorf("first concealed frame is %.1f dB below the last good one, want it to carry the signal on (>= -6 dB)", r)
	}
}

func TestDTXOffEverySilentFrameYieldsPacket(t *testing.T) {
	enc, dec := newPair(t, Config{})
	silence := make([]int16, 2*SampleRate)
	packets := encodeAll(t, enc, silence)
	pcm := make([]int16, FrameSamples)
	for i, p := range packets {
		// A DTX frame is a bare TOC byte (or nothing); a real one is larger.
		if len(p) <= 2 {
			t.Fatalf("frame %d of silence encoded to %d bytes: DTX is on", i, len(p))
		}
		if n, err := dec.Decode(p, pcm); err != nil || n != FrameSamples {
			t.Fatalf("Decode silent packet %d: n=%d err=%v", i, n, err)
		}
	}

	// The same check catches DTX when it is on, so the pass above means something.
	dtx, err := libopus.NewEncoder(SampleRate, 1, libopus.AppVoIP)
	if err != nil {
		t.Fatal(err)
	}
	if err := dtx.SetDTX(true); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, MaxPacketBytes)
	dtxFrames := 0
	for off := 0; off < len(silence); off += FrameSamples {
		n, err := dtx.Encode(silence[off:off+FrameSamples], buf)
		if err != nil {
			t.Fatal(err)
		}
		if n <= 2 {
			dtxFrames++
		}
	}
	if dtxFrames == 0 {
		t.Fatal("control encoder with DTX on produced no DTX frames; the check above proves nothing")
	}
}

func TestEncodeStaysWithinLen(t *testing.T) {
	enc, err := NewEncoder(Config{})
	if err != nil {
		t.Fatal(err)
	}
	backing := make([]byte, MaxPacketBytes)
	for i := range backing {
		backing[i] = 0xA5
	}
	const room = 20
	frame := speechLike(FrameSamples, 2)
	for range 10 {
		n, err := enc.Encode(frame, backing[:room])
		if err != nil {
			t.Fatalf("Encode into %d bytes: %v", room, err)
		}
		if n > room {
			t.Fatalf("Encode returned %d bytes for a %d-byte buffer", n, room)
		}
	}
	for i := room; i < len(backing); i++ {
		if backing[i] != 0xA5 {
			t.Fatalf("Encode wrote byte %d, past len(dst)=%d", i, room)
		}
	}
}

func TestBadInput(t *testing.T) {
	enc, dec := newPair(t, Config{})
	good := make([]byte, MaxPacketBytes)
	n, err := enc.Encode(make([]int16, FrameSamples), good)
	if err != nil {
		t.Fatal(err)
	}
	packet := good[:n]
	pcm := make([]int16, FrameSamples)
	short := make([]int16, FrameSamples/2)
	wb, _ := newPair(t, Config{SampleRate: WidebandRate})

	tests := []struct {
		name    string
		call    func() error
		wantIs  error
		wantMsg string
	}{
		{"encode 10 ms", func() error { _, err := enc.Encode(short, good); return err }, ErrFrameSize, "got 480 samples"},
		{"encode 961", func() error { _, err := enc.Encode(make([]int16, 961), good); return err }, ErrFrameSize, "got 961 samples"},
		{"encode nil", func() error { _, err := enc.Encode(nil, good); return err }, ErrFrameSize, "got 0 samples"},
		{"encode no room", func() error { _, err := enc.Encode(pcm, nil); return err }, ErrNoRoom, "packet buffer is empty"},
		{"decode nil packet", func() error { _, err := dec.Decode(nil, pcm); return err }, ErrEmptyPacket, "Conceal"},
		{"decode short pcm", func() error { _, err := dec.Decode(packet, short); return err }, ErrFrameSize, "480-sample buffer"},
		{"decode corrupt", func() error { _, err := dec.Decode([]byte{0xFF, 0x00}, pcm); return err }, libopus.ErrInvalidPacket, "decode 2-byte packet"},
		{"decode 60 ms into 20 ms", func() error { _, err := dec.Decode(threeFramePacket(t, packet), pcm); return err }, libopus.ErrBufferTooSmall, "into 960 samples"},
		{"fec nil packet", func() error { return dec.DecodeFEC(nil, pcm) }, ErrEmptyPacket, "empty packet"},
		{"fec short pcm", func() error { return dec.DecodeFEC(packet, short) }, ErrFrameSize, "480-sample buffer"},
		{"conceal short pcm", func() error { return dec.Conceal(short) }, ErrFrameSize, "480-sample buffer"},
		{"bitrate too low", func() error { _, err := NewEncoder(Config{Bitrate: 100}); return err }, nil, "bitrate 100"},
		{"loss too high", func() error { _, err := NewEncoder(Config{PacketLossPercent: 101}); return err }, nil, "packet loss 101%"},
		{"rate not Opus's", func() error { _, err := NewEncoder(Config{SampleRate: 44100}); return err }, nil, "input rate 44100 Hz"},
		{"48 kHz frame, wideband encoder", func() error { _, err := wb.Encode(pcm, good); return err }, ErrFrameSize, "got 960 samples, want 320 at 16000 Hz"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			if err == nil {
				t.Fatal("got nil error")
			}
			if tt.wantIs != nil && !errors.Is(err, tt.wantIs) {
				t.Errorf("error %q does not wrap %v", err, tt.wantIs)
			}
			if !strings.Contains(err.Error(), tt.wantMsg) {
				t.Errorf("error %q does not say %q", err, tt.wantMsg)
			}
		})
	}
}

// threeFramePacket repacks one 20 ms packet as a 60 ms code-3 packet
// (RFC 6716 §3.2.5) holding three copies of it.
func threeFramePacket(t *testing.T, p []byte) []byte {
	t.Helper()
	if len(p) < 2 {
		t.Fatalf("packet too short to repack: %d bytes", len(p))
	}
	toc := p[0]&^0x03 | 0x03
	out := []byte{toc, 3} // CBR, 3 frames
	for range 3 {
		out = append(out, p[1:]...)
	}
	return out
}

func TestLongerPeerPacketsDecodeIntoLargerBuffer(t *testing.T) {
	enc, dec := newPair(t, Config{})
	buf := make([]byte, MaxPacketBytes)
	n, err := enc.Encode(sine(FrameSamples, 0, 1000, 5000), buf)
	if err != nil {
		t.Fatal(err)
	}
	pcm := make([]int16, MaxFrameSamples)
	got, err := dec.Decode(threeFramePacket(t, buf[:n]), pcm)
	if err != nil {
		t.Fatal(err)
	}
	if got != 3*FrameSamples {
		t.Errorf("decoded %d samples, want %d", got, 3*FrameSamples)
	}
}

func TestSteadyStateDoesNotAllocate(t *testing.T) {
	enc, dec := newPair(t, Config{})
	frame := speechLike(FrameSamples, 3)
	packet := make([]byte, MaxPacketBytes)
	pcm := make([]int16, FrameSamples)
	n, err := enc.Encode(frame, packet)
	if err != nil {
		t.Fatal(err)
	}
	pkt := packet[:n]

	tests := []struct {
		name string
		fn   func()
	}{
		{"Encode", func() { _, _ = enc.Encode(frame, packet) }},
		{"Decode", func() { _, _ = dec.Decode(pkt, pcm) }},
		{"DecodeFEC", func() { _ = dec.DecodeFEC(pkt, pcm) }},
		{"Conceal", func() { _ = dec.Conceal(pcm) }},
	}
	for _, tt := range tests {
		if allocs := testing.AllocsPerRun(200, tt.fn); allocs != 0 {
			t.Errorf("%s: %.1f allocations per frame, want 0", tt.name, allocs)
		}
	}
}

// reportRealtime reports the cost of one 20 ms frame and the share of one
// core that coding a single real-time stream takes.
func reportRealtime(b *testing.B) {
	us := float64(b.Elapsed().Microseconds()) / float64(b.N)
	b.ReportMetric(us, "µs/frame")
	b.ReportMetric(100*us/20000, "%core")
	b.ReportMetric(0, "ns/op")
}

// BenchmarkEncode codes speech with the FEC sized for the default 10 %
// loss, as a call starts, and with no loss expected, as on a clean network
// once the far end's reports say so; and the latter from 16 kHz input, as
// the softphone's echo canceller hands it over.
func BenchmarkEncode(b *testing.B) {
	for _, tc := range []struct {
		name          string
		percent, rate int
	}{
		{"fec-10%", DefaultPacketLossPercent, SampleRate},
		{"no-loss", 0, SampleRate},
		{"no-loss-16kHz-in", 0, WidebandRate},
	} {
		b.Run(tc.name, func(b *testing.B) {
			enc, err := NewEncoder(Config{SampleRate: tc.rate})
			if err != nil {
				b.Fatal(err)
			}
			if err := enc.SetPacketLossPercent(tc.percent); err != nil {
				b.Fatal(err)
			}
			speech := speechLike(SampleRate, 4)
			if tc.rate != SampleRate { // every third sample: speechLike is band-limited well below 8 kHz
				for i := range len(speech) / 3 {
					speech[i] = speech[3*i]
				}
				speech = speech[:len(speech)/3]
			}
			packet := make([]byte, MaxPacketBytes)
			frame := enc.FrameSamples()
			frames := len(speech) / frame
			i := 0
			for b.Loop() {
				off := (i % frames) * frame
				if _, err := enc.Encode(speech[off:off+frame], packet); err != nil {
					b.Fatal(err)
				}
				i++
			}
			reportRealtime(b)
		})
	}
}

func BenchmarkDecode(b *testing.B) {
	enc, dec := newPair(b, Config{})
	packets := encodeAll(b, enc, speechLike(SampleRate, 5))
	pcm := make([]int16, FrameSamples)
	i := 0
	for b.Loop() {
		if _, err := dec.Decode(packets[i%len(packets)], pcm); err != nil {
			b.Fatal(err)
		}
		i++
	}
	reportRealtime(b)
}
