package jitter

import (
	"math/rand/v2"
	"sync"
	"testing"
	"time"
)

func TestConfig(t *testing.T) {
	b := newBuffer(t, Config{})
	want := Config{ClockRate: 48000, FrameSamples: 960, MinDelay: 20 * time.Millisecond, MaxDelay: 200 * time.Millisecond, StartDelay: 40 * time.Millisecond}
	if got := b.Config(); got != want {
		t.Errorf("defaults %+v, want %+v", got, want)
	}
	bad := []Config{
		{ClockRate: -1},
		{FrameSamples: -960},
		{ClockRate: 8000, FrameSamples: 0, MaxDelay: 1}, // MaxDelay under two frames
		{MinDelay: 300 * time.Millisecond},
		{MinDelay: -time.Millisecond},
		{MaxDelay: 30 * time.Millisecond},
		{MaxDelay: time.Minute},
		{StartDelay: 250 * time.Millisecond},
		{StartDelay: -time.Millisecond},
	}
	for _, cfg := range bad {
		if _, err := New(cfg); err == nil {
			t.Errorf("New(%+v) succeeded, want an error", cfg)
		}
	}
	if _, err := New(Config{ClockRate: 8000, FrameSamples: 160}); err != nil {
		t.Errorf("PCMU config: %v", err)
	}
}

func TestKindString(t *testing.T) {
	for k, want := range map[Kind]string{Empty: "Empty", Normal: "Normal", Lost: "Lost", Inserted: "Inserted", 9: "Kind(9)"} {
		if got := k.String(); got != want {
			t.Errorf("Kind %d = %q, want %q", k, got, want)
		}
	}
}

// TestStartsAfterStartDelay: the first packet plays at the first Pop at
// least StartDelay after it arrived, however few packets have come.
func TestStartsAfterStartDelay(t *testing.T) {
	tests := []struct {
		start     time.Duration
		firstPlay int // index of the first Pop that plays
	}{
		{time.Nanosecond, 1},        // packet 0 arrives at 3 ms; Pop 1 at 20 ms
		{40 * time.Millisecond, 3},  // 43 ms → Pop at 60 ms
		{100 * time.Millisecond, 6}, // 103 ms → Pop at 120 ms
	}
	for _, tt := range tests {
		b := newBuffer(t, Config{StartDelay: tt.start, MinDelay: tt.start})
		s := stream{n: 50, start: 3 * time.Millisecond}
		rs := collect(t, b, s.arrivals(), 50, player{})
		for _, r := range rs[:tt.firstPlay] {
			if r.kind != Empty {
				t.Errorf("StartDelay %v: pop %d is %v, want Empty", tt.start, r.k, r.kind)
			}
		}
		if r := rs[tt.firstPlay]; r.kind != Normal || r.i != 0 {
			t.Errorf("StartDelay %v: pop %d is %v packet %d, want Normal packet 0", tt.start, r.k, r.kind, r.i)
		}
	}

	// A single packet is enough.
	b := newBuffer(t, Config{})
	b.Push(1, 960, []byte{7}, epoch)
	if f := b.Pop(epoch.Add(39 * time.Millisecond)); f.Kind != Empty {
		t.Errorf("at 39 ms: %v, want Empty", f.Kind)
	}
	if f := b.Pop(epoch.Add(40 * time.Millisecond)); f.Kind != Normal || f.Seq != 1 || f.Timestamp != 960 || string(f.Payload) != "\x07" {
		t.Errorf("at 40 ms: %+v, want packet 1", f)
	}
	if f := newBuffer(t, Config{}).Pop(epoch); f.Kind != Empty {
		t.Errorf("Pop before any Push: %v", f.Kind)
	}
}

