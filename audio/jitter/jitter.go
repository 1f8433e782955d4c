package jitter

import (
	"fmt"
	"math"
	"sync"
	"time"
)

// Kind says what a Frame holds and so what the decoder must do with it.
type Kind uint8

const (
	// Empty: there is no stream to play, before the first packet has waited
	// StartDelay or after the stream has stopped for a second. Play silence.
	Empty Kind = iota
	// Normal: Payload is the packet for this slot. Decode it.
	Normal
	// Lost: the packet for this slot is missing: lost, late, or not sent
	// (DTX). Conceal it, with FEC from PeekNext's packet if there is one,
	// else with PLC.
	Lost
	// Inserted: a frame added to grow the delay, against an underrun or a
	// sender clock slower than ours. Conceal it with PLC, never FEC: no
	// packet is missing, and the next one will play in the next slot.
	Inserted
)

func (k Kind) String() string {
	switch k {
	case Empty:
		return "Empty"
	case Normal:
		return "Normal"
	case Lost:
		return "Lost"
	case Inserted:
		return "Inserted"
	}
	return fmt.Sprintf("Kind(%d)", uint8(k))
}

// Frame is one playout slot.
type Frame struct {
	Kind Kind
	// Payload is the packet's payload for Normal frames, nil otherwise. It is
	// a copy owned by the Buffer, valid until the next Pop.
	Payload []byte
	// Seq is the packet's sequence number, for Normal frames.
	Seq uint16
	// Timestamp is the slot's RTP timestamp: the packet's for Normal, the
	// missing packet's for Lost, the next slot's for Inserted.
	Timestamp uint32
}

// Config sizes a Buffer. Zero fields take the defaults.
type Config struct {
	ClockRate    int           // RTP clock rate; default 48000
	FrameSamples int           // samples per packet and per Pop; default 960 (20 ms)
	MinDelay     time.Duration // lowest target delay; default 20 ms
	MaxDelay     time.Duration // highest delay, target or actual; default 200 ms
	StartDelay   time.Duration // wait after the first packet before playing; default 40 ms
}

// Defaults for zero Config fields.
const (
	DefaultClockRate    = 48000
	DefaultFrameSamples = 960
	DefaultMinDelay     = 20 * time.Millisecond
	DefaultMaxDelay     = 200 * time.Millisecond
	DefaultStartDelay   = 40 * time.Millisecond
)

func (c Config) withDefaults() (Config, error) {
	if c.ClockRate == 0 {
		c.ClockRate = DefaultClockRate
	}
	if c.FrameSamples == 0 {
		c.FrameSamples = DefaultFrameSamples
	}
	if c.MinDelay == 0 {
		c.MinDelay = DefaultMinDelay
	}
	if c.MaxDelay == 0 {
		c.MaxDelay = DefaultMaxDelay
	}
	if c.StartDelay == 0 {
		c.StartDelay = DefaultStartDelay
	}
	frame := time.Duration(int64(c.FrameSamples) * int64(time.Second) / int64(max(c.ClockRate, 1)))
	switch {
	case c.ClockRate < 0 || c.FrameSamples < 0 || frame <= 0:
		return c, fmt.Errorf("jitter: %d samples at %d Hz is not a frame; use a positive clock rate and frame size, such as 960 at 48000", c.FrameSamples, c.ClockRate)
	case c.MinDelay < 0 || c.MinDelay > c.MaxDelay:
		return c, fmt.Errorf("jitter: MinDelay %v must be between 0 and MaxDelay %v", c.MinDelay, c.MaxDelay)
	case c.MaxDelay < 2*frame || c.MaxDelay > 10*time.Second:
		return c, fmt.Errorf("jitter: MaxDelay %v must be between two frames (%v) and 10s", c.MaxDelay, 2*frame)
	case c.StartDelay < 0 || c.StartDelay > c.MaxDelay:
		return c, fmt.Errorf("jitter: StartDelay %v must be between 0 and MaxDelay %v", c.StartDelay, c.MaxDelay)
	}
	return c, nil
}

