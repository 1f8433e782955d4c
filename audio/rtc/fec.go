package rtc

import (
	"math"

	"github.com/agentdesk/agentdesk/audio/opus"
)

// fecLoss decides how much loss the Opus encoder's in-band FEC protects
// against, from the far end's receiver reports, as libwebrtc does. A call
// starts protected at opus.DefaultPacketLossPercent, since nothing is known
// of its network yet. After that the expectation rises at once to the loss
// a report shows and, while the reports show less, halves with each one,
// so a clean network stops paying for redundancy four reports in (a fifth
// of the encoder's work, and bits the voice gets instead) and a lossy one
// has it back one report after the loss starts.
type fecLoss struct {
	expect         float64 // the fraction of packets expected lost
	lost, expected int64   // the far end's running totals at the last report seen
}

func newFECLoss() *fecLoss {
	return &fecLoss{expect: opus.DefaultPacketLossPercent / 100.0}
}

// update takes the far end's running totals of the packets it lost and of
// those it expected (received plus lost), and returns the loss to set, in
// percent. Totals that have not moved since the last call carry no new
// report and change nothing.
func (f *fecLoss) update(lost, expected int64) int {
	if n := expected - f.expected; n > 0 {
		newly := min(max(lost-f.lost, 0), n)
		f.expect = max(float64(newly)/float64(n), f.expect/2)
	}
	f.lost, f.expected = lost, expected
	return f.percent()
}

// percent rounds the expectation up to whole percent; below 1 % it is 0,
// which turns the redundancy off.
func (f *fecLoss) percent() int {
	if f.expect < 0.01 {
		return 0
	}
	return min(100, int(math.Ceil(f.expect*100-1e-9)))
}
