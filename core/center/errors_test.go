package center_test

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/agentdesk/agentdesk/core"
	"github.com/agentdesk/agentdesk/core/center"
	ct "github.com/agentdesk/agentdesk/core/centertest"
)

// baseInstance is a small valid instance; agents are appended to it.
const baseInstance = `
name = "Test center"
dialable_countries = ["US", "GB"]

[[states]]
name = "Available"
type = "routable"

[[states]]
name = "Break"
type = "not_routable"

[[states]]
name = "Offline"
type = "offline"

[[queues]]
name = "Support"

[[queues]]
name = "Outbound"

[[routing_profiles]]
name = "Front line"
default_outbound_queue = "Outbound"
queues = [{ queue = "Support", priority = 1 }]
`

// deskAgent is a deskphone agent, Available at login, who may dial out.
func deskAgent(login, extension string) string {
	return fmt.Sprintf(`
[[agents]]
login = %q
name = "Desk %s"
routing_profile = "Front line"
softphone = false
extension = %q
permissions = ["outboundCall"]
initial_state = "Available"
`, login, login, extension)
}

// instanceWith parses baseInstance plus agents.
func instanceWith(t *testing.T, agents ...string) *center.Instance {
	t.Helper()
	inst, err := center.ParseInstance([]byte(baseInstance + strings.Join(agents, "")))
	if err != nil {
		t.Fatal(err)
	}
	return inst
}

