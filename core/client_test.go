package core_test

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/agentdesk/agentdesk/core"
	"github.com/agentdesk/agentdesk/core/centertest"
)

// scripted is a Backend whose snapshots the test writes by hand.
type scripted struct {
	mu  sync.Mutex
	fn  func(core.Snapshot)
	seq int64
}

func (b *scripted) Subscribe(fn func(core.Snapshot), status func(core.ConnectionStatus)) func() {
	b.mu.Lock()
	b.fn = fn
	b.mu.Unlock()
	status(core.ConnectionStatusConnected)
	return func() {}
}

func (b *scripted) Do(ctx context.Context, cmd core.Command) (core.Result, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if cmd.Kind == core.CmdSync {
		return core.Result{Seq: b.seq}, nil
	}
	return core.Result{}, core.Errorf(core.ErrTypeInvalidState, "scripted backend refuses %s", cmd.Kind)
}

func (b *scripted) Close() error { return nil }

// send delivers a snapshot with the next sequence number.
func (b *scripted) send(s core.Snapshot) {
	b.mu.Lock()
	b.seq++
	s.Seq = b.seq
	fn := b.fn
	b.mu.Unlock()
	fn(s)
}

func agentIn(name string, typ core.AgentStateType) core.AgentData {
	return core.AgentData{State: core.AgentState{Name: name, Type: typ}, Configuration: core.Configuration{Name: "Test Agent"}}
}

func voice(id string, st core.ContactStateType) core.ContactData {
	return core.ContactData{ContactID: id, InitialContactID: id, Type: core.ContactTypeVoice, State: core.ContactState{Type: st},
		Inbound: true, Softphone: true}
}

func startScripted(t *testing.T) (*scripted, *core.Client, *centertest.Recorder) {
	t.Helper()
	b := &scripted{}
	c := core.NewClient(b, core.WithLogger(centertest.Quiet))
	if _, err := c.Agent(); !errors.Is(err, core.ErrNotInitialized) {
		t.Fatalf("Agent() before Start: %v, want ErrNotInitialized", err)
	}
	done := make(chan error, 1)
	go func() { done <- c.Start(centertest.Ctx()) }()
	for !func() bool { b.mu.Lock(); defer b.mu.Unlock(); return b.fn != nil }() {
		time.Sleep(time.Millisecond)
	}
	b.send(core.Snapshot{Agent: agentIn("Init", core.AgentStateTypeInit)})
	b.send(core.Snapshot{Agent: agentIn("Offline", core.AgentStateTypeOffline)})
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return b, c, centertest.Record(c)
}

func sync2(t *testing.T, c *core.Client) {
	t.Helper()
	if err := c.Sync(centertest.Ctx()); err != nil {
		t.Fatal(err)
	}
}