// Stats is a snapshot of the Buffer's state and counters.
type Stats struct {
	// Delay is the average time a packet waits from arrival to playout.
	Delay time.Duration
	// Target is the delay the Buffer steers toward: MinDelay, or more when
	// the network jitters, up to MaxDelay.
	Target time.Duration
	// Jitter is the RFC 3550 interarrival jitter estimate.
	Jitter time.Duration
	// Buffered is how many packets wait to be played.
	Buffered int
	// Playing is false while the Buffer waits for StartDelay.
	Playing bool

	Received   uint64 // packets accepted
	Played     uint64 // Normal frames returned
	Lost       uint64 // Lost frames returned
	Underruns  uint64 // of those Lost, how many found the buffer empty
	Late       uint64 // packets discarded because their slot had passed
	Duplicates uint64 // packets discarded as copies of one already held
	Dropped    uint64 // packets discarded to bring the delay down
	Concealed  uint64 // Inserted frames returned
	Resyncs    uint64 // restarts on a timestamp jump
}

// Tuning. The delay is kept within [target, target+dropAbove]: a band wider
// than a frame, so that an insert or a drop never overshoots into the other.
const (
	jitterGain    = 1.0 / 16  // RFC 3550's
	waitGain      = 1.0 / 16  // for the mean wait of the packets played
	jitterFactor  = 2.5       // target = frame/2 + jitterFactor·held jitter
	jitterRelease = 1.0 / 500 // the held jitter follows a fall over ~10 s of packets
	dropAfter     = 25        // Pops in a row above the band before a drop
	warmupPackets = 50        // no drops until this many packets have been seen
	insertSpacing = 2         // at least this many Pops between inserts
	idleAfter     = time.Second
	resyncAfter   = time.Second            // a timestamp jump this far beyond the buffer restarts it
	maxLateBump   = 100 * time.Millisecond // most a late packet puts the floor above the delay
	lateHold      = 10 * time.Second       // how long the floor holds before it falls
	lateRelease   = 1.0 / 500              // then it falls over ~10 s of packets
)

type slot struct {
	index   int64 // which slot this entry holds, when filled
	filled  bool
	arrival float64 // when the packet arrived
	seq     uint16
	ts      uint32
	payload []byte
}

// Buffer is an adaptive jitter buffer for one RTP stream whose packets each
// carry one frame (FrameSamples, 20 ms). The network side calls Push for each
// packet; the playout clock calls Pop once per frame, from another goroutine
// if need be, and decodes what it returns:
//
//	f := buf.Pop(now)
//	switch f.Kind {
//	case jitter.Normal:
//		pcm = dec.Decode(f.Payload)
//	case jitter.Lost:
//		if next, ok := buf.PeekNext(); ok {
//			pcm = dec.DecodeFEC(next) // the next packet carries this one
//		} else {
//			pcm = dec.DecodePLC()
//		}
//	case jitter.Inserted:
//		pcm = dec.DecodePLC() // never FEC: nothing is missing
//	case jitter.Empty:
//		pcm = silence
//	}
//
// Unlike pion/interceptor's jitter buffer, which waits for 50 packets (a
// second of audio) before it plays, a Buffer plays StartDelay after the
// first packet. It then steers its delay (the average time a packet waits
// between arrival and playout) into a band just above a target of
// MinDelay, or 2.5 times the RFC 3550 interarrival jitter plus half a frame
// when the network jitters more, or, for 10 s after a packet came too late
// to play, the delay then plus how late it was; never above MaxDelay. It does so one frame
// at a time: an Inserted frame adds a frame of delay; skipping a packet
// takes one away. That is also how it follows a sender clock faster or
// slower than the playout clock: 100 ppm is one frame every 200 s.
//
// Packets are placed by RTP timestamp, so sequence and timestamp wrap,
// reordering, duplicates and DTX gaps need no special handling. It holds at
// most MaxDelay of packets. Use New; the zero Buffer is not ready.
type Buffer struct {
	mu  sync.Mutex
	cfg Config

	frameNs     float64 // frame duration
	dropAbove   float64 // delay above target+dropAbove triggers a drop
	maxSlots    int64   // most slots held: MaxDelay of audio plus the one playing
	resyncSlots int64
	idleSlots   int
	ring        []slot
	mask        int64

	started bool      // a packet has arrived: epoch and the timestamp base are set
	epoch   time.Time // time zero for all arrival and playout times
	tsBase  uint32    // RTP timestamp of slot 0
	tsRef   int64     // highest extended timestamp seen, to unwrap the next

	playing      bool
	firstArrival float64 // when the first packet of this start arrived
	ptr          int64   // the slot the next Pop plays
	floor        int64   // slots below this have been played or given up
	count        int     // packets held, all in slots ≥ ptr
	newest       int64   // highest slot held, when count > 0

	haveTransit  bool
	lastTransit  float64 // arrival time minus media time of the last packet
	jitter       float64 // RFC 3550 estimate
	heldJitter   float64 // the estimate's recent peak, which the target uses
	meanWait     float64 // mean time the packets played waited, from arrival to Pop
	haveWait     bool    // meanWait has a packet's wait in it
	packetsSeen  int
	sincePopAdj  int     // Pops since the last drop or insert
	aboveRun     int     // consecutive Pops with the delay above the band
	lateRun      int     // consecutive late packets
	lateFloor    float64 // the target's floor set by late packets
	lateAt       float64 // arrival time of the late packet that last raised it
	emptyRun     int     // consecutive Pops that found nothing to play
	havePlayed   bool
	out, peekOut []byte

	st Stats
}