func TestErrorStates(t *testing.T) {
	dial := func(number string) func(t *testing.T, e *ct.Env) {
		return func(t *testing.T, e *ct.Env) {
			t.Helper()
			if _, err := e.Agent.Connect(ct.Ctx(), core.EndpointByPhoneNumber(number)); err != nil {
				t.Fatal(err)
			}
		}
	}
	ringIn := func(t *testing.T, e *ct.Env) { customer(t, e, "Support", core.ContactTypeVoice) }
	softphoneError := func(typ core.SoftphoneErrorType) func(t *testing.T, e *ct.Env) {
		return func(t *testing.T, e *ct.Env) {
			t.Helper()
			c := onCall(t, e)
			if err := e.Agent.ReportSoftphoneError(ct.Ctx(), core.SoftphoneError{ErrorType: typ, ErrorMessage: "test", ContactID: c.ContactID()}); err != nil {
				t.Fatal(err)
			}
			if s := c.State().Type; s != core.ContactStateError {
				t.Fatalf("the call is %s after a softphone error, want error", s)
			}
		}
	}
	then := func(fs ...func(t *testing.T, e *ct.Env)) func(t *testing.T, e *ct.Env) {
		return func(t *testing.T, e *ct.Env) {
			for _, f := range fs {
				f(t, e)
				e.Settle()
			}
		}
	}
	tests := []struct {
		state string
		how   string
		inst  func(t *testing.T) *center.Instance // nil: the default instance
		login string
		do    func(t *testing.T, e *ct.Env)
	}{
		{core.StateError, "softphone WebRTC error during a call", nil, "alice", softphoneError(core.SoftphoneWebRTCError)},
		{core.StateDefault, "softphone error of an unknown kind", nil, "alice", softphoneError("mystery_failure")},
		{core.StateRealtimeCommunicationError, "realtime communication error during a call", nil, "alice",
			softphoneError(core.SoftphoneRealtimeCommunicationError)},
		{core.StateFailedConnectAgent, "softphone signalling failure during a call", nil, "alice",
			softphoneError(core.SoftphoneSignallingHandshakeFailure)},
		{core.StateAgentHungUp, "agent hangs up while the customer is dialled", nil, "alice", then(dial("+12025550123"), hangUpAgent)},
		{core.StateBadAddressCustomer, "dialling an invalid number", nil, "alice", dial("+15551234567")},
		{core.StateFailedConnectCustomer, "dialling an unreachable number", nil, "alice", then(dial("+12025550199"), wait(2*time.Second))},
		{core.StateLineEngagedCustomer, "dialling a busy number", nil, "alice", then(dial("+12025550198"), wait(2*time.Second))},
		{core.StateMissedCallCustomer, "dialling a number nobody answers", nil, "alice", then(dial("+12025550197"), wait(20*time.Second))},
		{core.StateMissedCallAgent, "softphone call rings out", nil, "alice", then(setState("Available"), ringIn, wait(20*time.Second))},
		{core.StateMissedCallAgent, "deskphone does not answer an inbound call", func(t *testing.T) *center.Instance {
			return instanceWith(t, deskAgent("desk", "+12025550197"))
		}, "desk", then(ringIn, wait(20*time.Second))},
		{core.StateLineEngagedAgent, "deskphone busy for an inbound call", func(t *testing.T) *center.Instance {
			return instanceWith(t, deskAgent("desk", "+12025550198"))
		}, "desk", ringIn},
		{core.StateFailedConnectAgent, "deskphone unreachable for an inbound call", func(t *testing.T) *center.Instance {
			return instanceWith(t, deskAgent("desk", "+12025550199"))
		}, "desk", ringIn},
		{core.StateBadAddressAgent, "deskphone extension invalid for an inbound call", func(t *testing.T) *center.Instance {
			return instanceWith(t, deskAgent("desk", "+15551234567"))
		}, "desk", ringIn},
		{core.StateLineEngagedAgent, "deskphone busy before an outbound call", func(t *testing.T) *center.Instance {
			return instanceWith(t, deskAgent("desk", "+12025550198"))
		}, "desk", dial("+12025550123")},
		{core.StateFailedConnectAgent, "deskphone unreachable before an outbound call", func(t *testing.T) *center.Instance {
			return instanceWith(t, deskAgent("desk", "+12025550199"))
		}, "desk", then(dial("+12025550123"), wait(20*time.Second))},
		{core.StateBadAddressAgent, "deskphone extension invalid before an outbound call", func(t *testing.T) *center.Instance {
			return instanceWith(t, deskAgent("desk", "+15551234567"))
		}, "desk", dial("+12025550123")},
	}
	for _, tc := range tests {
		t.Run(tc.state+": "+tc.how, func(t *testing.T) {
			var inst *center.Instance
			if tc.inst != nil {
				inst = tc.inst(t)
			}
			e := ct.New(t, inst, tc.login)
			e.Settle()
			e.Events.Take()
			tc.do(t, e)
			e.Settle()
			got := e.Agent.State()
			if got.Name != tc.state || got.Type != core.AgentStateTypeError {
				t.Fatalf("agent is %s (%s), want %s (error)", got.Name, got.Type, tc.state)
			}
			if ev := e.Events.Take(); !slices.Contains(ev, "agent.error") {
				t.Fatalf("no agent.error event: %q", ev)
			}
			// Choosing a state ends any error state.
			choose(t, e.Agent, "Break")
			e.Advance(time.Minute)
			wantState(t, tc.login, e.Agent, "Break")
			if len(e.Agent.Contacts()) != 0 {
				t.Fatalf("contacts left after choosing Break: %v", ids(e.Agent))
			}
		})
	}
}

func TestFailedInboundDeskphoneCallGoesBackToTheQueue(t *testing.T) {
	e := ct.New(t, instanceWith(t, deskAgent("desk", "+12025550198")), "desk")
	id := customer(t, e, "Support", core.ContactTypeVoice)
	e.Settle()
	wantState(t, "desk", e.Agent, core.StateLineEngagedAgent)
	if q, ok := e.Center.Waiting(id); !ok || q != "Support" {
		t.Fatal("the call did not go back to Support")
	}
	if s := contactByID(t, e.Agent, id).State().Type; s != core.ContactStateError {
		t.Fatalf("the failed offer is %s, want error", s)
	}
}

