package softphone_test

import (
	"testing"
	"time"
)

// The agent hears the customer without a queue in between. A new sound
// server stream starts late (here about 2 s), and the call's frames pile
// up in the speaker's queue meanwhile: before drift correction that pile,
// 100-120 ms, stayed for the whole call, and every word reached the agent
// that much later. The queue must be worked off to its 20-40 ms band while
// the customer keeps talking, and the microphone's must stay short.
func TestCallCarriesNoBacklog(t *testing.T) {
	r := newRig(t, 1000)
	r.answer(1000)

	// The band, the frame in hand, and a device period of slack; the
	// microphone's is read a frame a tick, so a frame and a period.
	const mostSpk, mostMic = 70 * time.Millisecond, 50 * time.Millisecond
	var spk, mic time.Duration
	inBand := 0
	for deadline := time.Now().Add(20 * time.Second); inBand < 20; {
		spk, mic = r.phone.SpeakerDelay(), r.phone.MicrophoneDelay()
		if spk <= mostSpk && mic <= mostMic {
			inBand++
		} else {
			inBand = 0
		}
		if time.Now().After(deadline) {
			t.Fatalf("the speaker's queue holds %v and the microphone's %v, want at most %v and %v", spk, mic, mostSpk, mostMic)
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Logf("queued: speaker %v, microphone %v", spk, mic)
	waitHeard(t, "agent_speaker", 1000) // and the customer still sounds the same
}
