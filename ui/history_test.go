package ui

import (
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/agentdesk/agentdesk/core"
	"github.com/agentdesk/agentdesk/core/center"
	"github.com/agentdesk/agentdesk/core/centertest"
	"github.com/agentdesk/agentdesk/ui/history"
)

// ring has a Support caller arrive and waits for the ringing card.
func (h *harness) ring(name, number string) string {
	h.t.Helper()
	id := h.env.Arrive(center.Arrival{Queue: "Support", Type: core.ContactTypeVoice, Name: name, Number: number})
	h.WaitUI(name+" ringing", func() bool { k := h.m.cards[id]; return k != nil && visible(k.buttons, k.accept) })
	return id
}

func (h *harness) rows() []history.Row {
	var rows []history.Row
	h.UI(func() { rows = h.m.history.view.Rows() })
	return rows
}

func TestRecentContactsListsOutcomes(t *testing.T) {
	h := newHarness(t, "alice")
	h.UI(func() {
		if h.m.history.box.Visible() {
			t.Fatal("recent contacts open before the header button was tapped")
		}
		test.Tap(h.m.history.button)
		if !h.m.history.box.Visible() || !h.m.history.view.Empty.Visible() {
			t.Fatal("the header button did not open an empty recent contacts list")
		}
	})
	if err := h.env.Agent.SetState(centertest.Ctx(), h.env.State("Available")); err != nil {
		t.Fatal(err)
	}

	// Accepted, 42 s of talk, ended, cleared.
	id := h.ring("Maria Garcia", "+12025550123")
	h.UI(func() { test.Tap(h.m.cards[id].accept) })
	h.WaitUI("End", func() bool { k := h.m.cards[id]; return visible(k.buttons, k.end) })
	h.env.Advance(42 * time.Second)
	h.UI(func() { test.Tap(h.m.cards[id].end) })
	h.WaitUI("Clear", func() bool { k := h.m.cards[id]; return visible(k.buttons, k.clear) })
	h.UI(func() { test.Tap(h.m.cards[id].clear) })
	h.WaitUI("the card to go", func() bool { return h.m.cards[id] == nil })

	// Left to ring out; the caller then gives up.
	id = h.ring("Ken Ito", "+12025550177")
	h.env.Advance(20 * time.Second)
	h.WaitUI("Missed on the card", func() bool { return h.m.cards[id].detail.Text == "Missed" })
	if err := h.env.Center.HangUp(id); err != nil {
		t.Fatal(err)
	}
	h.UI(func() { h.m.states.SetSelected("Available") })
	h.WaitUI("the missed card to go", func() bool { return h.m.cards[id] == nil })

	// Rejected.
	id = h.ring("Ana Lima", "+12025550188")
	h.env.Advance(3 * time.Second)
	h.UI(func() { test.Tap(h.m.cards[id].reject) })

	h.WaitUI("three rows", func() bool { return len(h.m.history.view.Rows()) == 3 })
	rows := h.rows()
	want := []struct{ who, number, outcome, duration string }{
		{"Ana Lima", "+1 202-555-0188", "Rejected", "00:03"},
		{"Ken Ito", "+1 202-555-0177", "Missed", "00:20"},
		{"Maria Garcia", "+1 202-555-0123", "Handled", "00:42"},
	}
	for i, w := range want {
		r := rows[i]
		if r.Who != w.who || r.Number != w.number || r.Outcome != w.outcome || r.Duration != w.duration {
			t.Errorf("row %d shows %q %q %q %q, want %q %q %q %q", i, r.Who, r.Number, r.Outcome, r.Duration, w.who, w.number, w.outcome, w.duration)
		}
		if got := r.Detail[:len("Inbound call · Support")]; got != "Inbound call · Support" {
			t.Errorf("row %d detail %q, want the channel and queue first", i, r.Detail)
		}
		if r.Bad != (w.outcome != "Handled") {
			t.Errorf("row %d (%s) red=%v", i, w.outcome, r.Bad)
		}
	}
	h.UI(func() {
		if h.m.history.view.Empty.Visible() {
			t.Error("the empty-list note is still shown")
		}
		test.Tap(h.m.history.button)
		if h.m.history.box.Visible() {
			t.Error("a second tap did not close the list")
		}
	})
}