// The events a sequence of snapshots implies, in the spec's order.
func TestSnapshotDiffEvents(t *testing.T) {
	rows := []struct {
		name  string
		snap  core.Snapshot
		want  []string
		state string
	}{
		{"offline to available: type then name", core.Snapshot{Agent: agentIn("Available", core.AgentStateTypeRoutable)},
			[]string{"agent.routable", "agent.stateChange Offline>Available"}, "Available"},
		{"a call rings", core.Snapshot{Agent: agentIn("PendingBusy", core.AgentStateTypeSystem), Contacts: []core.ContactData{voice("c1", core.ContactStateConnecting)}},
			[]string{"agent.stateChange Available>PendingBusy", "contact.new voice", "contact.connecting"}, "PendingBusy"},
		{"nothing changed: no events", core.Snapshot{Agent: agentIn("PendingBusy", core.AgentStateTypeSystem), Contacts: []core.ContactData{voice("c1", core.ContactStateConnecting)}},
			nil, "PendingBusy"},
		{"missed", core.Snapshot{Agent: agentIn("MissedCallAgent", core.AgentStateTypeError), Contacts: []core.ContactData{voice("c1", core.ContactStateMissed)}},
			[]string{"agent.stateChange PendingBusy>MissedCallAgent", "agent.error", "contact.missed", "contact.ended"}, "MissedCallAgent"},
		{"vanishes after ended: destroy only", core.Snapshot{Agent: agentIn("Available", core.AgentStateTypeRoutable)},
			[]string{"agent.routable", "agent.stateChange MissedCallAgent>Available", "contact.destroy"}, "Available"},
		{"a connected call appears", core.Snapshot{Agent: agentIn("Busy", core.AgentStateTypeSystem), Contacts: []core.ContactData{voice("c2", core.ContactStateConnected)}},
			[]string{"agent.stateChange Available>Busy", "contact.new voice", "contact.connected"}, "Busy"},
		{"vanishes while connected: ended then destroy", core.Snapshot{Agent: agentIn("Available", core.AgentStateTypeRoutable)},
			[]string{"agent.routable", "agent.stateChange Busy>Available", "contact.ended", "contact.destroy"}, "Available"},
		{"next state enqueued", core.Snapshot{Agent: func() core.AgentData {
			d := agentIn("Available", core.AgentStateTypeRoutable)
			d.NextState = &core.AgentState{Name: "Offline", Type: core.AgentStateTypeOffline}
			return d
		}()}, []string{"agent.enqueuedNextState"}, "Available"},
		{"next state cleared, ACW", core.Snapshot{Agent: agentIn("AfterCallWork", core.AgentStateTypeSystem)},
			[]string{"agent.stateChange Available>AfterCallWork", "agent.afterCallWork", "agent.clearedNextState"}, "AfterCallWork"},
	}
	b, c, rec := startScripted(t)
	a, err := c.Agent()
	if err != nil {
		t.Fatal(err)
	}
	sync2(t, c)
	rec.Take()
	for _, r := range rows {
		b.send(r.snap)
		sync2(t, c)
		if got := rec.Take(); !slices.Equal(got, r.want) {
			t.Fatalf("%s:\n got  %q\n want %q", r.name, got, r.want)
		}
		if a.State().Name != r.state {
			t.Fatalf("%s: state %q, want %q", r.name, a.State().Name, r.state)
		}
	}
}

func TestPanickingHandlerDoesNotStopOthers(t *testing.T) {
	b, c, _ := startScripted(t)
	a, _ := c.Agent()
	var got []string
	var mu sync.Mutex
	a.OnStateChange(func(core.StateChange) { panic("handler bug") })
	a.OnStateChange(func(sc core.StateChange) { mu.Lock(); got = append(got, sc.New); mu.Unlock() })
	b.send(core.Snapshot{Agent: agentIn("Available", core.AgentStateTypeRoutable)})
	b.send(core.Snapshot{Agent: agentIn("Break", core.AgentStateTypeNotRoutable)})
	sync2(t, c)
	mu.Lock()
	defer mu.Unlock()
	if !slices.Equal(got, []string{"Available", "Break"}) {
		t.Fatalf("second handler saw %q, want both state changes despite the first panicking", got)
	}
}

func TestUnsubscribeTwiceIsHarmless(t *testing.T) {
	b, c, _ := startScripted(t)
	a, _ := c.Agent()
	calls := 0
	unsub := a.OnRoutable(func(*core.Agent) { calls++ })
	other := 0
	a.OnRoutable(func(*core.Agent) { other++ })
	unsub()
	unsub()
	b.send(core.Snapshot{Agent: agentIn("Available", core.AgentStateTypeRoutable)})
	sync2(t, c)
	if calls != 0 || other != 1 {
		t.Fatalf("unsubscribed handler called %d times, other %d; want 0 and 1", calls, other)
	}
}

