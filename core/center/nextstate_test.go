package center_test

import (
	"slices"
	"testing"
	"time"

	"github.com/agentdesk/agentdesk/core"
	ct "github.com/agentdesk/agentdesk/core/centertest"
)

// wantNext fails unless a's enqueued next state is name ("" for none).
func wantNext(t *testing.T, a *core.Agent, name string) {
	t.Helper()
	got, ok := a.NextState()
	switch {
	case name == "" && ok:
		t.Fatalf("next state %q enqueued, want none", got.Name)
	case name != "" && !ok:
		t.Fatalf("no next state enqueued, want %q", name)
	case name != "" && got.Name != name:
		t.Fatalf("next state %q, want %q", got.Name, name)
	}
}

// wantEvents fails unless the events recorded since the last call are want.
func wantEvents(t *testing.T, e *ct.Env, what string, want ...string) {
	t.Helper()
	e.Settle()
	if got := e.Events.Take(); !slices.Equal(got, want) {
		t.Fatalf("%s:\n got  %q\n want %q", what, got, want)
	}
}

func TestEnqueuedNextStateStopsRoutingUntilTheLastContactIsCleared(t *testing.T) {
	e := ct.New(t, nil, "alice")
	choose(t, e.Agent, "Available")
	chat1 := customer(t, e, "Support", core.ContactTypeChat)
	chat2 := customer(t, e, "Support", core.ContactTypeChat)
	e.Settle()
	acceptContact(t, contactByID(t, e.Agent, chat1))
	acceptContact(t, contactByID(t, e.Agent, chat2))
	e.Settle()
	e.Events.Take()

	choose(t, e.Agent, "Lunch", core.EnqueueNextState())
	wantEvents(t, e, "enqueue Lunch", "agent.enqueuedNextState")
	wantNext(t, e.Agent, "Lunch")
	wantState(t, "alice", e.Agent, core.StateBusy)

	// Routing stopped at once: a third chat waits though a chat slot is free.
	chat3 := customer(t, e, "Support", core.ContactTypeChat)
	e.Advance(10 * time.Second)
	if got := ids(e.Agent); !slices.Equal(got, []string{chat1, chat2}) {
		t.Fatalf("alice has %v, want only her two chats", got)
	}
	if q, ok := e.Center.Waiting(chat3); !ok || q != "Support" {
		t.Fatal("the third chat is not waiting in Support")
	}

	// The first chat ends and is cleared: one contact is left, Lunch waits.
	if err := e.Center.HangUp(chat1); err != nil {
		t.Fatal(err)
	}
	e.Settle()
	if err := contactByID(t, e.Agent, chat1).Clear(ct.Ctx()); err != nil {
		t.Fatal(err)
	}
	e.Settle()
	wantState(t, "alice", e.Agent, core.StateBusy)
	wantNext(t, e.Agent, "Lunch")
	e.Events.Take()

	// The last one ends: after-contact work, still with Lunch enqueued.
	if err := e.Center.HangUp(chat2); err != nil {
		t.Fatal(err)
	}
	e.Settle()
	wantState(t, "alice", e.Agent, core.StateAfterCallWork)
	wantNext(t, e.Agent, "Lunch")
	e.Events.Take()

	if err := contactByID(t, e.Agent, chat2).Clear(ct.Ctx()); err != nil {
		t.Fatal(err)
	}
	wantEvents(t, e, "clear the last contact",
		"agent.notRoutable", "agent.stateChange AfterCallWork>Lunch", "agent.clearedNextState", "contact.destroy")
	wantState(t, "alice", e.Agent, "Lunch")
	wantNext(t, e.Agent, "")
	e.Advance(2 * time.Minute)
	wantState(t, "alice", e.Agent, "Lunch")
	if len(e.Agent.Contacts()) != 0 {
		t.Fatalf("alice at lunch has %v", ids(e.Agent))
	}
	if _, ok := e.Center.Waiting(chat3); !ok {
		t.Fatal("the waiting chat was offered to alice at lunch")
	}
}

