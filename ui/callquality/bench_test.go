package callquality

import (
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

// BenchmarkUpdate is the panel's once-a-second work on a call with a full
// minute of history: read the samples, work out the series, redraw the
// sparklines, figures and meters.
func BenchmarkUpdate(b *testing.B) {
	test.NewTempApp(b)
	src := &fakeSource{in: -20, out: -30}
	for i := range 3600 { // an hour-long call
		src.second(time.Duration(5+i%20)*time.Millisecond, time.Duration(40+i%30)*time.Millisecond, int64(i%3), false)
	}
	v := New(src, "call-1")
	w := test.NewTempWindow(b, v.Content())
	w.Resize(fyne.NewSize(400, 300))
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		src.mu.Lock()
		src.second(time.Duration(5+i%20)*time.Millisecond, 50*time.Millisecond, int64(i%3), false)
		src.mu.Unlock()
		v.Update()
	}
}
