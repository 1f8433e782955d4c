package opus

import (
	"errors"
	"fmt"

	libopus "gopkg.in/hraban/opus.v2"
)

// SDP facts for offering and answering Opus.
const (
	MimeType  = "audio/opus"
	ClockRate = 48000
	// Channels is what SDP's rtpmap says (opus/48000/2) even for mono audio;
	// RFC 7587 fixes it at 2. The PCM this package handles is mono.
	Channels    = 2
	SDPFmtpLine = "minptime=10;useinbandfec=1;stereo=0;sprop-stereo=0;usedtx=0"
)

// Media facts of the frames this package encodes and decodes.
const (
	SampleRate   = 48000
	FrameSamples = 960 // 20 ms of mono PCM at 48 kHz
	// WidebandRate is the rate of PCM that is already band-limited to
	// wideband, as an echo canceller running at 16 kHz leaves it; an
	// encoder given it takes frames of WidebandFrameSamples.
	WidebandRate         = 16000
	WidebandFrameSamples = 320
	// MaxPacketBytes is the largest packet Encode can produce; a dst of this
	// size never fails for lack of room.
	MaxPacketBytes = 1275
	// MaxFrameSamples is the longest frame a remote peer may legally send
	// (120 ms); a Decode buffer this long accepts any packet.
	MaxFrameSamples = 5760
)

// Encoder defaults.
const (
	DefaultBitrate           = 32000
	DefaultPacketLossPercent = 10
)

var (
	// ErrFrameSize reports PCM that is not one 20 ms frame: 960 mono
	// samples at 48 kHz, or 320 for an encoder taking WidebandRate.
	ErrFrameSize = errors.New("opus: PCM buffer must hold one 20 ms frame of mono samples")
	// ErrEmptyPacket reports a nil or empty packet where one was required;
	// use Conceal for a lost packet.
	ErrEmptyPacket = errors.New("opus: empty packet (use Conceal for a lost packet)")
	// ErrNoRoom reports a destination packet buffer of zero length.
	ErrNoRoom = errors.New("opus: packet buffer is empty (give it MaxPacketBytes)")
)

// Config tunes an Encoder. Zero fields take the defaults.
type Config struct {
	// Bitrate in bit/s, 6000..510000; 0 means DefaultBitrate.
	Bitrate int
	// PacketLossPercent is the expected loss, 1..100, which sizes the in-band
	// FEC; 0 means DefaultPacketLossPercent.
	PacketLossPercent int
	// SampleRate is the rate of the PCM Encode takes: SampleRate (48 kHz)
	// or WidebandRate (16 kHz); 0 means SampleRate. The packets are the
	// same either way: Opus's RTP clock stays at 48 kHz.
	SampleRate int
}

func (c Config) withDefaults() (Config, error) {
	if c.Bitrate == 0 {
		c.Bitrate = DefaultBitrate
	}
	if c.PacketLossPercent == 0 {
		c.PacketLossPercent = DefaultPacketLossPercent
	}
	if c.SampleRate == 0 {
		c.SampleRate = SampleRate
	}
	if c.SampleRate != SampleRate && c.SampleRate != WidebandRate {
		return c, fmt.Errorf("opus: encoder input rate %d Hz, want %d or %d", c.SampleRate, SampleRate, WidebandRate)
	}
	if c.Bitrate < 6000 || c.Bitrate > 510000 {
		return c, fmt.Errorf("opus: bitrate %d bit/s out of range 6000..510000", c.Bitrate)
	}
	if c.PacketLossPercent < 0 || c.PacketLossPercent > 100 {
		return c, fmt.Errorf("opus: packet loss %d%% out of range 0..100", c.PacketLossPercent)
	}
	return c, nil
}

// Complexity is the encoder's CPU/quality trade-off (0-10).
const Complexity = 5

// Encoder turns 20 ms mono PCM frames into Opus packets: VoIP application,
// wideband, in-band FEC on, DTX off, so every frame yields a packet. It is not safe
// for concurrent use.
type Encoder struct {
	enc *libopus.Encoder
	cfg Config
}

// NewEncoder returns an encoder configured by cfg.
func NewEncoder(cfg Config) (*Encoder, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	enc, err := libopus.NewEncoder(cfg.SampleRate, 1, libopus.AppVoIP)
	if err != nil {
		return nil, fmt.Errorf("opus: create encoder: %w", err)
	}
	steps := []struct {
		what string
		do   func() error
	}{
		{"set bitrate", func() error { return enc.SetBitrate(cfg.Bitrate) }},
		{"enable in-band FEC", func() error { return enc.SetInBandFEC(true) }},
		{"set packet loss", func() error { return enc.SetPacketLossPerc(cfg.PacketLossPercent) }},
		{"disable DTX", func() error { return enc.SetDTX(false) }},
		// Complexity 5 halves the encoder's CPU against the default 10, for a
		// difference in voice quality that listening tests barely find.
		{"set complexity", func() error { return enc.SetComplexity(Complexity) }},
		// Wideband (7 kHz of audio, "HD voice") is all the echo canceller
		// passes (it runs at 16 kHz) and all a contact centre's calls need;
		// capped there, the encoder spends nothing on the bands above.
		{"set max bandwidth", func() error { return enc.SetMaxBandwidth(libopus.Wideband) }},
	}
	for _, s := range steps {
		if err := s.do(); err != nil {
			return nil, fmt.Errorf("opus: %s: %w", s.what, err)
		}
	}
	return &Encoder{enc: enc, cfg: cfg}, nil
}

