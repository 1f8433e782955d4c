package dtmf

import (
	"encoding/binary"
	"fmt"
)

// PayloadSize is the size of one telephone-event payload.
const PayloadSize = 4

// Event is one RFC 4733 telephone-event payload:
//
//	 0                   1                   2                   3
//	|     event     |E|R| volume    |          duration             |
type Event struct {
	Code     uint8  // 0-9 the digits, 10 '*', 11 '#', 12-15 'A'-'D'
	End      bool   // the E bit: this is the event's final duration
	Volume   uint8  // power in −dBm0, 0..63
	Duration uint16 // since the event's timestamp, in RTP clock units
}

// Marshal returns the 4-byte payload.
func (e Event) Marshal() []byte {
	b := make([]byte, PayloadSize)
	e.put(b)
	return b
}

// MarshalTo writes the payload into b and returns PayloadSize.
func (e Event) MarshalTo(b []byte) (int, error) {
	if len(b) < PayloadSize {
		return 0, fmt.Errorf("dtmf: marshal event into %d bytes: need %d", len(b), PayloadSize)
	}
	e.put(b)
	return PayloadSize, nil
}

func (e Event) put(b []byte) {
	b[0] = e.Code
	b[1] = e.Volume & 0x3F
	if e.End {
		b[1] |= 0x80
	}
	binary.BigEndian.PutUint16(b[2:], e.Duration)
}

// Unmarshal parses a telephone-event payload. RFC 4733 allows several events
// in one payload (redundancy); Unmarshal reads the first. The reserved bit is
// ignored, as the RFC asks.
func (e *Event) Unmarshal(b []byte) error {
	if len(b) < PayloadSize {
		return fmt.Errorf("dtmf: telephone-event payload of %d bytes: need at least %d", len(b), PayloadSize)
	}
	*e = Event{
		Code:     b[0],
		End:      b[1]&0x80 != 0,
		Volume:   b[1] & 0x3F,
		Duration: binary.BigEndian.Uint16(b[2:]),
	}
	return nil
}

// Digit is the keypad digit of the event, and false for events that are not
// DTMF (flash, modem and fax tones).
func (e Event) Digit() (rune, bool) {
	if int(e.Code) < len(digits) {
		return rune(digits[e.Code]), true
	}
	return 0, false
}

// digits lists the DTMF events in code order.
const digits = "0123456789*#ABCD"

// Code is the event code of a keypad digit: 0-9, *, #, A-D (a-d accepted).
func Code(digit rune) (uint8, bool) {
	if digit >= 'a' && digit <= 'd' {
		digit -= 'a' - 'A'
	}
	for i, d := range digits {
		if d == digit {
			return uint8(i), true
		}
	}
	return 0, false
}
