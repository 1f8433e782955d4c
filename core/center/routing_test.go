package center_test

import (
	"slices"
	"testing"
	"time"

	"github.com/agentdesk/agentdesk/core"
	"github.com/agentdesk/agentdesk/core/center"
	ct "github.com/agentdesk/agentdesk/core/centertest"
)

// Helpers shared by the center's behaviour tests.

// peer is another agent logged in on the same center as the env's agent.
type peer struct {
	login string
	cl    *core.Client
	a     *core.Agent
}

// loginPeer logs login in on e's center; the client is closed with the test.
func loginPeer(t *testing.T, e *ct.Env, login string) *peer {
	t.Helper()
	cl, a := e.Login(t, login)
	t.Cleanup(func() { cl.Close() })
	return &peer{login: login, cl: cl, a: a}
}

// settle waits until the env's client and every peer have applied every
// snapshot the center sent them and delivered their events.
func settle(t *testing.T, e *ct.Env, peers ...*peer) {
	t.Helper()
	e.Settle()
	for _, p := range peers {
		if err := p.cl.Sync(ct.Ctx()); err != nil {
			t.Fatalf("sync %s: %v", p.login, err)
		}
	}
}

// advance moves the fake clock and settles every client.
func advance(t *testing.T, e *ct.Env, d time.Duration, peers ...*peer) {
	t.Helper()
	e.Clock.Advance(d)
	settle(t, e, peers...)
}

// choose sets agent a's state by name.
func choose(t *testing.T, a *core.Agent, name string, opts ...core.SetStateOption) {
	t.Helper()
	if err := a.SetState(ct.Ctx(), core.AgentState{Name: name}, opts...); err != nil {
		t.Fatalf("choose %s: %v", name, err)
	}
}

// wantState fails unless a's state is name.
func wantState(t *testing.T, who string, a *core.Agent, name string) {
	t.Helper()
	if got := a.State().Name; got != name {
		t.Fatalf("%s is %s, want %s", who, got, name)
	}
}