// Config returns the encoder's settings with defaults filled in, and the
// expected loss last set.
func (e *Encoder) Config() Config { return e.cfg }

// SetPacketLossPercent changes the loss, 0..100, that the in-band FEC
// protects against. At 0 libopus codes no redundancy at all: FEC stays
// enabled and returns as soon as a loss is set again. Encoding a frame
// without it takes about a fifth less time, and its bits go to the voice.
func (e *Encoder) SetPacketLossPercent(pct int) error {
	if pct < 0 || pct > 100 {
		return fmt.Errorf("opus: packet loss %d%% out of range 0..100", pct)
	}
	if err := e.enc.SetPacketLossPerc(pct); err != nil {
		return fmt.Errorf("opus: set packet loss %d%%: %w", pct, err)
	}
	e.cfg.PacketLossPercent = pct
	return nil
}

// FrameSamples is the length of the frames Encode takes: FrameSamples, or
// WidebandFrameSamples for an encoder taking WidebandRate.
func (e *Encoder) FrameSamples() int { return e.cfg.SampleRate / 50 }

// Encode compresses one 20 ms frame (e.FrameSamples() samples) into dst and
// returns the packet length. It never writes past len(dst).
func (e *Encoder) Encode(pcm []int16, dst []byte) (int, error) {
	if frame := e.FrameSamples(); len(pcm) != frame {
		return 0, fmt.Errorf("%w: got %d samples, want %d at %d Hz", ErrFrameSize, len(pcm), frame, e.cfg.SampleRate)
	}
	if len(dst) == 0 {
		return 0, ErrNoRoom
	}
	// libopus bounds its writes by cap, not len.
	n, err := e.enc.Encode(pcm, dst[:len(dst):len(dst)])
	if err != nil {
		return 0, fmt.Errorf("opus: encode %d-byte buffer: %w", len(dst), err)
	}
	return n, nil
}

// Decoder turns Opus packets back into mono PCM at 48 kHz and fills gaps
// left by lost packets. It is not safe for concurrent use.
type Decoder struct {
	dec *libopus.Decoder
}

// NewDecoder returns a mono 48 kHz decoder; stereo packets are downmixed.
func NewDecoder() (*Decoder, error) {
	dec, err := libopus.NewDecoder(SampleRate, 1)
	if err != nil {
		return nil, fmt.Errorf("opus: create decoder: %w", err)
	}
	return &Decoder{dec: dec}, nil
}

// Decode decodes packet into pcm and returns the number of samples written
// (FrameSamples for this softphone's own packets). pcm must hold at least
// FrameSamples; a peer sending longer packets needs up to MaxFrameSamples.
func (d *Decoder) Decode(packet []byte, pcm []int16) (int, error) {
	if len(packet) == 0 {
		return 0, ErrEmptyPacket
	}
	if len(pcm) < FrameSamples {
		return 0, fmt.Errorf("%w: got a %d-sample buffer", ErrFrameSize, len(pcm))
	}
	n, err := d.dec.Decode(packet, pcm[:len(pcm):len(pcm)])
	if err != nil {
		return 0, fmt.Errorf("opus: decode %d-byte packet into %d samples: %w", len(packet), len(pcm), err)
	}
	return n, nil
}

// DecodeFEC recovers the 20 ms frame lost just before nextPacket from the
// redundancy nextPacket carries, writing FrameSamples samples to pcm. Call
// it before Decode(nextPacket). Without FEC data libopus falls back to
// concealment.
func (d *Decoder) DecodeFEC(nextPacket []byte, pcm []int16) error {
	if len(nextPacket) == 0 {
		return ErrEmptyPacket
	}
	if len(pcm) < FrameSamples {
		return fmt.Errorf("%w: got a %d-sample buffer", ErrFrameSize, len(pcm))
	}
	// The frame size passed to libopus must equal the lost duration exactly.
	if err := d.dec.DecodeFEC(nextPacket, pcm[:FrameSamples:FrameSamples]); err != nil {
		return fmt.Errorf("opus: recover lost frame from %d-byte packet: %w", len(nextPacket), err)
	}
	return nil
}

// Conceal synthesises FrameSamples samples for a lost packet from the
// decoder's history (packet-loss concealment), writing them to pcm.
func (d *Decoder) Conceal(pcm []int16) error {
	if len(pcm) < FrameSamples {
		return fmt.Errorf("%w: got a %d-sample buffer", ErrFrameSize, len(pcm))
	}
	if err := d.dec.DecodePLC(pcm[:FrameSamples:FrameSamples]); err != nil {
		return fmt.Errorf("opus: conceal lost frame: %w", err)
	}
	return nil
}
