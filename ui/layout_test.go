package ui

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/agentdesk/agentdesk/core"
	"github.com/agentdesk/agentdesk/core/center"
	"github.com/agentdesk/agentdesk/core/centertest"
	"github.com/agentdesk/agentdesk/ui/i18n"
)

// outside lists the visible containers and widgets in o (at pos on the canvas) that reach
// past width, or past height outside a scroller: what would be clipped.
func outside(o fyne.CanvasObject, pos fyne.Position, size fyne.Size, inScroll bool) []string {
	if o == nil || !o.Visible() {
		return nil
	}
	var out []string
	const slack = 0.5
	end := pos.Add(fyne.NewPos(o.Size().Width, o.Size().Height))
	if pos.X < -slack || end.X > size.Width+slack || (!inScroll && (pos.Y < -slack || end.Y > size.Height+slack)) {
		out = append(out, fmt.Sprintf("%T %s at %v size %v", o, describe(o), pos, o.Size()))
	}
	var children []fyne.CanvasObject
	switch x := o.(type) {
	case *fyne.Container:
		children = x.Objects
	case *container.Scroll:
		return append(out, outside(x.Content, pos.Add(x.Content.Position()), size, true)...)
	}
	// A widget's insides are Fyne's to lay out: only its own box counts.
	for _, c := range children {
		out = append(out, outside(c, pos.Add(c.Position()), size, inScroll)...)
	}
	return out
}

func describe(o fyne.CanvasObject) string {
	switch x := o.(type) {
	case *widget.Button:
		return fmt.Sprintf("%q", x.Text)
	case *widget.Label:
		return fmt.Sprintf("%q", x.Text)
	}
	return ""
}

// assertFits renders the window at its minimum size and fails if the
// window would have to be bigger, or if anything would be clipped.
func assertFits(t *testing.T, h *harness, what string) {
	t.Helper()
	h.UI(func() { assertWindowFits(t, h.m.win, what) })
}

func assertWindowFits(t *testing.T, w fyne.Window, what string) {
	t.Helper()
	{
		// From another size, so that every container is laid out anew, as
		// the desktop driver does each frame after panels open.
		w.Resize(MinWindowSize.AddWidthHeight(40, 40))
		w.Resize(MinWindowSize)
		c := w.Canvas()
		if got := c.Content().MinSize(); got.Width > MinWindowSize.Width || got.Height > MinWindowSize.Height {
			t.Errorf("%s: the window needs %v, more than %v", what, got, MinWindowSize)
		}
		if got := c.Size(); got != MinWindowSize {
			t.Errorf("%s: canvas is %v, want %v", what, got, MinWindowSize)
		}
		for _, o := range outside(c.Content(), c.Content().Position(), c.Size(), false) {
			t.Errorf("%s: clipped: %s", what, o)
		}
	}
}

func TestEverythingFitsAtTheMinimumSize(t *testing.T) {
	for _, loc := range []string{"en_US", "de_DE"} {
		t.Run(loc, func(t *testing.T) {
			resetLanguage(t)
			if err := i18n.Apply(loc); err != nil {
				t.Fatal(err)
			}
			h := newHarness(t, "alice")
			assertFits(t, h, "idle")
			h.UI(h.m.toggleDialPad)
			assertFits(t, h, "dial pad open")
			h.UI(h.m.toggleDialPad)
			h.answeredCall()
			h.UI(func() { test.Tap(h.card().keypadBtn) })
			assertFits(t, h, "on a call with the keypad open")
			h.UI(h.m.toggleQuickConnects)
			assertFits(t, h, "on a call with quick connects open")
			h.UI(h.m.toggleQuickConnects)
			h.pickOnCard(func(k *contactCard) *widget.Button { return k.transfer }, "Card services")
			h.WaitUI("the card in ACW, saying where the call went", func() bool { return h.card().handed.Visible() })
			assertFits(t, h, "in ACW after a transfer")
			h.UI(func() {
				h.m.ShowSettings()
				assertWindowFits(t, h.m.settings, "settings")
				h.m.settings.Close()
			})
			// A rejected call: the status line explains the missed state in a
			// sentence, and the recent contacts list it under a long name.
			h.UI(func() { test.Tap(h.card().clear) })
			h.WaitUI("the ACW card to go", func() bool { return h.card() == nil })
			if err := h.env.Agent.SetState(centertest.Ctx(), h.env.State("Available")); err != nil {
				t.Fatal(err)
			}
			id := h.ring("Maria Alejandra García Fernández", "+12025550188")
			h.UI(func() { test.Tap(h.m.cards[id].reject) })
			h.WaitUI("the status line", func() bool { return h.m.status.Visible() })
			h.UI(h.m.history.toggle)
			h.WaitUI("a recent contact", func() bool { return len(h.m.history.view.Rows()) == 2 })
			assertFits(t, h, "after a reject, with the recent contacts open")
		})
	}
}