func TestEnqueuedNextStateAppliesWhenACWTimesOut(t *testing.T) {
	e := ct.New(t, nil, "alice") // ACW timeout 60 s
	choose(t, e.Agent, "Available")
	customer(t, e, "Support", core.ContactTypeVoice)
	e.Settle()
	acceptContact(t, theContact(t, "alice", e.Agent))
	choose(t, e.Agent, "Offline", core.EnqueueNextState())
	wantNext(t, e.Agent, "Offline")
	if err := theContact(t, "alice", e.Agent).AgentConnection().Destroy(ct.Ctx()); err != nil {
		t.Fatal(err)
	}
	e.Advance(59 * time.Second)
	wantState(t, "alice", e.Agent, core.StateAfterCallWork)
	e.Events.Take()
	e.Advance(time.Second)
	wantEvents(t, e, "ACW times out",
		"agent.offline", "agent.stateChange AfterCallWork>Offline", "agent.clearedNextState", "contact.destroy")
	wantNext(t, e.Agent, "")
}

func TestOnlyNotRoutableOrOfflineStatesCanBeEnqueued(t *testing.T) {
	e := ct.New(t, nil, "alice")
	choose(t, e.Agent, "Available")
	customer(t, e, "Support", core.ContactTypeVoice)
	e.Settle()
	acceptContact(t, theContact(t, "alice", e.Agent))
	e.Settle()
	e.Events.Take()

	choose(t, e.Agent, "Break", core.EnqueueNextState())
	wantEvents(t, e, "enqueue Break", "agent.enqueuedNextState")
	wantNext(t, e.Agent, "Break")
	choose(t, e.Agent, "Offline", core.EnqueueNextState())
	wantEvents(t, e, "enqueue Offline instead", "agent.enqueuedNextState")
	wantNext(t, e.Agent, "Offline")

	// Enqueueing a routable state is choosing it: it cancels Offline and is
	// not itself kept as a next state.
	choose(t, e.Agent, "Available", core.EnqueueNextState())
	wantEvents(t, e, "enqueue Available", "agent.clearedNextState")
	wantNext(t, e.Agent, "")
	wantState(t, "alice", e.Agent, core.StateBusy)

	// Having chosen Available during the call, ACW shows PendingAvailable,
	// and clearing makes her Available, not Offline.
	if err := theContact(t, "alice", e.Agent).AgentConnection().Destroy(ct.Ctx()); err != nil {
		t.Fatal(err)
	}
	e.Settle()
	wantState(t, "alice", e.Agent, core.StatePendingAvailable)
	if err := theContact(t, "alice", e.Agent).Clear(ct.Ctx()); err != nil {
		t.Fatal(err)
	}
	e.Advance(2 * time.Minute)
	wantState(t, "alice", e.Agent, "Available")
}

func TestChoosingARoutableStateCancelsTheEnqueuedOne(t *testing.T) {
	e := ct.New(t, nil, "alice")
	choose(t, e.Agent, "Available")
	chat1 := customer(t, e, "Support", core.ContactTypeChat)
	e.Settle()
	acceptContact(t, contactByID(t, e.Agent, chat1))
	choose(t, e.Agent, "Break", core.EnqueueNextState())
	chat2 := customer(t, e, "Support", core.ContactTypeChat)
	e.Settle()
	if _, ok := e.Center.Waiting(chat2); !ok {
		t.Fatal("chat offered with Break enqueued")
	}
	e.Events.Take()

	choose(t, e.Agent, "Available")
	e.Settle()
	wantNext(t, e.Agent, "")
	// Routing resumes at once: the waiting chat is offered.
	if got := ids(e.Agent); !slices.Equal(got, []string{chat1, chat2}) {
		t.Fatalf("alice has %v, want %v", got, []string{chat1, chat2})
	}
	if got := e.Events.Take(); !slices.Contains(got, "agent.clearedNextState") {
		t.Fatalf("no clearedNextState event: %q", got)
	}

	acceptContact(t, contactByID(t, e.Agent, chat2))
	for _, id := range []string{chat1, chat2} {
		if err := e.Center.HangUp(id); err != nil {
			t.Fatal(err)
		}
	}
	e.Settle()
	wantState(t, "alice", e.Agent, core.StatePendingAvailable)
	for _, id := range []string{chat1, chat2} {
		if err := contactByID(t, e.Agent, id).Clear(ct.Ctx()); err != nil {
			t.Fatal(err)
		}
	}
	e.Advance(2 * time.Minute)
	wantState(t, "alice", e.Agent, "Available")
}

