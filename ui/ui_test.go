package ui

import (
	"context"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/agentdesk/agentdesk/core"
	"github.com/agentdesk/agentdesk/core/center"
	"github.com/agentdesk/agentdesk/core/centertest"
	"github.com/agentdesk/agentdesk/ui/i18n"
	"github.com/agentdesk/agentdesk/ui/namenumber"
	"github.com/agentdesk/agentdesk/ui/settings"
	"github.com/agentdesk/agentdesk/ui/uitest"
)

// harness is the main window on a test app and an embedded center. UI work
// from other goroutines and the test's own reads are serialised by mu, as
// the real app's event loop would.
type harness struct {
	t   *testing.T
	env *centertest.Env
	m   *Main
	*uitest.Thread
}

func newHarness(t *testing.T, login string) *harness {
	t.Helper()
	return newHarnessWith(t, login, nil)
}

// newHarnessWith is newHarness with setup run on the app (preferences,
// say) before the window is made.
func newHarnessWith(t *testing.T, login string, setup func(fyne.App)) *harness {
	t.Helper()
	// An agent's profile may name another language (dana's is Korean).
	// Registered first, the reset runs last, once the client and the UI
	// thread have stopped: lang's translations are not safe to reload
	// while they read them.
	resetLanguage(t)
	h := &harness{t: t, env: centertest.New(t, nil, login), Thread: uitest.NewThread(t)}
	app := test.NewTempApp(t)
	if setup != nil {
		setup(app)
	}
	h.UI(func() {
		m, err := NewMain(app, h.env.Client)
		if err != nil {
			t.Fatal(err)
		}
		m.do = h.Do
		h.m = m
		m.win.Show()
	})
	return h
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
	h.UI(func() { h.m.states.SetSelected("Available") })
	if !centertest.Eventually(func() bool { return h.env.Agent.State().Name == "Available" }) {
		t.Fatalf("agent state %q after picking Available", h.env.Agent.State().Name)
	}
	h.WaitUI("the status dot to turn green", func() bool { return h.m.dot.FillColor == stateColor(h.env.Agent.State()) })
}

func TestTapAcceptConnectsTheContact(t *testing.T) {
	h := newHarness(t, "alice")
	if err := h.env.Agent.SetState(centertest.Ctx(), h.env.State("Available")); err != nil {
		t.Fatal(err)
	}
	h.env.Arrive(center.Arrival{Queue: "Support", Type: core.ContactTypeVoice, Name: "Maria Garcia", Number: "+12025550123",
		Attributes: map[string]string{"Tier": "Gold"}})
	h.WaitUI("a ringing card with Accept", func() bool { c := h.card(); return c != nil && visible(c.buttons, c.accept) })
	h.UI(func() {
		c := h.card()
		if name, _ := namenumber.Texts(c.heading); !strings.Contains(name, "Maria Garcia") || !strings.Contains(c.attrs.Text, "Tier: Gold") {
			t.Errorf("card shows %q / %q, want the caller's name and attributes", name, c.attrs.Text)
		}
		test.Tap(c.accept)
	})
	if !centertest.Eventually(func() bool {
		cs := h.env.Agent.Contacts()
		return len(cs) == 1 && cs[0].State().Type == core.ContactStateConnected
	}) {
		t.Fatal("contact not connected after tapping Accept")
	}
	h.WaitUI("End to replace Accept", func() bool { c := h.card(); return visible(c.buttons, c.end) && !visible(c.buttons, c.accept) })

	h.UI(func() { test.Tap(h.card().end) })
	h.WaitUI("Clear in after-contact work", func() bool { c := h.card(); return c != nil && visible(c.buttons, c.clear) })
	h.UI(func() { test.Tap(h.card().clear) })
	h.WaitUI("the card to go", func() bool { return h.card() == nil })
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
	h.WaitUI("Reject", func() bool { c := h.card(); return c != nil && visible(c.buttons, c.reject) })
	h.UI(func() { test.Tap(h.card().reject) })
	h.WaitUI("the missed state, readable", func() bool {
		return h.m.states.PlaceHolder == "Missed contact" && h.m.states.Selected == ""
	})
	// The caller gives up waiting, so clearing does not bring the call back.
	if err := h.env.Center.HangUp(id); err != nil {
		t.Fatal(err)
	}
	// Clearing twice: the second tap hits a contact that is gone and must say so.
	var c *contactCard
	h.UI(func() { c = h.card() })
	h.UI(func() { test.Tap(c.clear) })
	h.WaitUI("the card to go", func() bool { return h.card() == nil })
	h.UI(func() { test.Tap(c.clear) })
	h.WaitUI("an error in place", func() bool { return strings.Contains(h.m.problem.Text, "not one of yours") })
}

