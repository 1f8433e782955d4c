package remote_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/agentdesk/agentdesk/core"
	"github.com/agentdesk/agentdesk/core/center"
	"github.com/agentdesk/agentdesk/core/remote"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// rig is an embedded center served over HTTP behind a proxy that the test
// can cut, the way a laptop's Wi-Fi drops.
type rig struct {
	center *center.Center
	server *remote.Server
	http   *httptest.Server
	proxy  *proxy
}

func newRig(t *testing.T, token string) *rig {
	t.Helper()
	c := center.New(nil, center.WithLogger(quiet), center.WithSeed(3))
	srv := remote.NewServer(remote.ServerConfig{
		Token: token, Keepalive: 50 * time.Millisecond, Grace: time.Minute, Log: quiet,
		Open: func(login string) (core.Backend, error) {
			s, err := c.Session(login)
			if err != nil {
				return nil, err
			}
			return s, nil
		},
	})
	hs := httptest.NewServer(srv)
	p := newProxy(t, hs.Listener.Addr().String())
	r := &rig{center: c, server: srv, http: hs, proxy: p}
	t.Cleanup(func() {
		p.close()
		hs.CloseClientConnections()
		hs.Close()
		srv.Close()
		c.Close()
	})
	return r
}

func (r *rig) dial(t *testing.T, login, token string) (*core.Client, *core.Agent, *statusLog) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	b, err := remote.Dial(ctx, remote.Config{URL: "http://" + r.proxy.addr(), Login: login, Token: token,
		Silence: 500 * time.Millisecond, Backoff: 20 * time.Millisecond, MaxBackoff: 100 * time.Millisecond, Log: quiet})
	if err != nil {
		t.Fatal(err)
	}
	cl := core.NewClient(b, core.WithLogger(quiet))
	t.Cleanup(func() { cl.Close() })
	if err := cl.Start(ctx); err != nil {
		t.Fatal(err)
	}
	a, err := cl.Agent()
	if err != nil {
		t.Fatal(err)
	}
	st := &statusLog{}
	a.OnConnectionStatus(st.add)
	return cl, a, st
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return c
}