// New returns a Buffer for cfg, with zero fields set to the defaults.
func New(cfg Config) (*Buffer, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	frame := time.Duration(int64(cfg.FrameSamples) * int64(time.Second) / int64(cfg.ClockRate))
	b := &Buffer{
		cfg:         cfg,
		frameNs:     float64(frame),
		dropAbove:   float64(frame + frame/2),
		maxSlots:    int64(cfg.MaxDelay/frame) + 1,
		resyncSlots: int64((cfg.MaxDelay + resyncAfter) / frame),
		idleSlots:   int(idleAfter / frame),
	}
	size := int64(1)
	for size < b.maxSlots+1 {
		size <<= 1
	}
	b.ring = make([]slot, size)
	b.mask = size - 1
	return b, nil
}

// Config is the Buffer's configuration, defaults filled in.
func (b *Buffer) Config() Config { return b.cfg }

// Push adds a received packet. arrival is when it arrived, on the same
// clock as the now passed to Pop. The payload is copied. Packets whose slot
// has been played are counted as late and discarded; copies of a packet
// already held are discarded; a packet that would make the buffer hold more
// than MaxDelay pushes the oldest out. A timestamp that jumps more than a
// second from the buffer's, or a second's worth of late packets in a row (a
// restarted sender), restarts the buffer.
func (b *Buffer) Push(seq uint16, ts uint32, payload []byte, arrival time.Time) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if !b.started {
		b.started, b.epoch = true, arrival
		b.rebase(ts)
	}
	at := float64(arrival.Sub(b.epoch))
	ext := b.unwrap(ts)
	index := floorDiv(ext, int64(b.cfg.FrameSamples))
	if b.jumped(index) || b.late(index) && b.lateRun+1 >= b.idleSlots {
		b.restart(ts)
		b.st.Resyncs++
		ext, index = 0, 0
	}
	transit := at - b.mediaNs(ext)
	if !b.playing && b.count == 0 && index >= b.floor {
		b.ptr, b.firstArrival = index, at
	}
	if b.late(index) {
		b.observe(transit, at)
		b.lateRun++
		b.st.Late++
		// The jitter estimate underrates bursty, heavy-tailed delay (a stalled
		// sender or router, a busy machine). A packet that misses its slot
		// sets a floor under the target: the delay now plus how far it
		// missed, and half a frame (capped at maxLateBump above the delay,
		// and at a frame under MaxDelay). The floor holds for lateHold after
		// the last packet that raised it, then falls slowly. A packet too old
		// to hold before playing starts is a backlog, not lateness.
		if b.playing {
			missed := float64(b.ptr-index)*b.frameNs + b.frameNs/2
			floor := b.delay() + math.Min(missed, float64(maxLateBump))
			floor = math.Min(floor, float64(b.cfg.MaxDelay)-b.frameNs)
			if floor > b.lateFloor {
				b.lateFloor, b.lateAt = floor, at
			}
		}
		return
	}
	b.lateRun = 0
	switch {
	case index < b.ptr: // still waiting to start, and an earlier packet came second
		b.ptr = index
	case index-b.ptr >= b.maxSlots:
		b.skipTo(index - b.maxSlots + 1)
	}
	e := &b.ring[index&b.mask]
	if e.filled {
		b.st.Duplicates++
		return
	}
	b.observe(transit, at)
	e.index, e.filled, e.seq, e.ts, e.arrival = index, true, seq, ts, at
	e.payload = append(e.payload[:0], payload...)
	if b.count == 0 || index > b.newest {
		b.newest = index
	}
	b.count++
	b.st.Received++
}

