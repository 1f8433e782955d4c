// Package drift matches a call's media clock to a sound card's. A call makes
// and plays a 20 ms frame on each tick of the system clock; the microphone
// and the speaker run on the card's own crystal, a few hundred ppm away, and
// start late. Whatever piles up in between is delay the agent or the
// customer hears, and a ring that runs dry is a click. Correction keeps the
// samples queued besides the frame in hand within a band, by playing a frame
// up to 1 % faster or slower (Resample), or, for a quiet frame, by dropping
// or repeating it. It imports no Fyne and no malgo.
package drift

// Band is the backlog, in samples at 48 kHz, a queue is kept in besides
// the frame in hand. It is at least a device period wide, so the periods'
// coming and going does not itself call for a correction.
type Band struct{ Low, High int }

var (
	// Speaker is 20-40 ms. The call's clock is a Go ticker, which a busy
	// machine can hold up by a few tens of ms, and a speaker that runs dry
	// is a gap the agent hears.
	Speaker = Band{Low: 960, High: 1920}
	// Microphone is 10-20 ms. The card delivers on its own thread a period
	// at a time, and one period of margin covers a period that comes late.
	Microphone = Band{Low: 480, High: 960}
)

// MaxStep is the most a frame is lengthened or shortened by, in samples: 1 %
// of a 20 ms frame, a change of speed no one hears, and still 30 times the
// drift of a poor crystal.
const MaxStep = 10

// Correction says how much the next frame should be shortened (k > 0) or
// lengthened (k < 0), in samples, given the backlog queued besides it:
// nothing inside the band, and more the further out it is, up to MaxStep.
func (b Band) Correction(backlog int) int {
	switch {
	case backlog > b.High:
		return min(MaxStep, 1+(backlog-b.High)/240)
	case backlog < b.Low:
		return -min(MaxStep, 1+(b.Low-backlog)/48)
	}
	return 0
}

// Resample writes src into all of dst, stretched or squeezed by linear
// interpolation. The first and last samples are kept, so frames resampled
// one by one still join where the original frames joined.
func Resample(dst, src []int16) {
	n, last := len(dst), len(src)-1
	switch {
	case n == 0 || last < 0:
		clear(dst)
		return
	case n == 1 || last == 0:
		for i := range dst {
			dst[i] = src[0]
		}
		return
	}
	for i := range dst {
		pos := i * last
		j, frac := pos/(n-1), pos%(n-1)
		if j >= last {
			dst[i] = src[last]
			continue
		}
		a, b := int(src[j]), int(src[j+1])
		dst[i] = int16(a + (b-a)*frac/(n-1))
	}
}
