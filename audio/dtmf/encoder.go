package dtmf

import (
	"fmt"
	"time"
)

// PacketInterval is how often an event's packets go out, as audio's do.
const PacketInterval = 20 * time.Millisecond

// endRepeats is how many times the final (E bit) packet is sent, as
// RFC 4733 section 2.5.1.4 recommends.
const endRepeats = 3

// Defaults for a zero Config field.
const (
	DefaultClockRate = 48000
	DefaultDuration  = 100 * time.Millisecond
	DefaultGap       = 100 * time.Millisecond
	DefaultPause     = 500 * time.Millisecond
	DefaultVolume    = 10
)

// Config sets how digits are sent. Zero fields take the defaults.
type Config struct {
	// ClockRate is the telephone-event RTP clock, the rate in the SDP's
	// "telephone-event/48000". Default 48000.
	ClockRate int
	// Duration is how long each digit sounds, a multiple of PacketInterval,
	// at most 1 s. Default 100 ms.
	Duration time.Duration
	// Gap is the silence from the end of one digit to the start of the next,
	// a multiple of PacketInterval and at least 40 ms so that the final
	// packet's repeats are out first. Default 100 ms.
	Gap time.Duration
	// Pause is the extra silence a ',' adds. Default 500 ms.
	Pause time.Duration
	// Volume is the tone power in −dBm0, 1..63. Default 10 (−10 dBm0).
	Volume uint8
}

func (c Config) withDefaults() (Config, error) {
	if c.ClockRate == 0 {
		c.ClockRate = DefaultClockRate
	}
	if c.Duration == 0 {
		c.Duration = DefaultDuration
	}
	if c.Gap == 0 {
		c.Gap = DefaultGap
	}
	if c.Pause == 0 {
		c.Pause = DefaultPause
	}
	if c.Volume == 0 {
		c.Volume = DefaultVolume
	}
	switch {
	case c.ClockRate < 0 || c.ClockRate%int(time.Second/PacketInterval) != 0:
		return c, fmt.Errorf("dtmf: clock rate %d: must be a positive multiple of 50 Hz, such as 8000 or 48000", c.ClockRate)
	case c.Duration < PacketInterval || c.Duration > time.Second || c.Duration%PacketInterval != 0:
		return c, fmt.Errorf("dtmf: digit duration %v: must be a multiple of %v up to 1s", c.Duration, PacketInterval)
	case c.Gap < (endRepeats-1)*PacketInterval || c.Gap%PacketInterval != 0:
		return c, fmt.Errorf("dtmf: gap %v: must be a multiple of %v of at least %v", c.Gap, PacketInterval, (endRepeats-1)*PacketInterval)
	case c.Pause < 0 || c.Pause%PacketInterval != 0:
		return c, fmt.Errorf("dtmf: pause %v: must be a multiple of %v", c.Pause, PacketInterval)
	case c.Volume > 63:
		return c, fmt.Errorf("dtmf: volume %d: must be 0..63 (−dBm0)", c.Volume)
	}
	if uint64(c.Duration)*uint64(c.ClockRate)/uint64(time.Second) > 0xFFFF {
		return c, fmt.Errorf("dtmf: digit duration %v is too long for one event at %d Hz", c.Duration, c.ClockRate)
	}
	return c, nil
}

// Packet is one telephone-event RTP packet to send. The caller puts it in
// the audio stream's RTP session: same SSRC, the next sequence number, the
// negotiated telephone-event payload type, and Marker and Timestamp as given.
type Packet struct {
	// At is when to send it, from the start of the digit or sequence: a
	// multiple of PacketInterval, so it lines up with the audio ticks. At
	// corresponds to RTP time ts + At×ClockRate, where ts is the timestamp
	// passed to Digit or Sequence.
	At        time.Duration
	Timestamp uint32 // the event's start; the same for all its packets
	Marker    bool   // set on the event's first packet
	Digit     rune
	Event     Event
	Payload   []byte // Event, marshalled
}

// Encoder turns digits into scheduled telephone-event packets. Each digit
// is one event: a packet every 20 ms whose duration grows by 20 ms of clock,
// the first with the marker bit, the last with the E bit, sent three times
// with the same timestamp and duration. It holds no state between calls and
// is safe for concurrent use.
type Encoder struct {
	cfg Config
}

// NewEncoder checks cfg, fills in its defaults, and returns an Encoder.
func NewEncoder(cfg Config) (*Encoder, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	return &Encoder{cfg: cfg}, nil
}

// Config is the Encoder's configuration, defaults filled in.
func (e *Encoder) Config() Config { return e.cfg }

// Digit returns the packets for one digit whose tone starts at RTP
// timestamp ts.
func (e *Encoder) Digit(digit rune, ts uint32) ([]Packet, error) {
	code, ok := Code(digit)
	if !ok {
		return nil, fmt.Errorf("dtmf: %q is not a DTMF digit; use 0-9, *, #, or A-D", digit)
	}
	return e.appendEvent(nil, digit, code, ts, 0), nil
}

// Sequence returns the packets for a dialled string, in sending order:
// digits 0-9 * # A-D, each sounding Duration and separated by Gap, and ','
// for a further Pause. ts is the RTP timestamp at At = 0. It checks the
// whole string first, so on error nothing is scheduled.
func (e *Encoder) Sequence(dial string, ts uint32) ([]Packet, error) {
	for i, r := range dial {
		if _, ok := Code(r); !ok && r != ',' {
			return nil, fmt.Errorf("dtmf: %q at position %d of %q is not a DTMF digit or ','; use 0-9, *, #, A-D, or ',' to pause", r, i, dial)
		}
	}
	var pkts []Packet
	var at time.Duration
	for _, r := range dial {
		if r == ',' {
			at += e.cfg.Pause
			continue
		}
		code, _ := Code(r)
		pkts = e.appendEvent(pkts, r, code, ts+e.ticks(at), at)
		at += e.cfg.Duration + e.cfg.Gap
	}
	return pkts, nil
}

// ticks converts a duration to RTP clock units.
func (e *Encoder) ticks(d time.Duration) uint32 {
	return uint32(int64(d) * int64(e.cfg.ClockRate) / int64(time.Second))
}

func (e *Encoder) appendEvent(pkts []Packet, digit rune, code uint8, ts uint32, start time.Duration) []Packet {
	n := int(e.cfg.Duration / PacketInterval)
	step := e.ticks(PacketInterval)
	add := func(at time.Duration, ev Event, marker bool) {
		pkts = append(pkts, Packet{
			At:        at,
			Timestamp: ts,
			Marker:    marker,
			Digit:     digit,
			Event:     ev,
			Payload:   ev.Marshal(),
		})
	}
	for k := range n {
		ev := Event{Code: code, Volume: e.cfg.Volume, Duration: uint16(uint32(k+1) * step)}
		at := start + time.Duration(k)*PacketInterval
		if k < n-1 {
			add(at, ev, k == 0)
			continue
		}
		ev.End = true
		for r := range endRepeats {
			add(at+time.Duration(r)*PacketInterval, ev, k == 0 && r == 0)
		}
	}
	return pkts
}