func TestChoosingStateOnContactEnqueuesIt(t *testing.T) {
	h := newHarness(t, "alice")
	if err := h.env.Agent.SetState(centertest.Ctx(), h.env.State("Available")); err != nil {
		t.Fatal(err)
	}
	h.env.Arrive(center.Arrival{Queue: "Support", Type: core.ContactTypeVoice, Name: "Ken", Number: "+12025550123"})
	h.WaitUI("Accept", func() bool { c := h.card(); return c != nil && visible(c.buttons, c.accept) })
	h.UI(func() { test.Tap(h.card().accept) })
	h.WaitUI("End", func() bool { c := h.card(); return visible(c.buttons, c.end) })
	h.UI(func() { h.m.states.SetSelected("Offline") })
	h.WaitUI("Next: Offline", func() bool { return h.m.next.Text == "Next: Offline" })
	if h.env.Agent.State().Name != core.StateBusy {
		t.Fatalf("agent %q: the call must go on while Offline waits", h.env.Agent.State().Name)
	}
}

// dialOut dials number from the dial pad and waits for the outbound contact.
func (h *harness) dialOut(number string) *core.Contact {
	h.t.Helper()
	h.UI(func() {
		test.Tap(h.m.dial)
		if !h.m.padBox.Visible() {
			h.t.Fatal("Dial did not show the dial pad")
		}
		test.Type(h.m.pad.Entry, number)
		test.Tap(h.m.pad.Call)
	})
	var out *core.Contact
	if !centertest.Eventually(func() bool {
		cs := h.env.Agent.Contacts()
		if len(cs) != 1 {
			return false
		}
		out = cs[0]
		return out.InitialConnection() != nil
	}) {
		h.t.Fatalf("no outbound contact after calling %s", number)
	}
	return out
}

// answeredCall dials a number and lets the customer answer on the fake clock.
func (h *harness) answeredCall() *core.Contact {
	h.t.Helper()
	c := h.dialOut("2025550123")
	h.env.Advance(4 * time.Second) // timing.customer_answer
	if !centertest.Eventually(func() bool { return c.State().Type == core.ContactStateConnected }) {
		h.t.Fatalf("dialled customer did not answer: contact %s", c.State().Type)
	}
	h.WaitUI("call controls", func() bool {
		k := h.card()
		return k != nil && visible(k.buttons, k.hold) && visible(k.buttons, k.mute) && visible(k.buttons, k.keypadBtn)
	})
	return c
}

func TestDialPadPlacesOutboundCall(t *testing.T) {
	h := newHarness(t, "alice")
	c := h.dialOut("2025550123")
	if got := c.InitialConnection().Endpoint().PhoneNumber; got != "+12025550123" {
		t.Fatalf("customer endpoint %q, want +12025550123", got)
	}
	if c.IsInbound() || c.Type() != core.ContactTypeVoice {
		t.Fatalf("contact inbound=%v type=%s, want an outbound voice call", c.IsInbound(), c.Type())
	}
	if !centertest.Eventually(func() bool { return h.env.Agent.State().Name == core.StateCallingCustomer }) {
		t.Fatalf("agent %q, want %s", h.env.Agent.State().Name, core.StateCallingCustomer)
	}
	h.WaitUI("a Calling… card and the pad folded away", func() bool {
		k := h.card()
		return k != nil && k.detail.Text == "Calling…" && !h.m.padBox.Visible()
	})
	h.env.Advance(4 * time.Second)
	h.WaitUI("the call connected on the card", func() bool { k := h.card(); return k.detail.Text == "Connected" })
}