// customer brings a customer into queue and returns the contact ID.
func customer(t *testing.T, e *ct.Env, queue string, typ core.ContactType) string {
	t.Helper()
	ar := center.Arrival{Queue: queue, Type: typ, Name: "Maria Garcia", Number: "+12025550123"}
	if typ == core.ContactTypeChat {
		ar.Chat = []string{"Hi there"}
	}
	id, err := e.Center.Arrive(ar)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// ids lists the IDs of a's contacts.
func ids(a *core.Agent) []string {
	var out []string
	for _, c := range a.Contacts() {
		out = append(out, c.ContactID())
	}
	return out
}

// theContact returns a's one contact, failing unless there is exactly one.
func theContact(t *testing.T, who string, a *core.Agent) *core.Contact {
	t.Helper()
	cs := a.Contacts()
	if len(cs) != 1 {
		t.Fatalf("%s has %d contacts %v, want 1", who, len(cs), ids(a))
	}
	return cs[0]
}

// contactByID finds one of a's contacts.
func contactByID(t *testing.T, a *core.Agent, id string) *core.Contact {
	t.Helper()
	for _, c := range a.Contacts() {
		if c.ContactID() == id {
			return c
		}
	}
	t.Fatalf("agent has no contact %s (has %v)", id, ids(a))
	return nil
}

// ringing lists a's contacts that wait for an accept.
func ringing(a *core.Agent) []*core.Contact {
	var out []*core.Contact
	for _, c := range a.Contacts() {
		if s := c.State().Type; s == core.ContactStateConnecting || s == core.ContactStateIncoming {
			out = append(out, c)
		}
	}
	return out
}

func acceptContact(t *testing.T, c *core.Contact) {
	t.Helper()
	if err := c.Accept(ct.Ctx()); err != nil {
		t.Fatal(err)
	}
}

// finish hangs a connected contact up and clears it.
func finish(t *testing.T, c *core.Contact) {
	t.Helper()
	if err := c.AgentConnection().Destroy(ct.Ctx()); err != nil {
		t.Fatal(err)
	}
	if err := c.Clear(ct.Ctx()); err != nil {
		t.Fatal(err)
	}
}

// Routing tests.

func TestLongestIdleAgentGetsTheContact(t *testing.T) {
	for _, first := range []string{"alice", "bob"} {
		t.Run(first+" idle longest", func(t *testing.T) {
			e := ct.New(t, nil, "alice")
			bob := loginPeer(t, e, "bob")
			agents := map[string]*core.Agent{"alice": e.Agent, "bob": bob.a}
			second := map[string]string{"alice": "bob", "bob": "alice"}[first]

			choose(t, bob.a, "Break") // bob logs in Available; start both from a break
			advance(t, e, 10*time.Second, bob)
			choose(t, agents[first], "Available")
			advance(t, e, 10*time.Second, bob)
			choose(t, agents[second], "Available")
			advance(t, e, 10*time.Second, bob)

			c1 := customer(t, e, "Support", core.ContactTypeVoice)
			settle(t, e, bob)
			if got := ids(agents[first]); !slices.Equal(got, []string{c1}) {
				t.Fatalf("%s (idle longest) has %v, want the new contact %s", first, got, c1)
			}
			if got := ids(agents[second]); len(got) != 0 {
				t.Fatalf("%s was offered %v though %s was idle longer", second, got, first)
			}
			wantState(t, second, agents[second], "Available")

			c := theContact(t, first, agents[first])
			acceptContact(t, c)
			advance(t, e, 30*time.Second, bob)
			finish(t, c)
			settle(t, e, bob)
			wantState(t, first, agents[first], "Available")

			// first's idle time restarted when they cleared: second is next.
			c2 := customer(t, e, "Support", core.ContactTypeVoice)
			settle(t, e, bob)
			if got := ids(agents[second]); !slices.Equal(got, []string{c2}) {
				t.Fatalf("after %s finished, %s has %v, want %s", first, second, got, c2)
			}
			if got := ids(agents[first]); len(got) != 0 {
				t.Fatalf("%s got %v again though %s waited longer", first, got, second)
			}
			c = theContact(t, second, agents[second])
			acceptContact(t, c)
			advance(t, e, 10*time.Second, bob)
			finish(t, c)
			settle(t, e, bob)

			c3 := customer(t, e, "Support", core.ContactTypeVoice)
			settle(t, e, bob)
			if got := ids(agents[first]); !slices.Equal(got, []string{c3}) {
				t.Fatalf("third contact: %s has %v, want %s", first, got, c3)
			}
		})
	}
}

func TestQueuePriority(t *testing.T) {
	tests := []struct {
		name        string
		first, then string // queues of the older and the newer waiting contact
		wantOrder   []int  // which of the two (0 older, 1 newer) the agent gets first
	}{
		// Front line: Support 1, Billing 2, Sales 2.
		{"priority 1 beats an older priority 2", "Billing", "Support", []int{1, 0}},
		{"priority 1 beats an older priority 2 (Sales)", "Sales", "Support", []int{1, 0}},
		{"equal priority: oldest first", "Sales", "Billing", []int{0, 1}},
		{"equal priority: oldest first (other order)", "Billing", "Sales", []int{0, 1}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := ct.New(t, nil, "alice")
			choose(t, e.Agent, "Available")
			busy := customer(t, e, "Support", core.ContactTypeVoice)
			e.Settle()
			acceptContact(t, contactByID(t, e.Agent, busy))

			// Two contacts wait while alice is on a call.
			e.Advance(time.Second)
			waiting := []string{customer(t, e, tc.first, core.ContactTypeVoice)}
			e.Advance(time.Second)
			waiting = append(waiting, customer(t, e, tc.then, core.ContactTypeVoice))
			e.Settle()
			if n := e.Center.QueueLength(tc.first) + e.Center.QueueLength(tc.then); n != 2 {
				t.Fatalf("%d contacts waiting, want 2", n)
			}

			// Alice frees up: she gets them in priority, then age, order.
			finish(t, contactByID(t, e.Agent, busy))
			e.Settle()
			for i, w := range tc.wantOrder {
				c := theContact(t, "alice", e.Agent)
				if c.ContactID() != waiting[w] {
					t.Fatalf("offer %d: alice got %s from %s, want %s from %s",
						i+1, c.ContactID(), c.Queue().Name, waiting[w], []string{tc.first, tc.then}[w])
				}
				acceptContact(t, c)
				finish(t, c)
				e.Settle()
			}
			if len(e.Agent.Contacts()) != 0 {
				t.Fatalf("alice has %v after both", ids(e.Agent))
			}
		})
	}
}