// TestInOrderNoJitter: a clean stream plays every packet in order, with no
// loss, at a latency between MinDelay and StartDelay plus the Pop phase.
func TestInOrderNoJitter(t *testing.T) {
	for _, phase := range []time.Duration{0, 1 * time.Millisecond, 7 * time.Millisecond, 13 * time.Millisecond, 19900 * time.Microsecond} {
		b := newBuffer(t, Config{})
		s := stream{n: 3000, seq0: 1000, ts0: 555}
		rs := collect(t, b, s.arrivals(), 3000, player{phase: phase})
		played := playedInOrder(t, s, rs)
		var latencies []time.Duration
		for _, r := range rs {
			if r.kind == Lost {
				t.Fatalf("phase %v: pop %d Lost", phase, r.k)
			}
			if r.kind == Normal {
				latencies = append(latencies, r.latency)
			}
		}
		if len(played) < 2990 {
			t.Errorf("phase %v: played %d packets", phase, len(played))
		}
		for i, l := range latencies {
			if l > 40*time.Millisecond+frame || (i > 100 && l < 20*time.Millisecond-frame) {
				t.Errorf("phase %v: latency %v of packet %d", phase, l, played[i])
				break
			}
		}
		st := rs[len(rs)-1].stats
		if st.Delay < 20*time.Millisecond || st.Delay > 60*time.Millisecond || st.Lost != 0 || st.Late != 0 || st.Concealed > 1 || st.Dropped > 1 {
			t.Errorf("phase %v: %+v", phase, st)
		}
	}
}

// TestRandomLoss: with 10 % loss, every received packet plays once in order
// and each lost one is a Lost frame at its own slot, with PeekNext offering
// the following packet when it has come.
func TestRandomLoss(t *testing.T) {
	rng := rand.New(rand.NewPCG(10, 10))
	lost := map[int]bool{}
	s := stream{n: 5000, lost: func(i int) bool {
		if i > 0 && rng.Float64() < 0.1 {
			lost[i] = true
		}
		return lost[i]
	}}
	arr := s.arrivals()
	b := newBuffer(t, Config{})
	rs := collect(t, b, arr, 5000, player{phase: 5 * time.Millisecond})
	played := playedInOrder(t, s, rs)
	last := played[len(played)-1]
	if want := last + 1 - countBelow(lost, last); len(played) != want {
		t.Errorf("played %d packets, want %d", len(played), want)
	}
	lostFrames, peeks := 0, 0
	for _, r := range rs {
		if r.kind != Lost {
			continue
		}
		i := int((r.ts - s.ts0) / 960)
		if !lost[i] {
			t.Fatalf("pop %d: Lost frame for packet %d, which was sent", r.k, i)
		}
		lostFrames++
		if r.peek >= 0 {
			peeks++
			if r.peek != i+1 {
				t.Fatalf("pop %d: after losing %d PeekNext gave %d", r.k, i, r.peek)
			}
		}
	}
	if want := countBelow(lost, last); lostFrames != want {
		t.Errorf("%d Lost frames, want %d", lostFrames, want)
	}
	if peeks < lostFrames*8/10 {
		t.Errorf("PeekNext had the next packet for %d of %d losses", peeks, lostFrames)
	}
	st := b.Stats()
	if st.Lost != uint64(lostFrames) || st.Late != 0 || st.Delay > 60*time.Millisecond {
		t.Errorf("stats %+v", st)
	}
}

func countBelow(set map[int]bool, n int) int {
	c := 0
	for i := range set {
		if i < n {
			c++
		}
	}
	return c
}

