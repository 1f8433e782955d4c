package device

/*
#include "cring.h"
*/
import "C"

import (
	"errors"
	"math"
	"runtime"
	"sync/atomic"
	"unsafe"

	"github.com/gen2brain/malgo"
)

// errLayout reports a malgo whose miniaudio device this build cannot bind.
var errLayout = errors.New("miniaudio's device is not laid out as this build expects (was malgo upgraded?)")

// cring is a stream's ring and meters in C memory, served by the device's
// C callback (cring.c). Go reads and writes it through short cgo calls.
type cring struct {
	p   *C.ad_stream
	cap int
}

func newCRing(capacity int, capture bool) *cring {
	if capacity <= 0 || capacity > 1<<30 {
		panic("device: ring capacity out of range")
	}
	n := 1
	for n < capacity {
		n <<= 1
	}
	c := C.int(0)
	if capture {
		c = 1
	}
	p := C.ad_stream_new(C.int(n), c)
	if p == nil {
		panic("device: out of memory for an audio ring")
	}
	r := &cring{p: p, cap: n}
	// The C side is freed with the Go value. A stream holds its ring and
	// its engine holds the stream (running goroutines hold the engine)
	// until Close has uninitialised the stream's device, so no callback can
	// run on freed memory; Go callers that race a Close still read and
	// write valid memory.
	runtime.AddCleanup(r, func(p *C.ad_stream) { C.ad_stream_free(p) }, p)
	return r
}

func (r *cring) write(src []int16) int {
	if len(src) == 0 {
		return 0
	}
	return int(C.ad_write(r.p, (*C.int16_t)(unsafe.Pointer(&src[0])), C.int(len(src))))
}

func (r *cring) read(dst []int16) int {
	if len(dst) == 0 {
		return 0
	}
	return int(C.ad_read(r.p, (*C.int16_t)(unsafe.Pointer(&dst[0])), C.int(len(dst))))
}

// The counters and meters are read straight from C memory with atomics,
// as cring.c writes them: no cgo call, no allocation.

func (r *cring) len() int {
	tail := atomic.LoadUint64((*uint64)(unsafe.Pointer(&r.p.tail)))
	return int(atomic.LoadUint64((*uint64)(unsafe.Pointer(&r.p.head))) - tail)
}

type ringStats struct {
	Stats
	peak       uint32
	meanSquare float64
}

func (r *cring) stats() ringStats {
	load := func(p *C.uint64_t) uint64 { return atomic.LoadUint64((*uint64)(unsafe.Pointer(p))) }
	return ringStats{
		Stats: Stats{
			Callbacks: load(&r.p.callbacks),
			Frames:    load(&r.p.frames),
			Overflows: load(&r.p.overflow),
			Underruns: load(&r.p.underrun),
		},
		peak:       atomic.LoadUint32((*uint32)(unsafe.Pointer(&r.p.peak))),
		meanSquare: math.Float64frombits(load(&r.p.mean_square)),
	}
}

func (r *cring) takePeak() uint32 {
	return atomic.SwapUint32((*uint32)(unsafe.Pointer(&r.p.held_peak)), 0)
}

// setLive names the device (its ma_device address) whose callbacks may
// touch the ring; 0 lets none.
func (r *cring) setLive(dev uintptr) { C.ad_set_live(r.p, C.uintptr_t(dev)) }

// serve runs one device period as the device dev would: the same C code
// the callback thread runs. out is played (playback), in was captured.
func (r *cring) serve(dev uintptr, out, in []byte, frames uint32) {
	var po, pi unsafe.Pointer
	if len(out) > 0 {
		po = unsafe.Pointer(&out[0])
	}
	if len(in) > 0 {
		pi = unsafe.Pointer(&in[0])
	}
	C.ad_serve(r.p, C.uintptr_t(dev), po, pi, C.uint32_t(frames))
}

// bind points dev's data callback at the ring. Call it after InitDevice
// and before Start. Worker only.
func (r *cring) bind(dev *malgo.Device, capture bool, sampleRate int) error {
	c := C.int(0)
	if capture {
		c = 1
	}
	if C.ad_bind(maDevice(dev), r.p, c, C.uint32_t(sampleRate)) != 0 {
		return errLayout
	}
	return nil
}

// bindDuplex points a duplex device's data callback at a capture ring (r)
// and a playback ring. Call it after InitDevice and before Start. Worker
// only.
func (r *cring) bindDuplex(dev *malgo.Device, play *cring, sampleRate int) error {
	if C.ad_bind_duplex(maDevice(dev), r.p, play.p, C.uint32_t(sampleRate)) != 0 {
		return errLayout
	}
	return nil
}

// maDevice is the ma_device behind a malgo.Device, whose only field is a
// pointer to the pointer malgo allocated.
func maDevice(dev *malgo.Device) unsafe.Pointer {
	return *(*(**unsafe.Pointer)(unsafe.Pointer(dev)))
}

// deviceAddr is the address the ring knows dev by.
func deviceAddr(dev *malgo.Device) uintptr { return uintptr(maDevice(dev)) }
