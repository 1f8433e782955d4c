// Package levelmeter is an audio level bar for the microphone and speaker:
// an empty track at MinLevel dBFS, full at 0, red near clipping, falling
// back slowly after a peak so that speech reads as a moving level rather
// than a flicker. It imports Fyne only.
package levelmeter

import (
	"image/color"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// MinLevel is the quietest level a Meter shows.
const MinLevel = -60.0

// FallRate is how fast, in dB per second, Fall lets the bar drop after a
// peak: about a second from a loud syllable to silence.
const FallRate = 40.0

// Meter is a level bar. Its track is the colour of an empty input, so a
// silent meter looks empty.
type Meter struct {
	widget.BaseWidget
	level float64
}

// New makes an empty meter.
func New() *Meter {
	m := &Meter{level: MinLevel}
	m.ExtendBaseWidget(m)
	return m
}

// SetLevel shows a level in dBFS.
func (m *Meter) SetLevel(dbfs float64) {
	dbfs = min(max(dbfs, MinLevel), 0)
	if dbfs == m.level {
		return
	}
	m.level = dbfs
	m.Refresh()
}

// Fall shows a level read elapsed after the last one: a louder level at
// once, a quieter one no faster than FallRate, so short peaks between two
// reads still show.
func (m *Meter) Fall(dbfs float64, elapsed time.Duration) {
	m.SetLevel(max(dbfs, m.level-FallRate*elapsed.Seconds()))
}

// Level is the level shown, in dBFS.
func (m *Meter) Level() float64 { return m.level }

// Fill is the share of the bar lit, 0 to 1.
func (m *Meter) Fill() float64 { return (m.level - MinLevel) / -MinLevel }

// CreateRenderer draws the track and the lit part.
func (m *Meter) CreateRenderer() fyne.WidgetRenderer {
	r := &renderer{m: m, track: &canvas.Rectangle{}, bar: &canvas.Rectangle{}}
	r.applyTheme()
	return r
}

type renderer struct {
	m          *Meter
	track, bar *canvas.Rectangle
}

// Height is the bar's thickness.
const Height = 8

func (r *renderer) Layout(size fyne.Size) {
	h := min(float32(Height), size.Height)
	y := (size.Height - h) / 2
	r.track.Move(fyne.NewPos(0, y))
	r.track.Resize(fyne.NewSize(size.Width, h))
	r.bar.Move(fyne.NewPos(0, y))
	r.bar.Resize(fyne.NewSize(size.Width*float32(r.m.Fill()), h))
	r.bar.Hidden = r.m.Fill() == 0
}

func (r *renderer) MinSize() fyne.Size { return fyne.NewSize(60, 12) }

func (r *renderer) Refresh() {
	r.applyTheme()
	r.Layout(r.m.Size())
	r.track.Refresh()
	r.bar.Refresh()
}

func (r *renderer) applyTheme() {
	r.track.FillColor = theme.Color(theme.ColorNameInputBackground)
	r.track.StrokeColor = theme.Color(theme.ColorNameInputBorder)
	r.track.StrokeWidth = 1
	r.track.CornerRadius = 2
	r.bar.FillColor = levelColor(r.m.level)
	r.bar.CornerRadius = 2
}

func levelColor(dbfs float64) color.Color {
	if dbfs > -3 {
		return theme.Color(theme.ColorNameError) // clipping
	}
	return theme.Color(theme.ColorNameSuccess)
}

func (r *renderer) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{r.track, r.bar} }
func (r *renderer) Destroy()                     {}
