package center_test

import (
	"slices"
	"testing"
	"time"

	"github.com/agentdesk/agentdesk/core"
	"github.com/agentdesk/agentdesk/core/center"
	ct "github.com/agentdesk/agentdesk/core/centertest"
)

// step is one row of a state-machine table: an action and the events the
// agent's client must raise for it, in order.
type step struct {
	name  string
	do    func(t *testing.T, e *ct.Env)
	want  []string
	state string // the agent's state afterwards, when set
}

func runSteps(t *testing.T, e *ct.Env, steps []step) {
	t.Helper()
	e.Settle()
	e.Events.Take()
	for _, s := range steps {
		s.do(t, e)
		e.Settle()
		got := e.Events.Take()
		if !slices.Equal(got, s.want) {
			t.Fatalf("%s:\n got  %q\n want %q", s.name, got, s.want)
		}
		if s.state != "" && e.Agent.State().Name != s.state {
			t.Fatalf("%s: agent state %q, want %q", s.name, e.Agent.State().Name, s.state)
		}
	}
}

func setState(name string, opts ...core.SetStateOption) func(*testing.T, *ct.Env) {
	return func(t *testing.T, e *ct.Env) {
		t.Helper()
		if err := e.Agent.SetState(ct.Ctx(), e.State(name), opts...); err != nil {
			t.Fatal(err)
		}
	}
}

func arrive(typ core.ContactType) func(*testing.T, *ct.Env) {
	return func(t *testing.T, e *ct.Env) {
		ar := center.Arrival{Queue: "Support", Type: typ, Name: "Maria Garcia", Number: "+12025550123"}
		if typ == core.ContactTypeChat {
			ar.Chat = []string{"Hi there", "It is broken"}
		}
		e.Arrive(ar)
	}
}

// only returns the agent's one contact.
func only(t *testing.T, e *ct.Env) *core.Contact {
	t.Helper()
	cs := e.Agent.Contacts()
	if len(cs) != 1 {
		t.Fatalf("agent has %d contacts, want 1", len(cs))
	}
	return cs[0]
}

func accept(t *testing.T, e *ct.Env) {
	if err := only(t, e).Accept(ct.Ctx()); err != nil {
		t.Fatal(err)
	}
}

func clearContact(t *testing.T, e *ct.Env) {
	if err := only(t, e).Clear(ct.Ctx()); err != nil {
		t.Fatal(err)
	}
}

func hangUpAgent(t *testing.T, e *ct.Env) {
	if err := only(t, e).AgentConnection().Destroy(ct.Ctx()); err != nil {
		t.Fatal(err)
	}
}

func customerHangsUp(t *testing.T, e *ct.Env) {
	if err := e.Center.HangUp(only(t, e).ContactID()); err != nil {
		t.Fatal(err)
	}
}

func wait(d time.Duration) func(*testing.T, *ct.Env) {
	return func(t *testing.T, e *ct.Env) { e.Advance(d) }
}

func connect(number string) func(*testing.T, *ct.Env) {
	return func(t *testing.T, e *ct.Env) {
		if _, err := e.Agent.Connect(ct.Ctx(), core.EndpointByPhoneNumber(number)); err != nil {
			t.Fatal(err)
		}
	}
}

