package recent_test

import (
	"testing"
	"time"

	"github.com/agentdesk/agentdesk/core"
	"github.com/agentdesk/agentdesk/core/center"
	"github.com/agentdesk/agentdesk/core/centertest"
	"github.com/agentdesk/agentdesk/core/recent"
)

// ringing has a Support customer arrive for the (Available) agent and
// returns the ringing contact.
func ringing(t *testing.T, e *centertest.Env, name, number string) *core.Contact {
	t.Helper()
	id := e.Arrive(center.Arrival{Queue: "Support", Type: core.ContactTypeVoice, Name: name, Number: number})
	e.Settle()
	for _, c := range e.Agent.Contacts() {
		if c.ContactID() == id {
			return c
		}
	}
	t.Fatalf("%s's call did not ring", name)
	return nil
}

func available(t *testing.T, e *centertest.Env) {
	t.Helper()
	if err := e.Agent.SetState(centertest.Ctx(), e.State("Available")); err != nil {
		t.Fatal(err)
	}
}

func TestOutcomesAndDurations(t *testing.T) {
	e := centertest.New(t, nil, "alice")
	r := recent.New(e.Client, 0)
	t.Cleanup(r.Close)
	changes := make(chan struct{}, 10)
	r.OnChange(func() { changes <- struct{}{} })
	available(t, e)

	// Handled: accepted, 30 s of talk, ended by the agent.
	c := ringing(t, e, "Maria Garcia", "+12025550123")
	e.Advance(3 * time.Second)
	if err := c.Accept(centertest.Ctx()); err != nil {
		t.Fatal(err)
	}
	e.Advance(30 * time.Second)
	if err := c.AgentConnection().Destroy(centertest.Ctx()); err != nil {
		t.Fatal(err)
	}
	e.Settle()
	if err := c.Clear(centertest.Ctx()); err != nil {
		t.Fatal(err)
	}
	e.Settle()

	// Missed: rings out after 20 s. The caller then gives up.
	m := ringing(t, e, "Ken Ito", "+12025550177")
	e.Advance(20 * time.Second)
	if err := e.Center.HangUp(m.ContactID()); err != nil {
		t.Fatal(err)
	}
	if err := m.Clear(centertest.Ctx()); err != nil {
		t.Fatal(err)
	}
	available(t, e)

	// Rejected after 2 s of ringing.
	j := ringing(t, e, "Ana Lima", "+12025550188")
	e.Advance(2 * time.Second)
	if err := j.Reject(centertest.Ctx()); err != nil {
		t.Fatal(err)
	}
	e.Settle()
	if err := e.Center.HangUp(j.ContactID()); err != nil {
		t.Fatal(err)
	}
	available(t, e)

	// Abandoned: the caller hangs up after 5 s of ringing.
	a := ringing(t, e, "Tom Berg", "+12025550166")
	e.Advance(5 * time.Second)
	if err := e.Center.HangUp(a.ContactID()); err != nil {
		t.Fatal(err)
	}
	e.Settle()

	got := r.Entries()
	want := []recent.Entry{
		{Customer: "Tom Berg", Number: "+12025550166", Outcome: recent.Abandoned, Duration: 5 * time.Second},
		{Customer: "Ana Lima", Number: "+12025550188", Outcome: recent.Rejected, Duration: 2 * time.Second},
		{Customer: "Ken Ito", Number: "+12025550177", Outcome: recent.Missed, Duration: 20 * time.Second},
		{Customer: "Maria Garcia", Number: "+12025550123", Outcome: recent.Handled, Duration: 30 * time.Second},
	}
	if len(got) != len(want) {
		t.Fatalf("%d entries, want %d: %+v", len(got), len(want), got)
	}
	for i, w := range want {
		g := got[i]
		if g.Customer != w.Customer || g.Number != w.Number || g.Outcome != w.Outcome || g.Duration != w.Duration ||
			g.Channel != core.ContactTypeVoice || g.Queue != "Support" || !g.Inbound {
			t.Errorf("entry %d is %+v, want %s (%s) %s for %s, an inbound Support call", i, g, w.Customer, w.Number, w.Outcome, w.Duration)
		}
	}
	if n := len(changes); n != len(want) {
		t.Errorf("OnChange fired %d times, want %d", n, len(want))
	}
}