func TestAgentsWhoGetNothing(t *testing.T) {
	tests := []struct {
		name  string
		setup func(t *testing.T, e *ct.Env)
		// fix makes alice routable again: the waiting contact must then reach her.
		fix func(t *testing.T, e *ct.Env)
	}{
		{"offline (not logged in to routing)", func(t *testing.T, e *ct.Env) {}, func(t *testing.T, e *ct.Env) {
			choose(t, e.Agent, "Available")
		}},
		{"not routable (Break)", func(t *testing.T, e *ct.Env) { choose(t, e.Agent, "Break") }, func(t *testing.T, e *ct.Env) {
			choose(t, e.Agent, "Available")
		}},
		{"in an error state (missed call)", func(t *testing.T, e *ct.Env) {
			choose(t, e.Agent, "Available")
			customer(t, e, "Billing", core.ContactTypeVoice)
			e.Advance(20 * time.Second)
			wantState(t, "alice", e.Agent, core.StateMissedCallAgent)
		}, func(t *testing.T, e *ct.Env) {
			choose(t, e.Agent, "Available")
		}},
		{"with a next state enqueued", func(t *testing.T, e *ct.Env) {
			choose(t, e.Agent, "Available")
			customer(t, e, "Billing", core.ContactTypeChat)
			e.Settle()
			acceptContact(t, theContact(t, "alice", e.Agent))
			choose(t, e.Agent, "Break", core.EnqueueNextState())
		}, func(t *testing.T, e *ct.Env) {
			choose(t, e.Agent, "Available")
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := ct.New(t, nil, "alice")
			tc.setup(t, e)
			e.Settle()
			before := ids(e.Agent)
			for _, typ := range []core.ContactType{core.ContactTypeVoice, core.ContactTypeChat, core.ContactTypeTask} {
				customer(t, e, "Support", typ)
			}
			e.Advance(5 * time.Second)
			if got := ids(e.Agent); !slices.Equal(got, before) {
				t.Fatalf("alice was offered contacts: had %v, now %v", before, got)
			}
			if n := e.Center.QueueLength("Support"); n != 3 {
				t.Fatalf("Support has %d waiting, want 3", n)
			}
			tc.fix(t, e)
			e.Settle()
			if n := e.Center.QueueLength("Support"); n != 0 {
				t.Fatalf("after alice became routable, Support still has %d waiting", n)
			}
		})
	}

	t.Run("logged out", func(t *testing.T) {
		e := ct.New(t, nil, "alice") // alice stays Offline
		bob := loginPeer(t, e, "bob")
		wantState(t, "bob", bob.a, "Available")
		if err := bob.a.Logout(ct.Ctx()); err != nil {
			t.Fatal(err)
		}
		id := customer(t, e, "Support", core.ContactTypeVoice)
		advance(t, e, 5*time.Second)
		if q, ok := e.Center.Waiting(id); !ok || q != "Support" {
			t.Fatalf("contact waiting=%v in %q after the only Available agent logged out, want it waiting in Support", ok, q)
		}
		// Bob logs back in (Available): the contact reaches him.
		bob2 := loginPeer(t, e, "bob")
		settle(t, e, bob2)
		if got := ids(bob2.a); !slices.Equal(got, []string{id}) {
			t.Fatalf("bob back online has %v, want %s", got, id)
		}
	})
}