func TestInvalidLocale(t *testing.T) {
	e := ct.New(t, instanceWith(t, `
[[agents]]
login = "lola"
name = "Lola"
routing_profile = "Front line"
softphone = true
locale = "xx_XX"
permissions = ["outboundCall"]
`), "lola")
	got := e.Agent.State()
	if got.Name != core.StateInvalidLocale || got.Type != core.AgentStateTypeError {
		t.Fatalf("lola logs in %s (%s), want InvalidLocale (error)", got.Name, got.Type)
	}
	if err := e.Agent.SetState(ct.Ctx(), e.State("Available")); !core.IsCenterError(err, core.ErrTypeInvalidState) {
		t.Fatalf("choosing a state with an invalid locale: %v, want %s", err, core.ErrTypeInvalidState)
	}
	if _, err := e.Agent.Connect(ct.Ctx(), core.EndpointByPhoneNumber("+12025550123")); !core.IsCenterError(err, core.ErrTypeInvalidState) {
		t.Fatalf("dialling with an invalid locale: %v, want %s", err, core.ErrTypeInvalidState)
	}
	cfg := e.Agent.Configuration()
	cfg.AgentPreferences.Locale = "yy_YY"
	if err := e.Agent.SetConfiguration(ct.Ctx(), cfg); !core.IsCenterError(err, core.ErrTypeInvalidLocale) {
		t.Fatalf("another unsupported locale: %v, want %s", err, core.ErrTypeInvalidLocale)
	}
	wantState(t, "lola", e.Agent, core.StateInvalidLocale)

	cfg.AgentPreferences.Locale = "fr_FR"
	if err := e.Agent.SetConfiguration(ct.Ctx(), cfg); err != nil {
		t.Fatal(err)
	}
	wantState(t, "lola", e.Agent, "Offline")
	if l := e.Agent.Configuration().AgentPreferences.Locale; l != "fr_FR" {
		t.Fatalf("locale %q after the change", l)
	}
	choose(t, e.Agent, "Available")
	wantState(t, "lola", e.Agent, "Available")
}

func TestMultipleCcpWindows(t *testing.T) {
	e := ct.New(t, nil, "alice")
	choose(t, e.Agent, "Available")
	e.Settle()
	e.Events.Take()

	second, err := e.Center.Session("alice")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { second.Close() })
	var mu sync.Mutex
	var snaps []core.Snapshot
	second.Subscribe(func(s core.Snapshot) { mu.Lock(); snaps = append(snaps, s); mu.Unlock() }, nil)

	if !ct.Eventually(func() bool { return e.Agent.State().Name == core.StateMultipleCcpWindows }) {
		t.Fatalf("first window is %s, want MultipleCcpWindows", e.Agent.State().Name)
	}
	if typ := e.Agent.State().Type; typ != core.AgentStateTypeError {
		t.Fatalf("MultipleCcpWindows has type %s", typ)
	}
	if !ct.Eventually(func() bool { return slices.Contains(e.Events.Take(), "agent.error") }) {
		t.Fatal("no agent.error event in the first window")
	}
	if err := e.Agent.SetState(ct.Ctx(), e.State("Break")); err == nil {
		t.Fatal("the first window can still act")
	}
	// The new window carries on with the agent's state.
	if !ct.Eventually(func() bool {
		mu.Lock()
		defer mu.Unlock()
		return len(snaps) >= 2
	}) {
		t.Fatal("the second window got no state")
	}
	mu.Lock()
	defer mu.Unlock()
	if snaps[0].Agent.State.Name != core.StateInit || snaps[len(snaps)-1].Agent.State.Name != "Available" {
		t.Fatalf("second window states %s … %s, want Init … Available",
			snaps[0].Agent.State.Name, snaps[len(snaps)-1].Agent.State.Name)
	}
}