// TestRandomJitter: with up to 30 ms of random delay per packet (so packets
// also overtake each other), the buffer settles within seconds to a delay
// with no underruns and stays far below MaxDelay.
func TestRandomJitter(t *testing.T) {
	for _, seed := range []uint64{1, 2, 3} {
		rng := rand.New(rand.NewPCG(seed, 30))
		s := stream{n: 30000, delay: func(int) time.Duration { return 10*time.Millisecond + uniform(rng, 30*time.Millisecond) }}
		b := newBuffer(t, Config{})
		const settle = 250 // 5 s
		var maxDelay, maxLatency time.Duration
		losses := 0
		simulate(t, b, s.arrivals(), 30000, player{phase: 3 * time.Millisecond}, func(r popResult) {
			maxDelay = max(maxDelay, r.stats.Delay)
			maxLatency = max(maxLatency, r.latency)
			if r.k > settle && (r.kind == Lost || r.kind == Inserted) {
				losses++
			}
		})
		st := b.Stats()
		t.Logf("seed %d: %+v; delay ≤ %v, latency ≤ %v", seed, st, maxDelay, maxLatency)
		if losses > 0 || st.Late > 5 || st.Dropped+st.Concealed > 10 {
			t.Errorf("seed %d: %d Lost or Inserted frames after settling; %+v", seed, losses, st)
		}
		if maxDelay > 120*time.Millisecond || maxLatency > 150*time.Millisecond {
			t.Errorf("seed %d: delay up to %v, latency up to %v", seed, maxDelay, maxLatency)
		}
		if st.Jitter < 7*time.Millisecond || st.Jitter > 13*time.Millisecond {
			t.Errorf("seed %d: jitter estimate %v, want about 10 ms", seed, st.Jitter)
		}
		if st.Target < 30*time.Millisecond || st.Target > 60*time.Millisecond || st.Delay < st.Target-5*time.Millisecond {
			t.Errorf("seed %d: target %v, delay %v", seed, st.Target, st.Delay)
		}
	}
}

// TestReordering: packets that overtake their predecessor still play in
// order with nothing lost.
func TestReordering(t *testing.T) {
	s := stream{n: 2000, delay: func(i int) time.Duration {
		switch i % 7 {
		case 3:
			return 15 * time.Millisecond // arrives after packet 4
		case 5:
			return 30 * time.Millisecond // arrives after packet 6
		}
		return 0
	}}
	b := newBuffer(t, Config{})
	rs := collect(t, b, s.arrivals(), 2000, player{phase: 2 * time.Millisecond})
	played := playedInOrder(t, s, rs)
	st := b.Stats()
	if len(played) < 1990 || st.Lost != 0 || st.Late != 0 {
		t.Errorf("played %d, stats %+v", len(played), st)
	}
}

// TestDuplicates: copies are discarded and counted; each packet plays once.
func TestDuplicates(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 4))
	copies := 0
	s := stream{n: 2000, dups: func(i int) []time.Duration {
		if i%3 != 0 {
			return nil
		}
		copies++
		return []time.Duration{uniform(rng, 15*time.Millisecond)}
	}}
	arr := s.arrivals()
	b := newBuffer(t, Config{})
	rs := collect(t, b, arr, 2000, player{phase: 9 * time.Millisecond})
	played := playedInOrder(t, s, rs)
	st := b.Stats()
	if len(played)+int(st.Dropped) < 1995 || st.Lost != 0 || st.Duplicates+st.Late != uint64(copies) {
		t.Errorf("played %d; %d copies sent; stats %+v", len(played), copies, st)
	}
}

// TestWrap: sequence numbers wrap at 65535 and timestamps at 2³², at once,
// under jitter.
func TestWrap(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	s := stream{n: 400, seq0: 65500, ts0: 1<<32 - 150*960 + 17, delay: func(int) time.Duration { return uniform(rng, 10*time.Millisecond) }}
	b := newBuffer(t, Config{})
	rs := collect(t, b, s.arrivals(), 400, player{phase: 4 * time.Millisecond})
	played := playedInOrder(t, s, rs)
	st := b.Stats()
	if len(played)+int(st.Dropped)+int(st.Buffered) != 400 || played[0] != 0 {
		t.Errorf("played %d of 400 across the wrap, from %d", len(played), played[0])
	}
	if st.Lost != 0 || st.Resyncs != 0 || st.Late != 0 {
		t.Errorf("stats %+v", st)
	}
}