func TestDialPadInvalidNumberPlacesNoCall(t *testing.T) {
	h := newHarness(t, "alice")
	h.UI(func() {
		test.Tap(h.m.dial)
		test.Type(h.m.pad.Entry, "20255")
		if !h.m.pad.Call.Disabled() {
			t.Error("Call enabled for 20255")
		}
		if !strings.Contains(h.m.pad.Status.Text, "too short") {
			t.Errorf("dial pad says %q, want why the number is wrong", h.m.pad.Status.Text)
		}
		test.Tap(h.m.pad.Call)
		h.m.pad.Entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	})
	h.env.Settle()
	if cs := h.env.Agent.Contacts(); len(cs) != 0 {
		t.Fatalf("an invalid number placed %d contacts", len(cs))
	}
}

func TestDialPadWithoutPermission(t *testing.T) {
	h := newHarness(t, "dana") // dana's security profile has no outboundCall
	h.UI(func() {
		test.Tap(h.m.dial)
		test.Type(h.m.pad.Entry, "2025550123")
		if !h.m.pad.Call.Disabled() || !h.m.pad.Denied.Visible() {
			t.Error("dana may not call, but Call is enabled or nothing says so")
		}
		test.Tap(h.m.pad.Call)
	})
	h.env.Settle()
	if cs := h.env.Agent.Contacts(); len(cs) != 0 {
		t.Fatalf("placed %d contacts without permission", len(cs))
	}
}

func TestHoldAndResumeTheCustomer(t *testing.T) {
	h := newHarness(t, "alice")
	c := h.answeredCall()
	h.UI(func() { test.Tap(h.card().hold) })
	if !centertest.Eventually(func() bool { return c.InitialConnection().IsOnHold() }) {
		t.Fatal("customer not on hold after tapping Hold")
	}
	h.WaitUI("Resume", func() bool { return h.card().hold.Text == "Resume" })
	h.UI(func() { test.Tap(h.card().hold) })
	if !centertest.Eventually(func() bool { return c.InitialConnection().IsConnected() }) {
		t.Fatal("customer still on hold after tapping Resume")
	}
	h.WaitUI("Hold again", func() bool { return h.card().hold.Text == "Hold" })
}

func TestMuteToggle(t *testing.T) {
	h := newHarness(t, "alice")
	h.answeredCall()
	h.UI(func() { test.Tap(h.card().mute) })
	if !centertest.Eventually(h.env.Agent.IsMuted) {
		t.Fatal("agent not muted after tapping Mute")
	}
	h.WaitUI("Unmute", func() bool { return h.card().mute.Text == "Unmute" })
	h.UI(func() { test.Tap(h.card().mute) })
	if !centertest.Eventually(func() bool { return !h.env.Agent.IsMuted() }) {
		t.Fatal("agent still muted after tapping Unmute")
	}
	h.WaitUI("Mute again", func() bool { return h.card().mute.Text == "Mute" })
}

func TestKeypadSendsDigits(t *testing.T) {
	h := newHarness(t, "alice")
	c := h.answeredCall()
	h.UI(func() {
		k := h.card()
		if k.keypadBox.Visible() {
			t.Error("keypad open before tapping Keypad")
		}
		test.Tap(k.keypadBtn)
		if !k.keypadBox.Visible() {
			t.Fatal("Keypad did not open the keypad")
		}
		test.Tap(k.keypad.Button("5"))
		test.Tap(k.keypad.Button("9"))
	})
	customer := c.InitialConnection().ConnectionID()
	if !centertest.Eventually(func() bool { return h.env.Center.Digits(c.ContactID())[customer] == "59" }) {
		t.Fatalf("customer received %q, want 59", h.env.Center.Digits(c.ContactID())[customer])
	}
	h.WaitUI("no error", func() bool { return h.m.problem.Text == "" })
}

