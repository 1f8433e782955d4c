package softphone_test

import (
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/agentdesk/agentdesk/audio/tone"
)

// An agent on laptop speakers: what the speaker plays reaches the
// microphone, here through a PulseAudio loopback from the speaker's sink
// to the microphone's (adjust_time=1: the loopback reaches its 30 ms in a
// second or two and then hardly changes its rate, as a room's echo path
// does not). The customer must not hear themselves back: with the
// echo canceller on, their own 1 kHz voice comes back at least 20 dB
// weaker than with it off.
func TestCustomerIsNotHeardTwice(t *testing.T) {
	r := newRig(t, 1000)
	out, err := srv.Pactl("load-module", "module-loopback", "source=agent_speaker.monitor", "sink=agent_mic",
		"latency_msec=30", "adjust_time=1", "source_dont_move=true", "sink_dont_move=true")
	if err != nil {
		t.Fatal(err)
	}
	if id, err := strconv.Atoi(out); err == nil {
		t.Cleanup(func() { _ = srv.Unload(id) })
	}
	c := r.answer(1000)
	// The speaker's queue worked off first (see TestCallCarriesNoBacklog).
	for deadline := time.Now().Add(20 * time.Second); r.phone.SpeakerDelay() > 70*time.Millisecond; {
		if time.Now().After(deadline) {
			t.Fatalf("the speaker's queue still holds %v", r.phone.SpeakerDelay())
		}
		time.Sleep(50 * time.Millisecond)
	}
	cust := c.InitialConnection().ConnectionID()
	// echo is the customer's own voice as it comes back to them over the
	// last half second, in dBFS, after waiting settle.
	echo := func(settle time.Duration) float64 {
		time.Sleep(settle)
		heard := r.media.Heard(c.ContactID(), cust)
		if len(heard) < 24000 {
			t.Fatalf("the customer recorded %d samples", len(heard))
		}
		return tone.RMSdBFS(heard[len(heard)-24000:])
	}
	// With the canceller off the voice comes back at full strength once
	// the loopback's new streams have started (they can stall ~2 s).
	r.phone.SetEchoCancellation(false)
	var off, last float64 = -100, -100
	for deadline := time.Now().Add(15 * time.Second); ; {
		off, last = echo(500*time.Millisecond), off
		if off > -25 && off-last < 1 && last-off < 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("with the echo canceller off the customer hears their voice back at only %.1f dBFS: the loopback does not carry the speaker to the microphone", off)
		}
	}
	// Switched on, the canceller adapts afresh; after 3 s the echo must be
	// gone and stay gone: the median of the next five readings.
	r.phone.SetEchoCancellation(true)
	time.Sleep(3 * time.Second)
	var ons []float64
	for range 5 {
		ons = append(ons, echo(500*time.Millisecond))
	}
	slices.Sort(ons)
	on := ons[2]
	t.Logf("the customer's voice comes back at %.1f dBFS with the echo canceller off, %.1f dBFS with it on (%.1f)", off, on, ons)
	if off-on < 20 {
		t.Fatalf("the echo canceller takes only %.1f dB off the customer's voice coming back (%.1f against %.1f dBFS), want at least 20", off-on, on, off)
	}
}
