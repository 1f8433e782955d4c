package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
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

// headerLayout lays out the header row: the state dot, the state picker,
// then the buttons at the right. When the row is too narrow for the Dial
// button's label beside a readable state picker (the minimum window size in
// a wordy language), the Dial button shows its icon only.
type headerLayout struct {
	dial     *widget.Button
	label    string  // the Dial button's label when there is room
	stateMin float32 // the state picker's narrowest readable width
	full     float32 // the Dial button's width with its label, once seen
}

// objects: dot, states, then the buttons (the Dial button first).
func (h *headerLayout) widths(objs []fyne.CanvasObject) (dot, states, buttons float32) {
	pad := theme.Padding()
	dot = objs[0].MinSize().Width
	states = min(objs[1].MinSize().Width, h.stateMin)
	for _, b := range objs[2:] {
		buttons += b.MinSize().Width + pad
	}
	return dot, states, buttons
}

func (h *headerLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	dot, states, buttons := h.widths(objs)
	if h.dial.Text != "" { // the narrowest the row gets is with an icon-only Dial
		h.full = h.dial.MinSize().Width
		buttons -= h.full - h.iconOnlyWidth()
	}
	height := float32(0)
	for _, o := range objs {
		height = max(height, o.MinSize().Height)
	}
	return fyne.NewSize(dot+theme.Padding()+states+buttons, height)
}

func (h *headerLayout) iconOnlyWidth() float32 {
	return theme.IconInlineSize() + 2*theme.InnerPadding()
}

func (h *headerLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	dot, states, buttons := h.widths(objs)
	pad := theme.Padding()
	if h.dial.Text != "" {
		h.full = h.dial.MinSize().Width
	}
	withLabel := buttons - h.dial.MinSize().Width + h.full
	want := h.label
	if dot+pad+states+withLabel > size.Width {
		want = ""
	}
	if h.dial.Text != want {
		h.dial.SetText(want)
		_, _, buttons = h.widths(objs)
	}
	objs[0].Resize(objs[0].MinSize())
	objs[0].Move(fyne.NewPos(0, (size.Height-objs[0].MinSize().Height)/2))
	x := size.Width
	for i := len(objs) - 1; i >= 2; i-- {
		w := objs[i].MinSize().Width
		x -= w
		objs[i].Move(fyne.NewPos(x, 0))
		objs[i].Resize(fyne.NewSize(w, size.Height))
		x -= pad
	}
	left := dot + pad
	objs[1].Move(fyne.NewPos(left, 0))
	objs[1].Resize(fyne.NewSize(max(x-left, 0), size.Height))
}