func TestSettingsWindowOpensOnceAndCloses(t *testing.T) {
	h := newHarness(t, "alice")
	h.UI(func() { h.m.ShowSettings() })
	var first fyne.Window
	h.UI(func() {
		first = h.m.settings
		if first == nil || first.Title() != "AgentDesk — Settings" {
			t.Fatalf("settings window %v, want one titled AgentDesk — Settings", first)
		}
		h.m.ShowSettings() // a second tap brings the same window forward
		if h.m.settings != first {
			t.Fatal("a second settings window was opened")
		}
		first.Close()
		if h.m.settings != nil {
			t.Fatal("closing the settings window did not forget it")
		}
	})
}

func TestChatTranscriptAndReply(t *testing.T) {
	h := newHarness(t, "alice")
	if err := h.env.Agent.SetState(centertest.Ctx(), h.env.State("Available")); err != nil {
		t.Fatal(err)
	}
	h.env.Arrive(center.Arrival{Queue: "Support", Type: core.ContactTypeChat, Name: "Ana Lima",
		Chat: []string{"Hi, my router keeps dropping.", "It is the X200."}})
	h.WaitUI("the chat's greeting on its card", func() bool {
		c := h.card()
		return c != nil && strings.Contains(transcriptText(c), "Ana Lima: Hi, my router keeps dropping.") && visible(c.buttons, c.accept)
	})
	h.UI(func() {
		if !h.card().reply.Disabled() {
			t.Error("the reply box is open before the chat is accepted")
		}
		test.Tap(h.card().accept)
	})
	h.WaitUI("the reply box to open", func() bool { return !h.card().reply.Disabled() })
	h.UI(func() {
		test.Type(h.card().reply, "Which model is it?")
		test.Tap(h.card().send)
	})
	h.WaitUI("the reply in the transcript", func() bool {
		return strings.Contains(transcriptText(h.card()), "Alice Martin: Which model is it?") && h.card().reply.Text == ""
	})
	h.env.Advance(5 * time.Second) // the customer types their answer
	h.WaitUI("the customer's answer", func() bool { return strings.Contains(transcriptText(h.card()), "Ana Lima: It is the X200.") })
}

// acceptedCall has a Support call arrive, and Alice accept it.
func (h *harness) acceptedCall() *core.Contact {
	h.t.Helper()
	if err := h.env.Agent.SetState(centertest.Ctx(), h.env.State("Available")); err != nil {
		h.t.Fatal(err)
	}
	h.env.Arrive(center.Arrival{Queue: "Support", Type: core.ContactTypeVoice, Name: "Ken", Number: "+12025550123"})
	h.WaitUI("Accept", func() bool { c := h.card(); return c != nil && visible(c.buttons, c.accept) })
	h.UI(func() { test.Tap(h.card().accept) })
	var c *core.Contact
	if !centertest.Eventually(func() bool {
		cs := h.env.Agent.Contacts()
		if len(cs) == 1 && cs[0].State().Type == core.ContactStateConnected {
			c = cs[0]
			return true
		}
		return false
	}) {
		h.t.Fatal("contact not connected after tapping Accept")
	}
	return c
}

// pickOnCard taps the card's button and, once its quick connects have
// loaded, picks the one named name.
func (h *harness) pickOnCard(button func(*contactCard) *widget.Button, name string) {
	h.t.Helper()
	h.WaitUI("the button on the card's second row", func() bool {
		k := h.card()
		return k != nil && visible(k.buttons2, button(k))
	})
	h.UI(func() { test.Tap(button(h.card())) })
	h.WaitUI(name+" in the card's quick connects", func() bool {
		k := h.card()
		if !k.qcBox.Visible() {
			return false
		}
		for _, e := range k.qc.Shown() {
			if e.Name == name {
				return true
			}
		}
		return false
	})
	h.UI(func() {
		if !h.card().qc.PickName(name) {
			h.t.Fatalf("no %s to pick", name)
		}
	})
}