// TestClockDrift runs a simulated hour with the sender's clock 100 ppm fast
// or slow against the playout clock, or the playout clock off instead, with
// some network jitter on top. The delay must stay bounded, corrected by a
// few dropped or inserted frames (100 ppm is 18 frames an hour).
func TestClockDrift(t *testing.T) {
	const hour = 180000 // frames
	tests := []struct {
		name                string
		senderPPM, playPPM  float64
		maxDrops, maxInsert uint64
	}{
		{"sender fast", 100, 0, 25, 2},
		{"sender slow", -100, 0, 2, 25},
		{"playout fast", 0, 100, 2, 25},
		{"playout slow", 0, -100, 25, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(6, 6))
			s := stream{n: hour + 100, ppm: tt.senderPPM, ts0: 1 << 31, delay: func(int) time.Duration {
				return 20*time.Millisecond + uniform(rng, 8*time.Millisecond)
			}}
			b := newBuffer(t, Config{})
			var maxDelay, maxLatency, lateLatency time.Duration
			lost := 0
			simulate(t, b, s.arrivals(), hour, player{phase: 11 * time.Millisecond, ppm: tt.playPPM}, func(r popResult) {
				maxDelay = max(maxDelay, r.stats.Delay)
				maxLatency = max(maxLatency, r.latency)
				if r.k > hour-30000 { // the last 10 minutes
					lateLatency = max(lateLatency, r.latency)
				}
				if r.k > 250 && r.kind == Lost {
					lost++
				}
			})
			st := b.Stats()
			t.Logf("%+v; delay ≤ %v; latency ≤ %v, last 10 min ≤ %v", st, maxDelay, maxLatency, lateLatency)
			if maxDelay > b.Config().MaxDelay || maxLatency > b.Config().MaxDelay {
				t.Errorf("delay reached %v, latency %v", maxDelay, maxLatency)
			}
			if lateLatency > 80*time.Millisecond {
				t.Errorf("latency in the last 10 minutes reached %v", lateLatency)
			}
			if st.Dropped > tt.maxDrops || st.Concealed > tt.maxInsert || lost > 10 || st.Resyncs != 0 {
				t.Errorf("dropped %d (≤ %d), concealed %d (≤ %d), lost %d after settling, resyncs %d",
					st.Dropped, tt.maxDrops, st.Concealed, tt.maxInsert, lost, st.Resyncs)
			}
		})
	}
}

// TestBurstLoss: a 300 ms hole in the stream is 15 Lost frames at the right
// slots; playback carries on after it without restarting.
func TestBurstLoss(t *testing.T) {
	s := stream{n: 1000, lost: func(i int) bool { return i >= 400 && i < 415 }}
	b := newBuffer(t, Config{})
	rs := collect(t, b, s.arrivals(), 1000, player{phase: 6 * time.Millisecond})
	played := playedInOrder(t, s, rs)
	var lostSlots []int
	for _, r := range rs {
		if r.kind == Lost {
			lostSlots = append(lostSlots, int((r.ts-s.ts0)/960))
		}
	}
	if len(lostSlots) != 15 || lostSlots[0] != 400 || lostSlots[14] != 414 {
		t.Errorf("Lost slots %v, want 400..414", lostSlots)
	}
	if st := b.Stats(); st.Resyncs != 0 || st.Concealed > 1 || len(played) < 980 {
		t.Errorf("played %d; stats %+v", len(played), st)
	}
}