func TestChannelConcurrency(t *testing.T) {
	t.Run("voice: one at a time", func(t *testing.T) {
		e := ct.New(t, nil, "alice")
		choose(t, e.Agent, "Available")
		v1 := customer(t, e, "Support", core.ContactTypeVoice)
		e.Settle()
		acceptContact(t, contactByID(t, e.Agent, v1))
		v2 := customer(t, e, "Support", core.ContactTypeVoice)
		cb := customer(t, e, "Support", core.ContactTypeQueueCallback)
		e.Advance(30 * time.Second)
		if got := ids(e.Agent); !slices.Equal(got, []string{v1}) {
			t.Fatalf("on a call, alice has %v, want only %s", got, v1)
		}
		if n := e.Center.QueueLength("Support"); n != 2 {
			t.Fatalf("Support has %d waiting, want 2 (a voice call and a callback)", n)
		}
		finish(t, contactByID(t, e.Agent, v1))
		e.Settle()
		if got := ids(e.Agent); !slices.Equal(got, []string{v2}) {
			t.Fatalf("after the call, alice has %v, want the waiting call %s", got, v2)
		}
		acceptContact(t, contactByID(t, e.Agent, v2))
		finish(t, contactByID(t, e.Agent, v2))
		e.Settle()
		if got := ids(e.Agent); !slices.Equal(got, []string{cb}) {
			t.Fatalf("alice has %v, want the callback %s", got, cb)
		}
	})
	for _, typ := range []core.ContactType{core.ContactTypeChat, core.ContactTypeTask} {
		t.Run(string(typ)+": up to three at once", func(t *testing.T) {
			e := ct.New(t, nil, "alice")
			choose(t, e.Agent, "Available")
			var all []string
			for range 4 {
				all = append(all, customer(t, e, "Support", typ))
			}
			e.Settle()
			if got := ids(e.Agent); !slices.Equal(got, all[:3]) {
				t.Fatalf("alice has %v, want the first three %v", got, all[:3])
			}
			if n := len(ringing(e.Agent)); n != 3 {
				t.Fatalf("%d ringing, want 3 offered together", n)
			}
			if n := e.Center.QueueLength("Support"); n != 1 {
				t.Fatalf("Support has %d waiting, want 1", n)
			}
			wantState(t, "alice", e.Agent, core.StatePendingBusy)
			for _, id := range all[:3] {
				acceptContact(t, contactByID(t, e.Agent, id))
			}
			wantState(t, "alice", e.Agent, core.StateBusy)
			// A contact in after-contact work still takes its slot.
			if err := contactByID(t, e.Agent, all[0]).AgentConnection().Destroy(ct.Ctx()); err != nil {
				t.Fatal(err)
			}
			e.Settle()
			if got := len(e.Agent.Contacts()); got != 3 || e.Center.QueueLength("Support") != 1 {
				t.Fatalf("after ending one: %d contacts and %d waiting, want 3 and 1", got, e.Center.QueueLength("Support"))
			}
			if err := contactByID(t, e.Agent, all[0]).Clear(ct.Ctx()); err != nil {
				t.Fatal(err)
			}
			e.Settle()
			if got := ids(e.Agent); !slices.Equal(got, all[1:]) {
				t.Fatalf("after clearing one, alice has %v, want %v", got, all[1:])
			}
		})
	}
}