func TestStateMachine(t *testing.T) {
	tests := map[string][]step{
		"inbound softphone voice: ring, accept, customer hangs up, clear": {
			{"available", setState("Available"), []string{"agent.routable", "agent.stateChange Offline>Available"}, "Available"},
			{"offered", arrive(core.ContactTypeVoice), []string{"agent.stateChange Available>PendingBusy", "contact.new voice", "contact.connecting"}, "PendingBusy"},
			{"accept", accept, []string{"agent.stateChange PendingBusy>Busy", "contact.accepted", "contact.connected"}, "Busy"},
			{"customer hangs up", customerHangsUp, []string{"agent.stateChange Busy>AfterCallWork", "agent.afterCallWork", "contact.acw", "contact.ended"}, "AfterCallWork"},
			{"clear", clearContact, []string{"agent.routable", "agent.stateChange AfterCallWork>Available", "contact.destroy"}, "Available"},
		},
		"agent hangs up, ACW times out by itself": {
			{"available", setState("Available"), []string{"agent.routable", "agent.stateChange Offline>Available"}, "Available"},
			{"offered", arrive(core.ContactTypeVoice), []string{"agent.stateChange Available>PendingBusy", "contact.new voice", "contact.connecting"}, ""},
			{"accept", accept, []string{"agent.stateChange PendingBusy>Busy", "contact.accepted", "contact.connected"}, ""},
			{"agent hangs up", hangUpAgent, []string{"agent.stateChange Busy>AfterCallWork", "agent.afterCallWork", "contact.acw", "contact.ended"}, ""},
			{"59 s of ACW", wait(59 * time.Second), nil, "AfterCallWork"},
			{"ACW timeout (60 s)", wait(time.Second), []string{"agent.routable", "agent.stateChange AfterCallWork>Available", "contact.destroy"}, "Available"},
		},
		"ring timeout: missed, back to the queue, clear": {
			{"available", setState("Available"), []string{"agent.routable", "agent.stateChange Offline>Available"}, ""},
			{"offered", arrive(core.ContactTypeVoice), []string{"agent.stateChange Available>PendingBusy", "contact.new voice", "contact.connecting"}, ""},
			{"19 s ringing", wait(19 * time.Second), nil, "PendingBusy"},
			{"20 s: missed", wait(time.Second), []string{"agent.stateChange PendingBusy>MissedCallAgent", "agent.error", "contact.missed", "contact.ended"}, "MissedCallAgent"},
			{"clear", clearContact, []string{"agent.routable", "agent.stateChange MissedCallAgent>Available", "contact.destroy", "agent.stateChange Available>PendingBusy", "contact.new voice", "contact.connecting"}, "PendingBusy"},
		},
		"reject": {
			{"available", setState("Available"), []string{"agent.routable", "agent.stateChange Offline>Available"}, ""},
			{"offered", arrive(core.ContactTypeVoice), []string{"agent.stateChange Available>PendingBusy", "contact.new voice", "contact.connecting"}, ""},
			{"reject", func(t *testing.T, e *ct.Env) {
				if err := only(t, e).Reject(ct.Ctx()); err != nil {
					t.Fatal(err)
				}
			}, []string{"agent.stateChange PendingBusy>MissedCallAgent", "agent.error", "contact.missed", "contact.ended"}, "MissedCallAgent"},
			{"choose Break instead of clearing", setState("Break"), []string{"agent.notRoutable", "agent.stateChange MissedCallAgent>Break", "contact.destroy"}, "Break"},
		},
		"queued callback: incoming, accept dials, customer answers": {
			{"available", setState("Available"), []string{"agent.routable", "agent.stateChange Offline>Available"}, ""},
			{"offered", arrive(core.ContactTypeQueueCallback), []string{"agent.stateChange Available>PendingBusy", "contact.new queue_callback", "contact.incoming"}, ""},
			{"accept", accept, []string{"agent.stateChange PendingBusy>CallingCustomer", "contact.accepted", "contact.connecting"}, "CallingCustomer"},
			{"customer answers", wait(4 * time.Second), []string{"agent.stateChange CallingCustomer>Busy", "contact.connected"}, "Busy"},
			{"agent hangs up", hangUpAgent, []string{"agent.stateChange Busy>AfterCallWork", "agent.afterCallWork", "contact.acw", "contact.ended"}, ""},
		},
		"outbound: calling, answered, hang up": {
			{"dial", connect("+12025550123"), []string{"agent.stateChange Offline>CallingCustomer", "contact.new voice", "contact.accepted", "contact.connecting"}, "CallingCustomer"},
			{"answered", wait(4 * time.Second), []string{"agent.stateChange CallingCustomer>Busy", "contact.connected"}, "Busy"},
			{"hang up", hangUpAgent, []string{"agent.stateChange Busy>AfterCallWork", "agent.afterCallWork", "contact.acw", "contact.ended"}, ""},
			{"clear: back to Offline", clearContact, []string{"agent.offline", "agent.stateChange AfterCallWork>Offline", "contact.destroy"}, "Offline"},
		},
		"outbound to an unreachable number: FailedConnectCustomer, cleared by itself": {
			{"available", setState("Break"), []string{"agent.notRoutable", "agent.stateChange Offline>Break"}, ""},
			{"dial", connect("+12025550199"), []string{"agent.stateChange Break>CallingCustomer", "contact.new voice", "contact.accepted", "contact.connecting"}, ""},
			{"fails", wait(2 * time.Second), []string{"agent.stateChange CallingCustomer>FailedConnectCustomer", "agent.error", "contact.missed", "contact.error", "contact.ended"}, "FailedConnectCustomer"},
			{"cleared automatically", wait(3 * time.Second), []string{"agent.notRoutable", "agent.stateChange FailedConnectCustomer>Break", "contact.destroy"}, "Break"},
		},
		"outbound to a busy number: LineEngagedCustomer": {
			{"dial", connect("+12025550198"), []string{"agent.stateChange Offline>CallingCustomer", "contact.new voice", "contact.accepted", "contact.connecting"}, ""},
			{"busy", wait(2 * time.Second), []string{"agent.stateChange CallingCustomer>LineEngagedCustomer", "agent.error", "contact.missed", "contact.error", "contact.ended"}, "LineEngagedCustomer"},
			{"cleared", wait(3 * time.Second), []string{"agent.offline", "agent.stateChange LineEngagedCustomer>Offline", "contact.destroy"}, "Offline"},
		},
		"outbound nobody answers: MissedCallCustomer": {
			{"dial", connect("+12025550197"), []string{"agent.stateChange Offline>CallingCustomer", "contact.new voice", "contact.accepted", "contact.connecting"}, ""},
			{"rings out", wait(20 * time.Second), []string{"agent.stateChange CallingCustomer>MissedCallCustomer", "agent.error", "contact.missed", "contact.error", "contact.ended"}, "MissedCallCustomer"},
		},
		"outbound to an invalid number: BadAddressCustomer at once": {
			{"dial", connect("+15551234567"), []string{"agent.stateChange Offline>BadAddressCustomer", "agent.error", "contact.new voice", "contact.accepted", "contact.error", "contact.ended"}, "BadAddressCustomer"},
			{"cleared", wait(3 * time.Second), []string{"agent.offline", "agent.stateChange BadAddressCustomer>Offline", "contact.destroy"}, "Offline"},
		},
		"agent hangs up while dialling: AgentHungUp": {
			{"dial", connect("+12025550123"), []string{"agent.stateChange Offline>CallingCustomer", "contact.new voice", "contact.accepted", "contact.connecting"}, ""},
			{"hang up", hangUpAgent, []string{"agent.stateChange CallingCustomer>AgentHungUp", "agent.error", "contact.missed", "contact.error", "contact.ended"}, "AgentHungUp"},
		},
		"chat: connecting, accept, messages, customer leaves": {
			{"available", setState("Available"), []string{"agent.routable", "agent.stateChange Offline>Available"}, ""},
			{"offered", arrive(core.ContactTypeChat), []string{"agent.stateChange Available>PendingBusy", "contact.new chat", "contact.connecting", "contact.message CUSTOMER"}, ""},
			{"accept", accept, []string{"agent.stateChange PendingBusy>Busy", "contact.accepted", "contact.connected", "contact.message SYSTEM"}, "Busy"},
			{"reply", func(t *testing.T, e *ct.Env) {
				if err := only(t, e).SendMessage(ct.Ctx(), "Let me check"); err != nil {
					t.Fatal(err)
				}
			}, []string{"contact.message AGENT"}, ""},
			{"customer answers", wait(5 * time.Second), []string{"contact.message CUSTOMER"}, ""},
			{"reply again", func(t *testing.T, e *ct.Env) {
				if err := only(t, e).SendMessage(ct.Ctx(), "Fixed it"); err != nil {
					t.Fatal(err)
				}
			}, []string{"contact.message AGENT"}, ""},
			{"customer says bye and leaves", wait(5 * time.Second), []string{"agent.stateChange Busy>AfterCallWork", "agent.afterCallWork", "contact.acw", "contact.ended", "contact.message CUSTOMER"}, "AfterCallWork"},
		},
		"task: connecting, accept, end": {
			{"available", setState("Available"), []string{"agent.routable", "agent.stateChange Offline>Available"}, ""},
			{"offered", arrive(core.ContactTypeTask), []string{"agent.stateChange Available>PendingBusy", "contact.new task", "contact.connecting"}, ""},
			{"accept", accept, []string{"agent.stateChange PendingBusy>Busy", "contact.accepted", "contact.connected"}, ""},
			{"end", hangUpAgent, []string{"agent.stateChange Busy>AfterCallWork", "agent.afterCallWork", "contact.acw", "contact.ended"}, ""},
		},
		"choosing a state while only in ACW clears ACW at once": {
			{"available", setState("Available"), []string{"agent.routable", "agent.stateChange Offline>Available"}, ""},
			{"offered", arrive(core.ContactTypeVoice), []string{"agent.stateChange Available>PendingBusy", "contact.new voice", "contact.connecting"}, ""},
			{"accept", accept, []string{"agent.stateChange PendingBusy>Busy", "contact.accepted", "contact.connected"}, ""},
			{"hang up", hangUpAgent, []string{"agent.stateChange Busy>AfterCallWork", "agent.afterCallWork", "contact.acw", "contact.ended"}, ""},
			{"enqueue Lunch", setState("Lunch", core.EnqueueNextState()), []string{"agent.notRoutable", "agent.stateChange AfterCallWork>Lunch", "contact.destroy"}, "Lunch"},
		},
	}
	for name, steps := range tests {
		t.Run(name, func(t *testing.T) {
			e := ct.New(t, nil, "alice")
			runSteps(t, e, steps)
		})
	}
}
