package ui

import (
	"reflect"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"

	"github.com/agentdesk/agentdesk/core"
	"github.com/agentdesk/agentdesk/core/center"
	"github.com/agentdesk/agentdesk/core/centertest"
)

// press types a shortcut on the main window's canvas, as the keyboard does
// when no widget has focus. The test canvas wraps a software canvas that
// has TypedShortcut but does not pass it on, so this reaches for it.
func (h *harness) press(s fyne.Shortcut) {
	h.t.Helper()
	h.UI(func() {
		var c any = h.m.win.Canvas()
		if v := reflect.ValueOf(c); v.Kind() == reflect.Pointer && v.Elem().Kind() == reflect.Struct {
			if f := v.Elem().FieldByName("WindowlessCanvas"); f.IsValid() && f.CanInterface() {
				c = f.Interface()
			}
		}
		typed, ok := c.(interface{ TypedShortcut(fyne.Shortcut) })
		if !ok {
			h.t.Fatalf("the test canvas (%T) takes no shortcuts", c)
		}
		typed.TypedShortcut(s)
	})
}

func ringingCall(t *testing.T, h *harness) {
	t.Helper()
	if err := h.env.Agent.SetState(centertest.Ctx(), h.env.State("Available")); err != nil {
		t.Fatal(err)
	}
	h.env.Arrive(center.Arrival{Queue: "Support", Type: core.ContactTypeVoice, Name: "Maria Garcia", Number: "+12025550123"})
	h.WaitUI("a ringing card", func() bool { c := h.card(); return c != nil && visible(c.buttons, c.accept) })
}

func TestShortcutsHandleACallFromRingToClear(t *testing.T) {
	h := newHarness(t, "alice")
	ringingCall(t, h)

	h.press(&desktop.CustomShortcut{KeyName: fyne.KeyA, Modifier: fyne.KeyModifierControl | fyne.KeyModifierShift})
	if !centertest.Eventually(func() bool {
		cs := h.env.Agent.Contacts()
		return len(cs) == 1 && cs[0].State().Type == core.ContactStateConnected
	}) {
		t.Fatal("Ctrl+Shift+A did not connect the ringing call")
	}
	h.WaitUI("Mute on the card", func() bool { return visible(h.card().buttons, h.card().mute) })

	h.press(ShortcutMute)
	if !centertest.Eventually(h.env.Agent.IsMuted) {
		t.Fatal("Ctrl+Shift+M did not mute")
	}
	h.press(ShortcutMute)
	if !centertest.Eventually(func() bool { return !h.env.Agent.IsMuted() }) {
		t.Fatal("Ctrl+Shift+M again did not unmute")
	}

	c := h.env.Agent.Contacts()[0]
	h.press(ShortcutHold)
	if !centertest.Eventually(func() bool { return c.InitialConnection().IsOnHold() }) {
		t.Fatal("Ctrl+Shift+H did not put the customer on hold")
	}
	h.WaitUI("Resume", func() bool { return h.card().hold.Text == "Resume" })
	h.press(ShortcutHold)
	if !centertest.Eventually(func() bool { return c.InitialConnection().IsConnected() }) {
		t.Fatal("Ctrl+Shift+H again did not resume the customer")
	}
	h.WaitUI("Hold", func() bool { return h.card().hold.Text == "Hold" })

	h.press(ShortcutEnd)
	h.WaitUI("Clear in after contact work", func() bool { k := h.card(); return k != nil && visible(k.buttons, k.clear) })
	h.press(ShortcutEnd)
	h.WaitUI("the card to go", func() bool { return h.card() == nil })
	if got := h.env.Agent.State().Name; got != "Available" {
		t.Fatalf("agent %q after ending and clearing with Ctrl+Shift+E, want Available", got)
	}
}

func TestShortcutRejects(t *testing.T) {
	h := newHarness(t, "alice")
	ringingCall(t, h)
	h.press(ShortcutReject)
	h.WaitUI("the missed state", func() bool { return h.m.states.PlaceHolder == "Missed contact" })
	h.WaitUI("the card without Accept", func() bool {
		for _, k := range h.m.cards {
			if k.ref(k.buttons, k.accept) != nil {
				return false
			}
		}
		return true
	})
	// With nothing ringing, accept does nothing and says nothing.
	h.press(ShortcutAccept)
	h.UI(func() {
		if h.m.problem.Visible() {
			t.Errorf("accept with nothing ringing shows %q", h.m.problem.Text)
		}
	})
}

func TestShortcutsOpenPanels(t *testing.T) {
	h := newHarness(t, "alice")
	h.press(ShortcutDialPad)
	h.UI(func() {
		if !h.m.padBox.Visible() {
			t.Error("Ctrl+Shift+D did not show the dial pad")
		}
		if h.m.win.Canvas().Focused() != h.m.pad.Entry {
			t.Error("the number field has no focus with the dial pad open")
		}
	})
	h.press(ShortcutDialPad)
	h.UI(func() {
		if h.m.padBox.Visible() {
			t.Error("Ctrl+Shift+D again did not hide the dial pad")
		}
	})
	h.press(ShortcutDialPad)
	h.press(ShortcutQuickConnect)
	h.WaitUI("the quick connects listed", func() bool { return h.m.qcBox.Visible() && len(h.m.qc.Shown()) > 0 })
	h.UI(func() {
		if h.m.padBox.Visible() {
			t.Error("the dial pad stayed open under the quick connects")
		}
	})
	h.press(&desktop.CustomShortcut{KeyName: fyne.KeyComma, Modifier: fyne.KeyModifierControl})
	h.UI(func() {
		if h.m.settings == nil {
			t.Fatal("Ctrl+, did not open settings")
		}
		h.m.settings.Close()
	})
}

// TestMenuCarriesShortcuts: the desktop driver gives shortcuts to the main
// menu before the focused widget, so they work while typing a reply.
func TestMenuCarriesShortcuts(t *testing.T) {
	h := newHarness(t, "alice")
	want := map[string]bool{}
	for _, s := range []fyne.Shortcut{ShortcutAccept, ShortcutReject, ShortcutEnd, ShortcutMute, ShortcutHold, ShortcutDialPad, ShortcutQuickConnect, ShortcutSettings} {
		want[s.ShortcutName()] = true
	}
	h.UI(func() {
		menu := h.m.win.MainMenu()
		if menu == nil {
			t.Fatal("no main menu")
		}
		for _, m := range menu.Items {
			for _, it := range m.Items {
				if it.Shortcut != nil {
					delete(want, it.Shortcut.ShortcutName())
				}
			}
		}
	})
	if len(want) > 0 {
		t.Fatalf("shortcuts missing from the menu: %v", want)
	}
}
