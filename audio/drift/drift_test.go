package drift

import (
	"math"
	"math/rand/v2"
	"testing"
)

const frame = 960 // 20 ms at 48 kHz

// card is a sound card's side of a queue, simulated: it moves chunk
// samples every period seconds of the system clock, each a little early or
// late, as a real card's periods come with the scheduler's jitter.
type card struct {
	chunk  int
	period float64
	next   float64
	rng    *rand.Rand
}

// due returns how many samples the card has moved by now.
func (c *card) due(now float64) int {
	n := 0
	for c.next+0.002*(c.rng.Float64()-0.5) <= now {
		n += c.chunk
		c.next += c.period
	}
	return n
}

// The speaker's queue, simulated for an hour: the call writes a frame
// every 20 ms of the system clock, corrected; the card takes 10 ms periods
// on its own clock. The card starts 2 s late, so 100 ms pile up, and it
// runs fast or slow by 300 ppm, three times a poor crystal. Once the pile
// is worked off the card must never find the queue empty (a click the
// agent would hear) nor more than the band's top and a frame in it, and
// frames are retimed only as often as the drift needs.
func TestSpeakerQueueFollowsTheCard(t *testing.T) {
	for _, ppm := range []float64{-300, 0, 300} {
		q := Queue{Band: Speaker}
		c := &card{chunk: 480, period: 0.010 / (1 + ppm/1e6), next: 2, rng: rand.New(rand.NewPCG(1, uint64(ppm+1000)))}
		queued, empty, over, retimed := 0, 0, 0, 0
		for tick := 0; tick < 50*3600; tick++ {
			now := float64(tick) * 0.020
			took := c.due(now)
			if took > queued && now > 20 {
				empty++
			}
			queued = max(queued-took, 0)
			if now > 20 && queued > Speaker.High+frame {
				over++
			}
			if queued > 5*frame {
				continue // the softphone drops a frame while the card stalls
			}
			k := q.Step(queued)
			if k != 0 && now > 20 {
				retimed++
			}
			queued += frame - k
		}
		// 300 ppm is 14.4 samples a second, 1.44 frames retimed by whole
		// steps; twice that is allowed.
		allowed := int(math.Abs(ppm)*1e-6*48000*3600) * 2 / MaxStep
		if empty > 0 || over > 0 || retimed > allowed {
			t.Errorf("%+.0f ppm: the card found the queue short %d times, it held too much %d times, and %d frames were retimed (%d allowed) after 20 s",
				ppm, empty, over, retimed, allowed)
		}
		t.Logf("%+.0f ppm: %d frames retimed in the hour", ppm, retimed)
	}
}

func TestCorrectionPointsBackToTheBand(t *testing.T) {
	for _, b := range []Band{Speaker} {
		if b.High-b.Low < 960 {
			t.Errorf("band %v is narrower than two 10 ms device periods", b)
		}
		for backlog := 0; backlog < 20*frame; backlog += 7 {
			k := b.Correction(backlog)
			switch {
			case k != 0 && k != MaxStep && k != -MaxStep:
				t.Fatalf("backlog %d: step %d, want 0 or ±%d", backlog, k, MaxStep)
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
