package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
)

// MinWindowSize is the smallest the window gets; everything fits in it.
var MinWindowSize = fyne.NewSize(320, 460)

// cardColumnWidth is the width from which cards sit side by side: two
// columns of at least this width each.
const cardColumnWidth = 340

// sidePanelWidth is the dial pad's and quick connects' width beside the
// cards, from sidePanelFrom wide.
const (
	sidePanelWidth = 360
	sidePanelFrom  = 720
)

// withMinSize stacks content on a transparent spacer of MinWindowSize, so
// the window cannot be made smaller than that.
func withMinSize(content fyne.CanvasObject) fyne.CanvasObject {
	spacer := canvas.NewRectangle(color.Transparent)
	spacer.SetMinSize(MinWindowSize)
	return container.NewStack(spacer, content)
}

// cardsLayout puts contact cards in one column, or in two when the window
// is wide enough; each row is as tall as its tallest card.
type cardsLayout struct {
	cols int // from the last Layout; 1 before it
}

func (l *cardsLayout) columns(width float32) int {
	if width >= 2*cardColumnWidth+theme.Padding() {
		return 2
	}
	return 1
}

func visibleObjects(objects []fyne.CanvasObject) []fyne.CanvasObject {
	var out []fyne.CanvasObject
	for _, o := range objects {
		if o.Visible() {
			out = append(out, o)
		}
	}
	return out
}

func (l *cardsLayout) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	l.cols = l.columns(size.Width)
	pad := theme.Padding()
	objs := visibleObjects(objects)
	colW := (size.Width - pad*float32(l.cols-1)) / float32(l.cols)
	y := float32(0)
	for i := 0; i < len(objs); i += l.cols {
		row := objs[i:min(i+l.cols, len(objs))]
		h := float32(0)
		for _, o := range row {
			h = max(h, o.MinSize().Height)
		}
		for j, o := range row {
			o.Move(fyne.NewPos(float32(j)*(colW+pad), y))
			o.Resize(fyne.NewSize(colW, h))
		}
		y += h + pad
	}
}

func (l *cardsLayout) MinSize(objects []fyne.CanvasObject) fyne.Size {
	cols := max(l.cols, 1)
	objs := visibleObjects(objects)
	pad := theme.Padding()
	var w, h float32
	for i := 0; i < len(objs); i += cols {
		rowH := float32(0)
		for _, o := range objs[i:min(i+cols, len(objs))] {
			s := o.MinSize()
			w = max(w, s.Width)
			rowH = max(rowH, s.Height)
		}
		if i > 0 {
			h += pad
		}
		h += rowH
	}
	return fyne.NewSize(w, h)
}

// capMinWidth holds an object that may be narrower than it asks for (a
// Select, whose text truncates with an ellipsis): it asks for at most
// width, and gives the object all the room it gets.
type capMinWidth float32

func (w capMinWidth) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var s fyne.Size
	for _, o := range objs {
		s = s.Max(o.MinSize())
	}
	s.Width = min(s.Width, float32(w))
	return s
}

func (capMinWidth) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}

// sidePanelLayout lays out the header's panel (dial pad, quick connects)
// and the cards: the panel above the cards, or beside them on the right in
// a wide window. Objects are the panel, then the cards.
type sidePanelLayout struct{}

func panelShown(panel fyne.CanvasObject) bool {
	if !panel.Visible() {
		return false
	}
	if c, ok := panel.(*fyne.Container); ok {
		return len(visibleObjects(c.Objects)) > 0
	}
	return true
}

func (sidePanelLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	panel, cards := objs[0], objs[1]
	if !panelShown(panel) {
		cards.Move(fyne.NewPos(0, 0))
		cards.Resize(size)
		return
	}
	pad := theme.Padding()
	if size.Width >= sidePanelFrom {
		w := float32(sidePanelWidth)
		cards.Move(fyne.NewPos(0, 0))
		cards.Resize(fyne.NewSize(size.Width-w-pad, size.Height))
		panel.Move(fyne.NewPos(size.Width-w, 0))
		panel.Resize(fyne.NewSize(w, min(panel.MinSize().Height, size.Height)))
		return
	}
	h := panel.MinSize().Height
	panel.Move(fyne.NewPos(0, 0))
	panel.Resize(fyne.NewSize(size.Width, h))
	cards.Move(fyne.NewPos(0, h+pad))
	cards.Resize(fyne.NewSize(size.Width, max(size.Height-h-pad, 0)))
}

func (sidePanelLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	panel, cards := objs[0], objs[1]
	s := cards.MinSize()
	if panelShown(panel) {
		p := panel.MinSize()
		s = fyne.NewSize(max(s.Width, p.Width), s.Height+theme.Padding()+p.Height)
	}
	return s
}
