package drift

import (
	"math"
	"testing"
)

const frame = 960 // 20 ms at 48 kHz

// The speaker's queue, simulated for an hour: the call writes a frame
// every 20 ms of the system clock, corrected; the card takes a 10 ms
// period on its own clock. The card starts 2 s late, so 100 ms have piled
// up, and it runs fast or slow by 300 ppm, three times a poor crystal.
// Once the pile is worked off the queue must stay near the band, and the
// card must never find it empty: a click the agent would hear.
func TestSpeakerQueueFollowsTheCard(t *testing.T) {
	for _, ppm := range []float64{-300, 0, 300} {
		queued := 0
		cardPeriod := 0.010 / (1 + ppm/1e6)
		nextPeriod := 2.0 // seconds of system time
		var empty, outside int
		for tick := 0; tick < 50*3600; tick++ {
			now := float64(tick) * 0.020
			for nextPeriod <= now {
				if queued < 480 {
					empty++
				}
				queued = max(queued-480, 0)
				nextPeriod += cardPeriod
			}
			if now > 20 && (queued < Speaker.Low-480 || queued > Speaker.High+480) {
				outside++
			}
			if queued > 5*frame {
				continue // the softphone drops a frame while the card stalls
			}
			queued += frame - Speaker.Correction(queued)
		}
		if empty > 0 || outside > 0 {
			t.Errorf("%+.0f ppm: the card found the queue empty %d times, and it left the band %d times after 20 s", ppm, empty, outside)
		}
	}
}

// The microphone's queue, the other way round: the card adds a period on
// its clock, the call takes a corrected frame each tick. A tick that finds
// less than a frame sends silence instead: a hole the customer would hear.
func TestMicrophoneQueueFollowsTheCard(t *testing.T) {
	for _, ppm := range []float64{-300, 0, 300} {
		queued := 0
		cardPeriod := 0.010 / (1 + ppm/1e6)
		nextPeriod := 0.005
		var holes, outside int
		for tick := 0; tick < 50*3600; tick++ {
			now := float64(tick) * 0.020
			for nextPeriod <= now {
				queued += 480
				nextPeriod += cardPeriod
			}
			if queued < frame {
				if now > 20 {
					holes++
				}
				continue
			}
			if now > 20 && (queued-frame < Microphone.Low-480 || queued-frame > Microphone.High+480) {
				outside++
			}
			queued -= frame + Microphone.Correction(queued-frame)
		}
		if holes > 0 || outside > 0 {
			t.Errorf("%+.0f ppm: %d frames of silence and %d ticks out of the band after 20 s", ppm, holes, outside)
		}
	}
}

func TestCorrectionIsSmallAndPointsBackToTheBand(t *testing.T) {
	for _, b := range []Band{Speaker, Microphone} {
		if b.High-b.Low < 480 {
			t.Errorf("band %v is narrower than a 10 ms device period", b)
		}
		for backlog := 0; backlog < 20*frame; backlog += 7 {
			k := b.Correction(backlog)
			switch {
			case k > MaxStep || k < -MaxStep:
				t.Fatalf("backlog %d: step %d, more than %d", backlog, k, MaxStep)
			case backlog > b.High && k <= 0, backlog < b.Low && k >= 0:
				t.Fatalf("backlog %d: step %d does not lead back to %v", backlog, k, b)
			case backlog >= b.Low && backlog <= b.High && k != 0:
				t.Fatalf("backlog %d inside the band %v: step %d", backlog, b, k)
			}
		}
	}
}

// A frame played 1 % faster or slower is the same sound: the ends are
// kept, so frames still join, and a tone only moves by that 1 %.
func TestResampleIsTheSameSoundAtAnotherSpeed(t *testing.T) {
	src := make([]int16, frame)
	for i := range src {
		src[i] = int16(10000 * math.Sin(2*math.Pi*1000*float64(i)/48000))
	}
	for _, n := range []int{frame - MaxStep, frame + MaxStep, frame} {
		dst := make([]int16, n)
		Resample(dst, src)
		if dst[0] != src[0] || dst[n-1] != src[frame-1] {
			t.Fatalf("%d samples: ends %d, %d; want %d, %d", n, dst[0], dst[n-1], src[0], src[frame-1])
		}
		// 20 whole cycles of 1 kHz in the frame: count them in the result.
		crossings := 0
		for i := 1; i < n; i++ {
			if dst[i-1] < 0 && dst[i] >= 0 {
				crossings++
			}
		}
		if crossings != 19 && crossings != 20 {
			t.Fatalf("%d samples: %d upward crossings, want the source's 20 cycles", n, crossings)
		}
		for i := 1; i < n; i++ {
			if d := math.Abs(float64(dst[i]) - float64(dst[i-1])); d > 1400 {
				t.Fatalf("%d samples: a step of %.0f at %d; a 1 kHz tone at this level moves at most 1310 a sample", n, d, i)
			}
		}
	}
}
