package core_test

import (
	"fmt"
	"sync/atomic"
	"time"

	"github.com/agentdesk/agentdesk/core"
	"github.com/agentdesk/agentdesk/core/center"
	"github.com/agentdesk/agentdesk/core/centertest"
)

// watchAcceptButton is the seed's accept-button snippet: every contact routed
// to client gets an onRefresh handler that shows or hides the button. It
// prints a line each time what the agent sees changes. The returned stop
// silences it, so that closing the client prints nothing more.
func watchAcceptButton(client *core.Client) (stop func()) {
	var stopped atomic.Bool
	unsub := client.OnContact(func(c *core.Contact) {
		last := ""
		c.OnRefresh(func(c *core.Contact) {
			if stopped.Load() {
				return
			}
			button := "hideAcceptButton()"
			if core.ShouldShowAcceptButton(c) {
				button = "showAcceptButton()"
			}
			line := fmt.Sprintf("%s %s: %s", c.Type(), c.State().Type, button)
			if line != last {
				fmt.Println(line)
				last = line
			}
		})
	})
	return func() {
		stopped.Store(true)
		unsub()
	}
}

// findState is the seed's agent.getAgentStates().find(...).
func findState(a *core.Agent, match func(core.AgentState) bool) (core.AgentState, bool) {
	for _, s := range a.AgentStates() {
		if match(s) {
			return s, true
		}
	}
	return core.AgentState{}, false
}

func ofType(t core.AgentStateType) func(core.AgentState) bool {
	return func(s core.AgentState) bool { return s.Type == t }
}

func named(name string) func(core.AgentState) bool {
	return func(s core.AgentState) bool { return s.Name == name }
}

// available makes the env's agent Available and fails loudly otherwise.
func available(e *centertest.Env) {
	if err := e.Agent.SetState(centertest.Ctx(), e.State("Available")); err != nil {
		panic(err)
	}
	e.Settle()
}

// ring brings a customer of the given type into Support.
func ring(e *centertest.Env, typ core.ContactType) string {
	ar := center.Arrival{Queue: "Support", Type: typ, Name: "Maria Garcia", Number: "+12025550123"}
	switch typ {
	case core.ContactTypeChat:
		ar.Chat = []string{"Hi there", "It is broken"}
	case core.ContactTypeTask:
		ar.Name, ar.Description = "Refund follow up", "Check the refund"
	}
	id := e.Arrive(ar)
	e.Settle()
	return id
}

// onlyContact returns the agent's one contact, or panics.
func onlyContact(a *core.Agent) *core.Contact {
	cs := a.Contacts()
	if len(cs) != 1 {
		panic(fmt.Sprintf("agent has %d contacts, want 1", len(cs)))
	}
	return cs[0]
}

// waitFor waits for ch to be closed or to deliver, at most 5 s of real time.
func waitFor[T any](ch <-chan T) (T, bool) {
	select {
	case v := <-ch:
		return v, true
	case <-time.After(5 * time.Second):
		var zero T
		return zero, false
	}
}

func endpointLines(eps []core.Endpoint) []string {
	out := make([]string, 0, len(eps))
	for _, e := range eps {
		s := fmt.Sprintf("%s (%s)", e.Name, e.Type)
		if e.PhoneNumber != "" {
			s += " " + e.PhoneNumber
		}
		out = append(out, s)
	}
	return out
}

func printEndpoints(eps []core.Endpoint) {
	for _, l := range endpointLines(eps) {
		fmt.Println("  " + l)
	}
}
