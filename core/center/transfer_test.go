package center_test

import (
	"slices"
	"testing"
	"time"

	"github.com/agentdesk/agentdesk/core"
	ct "github.com/agentdesk/agentdesk/core/centertest"
)

// onCall makes the env's agent Available and connects them to a Support
// voice customer. Other agents must not be routable, or they may get it.
func onCall(t *testing.T, e *ct.Env) *core.Contact {
	t.Helper()
	choose(t, e.Agent, "Available")
	id := customer(t, e, "Support", core.ContactTypeVoice)
	e.Settle()
	c := contactByID(t, e.Agent, id)
	acceptContact(t, c)
	return c
}

// quickConnect finds a quick connect of the agent's queues by name.
func quickConnect(t *testing.T, a *core.Agent, name string) core.Endpoint {
	t.Helper()
	eps, err := a.Endpoints(ct.Ctx(), a.AllQueueARNs()...)
	if err != nil {
		t.Fatal(err)
	}
	for _, ep := range eps {
		if ep.Name == name {
			return ep
		}
	}
	t.Fatalf("no quick connect %q in %v", name, eps)
	return core.Endpoint{}
}

// connStates lists the states of a contact's non-agent parties, customer first.
func connStates(c *core.Contact) []core.ConnectionStateType {
	var out []core.ConnectionStateType
	if in := c.InitialConnection(); in != nil {
		out = append(out, in.State().Type)
	}
	for _, cn := range c.ThirdPartyConnections() {
		out = append(out, cn.State().Type)
	}
	return out
}

func wantConns(t *testing.T, what string, c *core.Contact, want ...core.ConnectionStateType) {
	t.Helper()
	if got := connStates(c); !slices.Equal(got, want) {
		t.Fatalf("%s: parties %v, want %v", what, got, want)
	}
}

const (
	connected  = core.ConnectionStateConnected
	connecting = core.ConnectionStateConnecting
	hold       = core.ConnectionStateHold
	gone       = core.ConnectionStateDisconnected
)

func TestHoldAndResume(t *testing.T) {
	e := ct.New(t, nil, "alice")
	c := onCall(t, e)
	cust := c.InitialConnection()
	if err := cust.Hold(ct.Ctx()); err != nil {
		t.Fatal(err)
	}
	if !cust.IsOnHold() || cust.IsConnected() {
		t.Fatalf("customer is %s after hold", cust.State().Type)
	}
	wantState(t, "alice", e.Agent, core.StateBusy)
	if !c.IsConnected() {
		t.Fatalf("contact is %s while the customer is on hold", c.State().Type)
	}
	e.Advance(time.Minute)
	if err := cust.Resume(ct.Ctx()); err != nil {
		t.Fatal(err)
	}
	if !cust.IsConnected() {
		t.Fatalf("customer is %s after resume", cust.State().Type)
	}
}

func TestColdTransferToAQueue(t *testing.T) {
	e := ct.New(t, nil, "alice")
	bob := loginPeer(t, e, "bob")
	choose(t, bob.a, "Break")
	c := onCall(t, e)
	orig := c.ContactID()

	if err := c.Transfer(ct.Ctx(), quickConnect(t, e.Agent, "Sales queue")); err != nil {
		t.Fatal(err)
	}
	wantState(t, "alice", e.Agent, core.StateAfterCallWork)
	if s := c.State().Type; s != core.ContactStateEnded {
		t.Fatalf("alice's contact is %s after the transfer, want ended", s)
	}
	if n := e.Center.QueueLength("Sales"); n != 1 {
		t.Fatalf("Sales has %d waiting, want the transferred call", n)
	}

	choose(t, bob.a, "Available")
	settle(t, e, bob)
	moved := theContact(t, "bob", bob.a)
	if moved.ContactID() == orig || moved.InitialContactID() != orig {
		t.Fatalf("bob's contact %s (initial %s), want a new contact with initial ID %s",
			moved.ContactID(), moved.InitialContactID(), orig)
	}
	if q := moved.Queue().Name; q != "Sales" {
		t.Fatalf("transferred contact is in %s, want Sales", q)
	}
	acceptContact(t, moved)
	wantConns(t, "bob's call", moved, connected)
	if got := moved.InitialConnection().Endpoint().PhoneNumber; got != "+12025550123" {
		t.Fatalf("bob talks to %s, want the customer", got)
	}
	if err := c.Clear(ct.Ctx()); err != nil {
		t.Fatal(err)
	}
	settle(t, e, bob)
	wantState(t, "alice", e.Agent, "Available")
	wantState(t, "bob", bob.a, core.StateBusy)
}

