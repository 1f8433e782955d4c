package core_test

import (
	"testing"
	"time"

	"github.com/agentdesk/agentdesk/core"
	"github.com/agentdesk/agentdesk/core/center"
	"github.com/agentdesk/agentdesk/core/centertest"
)

// consulting has a Support caller accepted by alice, who then consults the
// Escalations desk and waits for it to answer.
func consulting(t *testing.T) (*centertest.Env, *core.Contact) {
	t.Helper()
	e := centertest.New(t, nil, "alice")
	if err := e.Agent.SetState(centertest.Ctx(), e.State("Available")); err != nil {
		t.Fatal(err)
	}
	id := e.Arrive(center.Arrival{Queue: "Support", Type: core.ContactTypeVoice, Name: "Ken", Number: "+12025550123"})
	e.Settle()
	var c *core.Contact
	for _, x := range e.Agent.Contacts() {
		if x.ContactID() == id {
			c = x
		}
	}
	if c == nil {
		t.Fatal("the call was not offered to alice")
	}
	if err := c.Accept(centertest.Ctx()); err != nil {
		t.Fatal(err)
	}
	if c.IsMultiParty() {
		t.Fatal("a call with one customer counts as multi-party")
	}
	if err := c.AddConnection(centertest.Ctx(), core.EndpointByPhoneNumber("+12025550142", "Escalations desk")); err != nil {
		t.Fatal(err)
	}
	if c.IsMultiParty() {
		t.Fatal("a consult still ringing counts as multi-party")
	}
	e.Advance(4 * time.Second)
	if !c.IsMultiParty() {
		t.Fatalf("consult answered: parties on line %d, want 2", len(c.PartiesOnLine()))
	}
	return e, c
}

func TestHoldAllHoldsEveryParty(t *testing.T) {
	e, c := consulting(t)
	if err := c.ConferenceConnections(centertest.Ctx()); err != nil {
		t.Fatal(err)
	}
	if err := c.HoldAll(centertest.Ctx()); err != nil {
		t.Fatal(err)
	}
	e.Settle()
	for _, cn := range c.PartiesOnLine() {
		if !cn.IsOnHold() {
			t.Errorf("%s is %s after HoldAll, want hold", cn.Endpoint().Name, cn.State().Type)
		}
	}
	if err := c.HoldAll(centertest.Ctx()); !core.IsCenterError(err, core.ErrTypeInvalidState) {
		t.Fatalf("HoldAll with everyone on hold: %v, want InvalidStateException", err)
	}
}

func TestLeaveEndsTheAgentsPartOnly(t *testing.T) {
	e, c := consulting(t)
	if err := c.Leave(centertest.Ctx()); err != nil {
		t.Fatal(err)
	}
	e.Settle()
	if st := c.State().Type; st != core.ContactStateEnded {
		t.Fatalf("alice's part is %s after Leave, want ended", st)
	}
	if got := e.Agent.State().Name; got != core.StateAfterCallWork {
		t.Fatalf("alice is %s after Leave, want AfterCallWork", got)
	}
}

func TestLeaveNeedsTwoOtherParties(t *testing.T) {
	e, c := consulting(t)
	if err := c.ThirdPartyConnections()[0].Destroy(centertest.Ctx()); err != nil {
		t.Fatal(err)
	}
	e.Settle()
	if err := c.Leave(centertest.Ctx()); !core.IsCenterError(err, core.ErrTypeInvalidState) {
		t.Fatalf("Leave with only the customer: %v, want InvalidStateException", err)
	}
	if !c.IsConnected() {
		t.Fatalf("the refused Leave ended the call: %s", c.State().Type)
	}
}