func eventually(t *testing.T, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting until %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func available(t *testing.T, a *core.Agent) {
	t.Helper()
	for _, s := range a.AgentStates() {
		if s.Name == "Available" {
			if err := a.SetState(ctx(t), s); err != nil {
				t.Fatal(err)
			}
			return
		}
	}
	t.Fatal("no Available state")
}

func TestAgentTakesACallOverTheNetwork(t *testing.T) {
	r := newRig(t, "")
	cl, a, _ := r.dial(t, "alice", "")
	available(t, a)
	if got := a.State().Name; got != "Available" {
		t.Fatalf("state after SetState over the network = %q, want Available", got)
	}
	ringing := make(chan *core.Contact, 1)
	cl.OnContact(func(c *core.Contact) { ringing <- c })
	id, err := r.center.Arrive(center.Arrival{Queue: "Support", Type: core.ContactTypeVoice, Name: "Ada", Number: "+14155550123"})
	if err != nil {
		t.Fatal(err)
	}
	var c *core.Contact
	select {
	case c = <-ringing:
	case <-time.After(10 * time.Second):
		t.Fatal("the agent was never offered the call")
	}
	if c.ContactID() != id {
		t.Fatalf("offered contact %s, want %s", c.ContactID(), id)
	}
	if err := c.Accept(ctx(t)); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the call is connected", c.IsConnected)
	if err := c.AgentConnection().SendDigits(ctx(t), "42#"); err != nil {
		t.Fatal(err)
	}
	if got := r.center.Digits(id)[c.InitialConnection().ConnectionID()]; got != "42#" {
		t.Fatalf("customer heard digits %q, want 42#", got)
	}
}

func TestRefusalsKeepTheirType(t *testing.T) {
	r := newRig(t, "")
	_, a, _ := r.dial(t, "alice", "")
	err := a.SetState(ctx(t), core.AgentState{Name: "Sunbathing"})
	if err == nil {
		t.Fatal("an unknown state was accepted")
	}
	var ce *core.CenterError
	if !errors.As(err, &ce) || ce.Message == "" {
		t.Fatalf("refusal = %v (%T), want a *core.CenterError with a message", err, err)
	}
	// The window translates the message from its template: it must cross
	// the network with it.
	if tpl, args := ce.MessageTemplate(); tpl != "%s is not a state agents can choose" || !slices.Equal(args, []string{`"Sunbathing"`}) {
		t.Fatalf("refusal's template = %q %q, want the center's with the state's name", tpl, args)
	}
	if a.State().Name == "Sunbathing" {
		t.Fatal("the refused state was applied")
	}

	_, err = remote.Dial(ctx(t), remote.Config{URL: r.http.URL, Login: "nobody"})
	if !core.IsCenterError(err, core.ErrTypeNotFound) {
		t.Fatalf("unknown agent: err = %v, want ResourceNotFoundException", err)
	}
}

func TestTokenIsRequired(t *testing.T) {
	r := newRig(t, "s3cret")
	_, err := remote.Dial(ctx(t), remote.Config{URL: r.http.URL, Login: "alice", Token: "guess"})
	if !core.IsCenterError(err, core.ErrTypeAccessDenied) {
		t.Fatalf("wrong token: err = %v, want AccessDeniedException", err)
	}
	_, a, _ := r.dial(t, "alice", "s3cret")
	available(t, a)
}

func TestUnreachableCenterSaysSo(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	_, err = remote.Dial(ctx(t), remote.Config{URL: "http://" + addr, Login: "alice"})
	if err == nil || !strings.Contains(err.Error(), "cannot reach the contact center at http://"+addr) {
		t.Fatalf("err = %v, want it to name the unreachable center", err)
	}
}

// A contact that arrives while the agent's network is down rings as soon
// as it is back, and the agent saw the link go and return.
func TestDroppedLinkCatchesUp(t *testing.T) {
	r := newRig(t, "")
	cl, a, st := r.dial(t, "alice", "")
	available(t, a)
	// What a window bound to the events shows when the contact rings: the
	// events arrive in order, so the link must read connected by then.
	type ring struct {
		id     string
		status core.ConnectionStatus
	}
	rang := make(chan ring, 1)
	cl.OnContact(func(c *core.Contact) { rang <- ring{c.ContactID(), st.last()} })

	r.proxy.setDown(true)
	eventually(t, "the agent sees the link drop", func() bool { return st.has(core.ConnectionStatusDisconnected) })
	id, err := r.center.Arrive(center.Arrival{Queue: "Support", Type: core.ContactTypeVoice, Name: "Ada", Number: "+14155550123"})
	if err != nil {
		t.Fatal(err)
	}
	r.proxy.setDown(false)
	var got ring
	select {
	case got = <-rang:
	case <-time.After(5 * time.Second):
		t.Fatal("the ringing contact never reached the agent")
	}
	if got.id != id {
		t.Fatalf("contact %s rang, want %s", got.id, id)
	}
	if got.status != core.ConnectionStatusConnected {
		t.Fatalf("link status when the contact rang after reconnecting = %s, want connected", got.status)
	}
	if cs := a.Contacts(); len(cs) != 1 || cs[0].ContactID() != id {
		t.Fatalf("the agent has %d contacts after reconnecting, want the one that rang", len(cs))
	}
}

// A command sent while the link is down is delivered when it returns, and
// a command whose answer was lost is carried out once, not twice.
func TestCommandsSurviveADrop(t *testing.T) {
	r := newRig(t, "")
	cl, a, _ := r.dial(t, "alice", "")
	available(t, a)
	ringing := make(chan *core.Contact, 1)
	cl.OnContact(func(c *core.Contact) { ringing <- c })
	id, _ := r.center.Arrive(center.Arrival{Queue: "Support", Type: core.ContactTypeVoice, Name: "Ada", Number: "+14155550123"})
	c := <-ringing
	if err := c.Accept(ctx(t)); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the call is connected", c.IsConnected)
	customer := c.InitialConnection().ConnectionID()

	r.proxy.setDown(true)
	done := make(chan error, 1)
	go func() { done <- c.AgentConnection().SendDigits(ctx(t), "7") }()
	time.Sleep(100 * time.Millisecond) // the digit is being retried while the link is down
	if got := r.center.Digits(id)[customer]; got != "" {
		t.Fatalf("digits %q reached the center through a cut link", got)
	}
	r.proxy.setDown(false)
	if err := <-done; err != nil {
		t.Fatalf("digit sent during the drop: %v", err)
	}
	// Now lose the answer: the proxy cuts each connection once the request
	// has gone through, so the client retries a command already done.
	r.proxy.cutAfterRequest(1)
	if err := c.AgentConnection().SendDigits(ctx(t), "8"); err != nil {
		t.Fatalf("digit whose answer was lost: %v", err)
	}
	if got := r.center.Digits(id)[customer]; got != "78" {
		t.Fatalf("customer heard %q, want 78: each digit exactly once", got)
	}
}

func TestCommandGivesUpWithAClearError(t *testing.T) {
	r := newRig(t, "")
	_, a, _ := r.dial(t, "alice", "")
	r.proxy.setDown(true)
	c, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	err := a.SetState(c, core.AgentState{Name: "Break"})
	if !core.IsCenterError(err, core.ErrTypeUnavailable) || !strings.Contains(err.Error(), "not confirmed") {
		t.Fatalf("err = %v, want ServiceUnavailable saying it was not confirmed", err)
	}
}

func TestLogoutEndsTheServerSession(t *testing.T) {
	r := newRig(t, "")
	cl, a, _ := r.dial(t, "alice", "")
	available(t, a)
	if err := cl.Close(); err != nil {
		t.Fatal(err)
	}
	// The center logged alice out: a new login starts her Offline again.
	_, a2, _ := r.dial(t, "alice", "")
	if a2.State().Name == "Available" {
		t.Fatal("closing the remote session did not log the agent out")
	}
}

type statusLog struct {
	mu  sync.Mutex
	all []core.ConnectionStatus
}

func (s *statusLog) add(st core.ConnectionStatus) {
	s.mu.Lock()
	s.all = append(s.all, st)
	s.mu.Unlock()
}

func (s *statusLog) has(want core.ConnectionStatus) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, st := range s.all {
		if st == want {
			return true
		}
	}
	return false
}

func (s *statusLog) last() core.ConnectionStatus {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.all) == 0 {
		return ""
	}
	return s.all[len(s.all)-1]
}