func TestTransferToSalesQueue(t *testing.T) {
	h := newHarness(t, "alice")
	c := h.acceptedCall()
	h.pickOnCard(func(k *contactCard) *widget.Button { return k.transfer }, "Sales queue")
	if !centertest.Eventually(func() bool { return c.State().Type == core.ContactStateEnded }) {
		t.Fatalf("contact %s after the transfer, want ended (ACW)", c.State().Type)
	}
	if !centertest.Eventually(func() bool { return h.env.Center.QueueLength("Sales") == 1 }) {
		t.Fatalf("Sales queue holds %d contacts, want the transferred call", h.env.Center.QueueLength("Sales"))
	}
	h.WaitUI("Clear in after-contact work, the list closed", func() bool {
		k := h.card()
		return k != nil && visible(k.buttons, k.clear) && !k.qcBox.Visible() && !k.buttons2.Visible()
	})
	h.WaitUI("no error", func() bool { return h.m.problem.Text == "" })
	h.WaitUI("the card says where the call went", func() bool {
		k := h.card()
		return k.detail.Text == "After contact work" && k.handed.Visible() && k.handed.Text == "Transferred to Sales queue"
	})
}

func TestAddPartyThenJoin(t *testing.T) {
	h := newHarness(t, "alice")
	c := h.answeredCall()
	h.UI(func() {
		k := h.card()
		if visible(k.buttons2, k.join) || visible(k.buttons2, k.swap) {
			t.Error("Join or Swap shown with no third party")
		}
	})
	h.pickOnCard(func(k *contactCard) *widget.Button { return k.addParty }, "Escalations desk")
	var third *core.Connection
	if !centertest.Eventually(func() bool {
		tp := c.ThirdPartyConnections()
		if len(tp) == 1 {
			third = tp[0]
			return true
		}
		return false
	}) {
		t.Fatal("no third party after Add party")
	}
	if st := third.State().Type; st != core.ConnectionStateConnecting {
		t.Fatalf("third party %s, want connecting", st)
	}
	h.WaitUI("Join and Swap", func() bool { k := h.card(); return visible(k.buttons2, k.join) && visible(k.buttons2, k.swap) })
	h.env.Advance(4 * time.Second)
	if !centertest.Eventually(third.IsConnected) {
		t.Fatalf("third party %s after 4 s, want connected", third.State().Type)
	}
	if !c.InitialConnection().IsOnHold() {
		t.Fatalf("customer %s during the consult, want on hold", c.InitialConnection().State().Type)
	}
	h.UI(func() { test.Tap(h.card().join) })
	if !centertest.Eventually(func() bool {
		for _, cn := range c.Connections() {
			if !cn.IsConnected() {
				return false
			}
		}
		return true
	}) {
		t.Fatalf("customer %s after Join, want everyone connected", c.InitialConnection().State().Type)
	}
	h.WaitUI("no error", func() bool { return h.m.problem.Text == "" })
}

func TestQuickConnectsWhileIdle(t *testing.T) {
	h := newHarness(t, "alice")
	h.UI(func() {
		test.Tap(h.m.quick)
		if !h.m.qcBox.Visible() {
			t.Fatal("Quick connects did not show the list")
		}
	})
	h.WaitUI("Echo test listed", func() bool {
		for _, e := range h.m.qc.Shown() {
			if e.Name == "Echo test" {
				return true
			}
		}
		return false
	})
	h.UI(func() {
		for _, e := range h.m.qc.Shown() {
			if e.Type != core.EndpointPhoneNumber || e.Name == "Bob Okafor" {
				t.Errorf("idle list shows %s (%s); only phone numbers may be called", e.Name, e.Type)
			}
		}
		if !h.m.qc.PickName("Echo test") {
			t.Fatal("no Echo test to pick")
		}
		if h.m.qcBox.Visible() {
			t.Error("the list stayed open after picking")
		}
	})
	var out *core.Contact
	if !centertest.Eventually(func() bool {
		cs := h.env.Agent.Contacts()
		if len(cs) != 1 || cs[0].InitialConnection() == nil {
			return false
		}
		out = cs[0]
		return true
	}) {
		t.Fatal("no outbound contact after picking Echo test")
	}
	if got := out.InitialConnection().Endpoint().PhoneNumber; got != "+12025550100" {
		t.Fatalf("customer endpoint %q, want +12025550100", got)
	}
	if out.IsInbound() || out.Type() != core.ContactTypeVoice {
		t.Fatalf("contact inbound=%v type=%s, want an outbound voice call", out.IsInbound(), out.Type())
	}
}

