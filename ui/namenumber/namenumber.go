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

// New is an empty line of bold text; Set fills it.
func New() *fyne.Container {
	bold := fyne.TextStyle{Bold: true}
	name := widget.NewLabelWithStyle("", fyne.TextAlignLeading, bold)
	name.Truncation = fyne.TextTruncateEllipsis
	number := widget.NewLabelWithStyle("", fyne.TextAlignLeading, bold)
	number.Hide()
	return container.New(&layout{whole: widget.NewLabel("")}, name, number)
}

// Set shows name and then number on line, a line made by New. With no
// number the name has the whole line.
func Set(line *fyne.Container, name, number string) {
	n, num := labels(line)
	n.SetText(name)
	num.SetText(number)
	if number == "" {
		num.Hide()
	} else {
		num.Show()
	}
	line.Refresh() // the split between name and number follows the texts
}

// Texts is what Set last put on line.
func Texts(line *fyne.Container) (name, number string) {
	n, num := labels(line)
	return n.Text, num.Text
}

func labels(line *fyne.Container) (name, number *widget.Label) {
	return line.Objects[0].(*widget.Label), line.Objects[1].(*widget.Label)
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
