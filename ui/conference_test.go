package ui

import (
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/agentdesk/agentdesk/core"
	"github.com/agentdesk/agentdesk/core/centertest"
)

func addParty(k *contactCard) *widget.Button { return k.addParty }

// holdAllAndLeaveShown reads the card's Hold all and Leave buttons.
func (h *harness) holdAllAndLeaveShown() (holdAll, leave bool) {
	h.UI(func() {
		k := h.card()
		holdAll, leave = k.conf.Shown(k.conf.HoldAll), k.conf.Shown(k.conf.Leave)
	})
	return holdAll, leave
}

func TestHoldAllThenLeaveAConference(t *testing.T) {
	h := newHarness(t, "alice")
	c := h.answeredCall()
	if ha, lv := h.holdAllAndLeaveShown(); ha || lv {
		t.Fatalf("Hold all %v, Leave %v on a call with one customer; want neither", ha, lv)
	}
	h.pickOnCard(addParty, "Escalations desk")
	h.WaitUI("the consult ringing", func() bool { return len(c.ThirdPartyConnections()) == 1 })
	if ha, lv := h.holdAllAndLeaveShown(); ha || lv {
		t.Fatalf("Hold all %v, Leave %v while the consult still rings; want neither", ha, lv)
	}
	h.env.Advance(4 * time.Second) // the desk answers
	h.WaitUI("Hold all and Leave during the consult", func() bool {
		k := h.card()
		return k.conf.Shown(k.conf.HoldAll) && k.conf.Shown(k.conf.Leave)
	})
	h.UI(func() { test.Tap(h.card().join) })
	if !centertest.Eventually(func() bool { return c.InitialConnection().IsConnected() && c.ThirdPartyConnections()[0].IsConnected() }) {
		t.Fatal("Join did not connect everyone")
	}
	h.WaitUI("Hold all in the conference", func() bool { k := h.card(); return k.conf.Shown(k.conf.HoldAll) })

	h.UI(func() { test.Tap(h.card().conf.HoldAll) })
	if !centertest.Eventually(func() bool {
		return c.InitialConnection().IsOnHold() && c.ThirdPartyConnections()[0].IsOnHold()
	}) {
		t.Fatalf("after Hold all: customer %s, desk %s; want both on hold",
			c.InitialConnection().State().Type, c.ThirdPartyConnections()[0].State().Type)
	}
	h.WaitUI("Hold all gone, Leave and Join still there", func() bool {
		k := h.card()
		return !k.conf.Shown(k.conf.HoldAll) && k.conf.Shown(k.conf.Leave) && visible(k.buttons2, k.join)
	})

	h.UI(func() { test.Tap(h.card().conf.Leave) })
	if !centertest.Eventually(func() bool { return c.State().Type == core.ContactStateEnded }) {
		t.Fatalf("alice's part is %s after Leave, want ended", c.State().Type)
	}
	if !centertest.Eventually(func() bool { return h.env.Agent.State().Name == core.StateAfterCallWork }) {
		t.Fatalf("alice is %s after Leave, want AfterCallWork", h.env.Agent.State().Name)
	}
	h.WaitUI("Clear, and no conference buttons", func() bool {
		k := h.card()
		return visible(k.buttons, k.clear) && !k.conf.Shown(k.conf.HoldAll) && !k.conf.Shown(k.conf.Leave)
	})
	h.WaitUI("no error", func() bool { return h.m.problem.Text == "" })
}

func TestLeavingLeavesTheCustomerWithTheConsultedAgent(t *testing.T) {
	h := newHarness(t, "alice")
	bobClient, bob := h.env.Login(t, "bob")
	t.Cleanup(func() { bobClient.Close() })
	c := h.acceptedCall() // a Support call: Bob is one of its quick connects
	if err := bob.SetState(centertest.Ctx(), h.env.State("Available")); err != nil {
		t.Fatal(err)
	}
	h.pickOnCard(addParty, "Bob Okafor")
	var consult *core.Contact
	if !centertest.Eventually(func() bool {
		cs := bob.Contacts()
		if len(cs) == 1 {
			consult = cs[0]
		}
		return consult != nil && core.ShouldShowAcceptButton(consult)
	}) {
		t.Fatal("the consult did not ring bob")
	}
	if err := consult.Accept(centertest.Ctx()); err != nil {
		t.Fatal(err)
	}
	h.WaitUI("Leave once bob answered", func() bool { k := h.card(); return k.conf.Shown(k.conf.Leave) })
	h.UI(func() { test.Tap(h.card().join) })
	h.WaitUI("Hold all in the conference", func() bool {
		k := h.card()
		return c.InitialConnection().IsConnected() && k.conf.Shown(k.conf.HoldAll)
	})
	h.UI(func() { test.Tap(h.card().conf.HoldAll) })
	h.WaitUI("everyone on hold", func() bool {
		k := h.card()
		return c.InitialConnection().IsOnHold() && !k.conf.Shown(k.conf.HoldAll)
	})
	h.UI(func() { test.Tap(h.card().conf.Leave) })
	if !centertest.Eventually(func() bool { return c.State().Type == core.ContactStateEnded }) {
		t.Fatalf("alice's part is %s after Leave, want ended", c.State().Type)
	}
	if !centertest.Eventually(func() bool {
		cust := consult.InitialConnection()
		return consult.IsConnected() && cust != nil && cust.IsConnected() && cust.Endpoint().PhoneNumber == "+12025550123"
	}) {
		t.Fatalf("bob's contact is %s with parties %v; want him talking to the customer", consult.State().Type, consult.Connections())
	}
}