// look describes what a user sees of an agent: state, next state, contacts
// with their parties and the digits those parties received, and the queues.
func look(e *ct.Env, a *core.Agent) string {
	var b strings.Builder
	next, _ := a.NextState()
	fmt.Fprintf(&b, "%s next=%q;", a.State().Name, next.Name)
	for _, c := range a.Contacts() {
		fmt.Fprintf(&b, " %s %s %s [", c.ContactID(), c.Type(), c.State().Type)
		for _, cn := range c.Connections() {
			fmt.Fprintf(&b, "%s:%s ", cn.Type(), cn.State().Type)
		}
		digits := e.Center.Digits(c.ContactID())
		keys := make([]string, 0, len(digits))
		for k := range digits {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			fmt.Fprintf(&b, "%s=%q ", k, digits[k])
		}
		b.WriteString("]")
	}
	for _, q := range []string{"Support", "Sales", "Billing", "Outbound"} {
		fmt.Fprintf(&b, " %s:%d", q, e.Center.QueueLength(q))
	}
	return b.String()
}

func TestBadActionsAreRefusedAndChangeNothing(t *testing.T) {
	onChat := func(t *testing.T, e *ct.Env) *core.Contact {
		choose(t, e.Agent, "Available")
		id := customer(t, e, "Support", core.ContactTypeChat)
		e.Settle()
		c := contactByID(t, e.Agent, id)
		acceptContact(t, c)
		return c
	}
	tests := []struct {
		name  string
		login string // the env's agent; alice when empty
		want  string
		// setup prepares the scene and returns the bad action and any other
		// agents whose view must not change either.
		setup func(t *testing.T, e *ct.Env) (func() error, []*peer)
	}{
		{"accept a contact that is not ringing", "", core.ErrTypeInvalidState, func(t *testing.T, e *ct.Env) (func() error, []*peer) {
			c := onCall(t, e)
			return func() error { return c.Accept(ct.Ctx()) }, nil
		}},
		{"reject a connected contact", "", core.ErrTypeInvalidState, func(t *testing.T, e *ct.Env) (func() error, []*peer) {
			c := onCall(t, e)
			return func() error { return c.Reject(ct.Ctx()) }, nil
		}},
		{"accept a contact that went to another agent", "", core.ErrTypeNotFound, func(t *testing.T, e *ct.Env) (func() error, []*peer) {
			bob := loginPeer(t, e, "bob")
			choose(t, bob.a, "Break")
			choose(t, e.Agent, "Available")
			id := customer(t, e, "Support", core.ContactTypeVoice)
			e.Settle()
			stale := contactByID(t, e.Agent, id)
			if err := stale.Reject(ct.Ctx()); err != nil {
				t.Fatal(err)
			}
			choose(t, bob.a, "Available") // the rejected call rings bob
			if err := stale.Clear(ct.Ctx()); err != nil {
				t.Fatal(err)
			}
			settle(t, e, bob)
			if !slices.Equal(ids(bob.a), []string{id}) {
				t.Fatalf("bob has %v, want %s", ids(bob.a), id)
			}
			return func() error { return stale.Accept(ct.Ctx()) }, []*peer{bob}
		}},
		{"clear an active contact", "", core.ErrTypeInvalidState, func(t *testing.T, e *ct.Env) (func() error, []*peer) {
			c := onCall(t, e)
			return func() error { return c.Clear(ct.Ctx()) }, nil
		}},
		{"clear a ringing contact", "", core.ErrTypeInvalidState, func(t *testing.T, e *ct.Env) (func() error, []*peer) {
			choose(t, e.Agent, "Available")
			customer(t, e, "Support", core.ContactTypeVoice)
			e.Settle()
			c := theContact(t, "alice", e.Agent)
			return func() error { return c.Clear(ct.Ctx()) }, nil
		}},
		{"hold a chat", "", core.ErrTypeInvalidState, func(t *testing.T, e *ct.Env) (func() error, []*peer) {
			c := onChat(t, e)
			return func() error { return c.InitialConnection().Hold(ct.Ctx()) }, nil
		}},
		{"resume a party that is not on hold", "", core.ErrTypeInvalidState, func(t *testing.T, e *ct.Env) (func() error, []*peer) {
			c := onCall(t, e)
			return func() error { return c.InitialConnection().Resume(ct.Ctx()) }, nil
		}},
		{"invalid DTMF digits", "", core.ErrTypeInvalidParameter, func(t *testing.T, e *ct.Env) (func() error, []*peer) {
			c := onCall(t, e)
			if err := c.InitialConnection().SendDigits(ct.Ctx(), "12"); err != nil {
				t.Fatal(err)
			}
			return func() error { return c.InitialConnection().SendDigits(ct.Ctx(), "3x4") }, nil
		}},
		{"DTMF on a chat", "", core.ErrTypeInvalidState, func(t *testing.T, e *ct.Env) (func() error, []*peer) {
			c := onChat(t, e)
			return func() error { return c.InitialConnection().SendDigits(ct.Ctx(), "1") }, nil
		}},
		{"consult from a chat", "", core.ErrTypeInvalidState, func(t *testing.T, e *ct.Env) (func() error, []*peer) {
			c := onChat(t, e)
			return func() error { return c.AddConnection(ct.Ctx(), core.EndpointByPhoneNumber("+12025550142")) }, nil
		}},
		{"chat message on a voice call", "", core.ErrTypeInvalidState, func(t *testing.T, e *ct.Env) (func() error, []*peer) {
			c := onCall(t, e)
			return func() error { return c.SendMessage(ct.Ctx(), "hello") }, nil
		}},
		{"conference with nobody to join", "", core.ErrTypeInvalidState, func(t *testing.T, e *ct.Env) (func() error, []*peer) {
			c := onCall(t, e)
			return func() error { return c.ConferenceConnections(ct.Ctx()) }, nil
		}},
		{"swap with nobody on hold", "", core.ErrTypeInvalidState, func(t *testing.T, e *ct.Env) (func() error, []*peer) {
			c := onCall(t, e)
			return func() error { return c.ToggleActiveConnections(ct.Ctx()) }, nil
		}},
		{"outbound call without permission", "dana", core.ErrTypeAccessDenied, func(t *testing.T, e *ct.Env) (func() error, []*peer) {
			return func() error {
				_, err := e.Agent.Connect(ct.Ctx(), core.EndpointByPhoneNumber("+12025550123"))
				return err
			}, nil
		}},
		{"outbound call to a country not dialable", "", core.ErrTypeBadEndpoint, func(t *testing.T, e *ct.Env) (func() error, []*peer) {
			choose(t, e.Agent, "Break")
			return func() error {
				_, err := e.Agent.Connect(ct.Ctx(), core.EndpointByPhoneNumber("+74951234567"))
				return err
			}, nil
		}},
		{"outbound call to a number that is not E.164", "", core.ErrTypeBadEndpoint, func(t *testing.T, e *ct.Env) (func() error, []*peer) {
			return func() error {
				_, err := e.Agent.Connect(ct.Ctx(), core.EndpointByPhoneNumber("2025550123"))
				return err
			}, nil
		}},
		{"outbound call through an unknown queue", "", core.ErrTypeNotFound, func(t *testing.T, e *ct.Env) (func() error, []*peer) {
			return func() error {
				_, err := e.Agent.Connect(ct.Ctx(), core.EndpointByPhoneNumber("+12025550123"), core.WithQueueARN("arn:nope"))
				return err
			}, nil
		}},
		{"outbound call while on a call", "", core.ErrTypeInvalidState, func(t *testing.T, e *ct.Env) (func() error, []*peer) {
			onCall(t, e)
			return func() error {
				_, err := e.Agent.Connect(ct.Ctx(), core.EndpointByPhoneNumber("+12025550124"))
				return err
			}, nil
		}},
		{"quick connects of an unknown queue", "", core.ErrTypeNotFound, func(t *testing.T, e *ct.Env) (func() error, []*peer) {
			arns := append(e.Agent.AllQueueARNs(), "arn:aws:connect:local:000000000000:instance/agentdesk/queue/nowhere")
			return func() error {
				eps, err := e.Agent.Endpoints(ct.Ctx(), arns...)
				if len(eps) != 0 {
					t.Errorf("endpoints returned with the error: %v", eps)
				}
				return err
			}, nil
		}},
		{"choose a state that does not exist", "", core.ErrTypeInvalidParameter, func(t *testing.T, e *ct.Env) (func() error, []*peer) {
			choose(t, e.Agent, "Available")
			return func() error { return e.Agent.SetState(ct.Ctx(), core.AgentState{Name: "Napping"}) }, nil
		}},
		{"choose a system state", "", core.ErrTypeInvalidParameter, func(t *testing.T, e *ct.Env) (func() error, []*peer) {
			return func() error {
				return e.Agent.SetState(ct.Ctx(), core.AgentState{Name: core.StateBusy, Type: core.AgentStateTypeSystem})
			}, nil
		}},
		{"transfer to an agent who is not available", "", core.ErrTypeInvalidState, func(t *testing.T, e *ct.Env) (func() error, []*peer) {
			bob := loginPeer(t, e, "bob")
			choose(t, bob.a, "Break")
			c := onCall(t, e)
			ep := quickConnect(t, e.Agent, "Bob Okafor")
			return func() error { return c.Transfer(ct.Ctx(), ep) }, []*peer{bob}
		}},
		{"transfer to an agent who is logged out", "", core.ErrTypeInvalidState, func(t *testing.T, e *ct.Env) (func() error, []*peer) {
			c := onCall(t, e)
			ep := quickConnect(t, e.Agent, "Bob Okafor")
			return func() error { return c.Transfer(ct.Ctx(), ep) }, nil
		}},
		{"consult an agent who is on a call", "", core.ErrTypeInvalidState, func(t *testing.T, e *ct.Env) (func() error, []*peer) {
			bob := loginPeer(t, e, "bob")
			choose(t, bob.a, "Break")
			c := onCall(t, e)
			choose(t, bob.a, "Available")
			customer(t, e, "Support", core.ContactTypeVoice)
			settle(t, e, bob)
			acceptContact(t, theContact(t, "bob", bob.a))
			ep := quickConnect(t, e.Agent, "Bob Okafor")
			return func() error { return c.AddConnection(ct.Ctx(), ep) }, []*peer{bob}
		}},
		{"transfer to yourself", "", core.ErrTypeBadEndpoint, func(t *testing.T, e *ct.Env) (func() error, []*peer) {
			c := onCall(t, e)
			ep := quickConnect(t, e.Agent, "Alice Martin")
			return func() error { return c.Transfer(ct.Ctx(), ep) }, nil
		}},
		{"transfer a ringing contact", "", core.ErrTypeInvalidState, func(t *testing.T, e *ct.Env) (func() error, []*peer) {
			choose(t, e.Agent, "Available")
			customer(t, e, "Support", core.ContactTypeVoice)
			e.Settle()
			c := theContact(t, "alice", e.Agent)
			ep := quickConnect(t, e.Agent, "Sales queue")
			return func() error { return c.Transfer(ct.Ctx(), ep) }, nil
		}},
		{"transfer a chat to a phone number", "", core.ErrTypeBadEndpoint, func(t *testing.T, e *ct.Env) (func() error, []*peer) {
			c := onChat(t, e)
			return func() error { return c.Transfer(ct.Ctx(), core.EndpointByPhoneNumber("+12025550142")) }, nil
		}},
		{"transfer to a number not dialable", "", core.ErrTypeBadEndpoint, func(t *testing.T, e *ct.Env) (func() error, []*peer) {
			c := onCall(t, e)
			return func() error { return c.Transfer(ct.Ctx(), core.EndpointByPhoneNumber("+74951234567")) }, nil
		}},
		{"transfer to an unknown queue", "", core.ErrTypeNotFound, func(t *testing.T, e *ct.Env) (func() error, []*peer) {
			c := onCall(t, e)
			ep := core.Endpoint{Type: core.EndpointQueue, Name: "Nowhere", Queue: "arn:nope"}
			return func() error { return c.Transfer(ct.Ctx(), ep) }, nil
		}},
		{"cold transfer during a consult", "", core.ErrTypeInvalidState, func(t *testing.T, e *ct.Env) (func() error, []*peer) {
			c := onCall(t, e)
			if err := c.AddConnection(ct.Ctx(), core.EndpointByPhoneNumber("+12025550142")); err != nil {
				t.Fatal(err)
			}
			e.Advance(4 * time.Second)
			ep := quickConnect(t, e.Agent, "Sales queue")
			return func() error { return c.Transfer(ct.Ctx(), ep) }, nil
		}},
		{"monitor without permission", "", core.ErrTypeAccessDenied, func(t *testing.T, e *ct.Env) (func() error, []*peer) {
			bob := loginPeer(t, e, "bob")
			id := customer(t, e, "Support", core.ContactTypeVoice)
			settle(t, e, bob)
			acceptContact(t, theContact(t, "bob", bob.a))
			return func() error { return e.Agent.MonitorContact(ct.Ctx(), id, core.MonitoringSilentMonitor) }, []*peer{bob}
		}},
		{"monitor a contact that is not live", "sam", core.ErrTypeNotFound, func(t *testing.T, e *ct.Env) (func() error, []*peer) {
			id := customer(t, e, "Support", core.ContactTypeVoice) // waiting: nobody to monitor
			return func() error { return e.Agent.MonitorContact(ct.Ctx(), id, core.MonitoringSilentMonitor) }, nil
		}},
		{"unsupported locale", "", core.ErrTypeInvalidLocale, func(t *testing.T, e *ct.Env) (func() error, []*peer) {
			cfg := e.Agent.Configuration()
			cfg.AgentPreferences.Locale = "xx_XX"
			return func() error { return e.Agent.SetConfiguration(ct.Ctx(), cfg) }, nil
		}},
		{"deskphone with an invalid number", "", core.ErrTypeInvalidConfig, func(t *testing.T, e *ct.Env) (func() error, []*peer) {
			cfg := e.Agent.Configuration()
			cfg.SoftphoneEnabled, cfg.Extension = false, "+15551234567"
			return func() error { return e.Agent.SetConfiguration(ct.Ctx(), cfg) }, nil
		}},
		{"switch to a deskphone during a call", "", core.ErrTypeInvalidState, func(t *testing.T, e *ct.Env) (func() error, []*peer) {
			onCall(t, e)
			cfg := e.Agent.Configuration()
			cfg.SoftphoneEnabled, cfg.Extension = false, "+12025550175"
			return func() error { return e.Agent.SetConfiguration(ct.Ctx(), cfg) }, nil
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			login := tc.login
			if login == "" {
				login = "alice"
			}
			e := ct.New(t, nil, login)
			act, peers := tc.setup(t, e)
			settle(t, e, peers...)
			before := []string{look(e, e.Agent)}
			for _, p := range peers {
				before = append(before, look(e, p.a))
			}
			err := act()
			if !core.IsCenterError(err, tc.want) {
				t.Fatalf("err = %v, want a %s", err, tc.want)
			}
			if strings.TrimSpace(strings.TrimPrefix(err.Error(), tc.want)) == "" {
				t.Fatalf("error %q says nothing", err)
			}
			settle(t, e, peers...)
			after := []string{look(e, e.Agent)}
			for _, p := range peers {
				after = append(after, look(e, p.a))
			}
			if !slices.Equal(before, after) {
				t.Fatalf("a refused action changed things:\n before %q\n after  %q", before, after)
			}
		})
	}
}