// TestNarrowWindowShowsTheWholeNumber: at the window's minimum width a
// ringing card still shows every digit of the caller's number (on a line
// of its own if need be), since the agent reads it back to the customer.
func TestNarrowWindowShowsTheWholeNumber(t *testing.T) {
	resetLanguage(t)
	if err := i18n.Apply("en_US"); err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, "alice")
	if err := h.env.Agent.SetState(centertest.Ctx(), h.env.State("Available")); err != nil {
		t.Fatal(err)
	}
	h.env.Arrive(center.Arrival{Queue: "Support", Type: core.ContactTypeVoice, Name: "Fatima Mensah", Number: "+17135550172"})
	h.WaitUI("a ringing card", func() bool { k := h.card(); return k != nil && visible(k.buttons, k.accept) })
	assertFits(t, h, "ringing")
	h.UI(func() {
		texts := boldText.FindAllStringSubmatch(test.RenderToMarkup(h.m.win.Canvas()), -1)
		var title []string
		for i, m := range texts {
			if strings.HasPrefix(m[1], "Call") {
				title = append(title, m[1])
				if i+1 < len(texts) {
					title = append(title, texts[i+1][1])
				}
				break
			}
		}
		if len(title) != 2 || !strings.HasPrefix(title[0], "Call · Fatima") || title[1] != "+1 713-555-0172" {
			t.Errorf("at %v the card's title reads %q, want the name (cut short if need be) and then all of +1 713-555-0172", MinWindowSize, title)
		}
	})
}

// boldText finds the bold texts in Fyne's markup of a canvas.
var boldText = regexp.MustCompile(`<text bold[^>]*>([^<]*)</text>`)

// TestWideWindowPutsCardsSideBySide: two contacts sit in two columns in
// a wide window and stack in a narrow one.
func TestWideWindowPutsCardsSideBySide(t *testing.T) {
	h := newHarness(t, "alice")
	if err := h.env.Agent.SetState(centertest.Ctx(), h.env.State("Available")); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"Ana Lima", "Ken Ito"} {
		h.env.Arrive(center.Arrival{Queue: "Support", Type: core.ContactTypeChat, Name: name})
	}
	h.WaitUI("two cards", func() bool { return len(h.m.cards) == 2 })
	h.UI(func() {
		h.m.win.Resize(fyne.NewSize(900, 600))
		ks := h.m.orderedCards()
		a, b := ks[0].box, ks[1].box
		if a.Position().Y != b.Position().Y || b.Position().X <= a.Position().X+a.Size().Width-1 {
			t.Errorf("wide: cards at %v and %v, want side by side", a.Position(), b.Position())
		}
		if h.m.count.Text != "2 contacts" || !h.m.count.Visible() {
			t.Errorf("count %q, want 2 contacts", h.m.count.Text)
		}
		h.m.win.Resize(MinWindowSize)
		if a.Position().X != b.Position().X || b.Position().Y <= a.Position().Y {
			t.Errorf("narrow: cards at %v and %v, want one above the other", a.Position(), b.Position())
		}
	})
}

// TestWideWindowPutsTheDialPadBesideTheCards: in a wide window the dial
// pad opens on the right of the cards, not above them.
func TestWideWindowPutsTheDialPadBesideTheCards(t *testing.T) {
	h := newHarness(t, "alice")
	h.answeredCall()
	h.UI(func() {
		h.m.toggleDialPad()
		h.m.win.Resize(fyne.NewSize(900, 600))
		pad, card := h.m.padBox, h.card().box
		padX := fyne.CurrentApp().Driver().AbsolutePositionForObject(pad).X
		cardPos := fyne.CurrentApp().Driver().AbsolutePositionForObject(card)
		if padX < cardPos.X+card.Size().Width {
			t.Errorf("wide: dial pad at x=%v, card at %v wide %v: want the pad on the right", padX, cardPos, card.Size().Width)
		}
		h.m.win.Resize(MinWindowSize)
		padY := fyne.CurrentApp().Driver().AbsolutePositionForObject(pad).Y
		cardY := fyne.CurrentApp().Driver().AbsolutePositionForObject(card).Y
		if padY >= cardY {
			t.Errorf("narrow: dial pad at y=%v, card at y=%v: want the pad above", padY, cardY)
		}
	})
}
