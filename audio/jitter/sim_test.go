package jitter

import (
	"encoding/binary"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// The tests drive a Buffer with simulated streams on a fake clock: a sender
// emitting a packet every 20 ms of its own clock, a network adding delay,
// loss, duplicates and reordering, and a playout clock calling Pop every
// 20 ms of its own. Nothing waits for real time.

const frame = 20 * time.Millisecond

var epoch = time.Date(2030, 1, 1, 9, 0, 0, 0, time.UTC)

// stream describes what the sender sends and the network does to it.
type stream struct {
	n     int
	seq0  uint16
	ts0   uint32
	start time.Duration // when packet 0 is sent
	ppm   float64       // sender clock error; positive runs fast
	delay func(i int) time.Duration
	lost  func(i int) bool
	dups  func(i int) []time.Duration // extra copies, each with its own delay
}

type arrival struct {
	i   int
	seq uint16
	ts  uint32
	at  time.Duration
}

func (s stream) arrivals() []arrival {
	var out []arrival
	for i := range s.n {
		if s.lost != nil && s.lost(i) {
			continue
		}
		sent := s.start + time.Duration(float64(i)*float64(frame)/(1+s.ppm*1e-6))
		a := arrival{i: i, seq: s.seq0 + uint16(i), ts: s.ts0 + uint32(i)*960, at: sent}
		if s.delay != nil {
			a.at += s.delay(i)
		}
		out = append(out, a)
		if s.dups != nil {
			for _, d := range s.dups(i) {
				dup := a
				dup.at = sent + d
				out = append(out, dup)
			}
		}
	}
	slices.SortStableFunc(out, func(a, b arrival) int { return int(a.at - b.at) })
	return out
}

// player describes the playout clock.
type player struct {
	phase  time.Duration // time of the first Pop
	ppm    float64       // playout clock error; positive runs fast
	jitter func(k int) time.Duration
}

type popResult struct {
	k       int
	at      time.Duration
	kind    Kind
	i       int // packet index, for Normal
	seq     uint16
	ts      uint32
	latency time.Duration // Pop time minus arrival, for Normal
	peek    int           // after Lost: the packet PeekNext offers, or -1
	stats   Stats
}

func payload(i int) []byte {
	return binary.BigEndian.AppendUint64(nil, uint64(i))
}

// simulate plays arrivals into b and calls Pop pops times, reporting each.
func simulate(t testing.TB, b *Buffer, arr []arrival, pops int, p player, each func(r popResult)) {
	t.Helper()
	arrivedAt := map[int]time.Duration{}
	next := 0
	for k := range pops {
		at := p.phase + time.Duration(float64(k)*float64(frame)/(1+p.ppm*1e-6))
		if p.jitter != nil {
			at += p.jitter(k)
		}
		for ; next < len(arr) && arr[next].at <= at; next++ {
			a := arr[next]
			if _, ok := arrivedAt[a.i]; !ok {
				arrivedAt[a.i] = a.at
			}
			b.Push(a.seq, a.ts, payload(a.i), epoch.Add(a.at))
		}
		f := b.Pop(epoch.Add(at))
		r := popResult{k: k, at: at, kind: f.Kind, i: -1, seq: f.Seq, ts: f.Timestamp, peek: -1}
		switch f.Kind {
		case Normal:
			if len(f.Payload) != 8 {
				t.Fatalf("pop %d: payload of %d bytes", k, len(f.Payload))
			}
			r.i = int(binary.BigEndian.Uint64(f.Payload))
			r.latency = at - arrivedAt[r.i]
		case Lost:
			if next, ok := b.PeekNext(); ok {
				r.peek = int(binary.BigEndian.Uint64(next))
			}
		}
		r.stats = b.Stats()
		each(r)
	}
}

// collect runs simulate and returns every Pop's result.
func collect(t testing.TB, b *Buffer, arr []arrival, pops int, p player) []popResult {
	var rs []popResult
	simulate(t, b, arr, pops, p, func(r popResult) { rs = append(rs, r) })
	return rs
}

func newBuffer(t testing.TB, cfg Config) *Buffer {
	t.Helper()
	b, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// playedInOrder checks that Normal frames carry strictly increasing packet
// indexes with matching seq and ts, and returns them.
func playedInOrder(t testing.TB, s stream, rs []popResult) []int {
	t.Helper()
	var played []int
	for _, r := range rs {
		if r.kind != Normal {
			continue
		}
		if n := len(played); n > 0 && r.i <= played[n-1] {
			t.Fatalf("pop %d played packet %d after packet %d", r.k, r.i, played[n-1])
		}
		if r.seq != s.seq0+uint16(r.i) || r.ts != s.ts0+uint32(r.i)*960 {
			t.Fatalf("pop %d: packet %d has seq %d ts %d", r.k, r.i, r.seq, r.ts)
		}
		played = append(played, r.i)
	}
	return played
}

func uniform(rng *rand.Rand, max time.Duration) time.Duration {
	return time.Duration(rng.Int64N(int64(max)))
}