// TestMain runs the window's tests in English whatever the system's
// language, since they read labels.
func TestMain(m *testing.M) {
	if err := i18n.Apply("en_US"); err != nil {
		panic(err)
	}
	os.Exit(m.Run())
}

// The empty window says what is true: waiting while Available, how to get
// contacts while not.
func TestIdleTextFollowsState(t *testing.T) {
	h := newHarness(t, "alice")
	h.UI(func() {
		if got := h.m.empty.Text; !strings.Contains(got, "Set yourself Available") {
			t.Errorf("offline, the window says %q, want the hint to go Available", got)
		}
	})
	if err := h.env.Agent.SetState(centertest.Ctx(), h.env.State("Available")); err != nil {
		t.Fatal(err)
	}
	h.WaitUI("waiting for contacts", func() bool { return h.m.empty.Text == "Waiting for contacts…" })
	if err := h.env.Agent.SetState(centertest.Ctx(), h.env.State("Break")); err != nil {
		t.Fatal(err)
	}
	h.WaitUI("the hint back on a break", func() bool { return strings.Contains(h.m.empty.Text, "Set yourself Available") })
}

// A ringing contact shows as "Incoming contact", not PendingBusy.
func TestSystemStateShownInWords(t *testing.T) {
	h := newHarness(t, "alice")
	if err := h.env.Agent.SetState(centertest.Ctx(), h.env.State("Available")); err != nil {
		t.Fatal(err)
	}
	h.env.Arrive(center.Arrival{Queue: "Support", Type: core.ContactTypeVoice, Name: "Ken", Number: "+12025550123"})
	h.WaitUI("the incoming state in words", func() bool { return h.m.states.PlaceHolder == "Incoming contact" })
	h.UI(func() {
		for _, text := range []string{h.m.states.PlaceHolder, h.m.status.Text} {
			if strings.Contains(text, core.StatePendingBusy) {
				t.Errorf("the header shows %q", text)
			}
		}
	})
}

// A chat card names the customer without a phone number, shows the join
// event without a sender, and keeps End and Transfer on one row.
func TestChatCardLooksLikeAChat(t *testing.T) {
	h := newHarness(t, "alice")
	if err := h.env.Agent.SetState(centertest.Ctx(), h.env.State("Available")); err != nil {
		t.Fatal(err)
	}
	h.env.Arrive(center.Arrival{Queue: "Support", Type: core.ContactTypeChat, Name: "Lucas Nasser", Number: "+17135550123",
		Chat: []string{"Hello!"}})
	h.WaitUI("Accept on the chat", func() bool { c := h.card(); return c != nil && visible(c.buttons, c.accept) })
	h.UI(func() { test.Tap(h.card().accept) })
	h.WaitUI("the join event", func() bool { return strings.Contains(transcriptText(h.card()), "Alice Martin joined the chat") })
	h.WaitUI("End and Transfer", func() bool { k := h.card(); return visible(k.buttons, k.end) })
	h.UI(func() {
		k := h.card()
		if name, number := namenumber.Texts(k.heading); number != "" || strings.Contains(name, "+1") {
			t.Errorf("chat card title %q %q shows a phone number", name, number)
		}
		for _, line := range strings.Split(transcriptText(k), "\n") {
			if strings.Contains(line, "joined the chat") && line != "Alice Martin joined the chat" {
				t.Errorf("join event reads %q, want it without a sender", line)
			}
		}
		var italic bool
		for _, seg := range k.transcript.Segments {
			if ts, ok := seg.(*widget.TextSegment); ok && strings.Contains(ts.Text, "joined the chat") {
				italic = ts.Style.TextStyle.Italic
			}
		}
		if !italic {
			t.Error("the join event is not in italics")
		}
		if !visible(k.buttons, k.transfer) || k.buttons2.Visible() {
			t.Error("Transfer is not on End's row")
		}
		// Both fit on one line of the card.
		if k.end.Position().Y != k.transfer.Position().Y {
			t.Errorf("End at y=%v, Transfer at y=%v: on separate lines", k.end.Position().Y, k.transfer.Position().Y)
		}
	})
}

