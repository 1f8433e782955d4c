package ui

import (
	"strings"
	"sync"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/agentdesk/agentdesk/core"
	"github.com/agentdesk/agentdesk/core/center"
	"github.com/agentdesk/agentdesk/core/centertest"
)

// harness is the main window on a test app and an embedded center. UI work
// from other goroutines and the test's own reads are serialised by mu, as
// the real app's event loop would.
type harness struct {
	t   *testing.T
	env *centertest.Env
	m   *Main
	mu  sync.Mutex
}

func newHarness(t *testing.T, login string) *harness {
	t.Helper()
	h := &harness{t: t, env: centertest.New(t, nil, login)}
	app := test.NewTempApp(t)
	h.mu.Lock()
	defer h.mu.Unlock()
	m, err := NewMain(app, h.env.Client)
	if err != nil {
		t.Fatal(err)
	}
	m.do = func(f func()) { h.mu.Lock(); defer h.mu.Unlock(); f() }
	h.m = m
	m.win.Show()
	return h
}

// ui runs f as the UI thread.
func (h *harness) ui(f func()) {
	h.mu.Lock()
	defer h.mu.Unlock()
	f()
}

// waitUI waits until cond, read on the UI thread, holds.
func (h *harness) waitUI(what string, cond func() bool) {
	h.t.Helper()
	ok := centertest.Eventually(func() bool {
		var v bool
		h.ui(func() { v = cond() })
		return v
	})
	if !ok {
		h.t.Fatalf("timed out waiting for %s", what)
	}
}

func (h *harness) card() *contactCard {
	for _, c := range h.m.cards {
		return c
	}
	return nil
}

func visible(box *fyne.Container, b *widget.Button) bool {
	for _, o := range box.Objects {
		if o == b {
			return true
		}
	}
	return false
}

func TestPickStateChangesAgentState(t *testing.T) {
	h := newHarness(t, "alice")
	h.ui(func() { h.m.states.SetSelected("Available") })
	if !centertest.Eventually(func() bool { return h.env.Agent.State().Name == "Available" }) {
		t.Fatalf("agent state %q after picking Available", h.env.Agent.State().Name)
	}
	h.waitUI("the status dot to turn green", func() bool { return h.m.dot.FillColor == stateColor(h.env.Agent.State()) })
}

func TestTapAcceptConnectsTheContact(t *testing.T) {
	h := newHarness(t, "alice")
	if err := h.env.Agent.SetState(centertest.Ctx(), h.env.State("Available")); err != nil {
		t.Fatal(err)
	}
	h.env.Arrive(center.Arrival{Queue: "Support", Type: core.ContactTypeVoice, Name: "Maria Garcia", Number: "+12025550123",
		Attributes: map[string]string{"Tier": "Gold"}})
	h.waitUI("a ringing card with Accept", func() bool { c := h.card(); return c != nil && visible(c.buttons, c.accept) })
	h.ui(func() {
		c := h.card()
		if !strings.Contains(c.title.Text, "Maria Garcia") || !strings.Contains(c.attrs.Text, "Tier: Gold") {
			t.Errorf("card shows %q / %q, want the caller's name and attributes", c.title.Text, c.attrs.Text)
		}
		test.Tap(c.accept)
	})
	if !centertest.Eventually(func() bool {
		cs := h.env.Agent.Contacts()
		return len(cs) == 1 && cs[0].State().Type == core.ContactStateConnected
	}) {
		t.Fatal("contact not connected after tapping Accept")
	}
	h.waitUI("End to replace Accept", func() bool { c := h.card(); return visible(c.buttons, c.end) && !visible(c.buttons, c.accept) })

	h.ui(func() { test.Tap(h.card().end) })
	h.waitUI("Clear in after-contact work", func() bool { c := h.card(); return c != nil && visible(c.buttons, c.clear) })
	h.ui(func() { test.Tap(h.card().clear) })
	h.waitUI("the card to go", func() bool { return h.card() == nil })
	if got := h.env.Agent.State().Name; got != "Available" {
		t.Fatalf("agent %q after clearing, want back to Available", got)
	}
}

func TestRejectShowsMissedStateAndError(t *testing.T) {
	h := newHarness(t, "alice")
	if err := h.env.Agent.SetState(centertest.Ctx(), h.env.State("Available")); err != nil {
		t.Fatal(err)
	}
	id := h.env.Arrive(center.Arrival{Queue: "Support", Type: core.ContactTypeVoice, Name: "Ken", Number: "+12025550123"})
	h.waitUI("Reject", func() bool { c := h.card(); return c != nil && visible(c.buttons, c.reject) })
	h.ui(func() { test.Tap(h.card().reject) })
	h.waitUI("the missed state under its own name", func() bool {
		return h.m.states.PlaceHolder == core.StateMissedCallAgent && h.m.states.Selected == ""
	})
	// The caller gives up waiting, so clearing does not bring the call back.
	if err := h.env.Center.HangUp(id); err != nil {
		t.Fatal(err)
	}
	// Clearing twice: the second tap hits a contact that is gone and must say so.
	var c *contactCard
	h.ui(func() { c = h.card() })
	h.ui(func() { test.Tap(c.clear) })
	h.waitUI("the card to go", func() bool { return h.card() == nil })
	h.ui(func() { test.Tap(c.clear) })
	h.waitUI("an error in place", func() bool { return strings.Contains(h.m.problem.Text, "not one of yours") })
}

func TestChoosingStateOnContactEnqueuesIt(t *testing.T) {
	h := newHarness(t, "alice")
	if err := h.env.Agent.SetState(centertest.Ctx(), h.env.State("Available")); err != nil {
		t.Fatal(err)
	}
	h.env.Arrive(center.Arrival{Queue: "Support", Type: core.ContactTypeVoice, Name: "Ken", Number: "+12025550123"})
	h.waitUI("Accept", func() bool { c := h.card(); return c != nil && visible(c.buttons, c.accept) })
	h.ui(func() { test.Tap(h.card().accept) })
	h.waitUI("End", func() bool { c := h.card(); return visible(c.buttons, c.end) })
	h.ui(func() { h.m.states.SetSelected("Offline") })
	h.waitUI("Next: Offline", func() bool { return h.m.next.Text == "Next: Offline" })
	if h.env.Agent.State().Name != core.StateBusy {
		t.Fatalf("agent %q: the call must go on while Offline waits", h.env.Agent.State().Name)
	}
}