// rawAgent is an agent session driven without the core client, as a remote
// client would: it sees raw snapshots and sends raw commands.
type rawAgent struct {
	s    *center.Session
	mu   sync.Mutex
	last core.Snapshot
}

func rawLogin(t *testing.T, e *ct.Env, login string) *rawAgent {
	t.Helper()
	s, err := e.Center.Session(login)
	if err != nil {
		t.Fatal(err)
	}
	r := &rawAgent{s: s}
	s.Subscribe(func(sn core.Snapshot) { r.mu.Lock(); r.last = sn; r.mu.Unlock() }, nil)
	t.Cleanup(func() { s.Close() })
	return r
}

func (r *rawAgent) snapshot() core.Snapshot {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.last
}

func (r *rawAgent) do(cmd core.Command) error {
	_, err := r.s.Do(ct.Ctx(), cmd)
	return err
}

func TestRawCommandsAreChecked(t *testing.T) {
	e := ct.New(t, nil, "alice")
	choose(t, e.Agent, "Available")
	id := customer(t, e, "Support", core.ContactTypeVoice)
	e.Settle()
	acceptContact(t, contactByID(t, e.Agent, id))
	aliceBefore := look(e, e.Agent)

	sam := rawLogin(t, e, "sam")
	for _, cid := range []string{id, "contact-999"} {
		err := sam.do(core.Command{Kind: core.CmdAccept, ContactID: cid})
		if !core.IsCenterError(err, core.ErrTypeNotFound) {
			t.Fatalf("sam accepting %s: %v, want %s", cid, err, core.ErrTypeNotFound)
		}
	}
	if err := sam.do(core.Command{Kind: core.CmdSetState}); !core.IsCenterError(err, core.ErrTypeInvalidParameter) {
		t.Fatalf("set state without a state: %v", err)
	}
	e.Settle()
	if got := look(e, e.Agent); got != aliceBefore {
		t.Fatalf("alice's call changed:\n before %s\n after  %s", aliceBefore, got)
	}

	// Bob, on a raw session, gets a call and sends bad digits: the center
	// itself refuses them, whatever client sent them.
	bob := rawLogin(t, e, "bob")
	call := customer(t, e, "Support", core.ContactTypeVoice)
	if !ct.Eventually(func() bool { s := bob.snapshot(); return len(s.Contacts) == 1 && s.Contacts[0].ContactID == call }) {
		t.Fatalf("bob did not get %s", call)
	}
	if err := bob.do(core.Command{Kind: core.CmdAccept, ContactID: call}); err != nil {
		t.Fatal(err)
	}
	var custConn string
	for _, cn := range bob.snapshot().Contacts[0].Connections {
		if cn.Initial {
			custConn = cn.ConnectionID
		}
	}
	for _, digits := range []string{"12x", "1 2", "☎", "a"} {
		err := bob.do(core.Command{Kind: core.CmdSendDigits, ContactID: call, ConnectionID: custConn, Digits: digits})
		if !core.IsCenterError(err, core.ErrTypeInvalidParameter) {
			t.Errorf("digits %q: %v, want %s", digits, err, core.ErrTypeInvalidParameter)
		}
	}
	if got := e.Center.Digits(call)[custConn]; got != "" {
		t.Fatalf("customer received %q from refused digits", got)
	}
	if err := bob.do(core.Command{Kind: core.CmdSendDigits, ContactID: call, ConnectionID: custConn, Digits: "1#"}); err != nil {
		t.Fatal(err)
	}
	if got := e.Center.Digits(call)[custConn]; got != "1#" {
		t.Fatalf("customer received %q, want 1#", got)
	}
}
