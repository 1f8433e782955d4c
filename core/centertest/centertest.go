// Package centertest builds an embedded center on a fake clock with a logged-in
// client, and records the events the client raises, for tests of core, the
// center and the UI. It imports no Fyne.
package centertest

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/agentdesk/agentdesk/core"
	"github.com/agentdesk/agentdesk/core/center"
	"github.com/agentdesk/agentdesk/core/clock"
)

// Epoch is the fake clock's starting time.
var Epoch = time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)

// Env is a center on a fake clock and one agent's started client.
type Env struct {
	Clock  *clock.Fake
	Center *center.Center
	Client *core.Client
	Agent  *core.Agent
	Events *Recorder
}

// Quiet is a logger that drops everything.
var Quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// New starts a center for inst (the default instance when nil) and logs
// login in. It fails t on error; pass nil t for examples (it panics instead).
func New(t testing.TB, inst *center.Instance, login string) *Env {
	clk := clock.NewFake(Epoch)
	c := center.New(inst, center.WithClock(clk), center.WithLogger(Quiet), center.WithSeed(7))
	env := &Env{Clock: clk, Center: c}
	env.Client, env.Agent = env.Login(t, login)
	env.Events = Record(env.Client)
	if t != nil {
		t.Cleanup(env.Close)
	}
	return env
}

// Login starts another client for login on the same center.
func (e *Env) Login(t testing.TB, login string) (*core.Client, *core.Agent) {
	fail := func(err error) {
		if t != nil {
			t.Helper()
			t.Fatal(err)
		}
		panic(err)
	}
	s, err := e.Center.Session(login)
	if err != nil {
		fail(err)
	}
	cl := core.NewClient(s, core.WithClock(e.Clock), core.WithLogger(Quiet))
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := cl.Start(ctx); err != nil {
		fail(err)
	}
	a, err := cl.Agent()
	if err != nil {
		fail(err)
	}
	return cl, a
}

// Close stops the client and the center.
func (e *Env) Close() {
	e.Client.Close()
	e.Center.Close()
}

// Ctx is a context for one call in a test: it gives up after 10 s so that a
// lost reply fails the test instead of hanging it.
func Ctx() context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	time.AfterFunc(11*time.Second, cancel)
	return ctx
}

// State finds a selectable state by name.
func (e *Env) State(name string) core.AgentState {
	for _, s := range e.Agent.AgentStates() {
		if s.Name == name {
			return s
		}
	}
	panic("no state " + name)
}

// Arrive brings a customer and fails on error.
func (e *Env) Arrive(ar center.Arrival) string {
	id, err := e.Center.Arrive(ar)
	if err != nil {
		panic(err)
	}
	return id
}

// Advance moves the fake clock and waits until the client has seen the result.
func (e *Env) Advance(d time.Duration) {
	e.Clock.Advance(d)
	e.Settle()
}

// Settle waits until every snapshot the center sent has been applied and
// every event it raised has been delivered.
func (e *Env) Settle() {
	e.Events.Settle()
}

// Eventually waits up to 5 s for cond, polling; it reports whether cond held.
func Eventually(cond func() bool) bool {
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		if cond() {
			return true
		}
		time.Sleep(2 * time.Millisecond)
	}
	return cond()
}

// Recorder keeps, in order, every event a client raised, as short strings:
// "agent.stateChange Offline>Available", "contact.connecting", ...
type Recorder struct {
	client *core.Client
	mu     sync.Mutex
	events []string
	mark   int
}

// Record subscribes to every agent and contact event of client.
func Record(client *core.Client) *Recorder {
	r := &Recorder{client: client}
	client.OnAgent(func(a *core.Agent) {
		add := func(name string) func(*core.Agent) { return func(*core.Agent) { r.add(name) } }
		a.OnStateChange(func(sc core.StateChange) { r.add("agent.stateChange " + sc.Old + ">" + sc.New) })
		a.OnRoutable(add("agent.routable"))
		a.OnNotRoutable(add("agent.notRoutable"))
		a.OnOffline(add("agent.offline"))
		a.OnError(add("agent.error"))
		a.OnAfterCallWork(add("agent.afterCallWork"))
		a.OnEnqueuedNextState(add("agent.enqueuedNextState"))
		a.OnClearedNextState(add("agent.clearedNextState"))
		a.OnMuteToggle(func(m bool) { r.add(fmt.Sprintf("agent.muteToggle %v", m)) })
	})
	client.OnContact(func(c *core.Contact) {
		r.add("contact.new " + string(c.Type()))
		add := func(name string) func(*core.Contact) { return func(*core.Contact) { r.add(name) } }
		c.OnIncoming(add("contact.incoming"))
		c.OnPending(add("contact.pending"))
		c.OnConnecting(add("contact.connecting"))
		c.OnConnected(add("contact.connected"))
		c.OnAccepted(add("contact.accepted"))
		c.OnMissed(add("contact.missed"))
		c.OnEnded(add("contact.ended"))
		c.OnACW(add("contact.acw"))
		c.OnDestroy(add("contact.destroy"))
		c.OnError(add("contact.error"))
		c.OnMessage(func(m core.ChatMessage) { r.add("contact.message " + string(m.Participant)) })
	})
	return r
}

func (r *Recorder) add(s string) {
	r.mu.Lock()
	r.events = append(r.events, s)
	r.mu.Unlock()
}

// Settle waits until the events raised so far have all been delivered.
func (r *Recorder) Settle() {
	_ = r.client.Sync(Ctx())
}

// Take returns the events recorded since the last Take, and forgets them.
func (r *Recorder) Take() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := slices.Clone(r.events[r.mark:])
	r.mark = len(r.events)
	return out
}

// TakeMatching is Take limited to events starting with prefix.
func (r *Recorder) TakeMatching(prefix string) []string {
	var out []string
	for _, e := range r.Take() {
		if strings.HasPrefix(e, prefix) {
			out = append(out, e)
		}
	}
	return out
}