// TestBurstStall: the network holds 300 ms of packets and delivers them at
// once. The ones whose slots have passed are late; the buffer never exceeds
// MaxDelay, and within a few seconds is back near its old delay with no
// further loss.
func TestBurstStall(t *testing.T) {
	stallEnd := func(i int) time.Duration { return time.Duration(415) * frame }
	s := stream{n: 3000, delay: func(i int) time.Duration {
		if i >= 400 && i < 415 {
			return stallEnd(i) - time.Duration(i)*frame
		}
		return 0
	}}
	b := newBuffer(t, Config{})
	var maxDelay time.Duration
	lossAfter := 0
	var before Stats
	simulate(t, b, s.arrivals(), 3000, player{phase: 5 * time.Millisecond}, func(r popResult) {
		maxDelay = max(maxDelay, r.stats.Delay)
		if r.k == 399 {
			before = r.stats
		}
		if r.k > 415+250 && r.kind != Normal {
			lossAfter++
		}
	})
	st := b.Stats()
	t.Logf("before %v, after %+v", before.Delay, st)
	if maxDelay > b.Config().MaxDelay || st.Resyncs != 0 || lossAfter != 0 {
		t.Errorf("max delay %v, resyncs %d, %d lost frames 5 s after the stall", maxDelay, st.Resyncs, lossAfter)
	}
	if st.Late < 10 || st.Late > 15 {
		t.Errorf("%d late packets, want most of the 15 held", st.Late)
	}
	if st.Delay > before.Delay+30*time.Millisecond {
		t.Errorf("delay %v after the stall, %v before", st.Delay, before.Delay)
	}
}

// TestLatePacket: a packet that arrives after its slot is not played, and is
// counted.
func TestLatePacket(t *testing.T) {
	s := stream{n: 200, delay: func(i int) time.Duration {
		if i == 100 {
			return 150 * time.Millisecond
		}
		return 0
	}}
	b := newBuffer(t, Config{})
	rs := collect(t, b, s.arrivals(), 200, player{phase: 10 * time.Millisecond})
	played := playedInOrder(t, s, rs)
	for _, i := range played {
		if i == 100 {
			t.Error("the late packet was played")
		}
	}
	if st := b.Stats(); st.Late != 1 || st.Lost != 1 {
		t.Errorf("stats %+v, want 1 late and 1 lost", st)
	}
}

// TestStreamStopsAndResumes: when packets stop, the buffer conceals for a
// second and then goes Empty; when they resume it starts again after
// StartDelay, without calling it a restart.
func TestStreamStopsAndResumes(t *testing.T) {
	s := stream{n: 500, lost: func(i int) bool { return i >= 100 && i < 300 }}
	b := newBuffer(t, Config{})
	rs := collect(t, b, s.arrivals(), 500, player{phase: 1 * time.Millisecond})
	kinds := map[Kind]int{}
	for _, r := range rs[102:300] {
		kinds[r.kind]++
	}
	if kinds[Lost] < 45 || kinds[Lost] > 55 || kinds[Empty] < 140 {
		t.Errorf("while stopped: %v, want about 50 Lost then Empty", kinds)
	}
	var resumed int
	for _, r := range rs[300:] {
		if r.kind == Normal {
			resumed = r.i
			if r.latency > 40*time.Millisecond+frame {
				t.Errorf("resumed with latency %v", r.latency)
			}
			break
		}
	}
	if resumed != 300 {
		t.Errorf("resumed with packet %d, want 300", resumed)
	}
	if st := b.Stats(); st.Resyncs != 0 || !st.Playing {
		t.Errorf("stats %+v", st)
	}
}

// TestSenderRestart: timestamps that jump far, forward or back, restart the
// buffer on the new stream.
func TestSenderRestart(t *testing.T) {
	for _, jump := range []int64{10 * 48000, -5 * 48000, -24000} {
		b := newBuffer(t, Config{})
		first := stream{n: 200, ts0: 1000}
		second := stream{n: 300, ts0: uint32(int64(first.ts0) + 200*960 + jump), seq0: 9000, start: 200 * frame}
		arr := append(first.arrivals(), second.arrivals()...)
		rs := collect(t, b, arr, 500, player{phase: 3 * time.Millisecond})
		var gap, resumed int
		for _, r := range rs[200:] {
			if r.kind == Normal && r.seq >= 9000 {
				resumed = r.k
				break
			}
			gap++
		}
		st := b.Stats()
		if st.Resyncs != 1 || resumed == 0 {
			t.Errorf("jump %d: %d resyncs, resumed at pop %d; %+v", jump, st.Resyncs, resumed, st)
		}
		// A big jump restarts at once; a small one after a second of late packets.
		if limit := map[bool]int{true: 4, false: 56}[jump > 48000 || jump < -48000*2]; gap > limit {
			t.Errorf("jump %d: %d pops without audio, want ≤ %d", jump, gap, limit)
		}
	}
}

