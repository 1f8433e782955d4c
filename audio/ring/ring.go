// Package ring holds a lock-free single-producer single-consumer ring buffer
// of int16 samples, the hand-off between audio callbacks and the rest of the
// softphone. It imports nothing from the audio tree, malgo or Fyne.
package ring

import (
	"fmt"
	"sync/atomic"
)

// cacheLine pads the producer and consumer indices apart so the audio thread
// and the Go side do not fight over one cache line.
const cacheLine = 64

// Ring is a fixed-size SPSC queue of samples. Exactly one goroutine (or audio
// thread) may call Write and exactly one may call Read/Discard at a time; Len,
// Free, Cap and the counters may be called from anywhere. No method
// allocates.
type Ring struct {
	buf  []int16
	mask uint64

	_    [cacheLine]byte
	head atomic.Uint64 // total samples ever written; only the producer stores
	_    [cacheLine - 8]byte
	tail atomic.Uint64 // total samples ever read; only the consumer stores
	_    [cacheLine - 8]byte

	overflow atomic.Uint64
	underrun atomic.Uint64
}

// New returns a ring holding at least capacity samples, rounded up to a
// power of two. It panics if capacity is not positive or above 1<<30.
func New(capacity int) *Ring {
	if capacity <= 0 || capacity > 1<<30 {
		panic(fmt.Sprintf("ring: capacity %d out of range (1..1<<30)", capacity))
	}
	n := 1
	for n < capacity {
		n <<= 1
	}
	return &Ring{buf: make([]int16, n), mask: uint64(n - 1)}
}

// Cap is the number of samples the ring can hold.
func (r *Ring) Cap() int { return len(r.buf) }

// Len is the number of samples ready to Read.
func (r *Ring) Len() int { return int(r.head.Load() - r.tail.Load()) }

// Free is the number of samples Write can take without dropping any.
func (r *Ring) Free() int { return len(r.buf) - r.Len() }

// Write copies as much of src as fits and returns how many samples it took.
// Samples that do not fit are dropped and counted in Overflows. Producer only.
func (r *Ring) Write(src []int16) int {
	head := r.head.Load()
	free := uint64(len(r.buf)) - (head - r.tail.Load())
	n := uint64(len(src))
	if n > free {
		r.overflow.Add(n - free)
		n = free
	}
	if n == 0 {
		return 0
	}
	start := head & r.mask
	first := copy(r.buf[start:], src[:n])
	copy(r.buf, src[first:n])
	r.head.Store(head + n)
	return int(n)
}

// Read fills dst with as many samples as are ready and returns the count.
// The shortfall, if any, is counted in Underruns. Consumer only.
func (r *Ring) Read(dst []int16) int {
	tail := r.tail.Load()
	avail := r.head.Load() - tail
	n := uint64(len(dst))
	if n > avail {
		r.underrun.Add(n - avail)
		n = avail
	}
	if n == 0 {
		return 0
	}
	start := tail & r.mask
	first := copy(dst[:n], r.buf[start:])
	copy(dst[first:n], r.buf)
	r.tail.Store(tail + n)
	return int(n)
}

// Discard drops up to n of the oldest samples, for a consumer that wants to
// catch up on latency, and returns how many it dropped. Consumer only.
func (r *Ring) Discard(n int) int {
	if n <= 0 {
		return 0
	}
	tail := r.tail.Load()
	avail := r.head.Load() - tail
	if uint64(n) > avail {
		n = int(avail)
	}
	r.tail.Store(tail + uint64(n))
	return n
}

// Overflows is the number of samples Write has dropped because the ring was full.
func (r *Ring) Overflows() uint64 { return r.overflow.Load() }

// Underruns is the number of samples Read was asked for but did not have.
func (r *Ring) Underruns() uint64 { return r.underrun.Load() }
