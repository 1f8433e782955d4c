// Package drift matches a call's media clock to a sound card's. A call
// plays a 20 ms frame on each tick of the system clock; the speaker runs on
// the card's own crystal, a few hundred ppm away, and starts late. Whatever
// piles up in between is delay the agent hears, and a queue that runs dry
// is a click. A Queue keeps the samples queued besides the frame in hand
// within a Band, by playing a frame 1 % faster or slower (Resample), or,
// for a quiet frame, by dropping or repeating it. It imports no Fyne and
// no malgo.
package drift

// Band is the backlog, in samples at 48 kHz, a queue is kept in besides
// the frame in hand. It is at least two 10 ms device periods wide, so the
// periods' coming and going does not itself call for a correction.
type Band struct{ Low, High int }

// Speaker is 20-40 ms. The call's clock is a Go ticker, which a busy
// machine can hold up by a few tens of ms, and a speaker that runs dry is
// a gap the agent hears.
var Speaker = Band{Low: 960, High: 1920}

// MaxStep is how much a retimed frame is lengthened or shortened by, in
// samples: 1 % of a 20 ms frame, a change of speed no one hears, and still
// 30 times the drift of a poor crystal.
const MaxStep = 10

// Correction says how much the next frame should be shortened (k > 0) or
// lengthened (k < 0), in samples, given the backlog queued besides it:
// nothing inside the band, MaxStep outside it. Whole steps keep retimed
// frames few, and each retimed frame costs the echo canceller a little.
func (b Band) Correction(backlog int) int {
	switch {
	case backlog > b.High:
		return MaxStep
	case backlog < b.Low:
		return -MaxStep
	}
	return 0
}

// Window is how many ticks a Queue looks back over: one second.
const Window = 50

// Queue decides one device queue's corrections, tick by tick. It goes by
// the least backlog of the last Window ticks, not by one reading: a
// reading moves by a device period or two with the phase between the tick
// and the card's periods, and chasing that would retime frame after frame
// for nothing. The least backlog is the queue's real margin. Not safe for
// concurrent use.
type Queue struct {
	Band
	seen [Window]int
	n    int // readings so far
}

// Step takes the backlog before this tick's frame (negative when less than
// a frame is there) and returns the frame's correction, as Band.Correction
// does for the least backlog of the window.
func (q *Queue) Step(backlog int) int {
	q.seen[q.n%Window] = backlog
	q.n++
	least := backlog
	for _, b := range q.seen[:min(q.n, Window)] {
		least = min(least, b)
	}
	return q.Correction(least)
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