// transcriptText is a chat card's transcript, one message a line.
func transcriptText(k *contactCard) string {
	var lines []string
	for _, seg := range k.transcript.Segments {
		lines = append(lines, seg.Textual())
	}
	return strings.Join(lines, "\n")
}

// The settings window opens tall enough to show every setting, so that
// nothing (Echo cancellation, the desktop settings) is cut off at its foot.
func TestSettingsWindowShowsEverySetting(t *testing.T) {
	h := newHarnessWith(t, "alice", func(app fyne.App) {
		app.Preferences().SetString(settings.KeyTheme, settings.ThemeDark)
	})
	h.UI(func() {
		h.m.SetAudio(quietAudio{})
		h.m.SetDesktop(noDesktop{})
		h.m.ShowSettings()
		s, ok := h.m.settingsView.Content().(*container.Scroll)
		if !ok {
			t.Fatalf("settings content is %T, want a scroll", h.m.settingsView.Content())
		}
		need, got := s.Content.MinSize().Height, h.m.settings.Canvas().Size().Height
		if need <= maxSettingsHeight && got < need {
			t.Errorf("settings window %.0f px high, its settings need %.0f", got, need)
		}
		t.Logf("settings need %.0f px, window %.0f", need, got)
	})
}

// quietAudio is a softphone with a silent microphone.
type quietAudio struct{}

func (quietAudio) SetEchoCancellation(bool) {}
func (quietAudio) TestSpeaker(string) error { return nil }
func (quietAudio) TestRinger(string) error  { return nil }
func (quietAudio) InputLevel() float64      { return -100 }

// noDesktop is a desktop without a tray or autostart.
type noDesktop struct{}

func (noDesktop) StartAtLogin() (bool, error) { return false, nil }
func (noDesktop) SetStartAtLogin(bool) error  { return nil }
func (noDesktop) HasTray() bool               { return false }
func (noDesktop) SaveLogs(io.Writer) error    { return nil }
func (noDesktop) LogsName() string            { return "logs.zip" }

// TestSoftphoneFailureSaysWhy: when the softphone cannot open the
// microphone for a call, the agent reads that it was the microphone and
// where to fix it, with the softphone's own words, not only "Failed".
func TestSoftphoneFailureSaysWhy(t *testing.T) {
	h := newHarness(t, "alice")
	c := h.acceptedCall()
	err := h.env.Agent.ReportSoftphoneError(centertest.Ctx(), core.SoftphoneError{
		ErrorType: core.SoftphoneMicrophoneNotShared, ErrorMessage: `open microphone "USB headset": no such audio device`, ContactID: c.ContactID(),
	})
	if err != nil {
		t.Fatal(err)
	}
	want := "The microphone could not be opened, so the call was not connected. Check the microphone in Settings.\n" +
		`Details: open microphone "USB headset": no such audio device`
	h.WaitUI("why, in place", func() bool { return h.m.problem.Visible() && h.m.problem.Text == want })
	h.WaitUI("the failed call's card", func() bool { k := h.card(); return k != nil && k.detail.Text == "Failed" })
}

// An action that started before a problem was shown, and succeeds after,
// does not hide it: the Accept that the softphone then failed (CI once
// saw the failure's text cleared so).
func TestSucceedingActionKeepsANewerProblem(t *testing.T) {
	h := newHarness(t, "alice")
	c := h.acceptedCall()
	var gen uint64
	h.UI(func() { gen = h.m.problemGen.Load() })
	release, finished := make(chan struct{}), make(chan struct{})
	go func() {
		h.m.runAct(func(context.Context) error { <-release; return nil }, gen)
		close(finished)
	}()
	err := h.env.Agent.ReportSoftphoneError(centertest.Ctx(), core.SoftphoneError{ErrorType: core.SoftphoneRealtimeCommunicationError, ContactID: c.ContactID()})
	if err != nil {
		t.Fatal(err)
	}
	h.WaitUI("the failure shown", func() bool { return h.m.problem.Text == "The call's audio connection failed." })
	close(release)
	<-finished
	h.UI(func() {
		if got := h.m.problem.Text; got != "The call's audio connection failed." || !h.m.problem.Visible() {
			t.Errorf("after the older action succeeded, the window says %q", got)
		}
	})
}
