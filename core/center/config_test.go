package center_test

import (
	"testing"

	"github.com/agentdesk/agentdesk/core"
	"github.com/agentdesk/agentdesk/core/center"
	ct "github.com/agentdesk/agentdesk/core/centertest"
)

// Logging out during a call and then choosing Available again means the
// agent wants to keep working: the logout is cancelled and calls still come.
func TestChoosingAvailableCancelsAPendingLogout(t *testing.T) {
	e := ct.New(t, nil, "alice")
	must(t, e.Agent.SetState(ct.Ctx(), e.State("Available")))
	e.Arrive(center.Arrival{Queue: "Support", Type: core.ContactTypeVoice, Name: "Ann", Number: "+12025550123"})
	e.Settle()
	c := only(t, e)
	must(t, c.Accept(ct.Ctx()))
	must(t, e.Agent.Logout(ct.Ctx()))
	if ns, ok := e.Agent.NextState(); !ok || ns.Name != "Offline" {
		t.Fatalf("next state %v %v after logout on a call, want Offline", ns, ok)
	}
	must(t, e.Agent.SetState(ct.Ctx(), e.State("Available")))
	must(t, c.AgentConnection().Destroy(ct.Ctx()))
	must(t, c.Clear(ct.Ctx()))
	e.Settle()
	if _, err := e.Client.Agent(); err != nil {
		t.Fatalf("session ended although the agent chose Available again: %v", err)
	}
	e.Arrive(center.Arrival{Queue: "Support", Type: core.ContactTypeVoice, Name: "Ben", Number: "+12025550124"})
	e.Settle()
	if got := e.Agent.State().Name; got != core.StatePendingBusy {
		t.Fatalf("agent %q, want the next call ringing", got)
	}
}

func TestExtensionIsCheckedEvenWithSoftphone(t *testing.T) {
	e := ct.New(t, nil, "alice")
	cfg := e.Agent.Configuration()
	cfg.Extension = "not a number"
	err := e.Agent.SetConfiguration(ct.Ctx(), cfg)
	if !core.IsCenterError(err, core.ErrTypeInvalidConfig) {
		t.Fatalf("bad extension with softphone on: %v, want InvalidConfigurationException", err)
	}
	if got := e.Agent.Configuration().Extension; got != "" {
		t.Fatalf("extension %q stored despite the error", got)
	}
	cfg.Extension = "+1 202 555 0175"
	must(t, e.Agent.SetConfiguration(ct.Ctx(), cfg))
	if got := e.Agent.Configuration(); got.Extension != "+12025550175" || !got.SoftphoneEnabled {
		t.Fatalf("configuration %+v, want the extension normalised and the softphone kept", got)
	}
}

func TestAgentsUseTheSoftphoneUnlessTheInstanceSaysDeskphone(t *testing.T) {
	inst, err := center.ParseInstance([]byte(`
[[states]]
name = "Available"
type = "routable"
[[states]]
name = "Offline"
type = "offline"
[[queues]]
name = "Q"
[[routing_profiles]]
name = "P"
default_outbound_queue = "Q"
queues = [{ queue = "Q", priority = 1 }]
[[agents]]
login = "soft"
routing_profile = "P"
[[agents]]
login = "desk"
routing_profile = "P"
softphone = false
extension = "+12025550175"
`))
	must(t, err)
	e := ct.New(t, inst, "soft")
	if !e.Agent.Configuration().SoftphoneEnabled {
		t.Fatal("an agent with no softphone key got a deskphone")
	}
	_, desk := e.Login(t, "desk")
	if desk.Configuration().SoftphoneEnabled {
		t.Fatal("softphone = false was ignored")
	}
}

// Choosing a not-routable state outright during a call replaces a state
// that was waiting for the call to end.
func TestChoosingAStateOutrightReplacesTheEnqueuedOne(t *testing.T) {
	e := ct.New(t, nil, "alice")
	must(t, e.Agent.SetState(ct.Ctx(), e.State("Available")))
	e.Arrive(center.Arrival{Queue: "Support", Type: core.ContactTypeVoice, Name: "Ann", Number: "+12025550123"})
	e.Settle()
	c := only(t, e)
	must(t, c.Accept(ct.Ctx()))
	must(t, e.Agent.SetState(ct.Ctx(), e.State("Lunch"), core.EnqueueNextState()))
	must(t, e.Agent.SetState(ct.Ctx(), e.State("Break")))
	if _, ok := e.Agent.NextState(); ok {
		t.Fatal("Lunch still enqueued after choosing Break")
	}
	must(t, c.AgentConnection().Destroy(ct.Ctx()))
	must(t, c.Clear(ct.Ctx()))
	if got := e.Agent.State().Name; got != "Break" {
		t.Fatalf("agent %q after the call, want Break", got)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
