// Package namenumber lays out a customer's name and number on one line:
// the name gives way, cut short with an ellipsis when the line is too
// narrow for both, and the number after it stays whole, since the agent
// reads it back to the customer.
package namenumber

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// New is a line holding name (made to truncate) and then number. Refresh
// the line after setting either text, so that the split follows them; a
// hidden number leaves the whole line to the name.
func New(name, number *widget.Label) *fyne.Container {
	name.Truncation = fyne.TextTruncateEllipsis
	return container.New(&layout{whole: widget.NewLabel("")}, name, number)
}

type layout struct {
	whole *widget.Label // the name's text and style uncut: how wide it wants to be
}

func (l *layout) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	name, number := objects[0].(*widget.Label), objects[1]
	var numberWidth float32
	if number.Visible() {
		numberWidth = number.MinSize().Width
	}
	l.whole.Text, l.whole.TextStyle, l.whole.SizeName = name.Text, name.TextStyle, name.SizeName
	l.whole.Refresh()
	// A pixel to spare: the label cuts its text at the least fraction over
	// its room, and the two widths are summed in float32 along other paths.
	nameWidth := max(min(l.whole.MinSize().Width+1, size.Width-numberWidth), 0)
	name.Move(fyne.NewPos(0, 0))
	name.Resize(fyne.NewSize(nameWidth, size.Height))
	number.Move(fyne.NewPos(nameWidth, 0))
	number.Resize(fyne.NewSize(numberWidth, size.Height))
}

func (l *layout) MinSize(objects []fyne.CanvasObject) fyne.Size {
	s := objects[0].MinSize()
	if number := objects[1]; number.Visible() {
		n := number.MinSize()
		s = fyne.NewSize(s.Width+n.Width, max(s.Height, n.Height))
	}
	return s
}