func TestColdTransferToAnAgent(t *testing.T) {
	e := ct.New(t, nil, "alice")
	bob := loginPeer(t, e, "bob")
	choose(t, bob.a, "Break")
	c := onCall(t, e)
	choose(t, bob.a, "Available")

	if err := c.Transfer(ct.Ctx(), quickConnect(t, e.Agent, "Bob Okafor")); err != nil {
		t.Fatal(err)
	}
	settle(t, e, bob)
	wantState(t, "alice", e.Agent, core.StateAfterCallWork)
	wantState(t, "bob", bob.a, core.StatePendingBusy)
	if to := c.TransferredTo(); to != "Bob Okafor" {
		t.Fatalf("alice's contact says it went to %q, want Bob Okafor", to)
	}
	moved := theContact(t, "bob", bob.a)
	if to := moved.TransferredTo(); to != "" {
		t.Fatalf("bob's new contact says he handed it to %q", to)
	}
	if moved.InitialContactID() != c.ContactID() {
		t.Fatalf("bob's contact has initial ID %s, want %s", moved.InitialContactID(), c.ContactID())
	}
	acceptContact(t, moved)
	settle(t, e, bob)
	wantState(t, "bob", bob.a, core.StateBusy)
	if err := e.Center.HangUp(moved.ContactID()); err != nil {
		t.Fatal(err)
	}
	settle(t, e, bob)
	wantState(t, "bob", bob.a, core.StateAfterCallWork)
}

func TestColdTransferToANumber(t *testing.T) {
	e := ct.New(t, nil, "alice")
	c := onCall(t, e)
	if err := c.Transfer(ct.Ctx(), quickConnect(t, e.Agent, "Escalations desk")); err != nil {
		t.Fatal(err)
	}
	wantState(t, "alice", e.Agent, core.StateAfterCallWork)
	if s := c.State().Type; s != core.ContactStateEnded {
		t.Fatalf("contact is %s, want ended", s)
	}
	if to := c.TransferredTo(); to != "Escalations desk" {
		t.Fatalf("the contact says it went to %q, want Escalations desk", to)
	}
	if _, waiting := e.Center.Waiting(c.ContactID()); waiting {
		t.Fatal("a call transferred out is waiting in a queue")
	}
	if err := e.Center.HangUp(c.ContactID()); !core.IsCenterError(err, core.ErrTypeNotFound) {
		t.Fatalf("the transferred call is still live in the center (HangUp: %v)", err)
	}
}

func TestConsultSwapConference(t *testing.T) {
	e := ct.New(t, nil, "alice")
	c := onCall(t, e)
	if err := c.AddConnection(ct.Ctx(), quickConnect(t, e.Agent, "Escalations desk")); err != nil {
		t.Fatal(err)
	}
	wantConns(t, "consulting", c, hold, connecting)
	wantState(t, "alice", e.Agent, core.StateBusy)
	e.Advance(4 * time.Second)
	wantConns(t, "third party answered", c, hold, connected)
	if got := c.ThirdPartyConnections()[0].Endpoint().PhoneNumber; got != "+12025550142" {
		t.Fatalf("third party is %s", got)
	}

	if err := c.ToggleActiveConnections(ct.Ctx()); err != nil {
		t.Fatal(err)
	}
	wantConns(t, "swapped", c, connected, hold)
	if err := c.ToggleActiveConnections(ct.Ctx()); err != nil {
		t.Fatal(err)
	}
	wantConns(t, "swapped back", c, hold, connected)

	if err := c.ConferenceConnections(ct.Ctx()); err != nil {
		t.Fatal(err)
	}
	wantConns(t, "conference", c, connected, connected)

	// The third party hangs up: the call goes on with the customer.
	if err := c.ThirdPartyConnections()[0].Destroy(ct.Ctx()); err != nil {
		t.Fatal(err)
	}
	wantConns(t, "third party left", c, connected, gone)
	wantState(t, "alice", e.Agent, core.StateBusy)
}

