package center_test

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/agentdesk/agentdesk/core"
	"github.com/agentdesk/agentdesk/core/center"
	ct "github.com/agentdesk/agentdesk/core/centertest"
	"github.com/agentdesk/agentdesk/core/clock"
)

func TestDefaultInstanceParses(t *testing.T) {
	b, err := os.ReadFile("default_instance.toml")
	if err != nil {
		t.Fatal(err)
	}
	inst, err := center.ParseInstance(b)
	if err != nil {
		t.Fatalf("default_instance.toml: %v", err)
	}
	c := center.New(inst, center.WithLogger(ct.Quiet))
	defer c.Close()
	if got := c.Logins(); !slices.Equal(got, []string{"alice", "bob", "carmen", "dana", "sam"}) {
		t.Fatalf("logins %v", got)
	}
	if inst.DefaultAgent != "alice" || len(inst.Queues) != 4 || len(inst.RoutingProfiles) != 2 {
		t.Fatalf("default agent %q, %d queues, %d profiles", inst.DefaultAgent, len(inst.Queues), len(inst.RoutingProfiles))
	}
	if inst.Timing.RingTimeout.Duration != 20*time.Second {
		t.Fatalf("ring timeout %v", inst.Timing.RingTimeout.Duration)
	}
	if def := center.DefaultInstance(); def == nil || len(def.Agents) != 5 {
		t.Fatal("DefaultInstance does not return the built-in instance")
	}
}

func TestMinimalInstanceTakesDefaults(t *testing.T) {
	inst := instanceWith(t, `
[[agents]]
login = "zoe"
routing_profile = "Front line"
softphone = true
`)
	tm := inst.Timing
	for what, got := range map[string]time.Duration{
		"ring_timeout": tm.RingTimeout.Duration, "customer_answer": tm.CustomerAnswer.Duration,
		"deskphone_answer": tm.DeskphoneAnswer.Duration, "error_clear": tm.ErrorClear.Duration,
		"monitor_join": tm.MonitorJoin.Duration, "chat_reply": tm.ChatReply.Duration,
	} {
		if got <= 0 {
			t.Errorf("%s defaults to %v", what, got)
		}
	}
	e := ct.New(t, inst, "zoe")
	wantState(t, "zoe", e.Agent, "Offline")
	if l := e.Agent.Configuration().AgentPreferences.Locale; l != "en_US" {
		t.Fatalf("locale %q, want en_US", l)
	}
	if ch := e.Agent.RoutingProfile().Channels; ch[core.ContactTypeVoice] != 1 || ch[core.ContactTypeChat] != 3 || ch[core.ContactTypeTask] != 3 {
		t.Fatalf("default concurrency %v", ch)
	}
}

