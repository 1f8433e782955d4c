package device

/*
#cgo linux LDFLAGS: -ldl -lpthread
#include "pulsebuf.h"
*/
import "C"

import (
	"errors"
	"fmt"
	"time"

	"github.com/gen2brain/malgo"
)

// errNotPulse says a device is not on PulseAudio (or this platform's build
// cannot reach its stream), so its buffering stays miniaudio's.
var errNotPulse = errors.New("not a PulseAudio stream")

// pulseBuffer is what PulseAudio granted a playback stream: how much
// the client keeps queued on top of the sink's own latency, and how much
// the server asks for at a time (so how often the client thread wakes).
type pulseBuffer struct {
	queue, request time.Duration
}

// setPlaybackBuffer asks PulseAudio to keep target of audio queued for
// dev's playback side and to ask for a quarter of it at a time. miniaudio
// sets the target to one period and the server then asks every quarter
// period: 400 wake-ups a second at 10 ms. libwebrtc's PulseAudio module
// uses a 20 ms floor for the same reason. Worker only, after InitDevice
// and before Start. It returns errNotPulse on another backend.
func setPlaybackBuffer(dev *malgo.Device, sampleRate int, target time.Duration) (pulseBuffer, error) {
	bytes := func(d time.Duration) C.uint32_t {
		return C.uint32_t(int64(sampleRate) * int64(d) / int64(time.Second) * 2) // mono int16
	}
	var tl, mr C.uint32_t
	rc := C.ad_pulse_set_playback(maDevice(dev), bytes(target), bytes(target/4), &tl, &mr)
	return grantedBuffer(rc, tl, mr, sampleRate)
}

// playbackBufferOf reads back what PulseAudio granted dev's playback side.
func playbackBufferOf(dev *malgo.Device, sampleRate int) (pulseBuffer, error) {
	var tl, mr C.uint32_t
	rc := C.ad_pulse_playback(maDevice(dev), &tl, &mr)
	return grantedBuffer(rc, tl, mr, sampleRate)
}

func grantedBuffer(rc C.int, tl, mr C.uint32_t, sampleRate int) (pulseBuffer, error) {
	switch rc {
	case C.ad_pulse_ok:
		dur := func(b C.uint32_t) time.Duration {
			return time.Duration(int64(b) / 2 * int64(time.Second) / int64(sampleRate))
		}
		return pulseBuffer{queue: dur(tl), request: dur(mr)}, nil
	case C.ad_pulse_not_pulse:
		return pulseBuffer{}, errNotPulse
	case C.ad_pulse_layout:
		return pulseBuffer{}, errLayout
	default:
		return pulseBuffer{}, fmt.Errorf("PulseAudio refused the playback buffer attributes (code %d)", int(rc))
	}
}

// layoutOffsets are the miniaudio offsets pulsebuf.c uses, or ok false
// where this build has none.
func layoutOffsets() (contextBackend, devicePulse int64, backendPulse int, ok bool) {
	var cb, dp C.long
	var bp C.int
	if C.ad_pulse_layout_offsets(&cb, &dp, &bp) == 0 {
		return 0, 0, 0, false
	}
	return int64(cb), int64(dp), int(bp), true
}
