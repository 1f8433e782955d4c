package callquality

import (
	"image/color"
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// Sparkline draws the last Window values as a line, newest at the right
// edge and oldest at the left, one canvas.Line per pair of neighbours. The vertical scale runs
// from 0 to the largest value, but never less than Floor, so that a quiet
// line stays low.
type Sparkline struct {
	widget.BaseWidget
	Window int     // values across the full width
	Floor  float64 // smallest top of the scale
	Color  color.Color

	values []float64
}

// NewSparkline makes an empty sparkline.
func NewSparkline(window int, floor float64) *Sparkline {
	s := &Sparkline{Window: window, Floor: floor, Color: theme.Color(theme.ColorNamePrimary)}
	s.ExtendBaseWidget(s)
	return s
}

// SetValues replaces the values (oldest first) and redraws; it keeps only
// the last Window of them.
func (s *Sparkline) SetValues(v []float64) {
	if len(v) > s.Window {
		v = v[len(v)-s.Window:]
	}
	if slices.Equal(v, s.values) {
		return
	}
	s.values = slices.Clone(v)
	s.Refresh()
}

// Values are the values drawn, oldest first.
func (s *Sparkline) Values() []float64 { return slices.Clone(s.values) }

// Top is the value drawn at the top edge.
func (s *Sparkline) Top() float64 {
	top := s.Floor
	for _, v := range s.values {
		top = max(top, v)
	}
	return top
}

// MinSize is a small strip.
func (s *Sparkline) MinSize() fyne.Size { return fyne.NewSize(90, 24) }

func (s *Sparkline) CreateRenderer() fyne.WidgetRenderer {
	bg := canvas.NewRectangle(theme.Color(theme.ColorNameInputBackground))
	// A border shows where the strip is while its line lies flat at 0.
	bg.StrokeColor = theme.Color(theme.ColorNameInputBorder)
	bg.StrokeWidth = 1
	return &sparkRenderer{s: s, bg: bg}
}

type sparkRenderer struct {
	s     *Sparkline
	bg    *canvas.Rectangle
	lines []*canvas.Line
}

func (r *sparkRenderer) Layout(size fyne.Size) {
	r.bg.Resize(size)
	r.bg.Move(fyne.NewPos(0, 0))
	v := r.s.values
	n := max(len(v)-1, 0)
	for len(r.lines) < n {
		r.lines = append(r.lines, canvas.NewLine(r.s.Color))
	}
	r.lines = r.lines[:n]
	if n == 0 {
		return
	}
	// Until a full Window of values has come, the ones there are span the
	// whole width: seven seconds of a call are a line, not a dot.
	step := size.Width / float32(max(min(len(v), r.s.Window)-1, 1))
	top := r.s.Top()
	const pad = 2
	h := size.Height - 2*pad
	pos := func(i int) fyne.Position {
		// The newest value sits at the right edge.
		x := size.Width - float32(len(v)-1-i)*step
		y := pad + h - float32(v[i]/top)*h
		return fyne.NewPos(x, y)
	}
	for i, l := range r.lines {
		l.StrokeColor = r.s.Color
		l.StrokeWidth = 1.5
		l.Position1 = pos(i)
		l.Position2 = pos(i + 1)
	}
}

func (r *sparkRenderer) MinSize() fyne.Size { return r.s.MinSize() }

func (r *sparkRenderer) Refresh() {
	r.bg.FillColor = theme.Color(theme.ColorNameInputBackground)
	r.bg.StrokeColor = theme.Color(theme.ColorNameInputBorder)
	r.bg.StrokeWidth = 1
	r.Layout(r.s.Size())
	r.bg.Refresh()
	for _, l := range r.lines {
		l.Refresh()
	}
}

func (r *sparkRenderer) Objects() []fyne.CanvasObject {
	objs := make([]fyne.CanvasObject, 0, len(r.lines)+1)
	objs = append(objs, r.bg)
	for _, l := range r.lines {
		objs = append(objs, l)
	}
	return objs
}

func (r *sparkRenderer) Destroy() {}