func TestMissedContactGoesBackToTheFront(t *testing.T) {
	e := ct.New(t, nil, "alice")
	bob := loginPeer(t, e, "bob")
	choose(t, bob.a, "Break")
	choose(t, e.Agent, "Available")
	advance(t, e, time.Second, bob)
	choose(t, bob.a, "Available")

	c1 := customer(t, e, "Support", core.ContactTypeVoice) // rings alice (idle longest)
	c2 := customer(t, e, "Support", core.ContactTypeVoice) // rings bob
	settle(t, e, bob)
	if !slices.Equal(ids(e.Agent), []string{c1}) || !slices.Equal(ids(bob.a), []string{c2}) {
		t.Fatalf("alice has %v, bob %v; want %s and %s", ids(e.Agent), ids(bob.a), c1, c2)
	}
	acceptContact(t, theContact(t, "bob", bob.a))
	advance(t, e, time.Second, bob)
	c3 := customer(t, e, "Support", core.ContactTypeVoice) // waits: nobody free
	advance(t, e, 19*time.Second, bob)                     // alice's offer rings out

	wantState(t, "alice", e.Agent, core.StateMissedCallAgent)
	if s := contactByID(t, e.Agent, c1).State().Type; s != core.ContactStateMissed {
		t.Fatalf("alice's contact is %s, want missed", s)
	}
	if n := e.Center.QueueLength("Support"); n != 2 {
		t.Fatalf("Support has %d waiting, want 2 (the missed call and the newer one)", n)
	}

	// Bob frees up first: he gets the missed call, not the newer one.
	finish(t, theContact(t, "bob", bob.a))
	settle(t, e, bob)
	if got := ids(bob.a); !slices.Equal(got, []string{c1}) {
		t.Fatalf("bob has %v, want the missed contact %s back from the front of the queue", got, c1)
	}
	if got := theContact(t, "bob", bob.a).InitialContactID(); got != c1 {
		t.Fatalf("re-offered contact's initial ID is %s, want %s", got, c1)
	}
	// Alice clears her missed contact and takes the next one.
	if err := contactByID(t, e.Agent, c1).Clear(ct.Ctx()); err != nil {
		t.Fatal(err)
	}
	settle(t, e, bob)
	if got := ids(e.Agent); !slices.Equal(got, []string{c3}) {
		t.Fatalf("alice has %v, want %s", got, c3)
	}
}

func TestMissedContactGoesToTheNextAgent(t *testing.T) {
	e := ct.New(t, nil, "alice")
	bob := loginPeer(t, e, "bob")
	choose(t, bob.a, "Break")
	choose(t, e.Agent, "Available")
	advance(t, e, time.Second, bob)
	choose(t, bob.a, "Available")
	id := customer(t, e, "Support", core.ContactTypeVoice)
	settle(t, e, bob)
	if len(ids(bob.a)) != 0 || !slices.Equal(ids(e.Agent), []string{id}) {
		t.Fatalf("alice has %v, bob %v; want the contact with alice", ids(e.Agent), ids(bob.a))
	}
	if err := theContact(t, "alice", e.Agent).Reject(ct.Ctx()); err != nil {
		t.Fatal(err)
	}
	settle(t, e, bob)
	if got := ids(bob.a); !slices.Equal(got, []string{id}) {
		t.Fatalf("after alice rejected it, bob has %v, want %s", got, id)
	}
	wantState(t, "bob", bob.a, core.StatePendingBusy)
	wantState(t, "alice", e.Agent, core.StateMissedCallAgent)
	if _, waiting := e.Center.Waiting(id); waiting {
		t.Fatal("the contact is still waiting in the queue")
	}
}

