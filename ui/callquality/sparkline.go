package callquality

import (
	"image"
	"image/color"
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/srwiley/rasterx"
	"golang.org/x/image/math/fixed"
)

// Sparkline draws the last Window values as a line, newest at the right
// edge and oldest at the left. The vertical scale runs from 0 to the
// largest value, but never less than Floor, so that a quiet line stays low.
//
// The line is one image, stroked anew only when the values change (once a
// second in a call). The window repaints four times a second while the
// level meters move, and under software OpenGL each object drawn costs a
// draw call: a minute of values as 59 line objects made three sparklines
// 177 draw calls a frame.
type Sparkline struct {
	widget.BaseWidget
	Window int     // values across the full width
	Floor  float64 // smallest top of the scale
	Color  color.Color

	values []float64
}

// lineWidth is the stroke of the line, in device-independent pixels.
const lineWidth = 1.5

// pad keeps the stroke inside the strip at the top and bottom.
const pad = 2

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

// points places the values in a strip of the given size: the newest at the
// right edge, and, until a full Window of values has come, the ones there
// are spanning the whole width, so that seven seconds of a call are a line
// and not a dot. Fewer than two values make no line.
func (s *Sparkline) points(size fyne.Size) []fyne.Position {
	v := s.values
	if len(v) < 2 {
		return nil
	}
	step := size.Width / float32(max(min(len(v), s.Window)-1, 1))
	top := s.Top()
	h := size.Height - 2*pad
	out := make([]fyne.Position, len(v))
	for i := range v {
		out[i] = fyne.NewPos(size.Width-float32(len(v)-1-i)*step, pad+h-float32(v[i]/top)*h)
	}
	return out
}

// MinSize is a small strip.
func (s *Sparkline) MinSize() fyne.Size { return fyne.NewSize(90, 24) }

func (s *Sparkline) CreateRenderer() fyne.WidgetRenderer {
	bg := canvas.NewRectangle(theme.Color(theme.ColorNameInputBackground))
	// A border shows where the strip is while its line lies flat at 0.
	bg.StrokeColor = theme.Color(theme.ColorNameInputBorder)
	bg.StrokeWidth = 1
	r := &sparkRenderer{s: s, bg: bg}
	r.line = canvas.NewRaster(r.draw)
	return r
}

type sparkRenderer struct {
	s    *Sparkline
	bg   *canvas.Rectangle
	line *canvas.Raster
}

// draw strokes the line into an image of w×h pixels, the strip at the
// window's scale: Fyne calls it when the values change or the strip is
// resized, and otherwise keeps the image it has.
func (r *sparkRenderer) draw(w, h int) image.Image {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	size := r.s.Size()
	pts := r.s.points(size)
	if len(pts) == 0 || size.Width <= 0 || size.Height <= 0 {
		return img
	}
	scale := float64(w) / float64(size.Width)
	scanner := rasterx.NewScannerGV(w, h, img, img.Bounds())
	stroker := rasterx.NewStroker(w, h, scanner)
	stroker.SetStroke(fixed.Int26_6(lineWidth*scale*64), 0, rasterx.ButtCap, nil, rasterx.RoundGap, rasterx.Round)
	stroker.SetColor(r.s.Color)
	at := func(p fyne.Position) fixed.Point26_6 {
		return rasterx.ToFixedP(float64(p.X)*scale, float64(p.Y)*scale)
	}
	stroker.Start(at(pts[0]))
	for _, p := range pts[1:] {
		stroker.Line(at(p))
	}
	stroker.Stop(false)
	stroker.Draw()
	return img
}

func (r *sparkRenderer) Layout(size fyne.Size) {
	r.bg.Resize(size)
	r.line.Resize(size)
}

func (r *sparkRenderer) MinSize() fyne.Size { return r.s.MinSize() }

func (r *sparkRenderer) Refresh() {
	r.bg.FillColor = theme.Color(theme.ColorNameInputBackground)
	r.bg.StrokeColor = theme.Color(theme.ColorNameInputBorder)
	r.bg.Refresh()
	r.line.Refresh()
}

func (r *sparkRenderer) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{r.bg, r.line} }

func (r *sparkRenderer) Destroy() {}