func TestNextStateWhileOnlyInACWAppliesAtOnce(t *testing.T) {
	e := ct.New(t, nil, "alice")
	choose(t, e.Agent, "Available")
	customer(t, e, "Support", core.ContactTypeVoice)
	e.Settle()
	acceptContact(t, theContact(t, "alice", e.Agent))
	if err := theContact(t, "alice", e.Agent).AgentConnection().Destroy(ct.Ctx()); err != nil {
		t.Fatal(err)
	}
	e.Settle()
	wantState(t, "alice", e.Agent, core.StateAfterCallWork)
	e.Events.Take()
	choose(t, e.Agent, "Offline", core.EnqueueNextState())
	wantEvents(t, e, "enqueue Offline in ACW", "agent.offline", "agent.stateChange AfterCallWork>Offline", "contact.destroy")
	wantNext(t, e.Agent, "")
	if len(e.Agent.Contacts()) != 0 {
		t.Fatalf("ACW contact not cleared: %v", ids(e.Agent))
	}
}

// TestNextStateOfflineThenMissedCall is amazon-connect-streams issue #613:
// with Offline enqueued, a missed call, then choosing Available must leave
// the agent Available, not Offline once the contacts are gone.
func TestNextStateOfflineThenMissedCall(t *testing.T) {
	t.Run("ringing call", func(t *testing.T) {
		e := ct.New(t, nil, "alice")
		bob := loginPeer(t, e, "bob")
		choose(t, bob.a, "Break")
		choose(t, e.Agent, "Available")
		call := customer(t, e, "Support", core.ContactTypeVoice)
		e.Settle()
		wantState(t, "alice", e.Agent, core.StatePendingBusy)

		choose(t, e.Agent, "Offline", core.EnqueueNextState())
		wantNext(t, e.Agent, "Offline")
		choose(t, bob.a, "Available")
		e.Advance(20 * time.Second)
		wantState(t, "alice", e.Agent, core.StateMissedCallAgent)
		settle(t, e, bob)
		if got := ids(bob.a); !slices.Equal(got, []string{call}) {
			t.Fatalf("bob has %v, want the missed call %s", got, call)
		}
		acceptContact(t, theContact(t, "bob", bob.a))
		e.Settle()
		e.Events.Take()

		choose(t, e.Agent, "Available")
		wantEvents(t, e, "choose Available",
			"agent.routable", "agent.stateChange MissedCallAgent>Available", "agent.clearedNextState", "contact.destroy")
		wantNext(t, e.Agent, "")
		e.Advance(2 * time.Minute)
		wantState(t, "alice", e.Agent, "Available")

		// She really is routable: the next call reaches her.
		next := customer(t, e, "Support", core.ContactTypeVoice)
		e.Settle()
		if got := ids(e.Agent); !slices.Equal(got, []string{next}) {
			t.Fatalf("alice has %v, want %s", got, next)
		}
	})

	t.Run("missed call while on a chat", func(t *testing.T) {
		e := ct.New(t, nil, "alice")
		choose(t, e.Agent, "Available")
		chat := customer(t, e, "Support", core.ContactTypeChat)
		e.Settle()
		acceptContact(t, contactByID(t, e.Agent, chat))
		call := customer(t, e, "Support", core.ContactTypeVoice)
		e.Settle()
		if s := contactByID(t, e.Agent, call).State().Type; s != core.ContactStateConnecting {
			t.Fatalf("call is %s, want connecting", s)
		}
		choose(t, e.Agent, "Offline", core.EnqueueNextState())
		e.Advance(20 * time.Second)
		wantState(t, "alice", e.Agent, core.StateMissedCallAgent)
		wantNext(t, e.Agent, "Offline")
		if q, ok := e.Center.Waiting(call); !ok || q != "Support" {
			t.Fatal("the missed call is not back in Support")
		}
		if err := e.Center.HangUp(call); err != nil { // the caller gives up waiting
			t.Fatal(err)
		}

		// Choosing Available ends the missed-call state, clears the missed
		// contact and cancels Offline; the chat goes on.
		choose(t, e.Agent, "Available")
		e.Settle()
		wantNext(t, e.Agent, "")
		wantState(t, "alice", e.Agent, core.StateBusy)
		if got := ids(e.Agent); !slices.Equal(got, []string{chat}) {
			t.Fatalf("alice has %v, want only the chat %s", got, chat)
		}
		if err := e.Center.HangUp(chat); err != nil {
			t.Fatal(err)
		}
		e.Settle()
		wantState(t, "alice", e.Agent, core.StatePendingAvailable)
		if err := contactByID(t, e.Agent, chat).Clear(ct.Ctx()); err != nil {
			t.Fatal(err)
		}
		e.Settle()
		wantState(t, "alice", e.Agent, "Available")
		e.Advance(2 * time.Minute)
		wantState(t, "alice", e.Agent, "Available")
		wantNext(t, e.Agent, "")
	})
}