// jumped reports whether slot index is so far from the buffer's that the
// sender must have restarted its timestamps.
func (b *Buffer) jumped(index int64) bool {
	if b.playing || b.count > 0 {
		return index-b.ptr > b.resyncSlots || b.ptr-index > b.resyncSlots
	}
	return b.floor-index > b.resyncSlots
}

// late reports whether slot index can no longer be played: its slot has
// passed, or, while waiting to start, holding it would exceed MaxDelay.
func (b *Buffer) late(index int64) bool {
	switch {
	case index < b.floor:
		return true
	case b.playing:
		return index < b.ptr
	}
	return b.count > 0 && b.newest-index >= b.maxSlots
}

// Pop returns the frame for the next 20 ms (one FrameSamples) slot. The
// playout clock calls it once per frame; now is the time on the clock Push's
// arrival times use.
func (b *Buffer) Pop(now time.Time) Frame {
	b.mu.Lock()
	defer b.mu.Unlock()
	if !b.started {
		return Frame{Kind: Empty}
	}
	at := float64(now.Sub(b.epoch))
	if !b.playing {
		if b.count == 0 || at-b.firstArrival < float64(b.cfg.StartDelay) {
			return Frame{Kind: Empty}
		}
		b.playing = true
		b.meanWait, b.haveWait = at-b.firstArrival, false
		b.sincePopAdj, b.emptyRun = 0, 0
	}

	b.sincePopAdj++
	delay, target := b.delay(), b.target()
	if delay > target+b.dropAbove {
		b.aboveRun++
	} else {
		b.aboveRun = 0
	}
	switch {
	case b.packetsSeen >= warmupPackets && b.aboveRun >= dropAfter:
		b.skipTo(b.ptr + 1)
		b.sincePopAdj, b.aboveRun = 0, 0
	case delay < target && delay+b.frameNs <= float64(b.cfg.MaxDelay) && b.sincePopAdj > insertSpacing && b.havePlayed:
		b.meanWait += b.frameNs // the packets held, and those to come, wait a frame more
		b.sincePopAdj = 0
		b.st.Concealed++
		return Frame{Kind: Inserted, Timestamp: b.slotTS(b.ptr)}
	}

	index := b.ptr
	b.ptr++
	b.floor = b.ptr
	e := &b.ring[index&b.mask]
	if e.filled && e.index == index {
		e.filled = false
		b.count--
		b.emptyRun = 0
		b.havePlayed = true
		if wait := at - e.arrival; b.haveWait {
			b.meanWait += waitGain * (wait - b.meanWait)
		} else {
			b.meanWait, b.haveWait = wait, true
		}
		b.out = append(b.out[:0], e.payload...)
		b.st.Played++
		return Frame{Kind: Normal, Payload: b.out, Seq: e.seq, Timestamp: e.ts}
	}
	b.st.Lost++
	if b.count == 0 {
		b.st.Underruns++
		b.emptyRun++
		if b.emptyRun >= b.idleSlots {
			b.stop()
		}
	}
	return Frame{Kind: Lost, Timestamp: b.slotTS(index)}
}

// PeekNext returns a copy of the packet the next Pop will play, if it is
// here: after a Lost frame, the packet whose FEC data rebuilds the lost one.
// The copy is valid until the next PeekNext.
func (b *Buffer) PeekNext() ([]byte, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if !b.playing {
		return nil, false
	}
	e := &b.ring[b.ptr&b.mask]
	if !e.filled || e.index != b.ptr {
		return nil, false
	}
	b.peekOut = append(b.peekOut[:0], e.payload...)
	return b.peekOut, true
}

// Stats returns a snapshot of the Buffer's state and counters.
func (b *Buffer) Stats() Stats {
	b.mu.Lock()
	defer b.mu.Unlock()
	s := b.st
	s.Target = time.Duration(b.target())
	s.Jitter = time.Duration(b.jitter)
	s.Buffered = b.count
	s.Playing = b.playing
	if b.playing {
		s.Delay = time.Duration(b.delay())
	}
	return s
}