// TestMemoryBound: however many packets arrive with nobody calling Pop, the
// buffer holds no more than MaxDelay of them.
func TestMemoryBound(t *testing.T) {
	b := newBuffer(t, Config{})
	for i := range 10000 {
		b.Push(uint16(i), uint32(i*960), make([]byte, 100), epoch.Add(time.Duration(i)*frame))
	}
	st := b.Stats()
	if st.Buffered > 11 || st.Received != 10000 || st.Dropped != 10000-uint64(st.Buffered) {
		t.Errorf("stats %+v", st)
	}
	if len(b.ring) > 16 {
		t.Errorf("ring of %d slots", len(b.ring))
	}
	f := b.Pop(epoch.Add(10000 * frame))
	if f.Kind != Normal || f.Seq < 10000-11 {
		t.Errorf("first frame %v seq %d, want one of the newest", f.Kind, f.Seq)
	}
}

// TestPlayoutJitter: a playout callback that fires up to 8 ms early or late
// loses nothing.
func TestPlayoutJitter(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 8))
	s := stream{n: 5000}
	b := newBuffer(t, Config{})
	rs := collect(t, b, s.arrivals(), 5000, player{phase: 10 * time.Millisecond, jitter: func(int) time.Duration {
		return uniform(rng, 16*time.Millisecond) - 8*time.Millisecond
	}})
	played := playedInOrder(t, s, rs)
	if st := b.Stats(); len(played) < 4990 || st.Lost > 2 {
		t.Errorf("played %d; stats %+v", len(played), st)
	}
}

// TestInsertedFrames: when a stall empties the buffer, it inserts frames to
// grow its delay, and Inserted frames carry the next slot's timestamp.
func TestInsertedFrames(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 9))
	s := stream{n: 1000, delay: func(i int) time.Duration {
		if i > 300 { // the network turns jittery
			return uniform(rng, 60*time.Millisecond)
		}
		return 0
	}}
	b := newBuffer(t, Config{})
	rs := collect(t, b, s.arrivals(), 1000, player{phase: 3 * time.Millisecond})
	playedInOrder(t, s, rs)
	inserted := 0
	for i, r := range rs {
		if r.kind != Inserted {
			continue
		}
		inserted++
		if i+1 < len(rs) && rs[i+1].ts != r.ts && rs[i+1].kind != Inserted {
			t.Errorf("pop %d: Inserted at ts %d, next slot is ts %d", r.k, r.ts, rs[i+1].ts)
		}
	}
	st := b.Stats()
	if inserted == 0 || uint64(inserted) != st.Concealed || st.Target < 50*time.Millisecond {
		t.Errorf("%d inserted; stats %+v", inserted, st)
	}
}

func TestPayloadIsCopied(t *testing.T) {
	b := newBuffer(t, Config{StartDelay: time.Nanosecond, MinDelay: time.Nanosecond})
	p := []byte{1, 2, 3}
	b.Push(5, 0, p, epoch)
	b.Push(6, 960, []byte{4, 5, 6}, epoch)
	p[0] = 9
	next, ok := b.PeekNext()
	if ok {
		t.Errorf("PeekNext before playing = %v", next)
	}
	f := b.Pop(epoch.Add(time.Millisecond))
	if f.Kind != Normal || f.Payload[0] != 1 {
		t.Fatalf("got %+v, want the payload as pushed", f)
	}
	next, ok = b.PeekNext()
	if !ok || next[0] != 4 {
		t.Fatalf("PeekNext = %v, %v", next, ok)
	}
	next[0] = 0
	if f := b.Pop(epoch.Add(frame + time.Millisecond)); f.Payload[0] != 4 {
		t.Errorf("changing PeekNext's copy changed the buffer: %v", f.Payload)
	}
}