func TestSystemStates(t *testing.T) {
	t.Run("Init is the first snapshot", func(t *testing.T) {
		e := ct.New(t, nil, "alice")
		s, err := e.Center.Session("bob")
		if err != nil {
			t.Fatal(err)
		}
		snaps := make(chan core.Snapshot, 16)
		unsub := s.Subscribe(func(sn core.Snapshot) { snaps <- sn }, nil)
		defer func() { unsub(); s.Close() }()
		next := func() core.Snapshot {
			select {
			case sn := <-snaps:
				return sn
			case <-time.After(5 * time.Second):
				t.Fatal("no snapshot")
			}
			return core.Snapshot{}
		}
		first := next()
		if first.Agent.State.Name != core.StateInit || first.Agent.State.Type != core.AgentStateTypeInit {
			t.Fatalf("first snapshot state %+v, want Init (init)", first.Agent.State)
		}
		if first.Agent.Configuration.Username != "bob" {
			t.Fatalf("first snapshot is for %q", first.Agent.Configuration.Username)
		}
		if second := next(); second.Agent.State.Name != "Available" || second.Seq <= first.Seq {
			t.Fatalf("second snapshot %+v (seq %d), want bob's initial state Available after seq %d",
				second.Agent.State, second.Seq, first.Seq)
		}
	})

	tests := map[string][]step{
		"PendingBusy, Busy, AfterCallWork": {
			{"available", setState("Available"), nil, "Available"},
			{"ringing", arrive(core.ContactTypeVoice), nil, core.StatePendingBusy},
			{"talking", accept, nil, core.StateBusy},
			{"ended", hangUpAgent, nil, core.StateAfterCallWork},
		},
		"CallingCustomer": {
			{"dial", connect("+12025550123"), nil, core.StateCallingCustomer},
			{"answered", wait(4 * time.Second), nil, core.StateBusy},
		},
		"PendingAvailable: Available chosen during a call, then ACW": {
			{"break", setState("Break"), nil, "Break"},
			{"dial", connect("+12025550123"), nil, core.StateCallingCustomer},
			{"answered", wait(4 * time.Second), nil, core.StateBusy},
			{"choose Available", setState("Available"), nil, core.StateBusy},
			{"hang up", hangUpAgent, nil, core.StatePendingAvailable},
			{"clear", clearContact, nil, "Available"},
		},
		"Break chosen during a call: plain ACW, then Break": {
			{"available", setState("Available"), nil, "Available"},
			{"ringing", arrive(core.ContactTypeVoice), nil, core.StatePendingBusy},
			{"talking", accept, nil, core.StateBusy},
			{"choose Break", setState("Break"), nil, core.StateBusy},
			{"hang up", hangUpAgent, nil, core.StateAfterCallWork},
			{"clear", clearContact, nil, "Break"},
		},
	}
	for name, steps := range tests {
		t.Run(name, func(t *testing.T) {
			e := ct.New(t, nil, "alice")
			runStates(t, e, steps)
		})
	}

	t.Run("Dialing: a deskphone agent dials out", func(t *testing.T) {
		e := ct.New(t, nil, "carmen")
		if _, err := e.Agent.Connect(ct.Ctx(), core.EndpointByPhoneNumber("+12025550123")); err != nil {
			t.Fatal(err)
		}
		wantState(t, "carmen", e.Agent, core.StateDialing)
		if e.Agent.State().Type != core.AgentStateTypeSystem {
			t.Fatalf("Dialing has type %s", e.Agent.State().Type)
		}
		e.Advance(3 * time.Second) // the deskphone picks up
		wantState(t, "carmen", e.Agent, core.StateCallingCustomer)
		e.Advance(4 * time.Second)
		wantState(t, "carmen", e.Agent, core.StateBusy)
	})

	t.Run("Joining: a supervisor monitors a call", func(t *testing.T) {
		e := ct.New(t, nil, "alice")
		sam := loginPeer(t, e, "sam")
		choose(t, e.Agent, "Available")
		id := customer(t, e, "Support", core.ContactTypeVoice)
		e.Settle()
		acceptContact(t, theContact(t, "alice", e.Agent))
		if err := sam.a.MonitorContact(ct.Ctx(), id, core.MonitoringSilentMonitor); err != nil {
			t.Fatal(err)
		}
		wantState(t, "sam", sam.a, core.StateJoining)
		advance(t, e, time.Second, sam)
		wantState(t, "sam", sam.a, core.StateBusy)
		wantState(t, "alice", e.Agent, core.StateBusy)
	})
}