func TestConsultDroppedPartyBringsTheCustomerBack(t *testing.T) {
	e := ct.New(t, nil, "alice")
	c := onCall(t, e)
	if err := c.AddConnection(ct.Ctx(), core.EndpointByPhoneNumber("+12025550142")); err != nil {
		t.Fatal(err)
	}
	e.Advance(4 * time.Second)
	wantConns(t, "consulting", c, hold, connected)
	if err := c.ThirdPartyConnections()[0].Destroy(ct.Ctx()); err != nil {
		t.Fatal(err)
	}
	wantConns(t, "consult ended", c, connected, gone)
}

func TestConsultABusyNumberDropsOnlyThatParty(t *testing.T) {
	e := ct.New(t, nil, "alice")
	c := onCall(t, e)
	if err := c.AddConnection(ct.Ctx(), core.EndpointByPhoneNumber("+12025550198")); err != nil {
		t.Fatal(err)
	}
	e.Advance(2 * time.Second)
	if got := connStates(c); got[1] != gone || got[0] != hold {
		t.Fatalf("busy consult: parties %v, want the customer on hold and the third party gone", got)
	}
	wantState(t, "alice", e.Agent, core.StateBusy)
	if err := c.InitialConnection().Resume(ct.Ctx()); err != nil {
		t.Fatal(err)
	}
	wantConns(t, "resumed", c, connected, gone)
}

func TestLeavingAConferenceHandsTheCustomerToTheOtherAgent(t *testing.T) {
	e := ct.New(t, nil, "alice")
	bob := loginPeer(t, e, "bob")
	choose(t, bob.a, "Break")
	c := onCall(t, e)
	choose(t, bob.a, "Available")

	if err := c.AddConnection(ct.Ctx(), quickConnect(t, e.Agent, "Bob Okafor")); err != nil {
		t.Fatal(err)
	}
	settle(t, e, bob)
	wantConns(t, "ringing bob", c, hold, connecting)
	consult := theContact(t, "bob", bob.a)
	if consult.InitialContactID() != c.ContactID() {
		t.Fatalf("bob's consult has initial ID %s, want %s", consult.InitialContactID(), c.ContactID())
	}
	acceptContact(t, consult)
	settle(t, e, bob)
	wantConns(t, "bob answered", c, hold, connected)

	if err := c.ConferenceConnections(ct.Ctx()); err != nil {
		t.Fatal(err)
	}
	wantConns(t, "conference", c, connected, connected)

	// Alice leaves: bob carries on with the customer.
	if err := c.AgentConnection().Destroy(ct.Ctx()); err != nil {
		t.Fatal(err)
	}
	settle(t, e, bob)
	wantState(t, "alice", e.Agent, core.StateAfterCallWork)
	wantState(t, "bob", bob.a, core.StateBusy)
	if !consult.IsConnected() {
		t.Fatalf("bob's contact is %s", consult.State().Type)
	}
	cust := consult.InitialConnection()
	if cust == nil || cust.Endpoint().PhoneNumber != "+12025550123" || !cust.IsConnected() {
		t.Fatalf("bob's contact does not hold the customer: parties %v", consult.Connections())
	}
	// The customer hangs up on bob: his contact ends.
	if err := e.Center.HangUp(consult.ContactID()); err != nil {
		t.Fatal(err)
	}
	settle(t, e, bob)
	wantState(t, "bob", bob.a, core.StateAfterCallWork)
}