func TestFailedOutboundAndLimit(t *testing.T) {
	e := centertest.New(t, nil, "alice")
	r := recent.New(e.Client, 1)
	t.Cleanup(r.Close)
	for _, number := range []string{"+12025550198", "+12025550199"} { // busy, unreachable
		id, err := e.Agent.Connect(centertest.Ctx(), core.EndpointByPhoneNumber(number))
		if err != nil {
			t.Fatal(err)
		}
		e.Advance(25 * time.Second)
		if c, ok := e.Client.Contact(id); ok && c.Exists() {
			if err := c.Clear(centertest.Ctx()); err != nil && !core.IsCenterError(err, core.ErrTypeNotFound) {
				t.Fatal(err)
			}
		}
		e.Settle()
	}
	got := r.Entries()
	if len(got) != 1 {
		t.Fatalf("%d entries with a limit of 1: %+v", len(got), got)
	}
	if g := got[0]; g.Number != "+12025550199" || g.Outcome != recent.Failed || g.Inbound {
		t.Fatalf("kept %+v, want the failed outbound call to +12025550199", g)
	}
}

// A contact the agent handed on reads as Transferred, to whom, with the
// time they were connected: a conference the agent left to the customer and
// the Escalations desk, and a cold transfer to a queue's quick connect.
func TestTransfersSayWhereTheContactWent(t *testing.T) {
	e := centertest.New(t, nil, "alice")
	r := recent.New(e.Client, 0)
	t.Cleanup(r.Close)
	available(t, e)

	k := ringing(t, e, "Ken Ito", "+12025550177")
	if err := k.Accept(centertest.Ctx()); err != nil {
		t.Fatal(err)
	}
	if err := k.AddConnection(centertest.Ctx(), core.EndpointByPhoneNumber("+12025550142", "Escalations desk")); err != nil {
		t.Fatal(err)
	}
	e.Advance(4 * time.Second) // the desk answers
	if err := k.ConferenceConnections(centertest.Ctx()); err != nil {
		t.Fatal(err)
	}
	e.Advance(20 * time.Second)
	if err := k.Leave(centertest.Ctx()); err != nil {
		t.Fatal(err)
	}
	e.Settle()
	if err := k.Clear(centertest.Ctx()); err != nil {
		t.Fatal(err)
	}
	available(t, e)

	c := ringing(t, e, "Maria Garcia", "+12025550123")
	if err := c.Accept(centertest.Ctx()); err != nil {
		t.Fatal(err)
	}
	e.Advance(12 * time.Second)
	eps, err := e.Agent.Endpoints(centertest.Ctx(), e.Agent.AllQueueARNs()...)
	if err != nil {
		t.Fatal(err)
	}
	var sales core.Endpoint
	for _, ep := range eps {
		if ep.Name == "Sales queue" {
			sales = ep
		}
	}
	if err := c.Transfer(centertest.Ctx(), sales); err != nil {
		t.Fatal(err)
	}
	e.Settle()

	got := r.Entries()
	want := []recent.Entry{
		{Customer: "Maria Garcia", Outcome: recent.Transferred, TransferredTo: "Sales queue", Duration: 12 * time.Second},
		{Customer: "Ken Ito", Outcome: recent.Transferred, TransferredTo: "Escalations desk", Duration: 24 * time.Second},
	}
	if len(got) != len(want) {
		t.Fatalf("%d entries, want %d: %+v", len(got), len(want), got)
	}
	for i, w := range want {
		if g := got[i]; g.Customer != w.Customer || g.Outcome != w.Outcome || g.TransferredTo != w.TransferredTo || g.Duration != w.Duration {
			t.Errorf("entry %d is %+v, want %s %s to %q after %s", i, g, w.Customer, w.Outcome, w.TransferredTo, w.Duration)
		}
	}
}
