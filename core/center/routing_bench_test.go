package center_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/agentdesk/agentdesk/core"
	"github.com/agentdesk/agentdesk/core/center"
	"github.com/agentdesk/agentdesk/core/centertest"
	"github.com/agentdesk/agentdesk/core/clock"
)

// bigInstance has agents agents and queues queues; each of 10 routing
// profiles holds half the queues at mixed priorities.
func bigInstance(tb testing.TB, agents, queues int, initial string) *center.Instance {
	var b strings.Builder
	b.WriteString("dialable_countries = [\"US\"]\n")
	b.WriteString("[[states]]\nname = \"Available\"\ntype = \"routable\"\n[[states]]\nname = \"Offline\"\ntype = \"offline\"\n")
	for q := range queues {
		fmt.Fprintf(&b, "[[queues]]\nname = \"Q%02d\"\n", q)
	}
	for p := range 10 {
		fmt.Fprintf(&b, "[[routing_profiles]]\nname = \"P%d\"\ndefault_outbound_queue = \"Q00\"\nqueues = [", p)
		for q := range queues / 2 {
			fmt.Fprintf(&b, "{ queue = \"Q%02d\", priority = %d },", (p*5+q)%queues, 1+q%3)
		}
		b.WriteString("]\n")
	}
	for a := range agents {
		fmt.Fprintf(&b, "[[agents]]\nlogin = \"a%04d\"\nname = \"Agent %d\"\nrouting_profile = \"P%d\"\nsoftphone = true\ninitial_state = \"%s\"\n", a, a, a%10, initial)
	}
	inst, err := center.ParseInstance([]byte(b.String()))
	if err != nil {
		tb.Fatal(err)
	}
	return inst
}

// BenchmarkRouting measures routing decisions with 1,000 logged-in agents
// and 50 queues: a customer arrives, the center picks the longest-idle
// eligible agent and offers the contact. Half the agents are on calls, so
// each decision skips busy agents. The customer then hangs up while it rings
// (untimed), which frees the agent again.
func BenchmarkRouting(b *testing.B) {
	const agents, queues = 1000, 50
	clk := clock.NewFake(centertest.Epoch)
	c := center.New(bigInstance(b, agents, queues, "Available"), center.WithClock(clk), center.WithLogger(centertest.Quiet))
	defer c.Close()
	for i := range agents {
		s, err := c.Session(fmt.Sprintf("a%04d", i))
		if err != nil {
			b.Fatal(err)
		}
		s.Subscribe(func(core.Snapshot) {}, nil)
		defer s.Close()
	}
	// Occupy half the agents with calls that never end.
	for i := range agents / 2 {
		if _, err := c.Arrive(center.Arrival{Queue: fmt.Sprintf("Q%02d", i%queues), Type: core.ContactTypeVoice, Name: "Busy", Number: "+12025550123"}); err != nil {
			b.Fatal(err)
		}
	}
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := range b.N {
		t0 := time.Now()
		id, err := c.Arrive(center.Arrival{Queue: fmt.Sprintf("Q%02d", i%queues), Type: core.ContactTypeVoice, Name: "Caller", Number: "+12025550123"})
		lat = append(lat, time.Since(t0))
		if err != nil {
			b.Fatal(err)
		}
		if _, waiting := c.Waiting(id); waiting {
			b.Fatalf("contact %s was not routed", id)
		}
		_ = c.HangUp(id)
	}
	b.StopTimer()
	reportLatency(b, lat)
}

// BenchmarkRoutingAgentFreed measures the other direction: 1,000 contacts wait
// across 50 queues and an agent becomes Available; the center picks the
// highest-priority, oldest contact for them.
func BenchmarkRoutingAgentFreed(b *testing.B) {
	const agents, queues = 1000, 50
	clk := clock.NewFake(centertest.Epoch)
	c := center.New(bigInstance(b, agents, queues, "Offline"), center.WithClock(clk), center.WithLogger(centertest.Quiet))
	defer c.Close()
	// One agent logged in, starting Offline, and a deep backlog.
	s, err := c.Session("a0000")
	if err != nil {
		b.Fatal(err)
	}
	cl := core.NewClient(s, core.WithClock(clk), core.WithLogger(centertest.Quiet))
	if err := cl.Start(centertest.Ctx()); err != nil {
		b.Fatal(err)
	}
	defer cl.Close()
	a, _ := cl.Agent()
	var avail, off core.AgentState
	for _, st := range a.AgentStates() {
		switch st.Type {
		case core.AgentStateTypeRoutable:
			avail = st
		case core.AgentStateTypeOffline:
			off = st
		}
	}
	for i := range 1000 {
		if _, err := c.Arrive(center.Arrival{Queue: fmt.Sprintf("Q%02d", i%queues), Type: core.ContactTypeVoice, Name: "Waiting", Number: "+12025550123"}); err != nil {
			b.Fatal(err)
		}
	}
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for range b.N {
		t0 := time.Now()
		if err := a.SetState(centertest.Ctx(), avail); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(t0))
		cs := a.Contacts()
		if len(cs) != 1 {
			b.Fatalf("agent has %d contacts after going Available, want 1", len(cs))
		}
		// Put the contact back: the agent goes Offline and the offer is
		// rejected, which returns it to the front of its queue.
		b.StopTimer()
		if err := a.SetState(centertest.Ctx(), off); err != nil {
			b.Fatal(err)
		}
		if err := cs[0].Reject(centertest.Ctx()); err != nil {
			b.Fatal(err)
		}
		if err := cs[0].Clear(centertest.Ctx()); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
	b.StopTimer()
	reportLatency(b, lat)
}

func reportLatency(b *testing.B, lat []time.Duration) {
	if len(lat) == 0 {
		return
	}
	var total time.Duration
	for _, d := range lat {
		total += d
	}
	slices.Sort(lat)
	p99 := lat[min(len(lat)-1, len(lat)*99/100)]
	b.ReportMetric(float64(len(lat))/total.Seconds(), "decisions/s")
	b.ReportMetric(float64(p99.Microseconds()), "p99-µs")
}