// delay is the mean time from a packet's arrival to its playout, measured
// on the packets played, and moved by a frame at once by each insert or
// skip. It is measured rather than worked out from the mean transit and
// playout offsets, which a backlog of packets read at once (a receiver
// that started late, a stalled reader) throws out by as long as the
// backlog, for as long as the means take to forget it.
func (b *Buffer) delay() float64 {
	return b.meanWait
}

// target is the delay that absorbs the measured jitter: half a frame for
// the phase between arrivals and Pops, plus a multiple of the jitter,
// within [MinDelay, MaxDelay], and no less than the floor late packets set.
// It uses the held jitter, which rises with the estimate at once but falls
// slowly, so that the estimate's own noise does not make the buffer insert
// and drop frames by turns.
func (b *Buffer) target() float64 {
	t := math.Max(b.frameNs/2+jitterFactor*b.heldJitter, b.lateFloor)
	return math.Max(float64(b.cfg.MinDelay), math.Min(t, float64(b.cfg.MaxDelay)))
}

// observe updates the jitter estimate with one packet's transit time, and
// lets the late packets' floor fall once it has held long enough.
func (b *Buffer) observe(transit, at float64) {
	b.packetsSeen++
	if b.lateFloor > 0 && at-b.lateAt > float64(lateHold) {
		b.lateFloor -= lateRelease * b.lateFloor
	}
	if !b.haveTransit {
		b.haveTransit = true
		b.lastTransit = transit
		return
	}
	b.jitter += jitterGain * (math.Abs(transit-b.lastTransit) - b.jitter)
	b.heldJitter = max(b.jitter, b.heldJitter-jitterRelease*(b.heldJitter-b.jitter))
	b.lastTransit = transit
}

// skipTo moves the playout point forward to index, discarding the packets
// it passes. Playing them later shortens the delay by as many frames.
func (b *Buffer) skipTo(index int64) {
	if b.playing {
		b.meanWait -= float64(index-b.ptr) * b.frameNs // the packets after wait that much less
	}
	if b.count > 0 {
		if index-b.ptr >= int64(len(b.ring)) {
			b.st.Dropped += uint64(b.count)
			b.clearRing()
		} else {
			for i := b.ptr; i < index && b.count > 0; i++ {
				if e := &b.ring[i&b.mask]; e.filled && e.index == i {
					e.filled = false
					b.count--
					b.st.Dropped++
				}
			}
		}
	}
	b.ptr = index
	b.floor = max(b.floor, index)
}

// stop goes back to waiting for packets, after the stream went quiet.
func (b *Buffer) stop() {
	b.playing = false
	b.havePlayed = false
	b.emptyRun = 0
}

// restart forgets the stream, for a sender that restarted its timestamps:
// ts becomes slot 0, and the buffer waits StartDelay again.
func (b *Buffer) restart(ts uint32) {
	b.clearRing()
	b.stop()
	b.rebase(ts)
	b.ptr, b.floor = 0, 0
	b.lateRun = 0
	b.lateFloor = 0
	b.haveTransit = false
	b.packetsSeen = 0
}

func (b *Buffer) rebase(ts uint32) {
	b.tsBase, b.tsRef = ts, 0
}

func (b *Buffer) clearRing() {
	for i := range b.ring {
		b.ring[i].filled = false
	}
	b.count = 0
}

// unwrap extends ts to 64 bits, relative to tsBase, taking it to be within
// 2³¹ of the highest timestamp seen.
func (b *Buffer) unwrap(ts uint32) int64 {
	ext := b.tsRef + int64(int32(ts-b.tsBase-uint32(b.tsRef)))
	b.tsRef = max(b.tsRef, ext)
	return ext
}

// mediaNs converts an extended timestamp to nanoseconds of media time.
func (b *Buffer) mediaNs(ext int64) float64 {
	return float64(ext) * 1e9 / float64(b.cfg.ClockRate)
}

func (b *Buffer) slotNs(index int64) float64 {
	return b.mediaNs(index * int64(b.cfg.FrameSamples))
}

func (b *Buffer) slotTS(index int64) uint32 {
	return b.tsBase + uint32(index*int64(b.cfg.FrameSamples))
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && a < 0 {
		q--
	}
	return q
}