func TestOnContactSeesExistingContacts(t *testing.T) {
	b, c, _ := startScripted(t)
	b.send(core.Snapshot{Agent: agentIn("Busy", core.AgentStateTypeSystem), Contacts: []core.ContactData{voice("c9", core.ContactStateConnected)}})
	sync2(t, c)
	seen := make(chan string, 1)
	c.OnContact(func(ct *core.Contact) { seen <- ct.ContactID() })
	select {
	case id := <-seen:
		if id != "c9" {
			t.Fatalf("OnContact got %s, want c9", id)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("OnContact never fired for the existing contact")
	}
}

// A handler subscribed while the client is still delivering the snapshot
// that brought a contact is told of that contact once, not once as new and
// again as existing.
func TestOnContactTellsOfEachContactOnce(t *testing.T) {
	b, c, _ := startScripted(t)
	a, _ := c.Agent()
	release := make(chan struct{})
	once := sync.Once{}
	a.OnRefresh(func(*core.Agent) { once.Do(func() { <-release }) }) // holds the events back
	b.send(core.Snapshot{Agent: agentIn("Busy", core.AgentStateTypeSystem), Contacts: []core.ContactData{voice("c9", core.ContactStateConnected)}})
	var mu sync.Mutex
	var seen []string
	c.OnContact(func(ct *core.Contact) { mu.Lock(); seen = append(seen, ct.ContactID()); mu.Unlock() })
	close(release)
	sync2(t, c)
	b.send(core.Snapshot{Agent: agentIn("Busy", core.AgentStateTypeSystem), Contacts: []core.ContactData{voice("c9", core.ContactStateConnected), voice("c10", core.ContactStateIncoming)}})
	sync2(t, c)
	// c9 is missed, goes back to the queue and is offered again: a new contact.
	b.send(core.Snapshot{Agent: agentIn("Busy", core.AgentStateTypeSystem), Contacts: []core.ContactData{voice("c10", core.ContactStateIncoming)}})
	b.send(core.Snapshot{Agent: agentIn("Busy", core.AgentStateTypeSystem), Contacts: []core.ContactData{voice("c10", core.ContactStateIncoming), voice("c9", core.ContactStateIncoming)}})
	sync2(t, c)
	mu.Lock()
	defer mu.Unlock()
	if !slices.Equal(seen, []string{"c9", "c10", "c9"}) {
		t.Fatalf("OnContact told of %v, want c9, c10, and c9 again when offered again", seen)
	}
}

func TestRefusalIsTyped(t *testing.T) {
	_, c, _ := startScripted(t)
	a, _ := c.Agent()
	err := a.SetState(centertest.Ctx(), core.AgentState{Name: "Available", Type: core.AgentStateTypeRoutable})
	if !core.IsCenterError(err, core.ErrTypeInvalidState) {
		t.Fatalf("SetState error %v, want a CenterError InvalidStateException", err)
	}
	if !errors.Is(err, &core.CenterError{Type: core.ErrTypeInvalidState}) {
		t.Fatal("errors.Is does not match the CenterError type")
	}
}

// A handler may call the API, even methods that wait for the center.
func TestHandlerMayCallTheAPI(t *testing.T) {
	e := centertest.New(t, nil, "alice")
	done := make(chan error, 1)
	e.Agent.OnRoutable(func(a *core.Agent) {
		done <- a.SetState(context.Background(), e.State("Break"))
	})
	if err := e.Agent.SetState(centertest.Ctx(), e.State("Available")); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("SetState from inside a handler deadlocked")
	}
	if got := e.Agent.State().Name; got != "Break" {
		t.Fatalf("state %q, want Break set from the handler", got)
	}
}

func TestMuteTogglesAndResetsAfterCall(t *testing.T) {
	b, c, rec := startScripted(t)
	a, _ := c.Agent()
	b.send(core.Snapshot{Agent: agentIn("Busy", core.AgentStateTypeSystem), Contacts: []core.ContactData{voice("c1", core.ContactStateConnected)}})
	sync2(t, c)
	rec.Take()
	a.Mute()
	a.Mute()
	if !a.IsMuted() {
		t.Fatal("not muted after Mute")
	}
	b.send(core.Snapshot{Agent: agentIn("AfterCallWork", core.AgentStateTypeSystem), Contacts: []core.ContactData{voice("c1", core.ContactStateEnded)}})
	sync2(t, c)
	if a.IsMuted() {
		t.Fatal("still muted after the call ended: the next call would start muted")
	}
	got := rec.TakeMatching("agent.mute")
	if !slices.Equal(got, []string{"agent.muteToggle true", "agent.muteToggle false"}) {
		t.Fatalf("mute events %q", got)
	}
}