func TestConferenceHasAtMostSixParties(t *testing.T) {
	e := ct.New(t, nil, "alice")
	c := onCall(t, e)
	numbers := []string{"+12025550142", "+12025550143", "+12025550144", "+12025550145"}
	for _, n := range numbers {
		if err := c.AddConnection(ct.Ctx(), core.EndpointByPhoneNumber(n)); err != nil {
			t.Fatalf("adding %s: %v", n, err)
		}
	}
	e.Advance(4 * time.Second)
	if n := len(c.Connections()); n != 6 {
		t.Fatalf("%d parties, want 6 (alice, the customer and 4 others)", n)
	}
	before := connStates(c)
	err := c.AddConnection(ct.Ctx(), core.EndpointByPhoneNumber("+12025550146"))
	if !core.IsCenterError(err, core.ErrTypeLimitExceeded) {
		t.Fatalf("seventh party: err %v, want %s", err, core.ErrTypeLimitExceeded)
	}
	e.Settle()
	if n := len(c.Connections()); n != 6 {
		t.Fatalf("%d parties after the refusal, want 6", n)
	}
	if got := connStates(c); !slices.Equal(got, before) {
		t.Fatalf("refusal changed the parties: %v, was %v", got, before)
	}
	if err := c.ConferenceConnections(ct.Ctx()); err != nil {
		t.Fatal(err)
	}
	wantConns(t, "six-party conference", c, connected, connected, connected, connected, connected)
}

func TestDTMFReachesTheConnectedParty(t *testing.T) {
	e := ct.New(t, nil, "alice")
	c := onCall(t, e)
	cust := c.InitialConnection()
	for _, d := range []string{"12", "3#", "*9A,"} {
		if err := cust.SendDigits(ct.Ctx(), d); err != nil {
			t.Fatal(err)
		}
	}
	// Digits on the agent's own connection go to whoever is connected.
	if err := c.AgentConnection().SendDigits(ct.Ctx(), "0"); err != nil {
		t.Fatal(err)
	}
	if got := e.Center.Digits(c.ContactID())[cust.ConnectionID()]; got != "123#*9A,0" {
		t.Fatalf("customer received %q, want %q", got, "123#*9A,0")
	}

	// During a consult only the third party (connected) hears the agent's digits.
	if err := c.AddConnection(ct.Ctx(), core.EndpointByPhoneNumber("+12025550142")); err != nil {
		t.Fatal(err)
	}
	e.Advance(4 * time.Second)
	if err := c.AgentConnection().SendDigits(ct.Ctx(), "55"); err != nil {
		t.Fatal(err)
	}
	tp := c.ThirdPartyConnections()[0]
	digits := e.Center.Digits(c.ContactID())
	if digits[tp.ConnectionID()] != "55" || digits[cust.ConnectionID()] != "123#*9A,0" {
		t.Fatalf("digits %v: want 55 for the third party and nothing new for the held customer", digits)
	}
	// A held party cannot be sent digits.
	if err := cust.SendDigits(ct.Ctx(), "1"); !core.IsCenterError(err, core.ErrTypeInvalidState) {
		t.Fatalf("digits to a held customer: %v, want %s", err, core.ErrTypeInvalidState)
	}
}