func TestParseInstanceRejectsMistakes(t *testing.T) {
	const agent = `
[[agents]]
login = "alice"
name = "Alice"
routing_profile = "Front line"
softphone = true
`
	good := baseInstance + agent
	if _, err := center.ParseInstance([]byte(good)); err != nil {
		t.Fatalf("the base instance is refused: %v", err)
	}
	replace := func(old, new string) string {
		if !strings.Contains(good, old) {
			t.Fatalf("base instance lacks %q", old)
		}
		return strings.Replace(good, old, new, 1)
	}
	tests := []struct {
		name string
		toml string
		want []string // substrings the error must contain
	}{
		{"unknown top-level key", `colour = "red"` + "\n" + good, []string{`unknown key "colour"`}},
		{"misspelt agent key", good + `extention = "+12025550123"` + "\n", []string{`unknown key "agents.extention"`}},
		{"no routable state", replace(`type = "routable"`, `type = "not_routable"`),
			[]string{"at least one routable and one offline state"}},
		{"no offline state", replace(`type = "offline"`, `type = "not_routable"`),
			[]string{"at least one routable and one offline state"}},
		{"unknown state type", replace(`type = "offline"`, `type = "asleep"`),
			[]string{`state "Offline"`, `"asleep"`}},
		{"a state named like a system state", replace(`name = "Break"`, `name = "Busy"`),
			[]string{`state "Busy"`, "system or error state"}},
		{"unknown queue in a routing profile",
			replace(`queues = [{ queue = "Support", priority = 1 }]`, `queues = [{ queue = "Support", priority = 1 }, { queue = "Nowhere", priority = 2 }]`),
			[]string{`routing profile "Front line"`, `queue "Nowhere" is not a queue`}},
		{"priority 0", replace(`priority = 1`, `priority = 0`), []string{`priority of 1 or more`}},
		{"voice concurrency 2", replace(`default_outbound_queue = "Outbound"`, `default_outbound_queue = "Outbound"`+"\n"+`concurrency = { voice = 2 }`),
			[]string{"voice concurrency is at most 1"}},
		{"unknown default outbound queue", replace(`default_outbound_queue = "Outbound"`, `default_outbound_queue = "Outgoing"`),
			[]string{`default outbound queue "Outgoing"`}},
		{"quick connect number not E.164", good + `
[[quick_connects]]
name = "Helpdesk"
type = "phone_number"
phone_number = "2025550142"
queues = ["Support"]
`, []string{`quick connect "Helpdesk"`, "E.164"}},
		{"quick connect to an unknown agent", good + `
[[quick_connects]]
name = "Zed"
type = "agent"
agent = "zed"
queues = ["Support"]
`, []string{`quick connect "Zed"`, `agent "zed" is not an agent`}},
		{"quick connect of an unknown type", good + `
[[quick_connects]]
name = "Mail"
type = "email"
queues = ["Support"]
`, []string{`quick connect "Mail"`, "phone_number, agent or queue"}},
		{"quick connect attached to an unknown queue", good + `
[[quick_connects]]
name = "Sales"
type = "queue"
queue = "Support"
queues = ["Salez"]
`, []string{`quick connect "Sales"`, `"Salez", which is not a queue`}},
		{"dialable country not a code", replace(`["US", "GB"]`, `["US", "usa"]`), []string{`dialable country "usa"`, "ISO 3166"}},
		{"lower-case dialable country", replace(`["US", "GB"]`, `["US", "gb"]`), []string{`dialable country "gb"`}},
		{"duplicate logins", good + agent, []string{`agent "alice"`, "unique"}},
		{"login with a space", replace(`login = "alice"`, `login = "alice m"`), []string{`agent "alice m"`}},
		{"unknown routing profile", replace(`routing_profile = "Front line"`, `routing_profile = "Back office"`),
			[]string{`agent "alice": routing profile "Back office" is not defined`}},
		{"unknown initial state", good + `initial_state = "Asleep"` + "\n", []string{`initial state "Asleep"`}},
		{"negative ACW timeout", good + `acw_timeout = "-5s"` + "\n", []string{"acw_timeout must not be negative"}},
		{"bad duration", good + `acw_timeout = "soon"` + "\n", []string{`"soon"`}},
		{"no agents", baseInstance, []string{"at least one agent"}},
		{"unknown default agent", `default_agent = "zed"` + "\n" + good, []string{`default_agent "zed"`}},
		{"every problem at once", replace(`["US", "GB"]`, `["usa"]`) + agent,
			[]string{`dialable country "usa"`, `agent "alice"`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			inst, err := center.ParseInstance([]byte(tc.toml))
			if err == nil {
				t.Fatalf("accepted: %+v", inst)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
}

func TestLoadInstanceNamesTheFile(t *testing.T) {
	path := t.TempDir() + "/broken.toml"
	if err := os.WriteFile(path, []byte(baseInstance), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := center.LoadInstance(path)
	if err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "at least one agent") {
		t.Fatalf("LoadInstance: %v", err)
	}
	if _, err := center.LoadInstance(t.TempDir() + "/missing.toml"); err == nil {
		t.Fatal("a missing file loads")
	}
}

// trafficRecord runs the traffic simulator at 60 customers a minute for ten
// simulated minutes with nobody answering, then lets alice take what her
// routing profile offers. It describes what arrived: queue lengths every
// 10 s, the queue of each contact, and the types alice is offered.
func trafficRecord(t *testing.T, seed uint64) (record []string, arrivals int) {
	t.Helper()
	clk := clock.NewFake(ct.Epoch)
	c := center.New(nil, center.WithClock(clk), center.WithLogger(ct.Quiet), center.WithSeed(seed))
	e := &ct.Env{Clock: clk, Center: c}
	e.Client, e.Agent = e.Login(t, "alice")
	e.Events = ct.Record(e.Client)
	t.Cleanup(e.Close)

	queues := []string{"Support", "Sales", "Billing", "Outbound"}
	c.StartTraffic(60)
	for range 60 {
		e.Advance(10 * time.Second)
		var lens []string
		for _, q := range queues {
			lens = append(lens, fmt.Sprint(c.QueueLength(q)))
		}
		record = append(record, strings.Join(lens, "/"))
	}
	c.StartTraffic(0)
	for i := 1; i < 10000; i++ {
		id := fmt.Sprintf("contact-%d", i)
		if q, ok := c.Waiting(id); ok {
			record = append(record, id+"@"+q)
			arrivals++
		}
	}
	for _, q := range queues {
		if q == "Outbound" && c.QueueLength(q) != 0 {
			t.Errorf("simulated customers arrived in Outbound, which has no traffic")
		} else if q != "Outbound" && c.QueueLength(q) == 0 {
			t.Errorf("no simulated customers in %s", q)
		}
	}
	// Stopped traffic brings nobody more.
	e.Advance(10 * time.Minute)
	if after := c.QueueLength("Support") + c.QueueLength("Sales") + c.QueueLength("Billing"); after != arrivals {
		t.Errorf("%d customers arrived after the traffic stopped", after-arrivals)
	}
	choose(t, e.Agent, "Available")
	e.Settle()
	for _, cc := range e.Agent.Contacts() {
		record = append(record, fmt.Sprintf("offered %s %s@%s", cc.ContactID(), cc.Type(), cc.Queue().Name))
	}
	return record, arrivals
}

func TestTrafficIsDeterministic(t *testing.T) {
	first, n := trafficRecord(t, 7)
	again, _ := trafficRecord(t, 7)
	if !slices.Equal(first, again) {
		for i := range min(len(first), len(again)) {
			if first[i] != again[i] {
				t.Fatalf("same seed, different traffic: entry %d is %q then %q", i, first[i], again[i])
			}
		}
		t.Fatalf("same seed, different traffic: %d vs %d entries", len(first), len(again))
	}
	// 60 a minute for 10 minutes: about 600 (Poisson, so within ±25%).
	if n < 450 || n > 750 {
		t.Fatalf("%d arrivals in 10 minutes at 60 a minute", n)
	}
	var types []string
	for _, r := range first {
		if typ, ok := strings.CutPrefix(r, "offered "); ok {
			typ = strings.Fields(typ)[1]
			types = append(types, strings.Split(typ, "@")[0])
			if !strings.HasSuffix(typ, "@Support") {
				t.Errorf("alice was offered %s before the Support backlog (priority 1) was served", typ)
			}
		}
	}
	slices.Sort(types)
	if len(slices.Compact(types)) < 2 {
		t.Fatalf("alice was offered only %v: the traffic should mix channels", types)
	}
	other, _ := trafficRecord(t, 8)
	if slices.Equal(first, other) {
		t.Fatal("seeds 7 and 8 give the same traffic")
	}
}
