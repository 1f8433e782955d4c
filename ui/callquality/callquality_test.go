package callquality

import (
	"image"
	"math"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

// fakeSource stands in for the softphone: the test appends a second at a
// time.
type fakeSource struct {
	mu      sync.Mutex
	samples []Sample
	in, out float64
	reads   int
}

func (f *fakeSource) Quality(id string, n int) []Sample {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.reads++
	if id != "call-1" {
		return nil
	}
	s := f.samples
	if len(s) > n {
		s = s[len(s)-n:]
	}
	return append([]Sample(nil), s...)
}

func (f *fakeSource) InputLevel() float64  { return f.in }
func (f *fakeSource) OutputLevel() float64 { return f.out }

// second adds one second of a call receiving 50 packets, lost of them lost.
func (f *fakeSource) second(jitter, rtt time.Duration, lost int64, oneWay bool) {
	var last Sample
	if n := len(f.samples); n > 0 {
		last = f.samples[n-1]
	}
	f.samples = append(f.samples, Sample{Jitter: jitter, RTT: rtt, OneWay: oneWay,
		PacketsReceived: last.PacketsReceived + uint64(50-lost), PacketsLost: last.PacketsLost + lost})
}

// points are where s draws its values, in its own coordinates.
func points(s *Sparkline) []fyne.Position { return s.points(s.Size()) }

// climbingJitter is a panel in a 400×300 window after eleven seconds of a
// call whose jitter climbs 0, 6, ... 60 ms.
func climbingJitter(t *testing.T) (*fakeSource, *View, fyne.Window) {
	t.Helper()
	test.NewTempApp(t)
	src := &fakeSource{}
	for i := range 11 { // jitter climbs 0, 6, ... 60 ms
		src.second(time.Duration(i*6)*time.Millisecond, 80*time.Millisecond, 0, false)
	}
	v := New(src, "call-1")
	w := test.NewTempWindow(t, v.Content())
	w.Resize(fyne.NewSize(400, 300))
	v.Update()
	return src, v, w
}

func TestSparklineDrawsTheLastMinute(t *testing.T) {
	src, v, _ := climbingJitter(t)

	ps := points(v.Jitter)
	if len(ps) != 10 { // the first second only founds the loss figure
		t.Fatalf("jitter sparkline has %d points, want 10", len(ps))
	}
	size := v.Jitter.Size()
	newest, oldest := ps[len(ps)-1], ps[0]
	if math.Abs(float64(newest.X-size.Width)) > 0.5 {
		t.Errorf("newest point at x=%.1f, want the right edge %.1f", newest.X, size.Width)
	}
	if newest.Y > 3 {
		t.Errorf("the 60 ms peak is drawn at y=%.1f, want the top", newest.Y)
	}
	if oldest.Y <= newest.Y || oldest.X >= newest.X {
		t.Errorf("oldest point %v is not left of and below the newest %v", oldest, newest)
	}
	// Ten seconds of a call span the width, not a sixth of it.
	if math.Abs(float64(oldest.X)) > 0.5 {
		t.Errorf("the first of 10 seconds is drawn at x=%.1f of %.1f, want the left edge", oldest.X, size.Width)
	}
	for i := 1; i < len(ps); i++ {
		if ps[i].Y >= ps[i-1].Y {
			t.Fatalf("point %d does not climb with the jitter", i)
		}
	}
	if got := v.JitterText.Text; got != "Jitter 60 ms" {
		t.Errorf("jitter figure %q, want Jitter 60 ms", got)
	}

	// After 70 more seconds only the last 60 are drawn.
	for range 70 {
		src.second(10*time.Millisecond, 80*time.Millisecond, 0, false)
	}
	v.Update()
	if n := len(points(v.Jitter)); n != Window {
		t.Fatalf("%d points after 81 s, want %d", n, Window)
	}
	if got := points(v.Jitter)[0].X; math.Abs(float64(got)) > 0.5 {
		t.Errorf("a full minute starts at x=%.1f, want the left edge", got)
	}
}

func TestLossIsPerSecond(t *testing.T) {
	src := &fakeSource{}
	src.second(0, 0, 0, false)
	src.second(0, 0, 5, false) // 5 of 50 lost
	src.second(0, 0, 0, false)
	_, loss, _ := Series(src.samples)
	want := []float64{10, 0}
	if len(loss) != 2 || loss[0] != want[0] || loss[1] != want[1] {
		t.Fatalf("loss %v, want %v", loss, want)
	}
}

func TestLossShowsOnItsSparklineAndFigure(t *testing.T) {
	test.NewTempApp(t)
	src := &fakeSource{}
	for range 5 {
		src.second(5*time.Millisecond, 40*time.Millisecond, 0, false)
	}
	src.second(5*time.Millisecond, 40*time.Millisecond, 10, false) // 20 % in the last second
	v := New(src, "call-1")
	w := test.NewTempWindow(t, v.Content())
	w.Resize(fyne.NewSize(400, 300))
	v.Update()
	if got := v.LossText.Text; got != "Loss 20.0 %" {
		t.Errorf("loss figure %q, want Loss 20.0 %%", got)
	}
	ps := points(v.Loss)
	if a, b := ps[len(ps)-2], ps[len(ps)-1]; b.Y >= a.Y {
		t.Errorf("the loss line does not jump up in the last second: %v → %v", a, b)
	}
}

func TestOneWayWarningComesAndGoes(t *testing.T) {
	test.NewTempApp(t)
	src := &fakeSource{}
	src.second(5*time.Millisecond, 40*time.Millisecond, 0, false)
	v := New(src, "call-1")
	test.NewTempWindow(t, v.Content())
	if v.Warning.Visible() {
		t.Fatal("one-way warning shown while audio flows")
	}
	src.second(5*time.Millisecond, 40*time.Millisecond, 0, true)
	v.Update()
	if !v.Warning.Visible() || !strings.Contains(v.Warning.Text, "One-way audio") {
		t.Fatalf("warning visible=%v %q, want a one-way audio warning", v.Warning.Visible(), v.Warning.Text)
	}
	src.second(5*time.Millisecond, 40*time.Millisecond, 0, false)
	v.Update()
	if v.Warning.Visible() {
		t.Fatal("the one-way warning stayed after audio came back")
	}
}

func TestLevelsAndCollapse(t *testing.T) {
	test.NewTempApp(t)
	src := &fakeSource{in: -30, out: -90}
	v := New(src, "call-1")
	test.NewTempWindow(t, v.Content())
	if got := v.Mic.Fill(); got != 0.5 {
		t.Errorf("mic at -30 dBFS fills %.2f, want 0.50", got)
	}
	if got := v.Speaker.Fill(); got != 0 {
		t.Errorf("silent speaker fills %.2f, want 0", got)
	}
	src.out = 0
	v.Levels(LevelInterval)
	if got := v.Speaker.Fill(); got != 1 {
		t.Errorf("speaker at full scale fills %.2f, want 1", got)
	}
	// A pause between two words: the meter falls back, it does not drop.
	src.out = -90
	v.Levels(LevelInterval)
	if got := v.Speaker.Fill(); got < 0.8 {
		t.Errorf("speaker fills %.2f 100 ms after a full-scale peak, want it still high", got)
	}
	for range 20 {
		v.Levels(LevelInterval)
	}
	if got := v.Speaker.Fill(); got != 0 {
		t.Errorf("speaker fills %.2f after 2 s of silence, want 0", got)
	}
	if len(points(v.Jitter)) != 0 || v.JitterText.Text != "Jitter –" {
		t.Errorf("a call with no samples yet draws %d points and says %q", len(points(v.Jitter)), v.JitterText.Text)
	}
	test.Tap(v.Toggle)
	if v.Details.Visible() {
		t.Error("Call quality did not fold the details away")
	}
	test.Tap(v.Toggle)
	if !v.Details.Visible() {
		t.Error("a second tap did not bring the details back")
	}
}

// Until the far end reports a round trip, RTT reads as a dash, not 0 ms.
func TestRTTNotMeasuredYet(t *testing.T) {
	test.NewTempApp(t)
	src := &fakeSource{}
	for range 5 {
		src.second(2*time.Millisecond, 0, 0, false)
	}
	v := New(src, "call-1")
	if got := v.RTTText.Text; got != "RTT –" {
		t.Errorf("RTT figure %q before any receiver report, want RTT –", got)
	}
	src.second(2*time.Millisecond, 42*time.Millisecond, 0, false)
	v.Update()
	if got := v.RTTText.Text; got != "RTT 42 ms" {
		t.Errorf("RTT figure %q, want RTT 42 ms", got)
	}
}

// lineRow is the row of the window image img where the sparkline s is
// drawn most strongly in the column x pixels from its left edge (the test
// canvas has one pixel to a unit), or -1 when that column shows no line.
func lineRow(t *testing.T, img image.Image, s *Sparkline, x int) int {
	t.Helper()
	at := fyne.CurrentApp().Driver().AbsolutePositionForObject(s)
	x0, y0 := int(at.X)+x, int(at.Y)
	lr, lg, lb, _ := s.Color.RGBA()
	best, row := 0.0, -1
	for y := y0 + 1; y < y0+int(s.Size().Height)-1; y++ {
		r, g, b, _ := img.At(x0, y).RGBA()
		d := math.Abs(float64(r)-float64(lr)) + math.Abs(float64(g)-float64(lg)) + math.Abs(float64(b)-float64(lb))
		if closeness := 3*65535 - d; closeness > best {
			best, row = closeness, y-y0
		}
	}
	if best < 2.5*65535 { // nothing near the line's colour
		return -1
	}
	return row
}

// The line a person sees: climbing from the bottom left to the top right,
// and drawn again, flat along the bottom, when the jitter falls to zero.
func TestSparklineImageFollowsTheValues(t *testing.T) {
	src, v, w := climbingJitter(t)
	s := v.Jitter
	width, height := int(s.Size().Width), int(s.Size().Height)
	if width < 90 || height < 20 {
		t.Fatalf("jitter strip is %dx%d", width, height)
	}
	img := w.Canvas().Capture()
	left, right := lineRow(t, img, s, 3), lineRow(t, img, s, width-3)
	if left < height-pad-3 || right < 0 || right > pad+3 {
		t.Fatalf("the climbing jitter is drawn at row %d on the left and %d on the right of a %d-high strip, want the bottom then the top", left, right, height)
	}
	mid := lineRow(t, img, s, width/2)
	if mid < right || mid > left {
		t.Errorf("halfway across the line is at row %d, not between %d and %d", mid, right, left)
	}

	for range 60 {
		src.second(0, 80*time.Millisecond, 0, false)
	}
	v.Update()
	img = w.Canvas().Capture()
	if got := lineRow(t, img, s, width-3); got < height-pad-3 {
		t.Errorf("after a minute without jitter the right end is drawn at row %d of %d, want the bottom", got, height)
	}
}
