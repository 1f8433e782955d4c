package bridge

import (
	"math"
	"sync"

	"github.com/agentdesk/agentdesk/audio/rtc"
)

// Queue sizes, in 20 ms frames. A queue sits between two 20 ms clocks (a
// peer's and the mixer's); it waits for primeFrames before playing so that
// scheduling jitter does not starve it, and never holds more than maxLevel
// when read so the delay stays bounded.
const (
	queueFrames = 5
	primeFrames = 2
	maxLevel    = 3
)

// frameQueue is a small bounded FIFO of frames. Writing when full drops the
// oldest; reading when empty gives silence. It is an rtc.Source and an
// rtc.Sink, so a trunk peer reads and writes the mixer's queues directly.
type frameQueue struct {
	mu        sync.Mutex
	frames    [queueFrames][rtc.FrameSamples]int16
	head, n   int
	primed    bool
	underruns uint64 // reads that found the queue empty after it had played
	skipped   uint64 // frames dropped to keep the delay bounded
}

// WriteFrame queues a copy of pcm.
func (q *frameQueue) WriteFrame(pcm []int16) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.n == queueFrames {
		q.head = (q.head + 1) % queueFrames
		q.n--
		q.skipped++
	}
	copy(q.frames[(q.head+q.n)%queueFrames][:], pcm)
	q.n++
}

// ReadFrame fills pcm with the oldest frame, or silence.
func (q *frameQueue) ReadFrame(pcm []int16) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if !q.primed && q.n < primeFrames {
		clear(pcm)
		return
	}
	q.primed = true
	if q.n == 0 {
		q.primed = false
		q.underruns++
		clear(pcm)
		return
	}
	for q.n > maxLevel {
		q.head = (q.head + 1) % queueFrames
		q.n--
		q.skipped++
	}
	copy(pcm, q.frames[q.head][:])
	q.head = (q.head + 1) % queueFrames
	q.n--
}

func (q *frameQueue) counters() (underruns, skipped uint64) {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.underruns, q.skipped
}

// recorder keeps the last recordSeconds of what a simulated person heard.
type recorder struct {
	mu  sync.Mutex
	buf []int16 // a ring once full
	pos int     // next write position once full
}

const recordSeconds = 10

func (r *recorder) WriteFrame(pcm []int16) {
	r.mu.Lock()
	defer r.mu.Unlock()
	const capacity = recordSeconds * 48000
	for len(pcm) > 0 {
		if len(r.buf) < capacity {
			n := min(len(pcm), capacity-len(r.buf))
			r.buf = append(r.buf, pcm[:n]...)
			pcm = pcm[n:]
			continue
		}
		n := copy(r.buf[r.pos:], pcm)
		r.pos = (r.pos + n) % capacity
		pcm = pcm[n:]
	}
}

// last returns a copy of the last n samples recorded (fewer if not yet).
func (r *recorder) last(n int) []int16 {
	r.mu.Lock()
	defer r.mu.Unlock()
	n = min(n, len(r.buf))
	out := make([]int16, n)
	if r.pos == 0 { // not yet full, or just wrapped: the newest sample is last
		copy(out, r.buf[len(r.buf)-n:])
		return out
	}
	// A full ring: the newest sample is just before pos.
	start := (r.pos - n + len(r.buf)) % len(r.buf)
	k := copy(out, r.buf[start:])
	if k < n {
		copy(out[k:], r.buf[:n-k])
	}
	return out
}

func saturate(v int32) int16 {
	switch {
	case v > math.MaxInt16:
		return math.MaxInt16
	case v < math.MinInt16:
		return math.MinInt16
	}
	return int16(v)
}
