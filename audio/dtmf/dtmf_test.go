package dtmf

import (
	"bytes"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestEventMarshal(t *testing.T) {
	tests := []struct {
		ev   Event
		want []byte
	}{
		{Event{Code: 5, Volume: 10, Duration: 960}, []byte{0x05, 0x0A, 0x03, 0xC0}},
		{Event{Code: 5, End: true, Volume: 10, Duration: 4800}, []byte{0x05, 0x8A, 0x12, 0xC0}},
		{Event{Code: 11, Volume: 63, Duration: 0xFFFF}, []byte{0x0B, 0x3F, 0xFF, 0xFF}},
		{Event{Code: 15, End: true}, []byte{0x0F, 0x80, 0x00, 0x00}},
	}
	for _, tt := range tests {
		if got := tt.ev.Marshal(); !bytes.Equal(got, tt.want) {
			t.Errorf("%+v marshals to % x, want % x", tt.ev, got, tt.want)
		}
		b := make([]byte, 6)
		if n, err := tt.ev.MarshalTo(b); n != PayloadSize || err != nil || !bytes.Equal(b[:4], tt.want) {
			t.Errorf("MarshalTo = %d, %v, % x", n, err, b)
		}
		var back Event
		if err := back.Unmarshal(tt.want); err != nil || back != tt.ev {
			t.Errorf("Unmarshal(% x) = %+v, %v; want %+v", tt.want, back, err, tt.ev)
		}
	}
}

func TestEventUnmarshalEdges(t *testing.T) {
	var ev Event
	if err := ev.Unmarshal([]byte{1, 2, 3}); err == nil {
		t.Error("3-byte payload parsed, want an error")
	}
	if _, err := (Event{}).MarshalTo(make([]byte, 3)); err == nil {
		t.Error("MarshalTo 3 bytes succeeded, want an error")
	}
	// The R bit is ignored; a redundant second event is not read.
	if err := ev.Unmarshal([]byte{0x03, 0xCA, 0x00, 0x10, 0x04, 0x0A, 0x00, 0x20}); err != nil {
		t.Fatal(err)
	}
	if want := (Event{Code: 3, End: true, Volume: 10, Duration: 16}); ev != want {
		t.Errorf("got %+v, want %+v", ev, want)
	}
	// Volume is 6 bits.
	if b := (Event{Volume: 0xFF}).Marshal(); b[1] != 0x3F {
		t.Errorf("volume 0xFF marshals as %#02x", b[1])
	}
}

func TestCodeAndDigit(t *testing.T) {
	for i, d := range "0123456789*#ABCD" {
		c, ok := Code(d)
		if !ok || int(c) != i {
			t.Errorf("Code(%q) = %d, %v; want %d", d, c, ok, i)
		}
		if got, ok := (Event{Code: c}).Digit(); !ok || got != d {
			t.Errorf("Event{Code: %d}.Digit() = %q, %v", c, got, ok)
		}
	}
	if c, ok := Code('b'); !ok || c != 13 {
		t.Errorf("Code('b') = %d, %v", c, ok)
	}
	for _, d := range ",E x+" {
		if _, ok := Code(d); ok {
			t.Errorf("Code(%q) ok, want not a digit", d)
		}
	}
	if _, ok := (Event{Code: 16}).Digit(); ok {
		t.Error("event 16 (flash) reads as a digit")
	}
}

func newEncoder(t testing.TB, cfg Config) *Encoder {
	t.Helper()
	e, err := NewEncoder(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// TestDigitPackets checks one digit's packets exactly: times, marker,
// durations growing by 960 at 48 kHz, and the end packet three times.
func TestDigitPackets(t *testing.T) {
	const ts = 123456
	pkts, err := newEncoder(t, Config{}).Digit('5', ts)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		at       time.Duration
		marker   bool
		end      bool
		duration uint16
	}{
		{0, true, false, 960},
		{20 * time.Millisecond, false, false, 1920},
		{40 * time.Millisecond, false, false, 2880},
		{60 * time.Millisecond, false, false, 3840},
		{80 * time.Millisecond, false, true, 4800},
		{100 * time.Millisecond, false, true, 4800},
		{120 * time.Millisecond, false, true, 4800},
	}
	if len(pkts) != len(want) {
		t.Fatalf("%d packets, want %d", len(pkts), len(want))
	}
	for i, w := range want {
		p := pkts[i]
		ev := Event{Code: 5, End: w.end, Volume: 10, Duration: w.duration}
		if p.At != w.at || p.Marker != w.marker || p.Timestamp != ts || p.Digit != '5' || p.Event != ev || !bytes.Equal(p.Payload, ev.Marshal()) {
			t.Errorf("packet %d = %+v; want at %v marker %v event %+v timestamp %d", i, p, w.at, w.marker, ev, ts)
		}
	}
}

func TestEndPacketSentThreeTimes(t *testing.T) {
	for _, cfg := range []Config{{}, {Duration: 20 * time.Millisecond}, {ClockRate: 8000, Duration: 240 * time.Millisecond}} {
		pkts, err := newEncoder(t, cfg).Sequence("123#*0ABCD", 0)
		if err != nil {
			t.Fatal(err)
		}
		ends := map[uint32][]Packet{}
		markers := map[uint32]int{}
		for _, p := range pkts {
			if p.Event.End {
				ends[p.Timestamp] = append(ends[p.Timestamp], p)
			}
			if p.Marker {
				markers[p.Timestamp]++
			}
		}
		if len(ends) != 10 || len(markers) != 10 {
			t.Fatalf("%+v: %d events with ends, %d with markers; want 10", cfg, len(ends), len(markers))
		}
		for ts, e := range ends {
			if len(e) != 3 {
				t.Errorf("%+v: event at %d: end packet sent %d times, want 3", cfg, ts, len(e))
			}
			for i, p := range e {
				if !bytes.Equal(p.Payload, e[0].Payload) || p.At != e[0].At+PacketInterval*time.Duration(i) {
					t.Errorf("%+v: event at %d: end repeats differ or are mistimed: %+v", cfg, ts, e)
				}
			}
			if markers[ts] != 1 {
				t.Errorf("%+v: event at %d: %d marker packets, want 1", cfg, ts, markers[ts])
			}
		}
	}
}

// TestSequenceSchedule checks the start of each digit, the RTP timestamps
// that follow from it, and ',' pauses.
func TestSequenceSchedule(t *testing.T) {
	tests := []struct {
		dial   string
		cfg    Config
		starts []time.Duration
	}{
		{"12", Config{}, []time.Duration{0, 200 * time.Millisecond}},
		{"1,2", Config{}, []time.Duration{0, 700 * time.Millisecond}},
		{",1", Config{}, []time.Duration{500 * time.Millisecond}},
		{"1,,2,", Config{}, []time.Duration{0, 1200 * time.Millisecond}},
		{"123", Config{Duration: 60 * time.Millisecond, Gap: 40 * time.Millisecond}, []time.Duration{0, 100 * time.Millisecond, 200 * time.Millisecond}},
		{"9,9", Config{Pause: 2 * time.Second}, []time.Duration{0, 2200 * time.Millisecond}},
		{"", Config{}, nil},
		{",", Config{}, nil},
	}
	for _, tt := range tests {
		for _, rate := range []int{48000, 8000} {
			tt.cfg.ClockRate = rate
			const ts0 = 0xFFFFF000 // wraps during the sequence
			pkts, err := newEncoder(t, tt.cfg).Sequence(tt.dial, ts0)
			if err != nil {
				t.Fatal(err)
			}
			var starts []time.Duration
			for i, p := range pkts {
				if p.Marker {
					starts = append(starts, p.At)
					if want := uint32(ts0) + uint32(int64(p.At)*int64(rate)/int64(time.Second)); p.Timestamp != want {
						t.Errorf("%q at %d Hz: event at %v has timestamp %d, want %d", tt.dial, rate, p.At, p.Timestamp, want)
					}
				}
				if i > 0 && p.At < pkts[i-1].At {
					t.Errorf("%q: packets out of order at %d", tt.dial, i)
				}
				if p.At%PacketInterval != 0 {
					t.Errorf("%q: packet at %v, not on a 20 ms tick", tt.dial, p.At)
				}
			}
			if !slices.Equal(starts, tt.starts) {
				t.Errorf("%q at %d Hz: digits start at %v, want %v", tt.dial, rate, starts, tt.starts)
			}
		}
	}
}

func TestEncoderRejects(t *testing.T) {
	e := newEncoder(t, Config{})
	if _, err := e.Digit('x', 0); err == nil {
		t.Error("Digit('x') succeeded")
	}
	if _, err := e.Digit(',', 0); err == nil {
		t.Error("Digit(',') succeeded")
	}
	pkts, err := e.Sequence("12x3", 0)
	if err == nil || pkts != nil || !strings.Contains(err.Error(), "position 2") {
		t.Errorf("Sequence(\"12x3\") = %d packets, %v; want none and an error naming position 2", len(pkts), err)
	}
	bad := []Config{
		{ClockRate: 44100 + 1},
		{ClockRate: -8000},
		{Duration: 10 * time.Millisecond},
		{Duration: 110 * time.Millisecond},
		{Duration: 2 * time.Second},
		{Gap: 20 * time.Millisecond},
		{Gap: 50 * time.Millisecond},
		{Pause: 10 * time.Millisecond},
		{Volume: 64},
	}
	for _, cfg := range bad {
		if _, err := NewEncoder(cfg); err == nil {
			t.Errorf("NewEncoder(%+v) succeeded, want an error", cfg)
		}
	}
	got := newEncoder(t, Config{}).Config()
	if want := (Config{ClockRate: 48000, Duration: 100 * time.Millisecond, Gap: 100 * time.Millisecond, Pause: 500 * time.Millisecond, Volume: 10}); got != want {
		t.Errorf("defaults %+v, want %+v", got, want)
	}
}

// decodeAll feeds packets to a fresh Decoder and returns the digits.
func decodeAll(t testing.TB, pkts []Packet) string {
	t.Helper()
	d := NewDecoder()
	var out []rune
	for _, p := range pkts {
		digit, ok, err := d.Decode(p.Timestamp, p.Payload)
		if err != nil {
			t.Fatal(err)
		}
		if ok {
			out = append(out, digit)
		}
	}
	return string(out)
}

const allDigits = "123#*0ABCD"

func TestRoundTrip(t *testing.T) {
	for _, cfg := range []Config{{}, {ClockRate: 8000}, {Duration: 20 * time.Millisecond, Gap: 40 * time.Millisecond}} {
		pkts, err := newEncoder(t, cfg).Sequence(allDigits+",5500,99", 42)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := decodeAll(t, pkts), allDigits+"550099"; got != want {
			t.Errorf("%+v: decoded %q, want %q", cfg, got, want)
		}
	}
}

func TestLossOfAnySinglePacket(t *testing.T) {
	pkts, err := newEncoder(t, Config{}).Sequence(allDigits, 0xFFFF0000)
	if err != nil {
		t.Fatal(err)
	}
	for i := range pkts {
		lossy := slices.Delete(slices.Clone(pkts), i, i+1)
		if got := decodeAll(t, lossy); got != allDigits {
			t.Errorf("without packet %d (%+v): decoded %q, want %q", i, pkts[i], got, allDigits)
		}
	}
}

// TestLossPatterns drops whole classes of packets; any surviving packet of
// an event is enough.
func TestLossPatterns(t *testing.T) {
	pkts, err := newEncoder(t, Config{}).Sequence(allDigits, 7)
	if err != nil {
		t.Fatal(err)
	}
	keep := func(f func(i int, p Packet) bool) []Packet {
		var out []Packet
		for i, p := range pkts {
			if f(i, p) {
				out = append(out, p)
			}
		}
		return out
	}
	tests := []struct {
		name string
		pkts []Packet
	}{
		{"no first packets", keep(func(_ int, p Packet) bool { return !p.Marker })},
		{"no end packets", keep(func(_ int, p Packet) bool { return !p.Event.End })},
		{"only the last end repeat", keep(func(i int, p Packet) bool {
			return p.Event.End && (i+1 == len(pkts) || pkts[i+1].Timestamp != p.Timestamp)
		})},
		{"only first packets", keep(func(_ int, p Packet) bool { return p.Marker })},
		{"two end repeats lost", keep(func(i int, p Packet) bool { return !p.Event.End || pkts[i-1].Event.End && pkts[i-2].Event.End })},
	}
	for _, tt := range tests {
		if got := decodeAll(t, tt.pkts); got != allDigits {
			t.Errorf("%s: decoded %q, want %q", tt.name, got, allDigits)
		}
	}
}

func TestDuplicatesAndReordering(t *testing.T) {
	pkts, err := newEncoder(t, Config{}).Sequence(allDigits, 99)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(3, 4))
	for range 200 {
		var net []Packet
		for _, p := range pkts {
			net = append(net, p)
			if rng.IntN(4) == 0 {
				net = append(net, p) // duplicated by the network
			}
		}
		// Swap neighbours, including across events: a straggler of the
		// previous digit after the next one began.
		for i := 1; i < len(net); i++ {
			if rng.IntN(5) == 0 {
				net[i-1], net[i] = net[i], net[i-1]
			}
		}
		if got := decodeAll(t, net); got != allDigits {
			t.Fatalf("decoded %q, want %q", got, allDigits)
		}
	}
}

// TestRandomLoss: with heavy loss, every digit with at least one surviving
// packet comes out, once, in order; the others are missing, never invented.
func TestRandomLoss(t *testing.T) {
	pkts, err := newEncoder(t, Config{}).Sequence(strings.Repeat(allDigits, 5), 0xFFF00000)
	if err != nil {
		t.Fatal(err)
	}
	for seed := range uint64(200) {
		rng := rand.New(rand.NewPCG(seed, 5))
		var net []Packet
		var want []rune
		for _, p := range pkts {
			if rng.Float64() < 0.6 {
				continue
			}
			net = append(net, p)
			if len(want) == 0 || net[len(net)-2].Timestamp != p.Timestamp {
				want = append(want, p.Digit)
			}
		}
		if got := decodeAll(t, net); got != string(want) {
			t.Fatalf("seed %d: decoded %q, want %q", seed, got, string(want))
		}
	}
}

// TestDecoderTransitions drives the Decoder packet by packet, one row per
// packet, with what it should report.
func TestDecoderTransitions(t *testing.T) {
	ev := func(code uint8, end bool, dur uint16) []byte {
		return Event{Code: code, End: end, Volume: 10, Duration: dur}.Marshal()
	}
	steps := []struct {
		name    string
		ts      uint32
		payload []byte
		digit   rune // 0: nothing reported
		err     bool
	}{
		{"first packet of 1", 1000, ev(1, false, 960), '1', false},
		{"progress", 1000, ev(1, false, 1920), 0, false},
		{"end", 1000, ev(1, true, 4800), 0, false},
		{"end repeat", 1000, ev(1, true, 4800), 0, false},
		{"malformed", 1000, []byte{1}, 0, true},
		{"flash is not DTMF", 20000, ev(16, false, 960), 0, false},
		{"same digit, new timestamp", 20000, ev(1, false, 960), '1', false},
		{"straggler of the earlier 1", 1000, ev(1, true, 4800), 0, false},
		{"different code, same timestamp", 20000, ev(2, false, 960), '2', false},
		{"end of it", 20000, ev(2, true, 4800), 0, false},
		{"# after a long silence", 20000 + 10*48000, ev(11, false, 960), '#', false},
		{"timestamp jumped: new stream", 0x80000000 + 500000, ev(4, false, 960), '4', false},
		{"straggler 1 s behind it", 0x80000000 + 500000 - 48000, ev(4, true, 4800), 0, false},
		{"long event, first segment", 100000, ev(7, false, 0xFFFF), '7', false},
		{"long event, next segment", 100000 + 0xFFFF, ev(7, false, 960), 0, false},
		{"long event ends", 100000 + 0xFFFF, ev(7, true, 9600), 0, false},
		{"7 again after it ended", 100000 + 2*0xFFFF, ev(7, false, 960), '7', false},
	}
	d := NewDecoder()
	for _, s := range steps {
		digit, ok, err := d.Decode(s.ts, s.payload)
		if (err != nil) != s.err {
			t.Fatalf("%s: err = %v", s.name, err)
		}
		if ok != (s.digit != 0) || digit != s.digit {
			t.Fatalf("%s: Decode = %q, %v; want %q", s.name, digit, ok, s.digit)
		}
	}
}

func BenchmarkSequence(b *testing.B) {
	e := newEncoder(b, Config{})
	for b.Loop() {
		if _, err := e.Sequence(allDigits, 0); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecode(b *testing.B) {
	pkts, err := newEncoder(b, Config{}).Sequence(allDigits, 0)
	if err != nil {
		b.Fatal(err)
	}
	d := NewDecoder()
	for i := 0; b.Loop(); i++ {
		p := pkts[i%len(pkts)]
		if _, _, err := d.Decode(p.Timestamp, p.Payload); err != nil {
			b.Fatal(err)
		}
	}
}