// TestConcurrentPushPop runs the network and playout sides on their own
// goroutines, for the race detector.
func TestConcurrentPushPop(t *testing.T) {
	b := newBuffer(t, Config{})
	var wg sync.WaitGroup
	wg.Go(func() {
		for i := range 2000 {
			b.Push(uint16(i), uint32(i*960), payload(i), epoch.Add(time.Duration(i)*frame))
		}
	})
	wg.Go(func() {
		for k := range 2000 {
			f := b.Pop(epoch.Add(time.Duration(k) * frame))
			if f.Kind == Lost {
				b.PeekNext()
			}
			_ = b.Stats()
		}
	})
	wg.Wait()
}

func BenchmarkPushPop(b *testing.B) {
	buf := newBuffer(b, Config{})
	p := make([]byte, 80)
	i := 0
	for b.Loop() {
		at := epoch.Add(time.Duration(i) * frame)
		buf.Push(uint16(i), uint32(i*960), p, at)
		buf.Pop(at.Add(5 * time.Millisecond))
		i++
	}
}

// TestStartupBacklog: the receiver starts late, and the first 3 s of packets
// reach the buffer at once, followed by the rest on time. The buffer plays
// the newest of the backlog, and within a second its delay matches how long
// packets really wait and it neither conceals nor drops another frame.
func TestStartupBacklog(t *testing.T) {
	const backlog = 150
	s := stream{n: 1500, delay: func(i int) time.Duration {
		if i < backlog {
			return time.Duration(backlog-i) * frame
		}
		return 0
	}}
	b := newBuffer(t, Config{})
	bad := 0
	var last popResult
	simulate(t, b, s.arrivals(), 1500-backlog, player{phase: backlog*frame + 5*time.Millisecond}, func(r popResult) {
		if r.k > 50 && r.kind != Normal {
			bad++
		}
		if r.kind == Normal {
			last = r
		}
	})
	st := b.Stats()
	t.Logf("%+v; last latency %v", st, last.latency)
	if bad != 0 {
		t.Errorf("%d frames concealed after the first second", bad)
	}
	if d := st.Delay - last.latency; d < -10*time.Millisecond || d > 10*time.Millisecond {
		t.Errorf("delay reads %v while packets wait %v", st.Delay, last.latency)
	}
	if last.latency > 60*time.Millisecond {
		t.Errorf("packets wait %v, want no more than the target and a frame", last.latency)
	}
}

// TestRepeatedStalls: every 2 s the sender stalls for 80 ms and then sends
// what it owes at once. The first stall costs frames; its late packets put
// a floor under the target, as far above the delay as they missed their
// slots, which holds for 10 s: the stalls in that time cost none.
func TestRepeatedStalls(t *testing.T) {
	const every, stall = 100, 4 // packets
	s := stream{n: 1000, delay: func(i int) time.Duration {
		if k := i % every; i >= every && k < stall {
			return time.Duration(stall-k) * frame
		}
		return 0
	}}
	b := newBuffer(t, Config{})
	lostAt := map[int]int{} // stall number → frames lost around it
	simulate(t, b, s.arrivals(), 1000, player{phase: 5 * time.Millisecond}, func(r popResult) {
		if r.kind == Lost {
			lostAt[(r.k+every/2)/every]++
		}
	})
	st := b.Stats()
	t.Logf("%+v; lost frames by stall %v", st, lostAt)
	if lostAt[1] == 0 {
		t.Errorf("the first stall lost no frame: the test stalls too little")
	}
	for k := 2; k <= 6; k++ { // within 10 s of the first
		if lostAt[k] != 0 {
			t.Errorf("stall %d lost %d frames; after the first, the target should cover them", k, lostAt[k])
		}
	}
	if st.Delay > 150*time.Millisecond {
		t.Errorf("delay %v for 80 ms stalls", st.Delay)
	}
}