func TestMonitorSilentlyThenBarge(t *testing.T) {
	e := ct.New(t, nil, "alice")
	sam := loginPeer(t, e, "sam")
	c := onCall(t, e)
	if err := sam.a.MonitorContact(ct.Ctx(), c.ContactID(), core.MonitoringSilentMonitor); err != nil {
		t.Fatal(err)
	}
	settle(t, e, sam)
	wantState(t, "sam", sam.a, core.StateJoining)
	m := theContact(t, "sam", sam.a)
	if core.ShouldShowAcceptButton(m) {
		t.Fatal("the supervisor is shown an accept button")
	}
	advance(t, e, time.Second, sam)
	wantState(t, "sam", sam.a, core.StateBusy)
	own := m.AgentConnection()
	if own.Type() != core.ConnectionTypeMonitoring || own.MonitorStatus() != core.MonitoringSilentMonitor ||
		own.State().Type != core.ConnectionStateSilentMonitor {
		t.Fatalf("sam's connection: type %s, status %q, state %s; want monitoring, SILENT_MONITOR, silent_monitor",
			own.Type(), own.MonitorStatus(), own.State().Type)
	}
	wantConns(t, "sam hears the customer", m, connected)
	// Silent: alice's call shows nobody new.
	wantConns(t, "alice's call", c, connected)
	if n := len(c.Connections()); n != 2 {
		t.Fatalf("alice's call has %d connections, want 2", n)
	}

	if err := sam.a.MonitorContact(ct.Ctx(), c.ContactID(), core.MonitoringBarge); err != nil {
		t.Fatal(err)
	}
	settle(t, e, sam)
	if own.MonitorStatus() != core.MonitoringBarge || own.State().Type != core.ConnectionStateBarge {
		t.Fatalf("after barge: status %q, state %s", own.MonitorStatus(), own.State().Type)
	}
	if n := len(sam.a.Contacts()); n != 1 {
		t.Fatalf("sam has %d contacts after barging, want the same one", n)
	}

	// The call ends: the supervisor's part ends with it.
	if err := e.Center.HangUp(c.ContactID()); err != nil {
		t.Fatal(err)
	}
	settle(t, e, sam)
	if n := len(sam.a.Contacts()); n != 0 {
		t.Fatalf("sam still has %v after the call ended", ids(sam.a))
	}
	wantState(t, "sam", sam.a, "Offline")
	wantState(t, "alice", e.Agent, core.StateAfterCallWork)
}

func TestChatTransferToAQueueKeepsTheTranscript(t *testing.T) {
	e := ct.New(t, nil, "alice")
	bob := loginPeer(t, e, "bob")
	choose(t, bob.a, "Break")
	choose(t, e.Agent, "Available")
	id := customer(t, e, "Support", core.ContactTypeChat)
	e.Settle()
	c := contactByID(t, e.Agent, id)
	acceptContact(t, c)
	if err := c.SendMessage(ct.Ctx(), "Let me pass you to Sales"); err != nil {
		t.Fatal(err)
	}
	msgs := c.Messages()
	// Alice is going on a break: otherwise, with chat slots free, the chat
	// could come back to her from the Sales queue.
	choose(t, e.Agent, "Break")
	if err := c.Transfer(ct.Ctx(), quickConnect(t, e.Agent, "Sales queue")); err != nil {
		t.Fatal(err)
	}
	wantState(t, "alice", e.Agent, core.StateAfterCallWork)
	choose(t, bob.a, "Available")
	settle(t, e, bob)
	moved := theContact(t, "bob", bob.a)
	if moved.Type() != core.ContactTypeChat || moved.Queue().Name != "Sales" || moved.InitialContactID() != id {
		t.Fatalf("bob got a %s in %s (initial %s)", moved.Type(), moved.Queue().Name, moved.InitialContactID())
	}
	got := moved.Messages()
	if len(got) < len(msgs) {
		t.Fatalf("bob sees %d messages, want at least the %d before the transfer", len(got), len(msgs))
	}
	for i, m := range msgs {
		if got[i].Content != m.Content || got[i].Participant != m.Participant {
			t.Fatalf("message %d is %q from %s, want %q from %s", i, got[i].Content, got[i].Participant, m.Content, m.Participant)
		}
	}
}

func TestLeavingAConferenceWithAnOutsideParty(t *testing.T) {
	e := ct.New(t, nil, "alice")
	c := onCall(t, e)
	if err := c.AddConnection(ct.Ctx(), quickConnect(t, e.Agent, "Escalations desk")); err != nil {
		t.Fatal(err)
	}
	e.Advance(4 * time.Second)
	if err := c.ConferenceConnections(ct.Ctx()); err != nil {
		t.Fatal(err)
	}
	if err := c.AgentConnection().Destroy(ct.Ctx()); err != nil {
		t.Fatal(err)
	}
	wantState(t, "alice", e.Agent, core.StateAfterCallWork)
	if s := c.State().Type; s != core.ContactStateEnded {
		t.Fatalf("alice's part is %s, want ended", s)
	}
	if err := c.Clear(ct.Ctx()); err != nil {
		t.Fatal(err)
	}
	wantState(t, "alice", e.Agent, "Available")
}
