package dtmf

// staleWindow is how far behind the latest event, in RTP clock units, a
// packet counts as a leftover of an earlier event rather than a new one:
// 21 s at 48 kHz. Beyond it, the timestamp has moved on too far to compare.
const staleWindow = 1 << 20

// Decoder turns received telephone-event packets into digits, each exactly
// once. It keys events by RTP timestamp, as RFC 4733 does: every packet of
// an event carries the event's start timestamp, so any one of them is
// enough to report the digit, and the progress packets and the repeated end
// packets that follow are recognized as the same event. So losing the first
// packet (and its marker bit), or some end packets, loses nothing. The
// marker bit is therefore not needed. The zero Decoder is ready to use; it
// is not safe for concurrent use.
type Decoder struct {
	started     bool
	ts          uint32 // timestamp of the latest event
	code        uint8
	ended       bool   // an end packet of the latest event has arrived
	maxDuration uint16 // longest duration seen for the latest event
}

// NewDecoder returns a Decoder waiting for its first event.
func NewDecoder() *Decoder { return &Decoder{} }

// Decode takes one received telephone-event payload and its RTP timestamp.
// It returns the digit and true when the packet starts a new DTMF event, and
// false for the rest of an event already reported, for a late packet of an
// earlier event, and for non-DTMF events. It fails only on a malformed
// payload.
func (d *Decoder) Decode(ts uint32, payload []byte) (rune, bool, error) {
	var ev Event
	if err := ev.Unmarshal(payload); err != nil {
		return 0, false, err
	}
	digit, isDTMF := ev.Digit()
	if !isDTMF {
		return 0, false, nil
	}
	if d.started {
		behind := d.ts - ts
		switch {
		case ts == d.ts && ev.Code == d.code:
			d.update(ev)
			return 0, false, nil
		case ts != d.ts && behind < staleWindow:
			return 0, false, nil // an earlier event's straggler
		case d.continues(ts, ev):
			// A long event split into segments (RFC 4733 section 2.5.2.3):
			// the same press, not a new one.
			d.ts, d.maxDuration = ts, 0
			d.update(ev)
			return 0, false, nil
		}
	}
	d.started, d.ts, d.code, d.ended, d.maxDuration = true, ts, ev.Code, false, 0
	d.update(ev)
	return digit, true, nil
}

func (d *Decoder) update(ev Event) {
	d.maxDuration = max(d.maxDuration, ev.Duration)
	d.ended = d.ended || ev.End
}

// continues reports whether ev starts the next segment of the latest event:
// same code, the previous segment unended at the maximum duration, and the
// timestamp advanced by exactly that duration.
func (d *Decoder) continues(ts uint32, ev Event) bool {
	return ev.Code == d.code && !d.ended && d.maxDuration == 0xFFFF && ts-d.ts == 0xFFFF
}
