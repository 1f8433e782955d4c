package ui

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/agentdesk/agentdesk/core"
	"github.com/agentdesk/agentdesk/core/centertest"
)

// logInTo lets the harness's window log in again on its center.
func (h *harness) logInTo() {
	h.m.SetLogin([]AgentChoice{{Login: "alice", Name: "Alice Martin"}, {Login: "bob", Name: "Bob Okafor"}},
		func(ctx context.Context, login string) (*core.Client, error) {
			s, err := h.env.Center.Session(login)
			if err != nil {
				return nil, err
			}
			c := core.NewClient(s, core.WithClock(h.env.Clock), core.WithLogger(centertest.Quiet))
			h.t.Cleanup(func() { c.Close() })
			return c, c.Start(ctx)
		})
}

func menuAction(h *harness, label string) func() {
	for _, m := range h.m.win.MainMenu().Items {
		for _, it := range m.Items {
			if it.Label == label {
				return it.Action
			}
		}
	}
	h.t.Fatalf("no %q in the menu", label)
	return nil
}

// TestLogOutOnACallWaitsForItThenLogsInAgain logs out from the menu while
// on a call: the call goes on, the header warns, and the login screen comes
// once the call is cleared; logging in as someone else shows their window.
func TestLogOutOnACallWaitsForItThenLogsInAgain(t *testing.T) {
	h := newHarness(t, "alice")
	h.UI(h.logInTo)
	h.answeredCall()
	h.UI(func() { menuAction(h, "Log out")() })
	h.WaitUI("the warning", func() bool { return h.m.next.Text == "You will be logged out after this contact." })
	if got := h.env.Agent.State().Name; got != core.StateBusy {
		t.Fatalf("agent %q: the call must go on until it ends", got)
	}
	h.UI(func() { test.Tap(h.card().end) })
	h.WaitUI("Clear", func() bool { k := h.card(); return k != nil && visible(k.buttons, k.clear) })
	h.UI(func() { test.Tap(h.card().clear) })
	h.WaitUI("the login screen", func() bool { return h.m.loggedOut && h.m.loginForm.who != nil })
	if st := h.env.Agent.State(); st.Type != core.AgentStateTypeOffline {
		t.Fatalf("agent %q after logging out, want Offline", st.Name)
	}

	// A login that does not exist says so and keeps the screen.
	h.UI(func() {
		h.m.loginForm.who.SetText("nobody")
		test.Tap(h.m.loginForm.button)
	})
	h.WaitUI("the error", func() bool { return strings.Contains(h.m.loginForm.status.Text, "nobody") })
	h.UI(func() {
		h.m.loginForm.who.SetText("Bob Okafor (bob)")
		test.Tap(h.m.loginForm.button)
	})
	h.WaitUI("Bob's window", func() bool { return !h.m.loggedOut && h.m.win.Title() == "AgentDesk — Bob Okafor" })
	h.UI(func() { h.m.states.SetSelected("Available") })
	if !centertest.Eventually(func() bool {
		a, err := h.m.client.Agent()
		return err == nil && a.State().Name == "Available"
	}) {
		t.Fatal("Bob's state picker does not reach the center")
	}
}

// TestLogOutWhenIdleShowsLoginAtOnce.
func TestLogOutWhenIdleShowsLoginAtOnce(t *testing.T) {
	h := newHarness(t, "alice")
	h.UI(func() { h.m.LogOut() })
	h.WaitUI("the login screen", func() bool { return h.m.loggedOut })
	h.UI(func() {
		if !h.m.loginForm.button.Disabled() {
			t.Error("Log in is enabled with no way to log in")
		}
	})
	// The contact shortcuts have nothing to act on and are gone.
	h.press(ShortcutDialPad)
	h.UI(func() {
		if h.m.padBox.Visible() {
			t.Error("Ctrl+Shift+D opened the dial pad under the login screen")
		}
	})
}
