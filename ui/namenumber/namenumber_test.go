package namenumber

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

func TestTheNameGivesWayAndTheNumberStaysWhole(t *testing.T) {
	test.NewTempApp(t)
	line := New()
	Set(line, "Call · Maria Alejandra García Fernández", "+1 202-555-0123")
	name, number := labels(line)
	uncut := widget.NewLabelWithStyle(name.Text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}).MinSize().Width

	for _, tc := range []struct {
		what  string
		width float32
	}{
		{"narrow", 260},
		{"wide", 600},
	} {
		line.Resize(fyne.NewSize(tc.width, 35))
		shows := test.RenderObjectToMarkup(name)
		if got, want := number.Size().Width, number.MinSize().Width; got < want {
			t.Errorf("%s: the number has %v px of the %v it needs", tc.what, got, want)
		}
		if got := number.Position().X; got != name.Size().Width {
			t.Errorf("%s: the number starts at %v, want right after the name's %v", tc.what, got, name.Size().Width)
		}
		if end := number.Position().X + number.Size().Width; end > tc.width {
			t.Errorf("%s: the number ends at %v, past the line's %v", tc.what, end, tc.width)
		}
		cut := name.Size().Width < uncut
		if wantCut := tc.width < uncut+number.MinSize().Width; cut != wantCut {
			t.Errorf("%s (%v px): name cut=%v, want %v; it shows %s", tc.what, tc.width, cut, wantCut, shows)
		}
	}

	// No number (a chat): the name has the whole line.
	line.Resize(fyne.NewSize(260, 35))
	Set(line, name.Text, "")
	if got, want := name.Size().Width, min(uncut, 260); got < want {
		t.Errorf("with no number the name has %v px, want %v", got, want)
	}
}
