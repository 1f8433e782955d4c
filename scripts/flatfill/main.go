// Command flatfill opens a window of rectangles that Fyne's patched painter
// splits (ui/desktop/fyne-v2.8.1-flat-fill.patch) or draws whole: rounded
// and square, stroked and not, opaque, translucent and outlines, corners
// too round to split, per-corner radii, shadows, and small ones below the
// split's threshold. Nothing in it moves, so two captures of it are equal
// pixel for pixel when the split draws what the shape shaders draw.
// scripts/flatfill.sh runs it with the split on and off and compares.
package main

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
)

func main() {
	a := app.NewWithID("io.agentdesk.flatfill")
	w := a.NewWindow("flatfill")
	w.SetContent(container.NewWithoutLayout(scene()...))
	w.Resize(fyne.NewSize(480, 600))
	w.SetFixedSize(true)
	w.ShowAndRun()
}

func rect(x, y, wd, ht float32, fill, stroke color.Color, strokeWidth, radius float32) *canvas.Rectangle {
	r := &canvas.Rectangle{FillColor: fill, StrokeColor: stroke, StrokeWidth: strokeWidth, CornerRadius: radius}
	r.Move(fyne.NewPos(x, y))
	r.Resize(fyne.NewSize(wd, ht))
	return r
}

func scene() []fyne.CanvasObject {
	var (
		card   = color.NRGBA{0x20, 0x20, 0x23, 0xff}
		blue   = color.NRGBA{0x29, 0x6f, 0xf6, 0xff}
		glass  = color.NRGBA{0xf0, 0x80, 0x30, 0x90} // translucent
		haze   = color.NRGBA{0xff, 0xff, 0xff, 0x18}
		border = color.NRGBA{0x5a, 0x5a, 0x60, 0xff}
	)
	objs := []fyne.CanvasObject{
		rect(0, 0, 480, 600, color.NRGBA{0x17, 0x17, 0x18, 0xff}, nil, 0, 0), // the window, square
		rect(8, 8, 464, 300, card, nil, 0, 4),                                // a card
		rect(20, 20, 200, 120, blue, border, 2, 12),                          // stroked, rounded
		rect(240, 20, 220, 120, glass, nil, 0, 6),                            // translucent, over the card
		rect(20, 150, 200, 140, color.Transparent, blue, 3, 10),              // an outline
		rect(240, 150, 220, 60, haze, border, 1, 0),                          // translucent, square, stroked
		rect(240, 220, 220, 70, blue, nil, 0, 40),                            // corners too round to split (a pill)
		rect(16, 320, 140, 36, blue, nil, 0, 4),                              // small: below the threshold
		rect(165, 320, 60.5, 200.25, glass, border, 1.5, 3),                  // off the pixel grid
	}
	r := rect(230, 320, 230, 200, card, border, 1, 0)
	r.TopLeftCornerRadius, r.BottomRightCornerRadius = 24, 8 // per-corner radii
	objs = append(objs, r)
	s := rect(20, 540, 440, 40, card, nil, 0, 6)
	s.Shadow = canvas.Shadow{Color: color.NRGBA{0, 0, 0, 0xa0}, BlurRadius: 6, Offset: fyne.NewPos(0, 2)} // drawn whole
	return append(objs, s)
}