// runStates runs steps checking only the agent's state after each.
func runStates(t *testing.T, e *ct.Env, steps []step) {
	t.Helper()
	for _, s := range steps {
		s.do(t, e)
		e.Settle()
		if got := e.Agent.State(); got.Name != s.state {
			t.Fatalf("%s: agent state %q, want %q", s.name, got.Name, s.state)
		} else if slices.Contains(core.SystemStates, s.state) && got.Type != core.AgentStateTypeSystem {
			t.Fatalf("%s: %s has type %s, want system", s.name, got.Name, got.Type)
		}
	}
}

func TestACWTimeout(t *testing.T) {
	t.Run("60 s for alice", func(t *testing.T) {
		e := ct.New(t, nil, "alice")
		c := onCall(t, e)
		if err := c.AgentConnection().Destroy(ct.Ctx()); err != nil {
			t.Fatal(err)
		}
		if got, want := c.ACWDeadline(), e.Clock.Now().Add(60*time.Second); !got.Equal(want) {
			t.Fatalf("ACW deadline %v, want %v", got, want)
		}
		e.Advance(60 * time.Second)
		wantState(t, "alice", e.Agent, "Available")
	})
	t.Run("0 is unlimited", func(t *testing.T) {
		e := ct.New(t, nil, "sam") // acw_timeout = "0s"
		if d := e.Agent.AfterContactWorkTimeout(); d != 0 {
			t.Fatalf("sam's ACW timeout is %v", d)
		}
		c := onCall(t, e)
		if err := c.AgentConnection().Destroy(ct.Ctx()); err != nil {
			t.Fatal(err)
		}
		if !c.ACWDeadline().IsZero() {
			t.Fatalf("ACW deadline %v, want none", c.ACWDeadline())
		}
		e.Advance(time.Hour)
		wantState(t, "sam", e.Agent, core.StateAfterCallWork)
		if err := c.Clear(ct.Ctx()); err != nil {
			t.Fatal(err)
		}
		wantState(t, "sam", e.Agent, "Available")
	})
}

func TestLogoutDuringACallWaitsForTheLastClear(t *testing.T) {
	e := ct.New(t, nil, "alice")
	c := onCall(t, e)
	if err := e.Agent.Logout(ct.Ctx()); err != nil {
		t.Fatal(err)
	}
	wantNext(t, e.Agent, "Offline")
	wantState(t, "alice", e.Agent, core.StateBusy)
	// Logging out stops routing at once.
	waiting := customer(t, e, "Support", core.ContactTypeChat)
	e.Advance(time.Second)
	if _, ok := e.Center.Waiting(waiting); !ok {
		t.Fatal("a chat was offered to an agent logging out")
	}
	if err := c.AgentConnection().Destroy(ct.Ctx()); err != nil {
		t.Fatal(err)
	}
	wantState(t, "alice", e.Agent, core.StateAfterCallWork)
	if err := c.Clear(ct.Ctx()); err != nil {
		t.Fatal(err)
	}
	wantState(t, "alice", e.Agent, "Offline")
	if _, err := e.Client.Agent(); err == nil {
		t.Fatal("the client still has an agent after logout")
	}
	if err := e.Agent.SetState(ct.Ctx(), core.AgentState{Name: "Available"}); err == nil {
		t.Fatal("a logged-out agent can still choose a state")
	}
	if _, ok := e.Center.Waiting(waiting); !ok {
		t.Fatal("the chat left its queue")
	}
}