func TestRoutingIsFairOverManyContacts(t *testing.T) {
	e := ct.New(t, nil, "alice")
	bob := loginPeer(t, e, "bob")
	sam := loginPeer(t, e, "sam")
	peers := []*peer{bob, sam}
	agents := map[string]*core.Agent{"alice": e.Agent, "bob": bob.a, "sam": sam.a}
	choose(t, bob.a, "Break")
	for _, name := range []string{"sam", "alice", "bob"} {
		choose(t, agents[name], "Available")
		advance(t, e, time.Second, peers...)
	}
	const total = 30
	for i := range total {
		customer(t, e, []string{"Support", "Billing", "Sales"}[i%3], core.ContactTypeVoice)
	}
	handled := map[string]map[string]bool{}
	for round := 0; round < 200; round++ {
		settle(t, e, peers...)
		for name, a := range agents {
			for _, c := range a.Contacts() {
				switch c.State().Type {
				case core.ContactStateConnecting:
					acceptContact(t, c)
				case core.ContactStateConnected:
					if handled[name] == nil {
						handled[name] = map[string]bool{}
					}
					handled[name][c.ContactID()] = true
					finish(t, c)
				default:
					t.Fatalf("%s's contact %s is %s", name, c.ContactID(), c.State().Type)
				}
			}
		}
		advance(t, e, time.Second, peers...)
		n := 0
		for _, h := range handled {
			n += len(h)
		}
		if n == total {
			break
		}
	}
	n := 0
	for name := range agents {
		got := len(handled[name])
		n += got
		if got < 9 || got > 11 {
			t.Errorf("%s handled %d of %d contacts, want about %d", name, got, total, total/3)
		}
	}
	if n != total {
		t.Fatalf("%d contacts handled, want %d", n, total)
	}
	for _, q := range []string{"Support", "Billing", "Sales"} {
		if l := e.Center.QueueLength(q); l != 0 {
			t.Errorf("%s still has %d waiting", q, l)
		}
	}
	t.Logf("alice %d, bob %d, sam %d", len(handled["alice"]), len(handled["bob"]), len(handled["sam"]))
}

// An agent handling a chat is not idle: the next chat goes to an agent
// who has been waiting, not to the one already busiest.
func TestChatsGoToTheLongestIdleAgent(t *testing.T) {
	e := ct.New(t, nil, "alice")
	bob := loginPeer(t, e, "bob")
	choose(t, bob.a, "Break")
	choose(t, e.Agent, "Available")
	advance(t, e, time.Second, bob)
	choose(t, bob.a, "Available")
	advance(t, e, time.Second, bob)

	var got []string
	for range 4 {
		id := customer(t, e, "Support", core.ContactTypeChat)
		settle(t, e, bob)
		for name, a := range map[string]*core.Agent{"alice": e.Agent, "bob": bob.a} {
			for _, c := range ringing(a) {
				if c.ContactID() == id {
					got = append(got, name)
					acceptContact(t, c)
				}
			}
		}
		advance(t, e, 10*time.Second, bob)
	}
	if want := []string{"alice", "bob", "alice", "bob"}; !slices.Equal(got, want) {
		t.Fatalf("chats went to %v, want %v", got, want)
	}
}

func TestChatRoutingIsFair(t *testing.T) {
	e := ct.New(t, nil, "alice")
	bob := loginPeer(t, e, "bob")
	sam := loginPeer(t, e, "sam")
	peers := []*peer{bob, sam}
	agents := map[string]*core.Agent{"alice": e.Agent, "bob": bob.a, "sam": sam.a}
	choose(t, bob.a, "Break")
	for _, name := range []string{"alice", "bob", "sam"} {
		choose(t, agents[name], "Available")
		advance(t, e, time.Second, peers...)
	}
	// A chat every 10 s; each takes its agent 25 s.
	const total = 30
	count := map[string]int{}
	started := map[string]time.Time{}
	for i := 0; i < total+10; i++ {
		if i < total {
			customer(t, e, "Support", core.ContactTypeChat)
		}
		settle(t, e, peers...)
		for name, a := range agents {
			for _, c := range a.Contacts() {
				switch c.State().Type {
				case core.ContactStateConnecting:
					acceptContact(t, c)
					count[name]++
					started[c.ContactID()] = e.Clock.Now()
				case core.ContactStateConnected:
					if e.Clock.Now().Sub(started[c.ContactID()]) >= 25*time.Second {
						finish(t, c)
					}
				}
			}
		}
		advance(t, e, 10*time.Second, peers...)
	}
	n := 0
	for name := range agents {
		n += count[name]
		if count[name] < 9 || count[name] > 11 {
			t.Errorf("%s took %d of %d chats, want about %d", name, count[name], total, total/3)
		}
	}
	if n != total {
		t.Fatalf("%d chats taken, want %d", n, total)
	}
}
