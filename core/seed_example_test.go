package core_test

// The seed's JavaScript snippets (shared/seed/000_ada6ac421127cc89.txt), one
// by one, in Go, against the embedded center on a fake clock. Each example
// prints what the seed's success/failure callbacks would log, plus the facts
// an agent would notice, and its Output comment asserts them.

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/agentdesk/agentdesk/core"
	"github.com/agentdesk/agentdesk/core/centertest"
)

// --- Obtaining an agent ----------------------------------------------------

// connect.agent(callback): the callback fires once the agent is initialized,
// or at once when it already is.
func ExampleClient_OnAgent() {
	env := centertest.New(nil, nil, "alice")
	defer env.Close()
	ctx := centertest.Ctx()

	// A CCP for bob that is not started yet: the callback waits for the
	// first agent data.
	session, err := env.Center.Session("bob")
	if err != nil {
		panic(err)
	}
	client := core.NewClient(session, core.WithClock(env.Clock), core.WithLogger(centertest.Quiet))
	defer client.Close()
	var calls atomic.Int32
	client.OnAgent(func(agent *core.Agent) {
		calls.Add(1)
		fmt.Println("connect.agent callback:", agent.Name(), "is", agent.State().Name)
	})
	fmt.Println("callback registered, calls so far:", calls.Load())
	if err := client.Start(ctx); err != nil {
		panic(err)
	}
	_ = client.Sync(ctx)

	// Later agent data does not call it again.
	bob, _ := client.Agent()
	_ = bob.SetState(ctx, env.State("Break"))
	_ = client.Sync(ctx)
	fmt.Println("calls after a state change:", calls.Load())

	// alice's client is already initialized: the callback fires at once.
	done := make(chan struct{})
	env.Client.OnAgent(func(agent *core.Agent) {
		fmt.Println("connect.agent callback:", agent.Name(), "is", agent.State().Name)
		close(done)
	})
	if _, ok := waitFor(done); !ok {
		fmt.Println("the callback never fired")
	}

	// Output:
	// callback registered, calls so far: 0
	// connect.agent callback: Bob Okafor is Available
	// calls after a state change: 1
	// connect.agent callback: Alice Martin is Offline
}

// new connect.Agent(): only once the agent is initialized; logging out
// uninitializes it.
func ExampleClient_Agent() {
	env := centertest.New(nil, nil, "alice")
	defer env.Close()
	ctx := centertest.Ctx()

	session, err := env.Center.Session("bob")
	if err != nil {
		panic(err)
	}
	client := core.NewClient(session, core.WithClock(env.Clock), core.WithLogger(centertest.Quiet))
	defer client.Close()

	_, err = client.Agent()
	fmt.Println("before Start:", err, errors.Is(err, core.ErrNotInitialized))

	if err := client.Start(ctx); err != nil {
		panic(err)
	}
	agent, err := client.Agent()
	if err != nil {
		panic(err)
	}
	fmt.Println("after Start:", agent.Name(), "state", agent.State().Name)

	if err := agent.Logout(ctx); err != nil {
		panic(err)
	}
	_, err = client.Agent()
	fmt.Println("after logout:", errors.Is(err, core.ErrNotInitialized))

	// Output:
	// before Start: agent not initialized: no snapshot from the contact center yet true
	// after Start: Bob Okafor state Available
	// after logout: true
}

// --- Agent state -------------------------------------------------------------

// agent.getState()
func ExampleAgent_State() {
	env := centertest.New(nil, nil, "alice")
	defer env.Close()

	state := env.Agent.State()
	fmt.Println("Agent's current state", state.Name, state.Type)
	fmt.Println("since the start of the session:", state.StartTimestamp.Equal(centertest.Epoch))

	// Output:
	// Agent's current state Offline offline
	// since the start of the session: true
}

// agent.getAgentStates()
func ExampleAgent_AgentStates() {
	env := centertest.New(nil, nil, "alice")
	defer env.Close()

	fmt.Println("All agent states:")
	for _, s := range env.Agent.AgentStates() {
		fmt.Printf("  %s (%s)\n", s.Name, s.Type)
	}

	// Output:
	// All agent states:
	//   Available (routable)
	//   Break (not_routable)
	//   Lunch (not_routable)
	//   Training (not_routable)
	//   Offline (offline)
}

// agent.setState(offlineState, cb, {enqueueNextState: true}): idle, Offline
// applies at once; on a contact it waits until the contact is cleared.
func ExampleAgent_SetState_offline() {
	env := centertest.New(nil, nil, "bob") // bob starts Available
	defer env.Close()
	ctx := centertest.Ctx()
	agent := env.Agent

	setOffline := func() {
		offlineState, _ := findState(agent, ofType(core.AgentStateOffline))
		if err := agent.SetState(ctx, offlineState, core.EnqueueNextState()); err != nil {
			fmt.Println("Failed to set agent state to OFFLINE:", err)
			return
		}
		fmt.Println("Agent state set to OFFLINE")
	}

	fmt.Println("idle:", agent.State().Name)
	setOffline()
	fmt.Println("now:", agent.State().Name)

	// On a call, Offline is enqueued: the call goes on, no new contact is routed.
	available(env)
	ring(env, core.ContactTypeVoice)
	contact := onlyContact(agent)
	_ = contact.Accept(ctx)
	setOffline()
	next, ok := agent.NextState()
	fmt.Println("on a call:", agent.State().Name, "next:", next.Name, ok)
	_ = contact.AgentConnection().Destroy(ctx)
	_ = contact.Clear(ctx)
	env.Settle()
	_, ok = agent.NextState()
	fmt.Println("after clear:", agent.State().Name, "next pending:", ok)

	// Output:
	// idle: Available
	// Agent state set to OFFLINE
	// now: Offline
	// Agent state set to OFFLINE
	// on a call: Busy next: Offline true
	// after clear: Offline next pending: false
}

// agent.setState(routableState, ...): the default routable state is "Available".
func ExampleAgent_SetState_routable() {
	env := centertest.New(nil, nil, "alice") // alice starts Offline
	defer env.Close()
	ctx := centertest.Ctx()
	agent := env.Agent
	env.Events.Take()

	routableState, _ := findState(agent, ofType(core.AgentStateRoutable))
	if err := agent.SetState(ctx, routableState, core.EnqueueNextState()); err != nil {
		fmt.Println("Failed to set agent state to ROUTABLE:", err)
		return
	}
	fmt.Println("Agent state set to", routableState.Name)
	env.Settle()
	fmt.Println("state:", agent.State().Name, agent.State().Type)
	fmt.Println("events:", env.Events.Take())

	// Output:
	// Agent state set to Available
	// state: Available routable
	// events: [agent.routable agent.stateChange Offline>Available]
}

// Changing to a custom state: found by name among agent.getAgentStates().
func ExampleAgent_SetState_customState() {
	env := centertest.New(nil, nil, "alice")
	defer env.Close()
	ctx := centertest.Ctx()
	agent := env.Agent

	for _, targetCustomStateName := range []string{"Break", "Lunch", "your-custom-state"} {
		customState, found := findState(agent, named(targetCustomStateName))
		if !found {
			// The seed would call setState(undefined): nothing to set.
			fmt.Println("Failed to set agent state to", targetCustomStateName, "(not among the agent states)")
			continue
		}
		if err := agent.SetState(ctx, customState, core.EnqueueNextState()); err != nil {
			fmt.Println("Failed to set agent state to", targetCustomStateName)
			continue
		}
		fmt.Println("Agent state set to", agent.State().Name)
	}

	// Asking the center for a state that does not exist is refused.
	err := agent.SetState(ctx, core.AgentState{Name: "your-custom-state", Type: core.AgentStateNotRoutable})
	var ce *core.CenterError
	fmt.Println("center refuses:", errors.As(err, &ce), ce.Type)
	fmt.Println("state unchanged:", agent.State().Name)

	// Output:
	// Agent state set to Break
	// Agent state set to Lunch
	// Failed to set agent state to your-custom-state (not among the agent states)
	// center refuses: true InvalidParameterException
	// state unchanged: Lunch
}

// --- Contacts ----------------------------------------------------------------

// connect.contact(callback): a new contact routed to the agent.
func ExampleClient_OnContact() {
	env := centertest.New(nil, nil, "alice")
	defer env.Close()
	available(env)

	env.Client.OnContact(func(contact *core.Contact) {
		fmt.Printf("New contact detected: {contactId: %s, initialContactId: %s, type: %s, subType: %s}\n",
			contact.ContactID(), contact.InitialContactID(), contact.Type(), contact.Subtype())
	})
	id := ring(env, core.ContactTypeVoice)
	fmt.Println("the contact that arrived in Support:", id)

	// A listener registered later is told about the contacts already there.
	seen := make(chan string, 1)
	env.Client.OnContact(func(contact *core.Contact) { seen <- contact.ContactID() })
	late, _ := waitFor(seen)
	fmt.Println("late listener saw:", late)

	// Output:
	// New contact detected: {contactId: contact-1, initialContactId: contact-1, type: voice, subType: connect:Telephony}
	// the contact that arrived in Support: contact-1
	// late listener saw: contact-1
}

// The accept button: shown for an inbound softphone call while it rings,
// hidden once it is connected.
func ExampleShouldShowAcceptButton() {
	env := centertest.New(nil, nil, "alice")
	defer env.Close()
	stop := watchAcceptButton(env.Client)
	defer stop()
	available(env)

	ring(env, core.ContactTypeVoice)
	_ = onlyContact(env.Agent).Accept(centertest.Ctx())
	env.Settle()

	// Output:
	// voice connecting: showAcceptButton()
	// voice connected: hideAcceptButton()
}

// A queued callback comes in as incoming: the button shows then, and hides
// while the center dials the customer.
func ExampleShouldShowAcceptButton_queuedCallback() {
	env := centertest.New(nil, nil, "alice")
	defer env.Close()
	stop := watchAcceptButton(env.Client)
	defer stop()
	available(env)

	ring(env, core.ContactTypeQueueCallback)
	_ = onlyContact(env.Agent).Accept(centertest.Ctx())
	env.Settle()
	env.Advance(4 * time.Second) // the customer answers

	// Output:
	// queue_callback incoming: showAcceptButton()
	// queue_callback connecting: hideAcceptButton()
	// queue_callback connected: hideAcceptButton()
}

// A chat shows the button while connecting.
func ExampleShouldShowAcceptButton_chat() {
	env := centertest.New(nil, nil, "alice")
	defer env.Close()
	stop := watchAcceptButton(env.Client)
	defer stop()
	available(env)

	ring(env, core.ContactTypeChat)
	_ = onlyContact(env.Agent).Accept(centertest.Ctx())
	env.Settle()

	// Output:
	// chat connecting: showAcceptButton()
	// chat connected: hideAcceptButton()
}

// A task shows the button while connecting.
func ExampleShouldShowAcceptButton_task() {
	env := centertest.New(nil, nil, "alice")
	defer env.Close()
	stop := watchAcceptButton(env.Client)
	defer stop()
	available(env)

	ring(env, core.ContactTypeTask)
	_ = onlyContact(env.Agent).Accept(centertest.Ctx())
	env.Settle()

	// Output:
	// task connecting: showAcceptButton()
	// task connected: hideAcceptButton()
}

// A deskphone agent answers on the deskphone: never an accept button.
func ExampleShouldShowAcceptButton_deskphone() {
	env := centertest.New(nil, nil, "carmen") // deskphone, starts Available
	defer env.Close()
	stop := watchAcceptButton(env.Client)
	defer stop()

	ring(env, core.ContactTypeVoice)
	contact := onlyContact(env.Agent)
	fmt.Println("softphone call:", contact.IsSoftphoneCall(), "inbound:", contact.IsInbound())
	env.Advance(3 * time.Second) // the deskphone picks up

	// Output:
	// voice connecting: hideAcceptButton()
	// softphone call: false inbound: true
	// voice connected: hideAcceptButton()
}

// A supervisor's monitoring contact: never an accept button.
func ExampleShouldShowAcceptButton_monitoring() {
	env := centertest.New(nil, nil, "alice")
	defer env.Close()
	ctx := centertest.Ctx()
	samClient, sam := env.Login(nil, "sam")
	defer samClient.Close()
	stop := watchAcceptButton(samClient)
	defer stop()

	available(env)
	id := ring(env, core.ContactTypeVoice)
	_ = onlyContact(env.Agent).Accept(ctx)
	env.Settle()

	if err := sam.MonitorContact(ctx, id, core.MonitoringSilentMonitor); err != nil {
		fmt.Println("monitor:", err)
		return
	}
	_ = samClient.Sync(ctx)
	ac := onlyContact(sam).AgentConnection()
	fmt.Println("sam's connection:", ac.Type(), ac.MonitorStatus())
	env.Advance(time.Second) // sam joins
	_ = samClient.Sync(ctx)

	// Output:
	// voice connecting: hideAcceptButton()
	// sam's connection: monitoring SILENT_MONITOR
	// voice connected: hideAcceptButton()
}

// agentConnection.destroy(): the agent leaves the contact, which ends (ACW).
func ExampleConnection_Destroy() {
	env := centertest.New(nil, nil, "alice")
	defer env.Close()
	ctx := centertest.Ctx()
	available(env)
	ring(env, core.ContactTypeVoice)
	contact := onlyContact(env.Agent)
	_ = contact.Accept(ctx)

	agentConnection := contact.AgentConnection()
	if err := agentConnection.Destroy(ctx); err != nil {
		fmt.Println("Failed to disconnect from the contact:", err)
		return
	}
	fmt.Println("Disconnected from the contact")
	fmt.Println("contact:", contact.State().Type, "agent connection:", agentConnection.State().Type)
	fmt.Println("agent:", env.Agent.State().Name)

	// Output:
	// Disconnected from the contact
	// contact: ended agent connection: disconnected
	// agent: AfterCallWork
}

// contact.onEnded(c => c.clear()) then destroy: the contact is cleared as
// soon as it ends and the agent is back in the state they had chosen.
func ExampleContact_OnEnded() {
	env := centertest.New(nil, nil, "alice")
	defer env.Close()
	ctx := centertest.Ctx()
	available(env)
	ring(env, core.ContactTypeVoice)
	contact := onlyContact(env.Agent)
	_ = contact.Accept(ctx)

	agentConnection := contact.AgentConnection()
	cleared := make(chan error, 1)
	destroyed := make(chan struct{})
	contact.OnEnded(func(c *core.Contact) {
		cleared <- c.Clear(centertest.Ctx()) // handlers may call the API
	})
	contact.OnDestroy(func(*core.Contact) { close(destroyed) })

	if err := agentConnection.Destroy(ctx); err != nil {
		fmt.Println("Failed to disconnect from the contact:", err)
		return
	}
	fmt.Println("Disconnected from the contact")
	if err, ok := waitFor(cleared); !ok || err != nil {
		fmt.Println("Failed to clear contact:", err)
		return
	}
	fmt.Println("Contact cleared")
	_, ok := waitFor(destroyed)
	fmt.Println("contact gone:", ok, !contact.Exists(), len(env.Agent.Contacts()))
	fmt.Println("agent:", env.Agent.State().Name)

	// Output:
	// Disconnected from the contact
	// Contact cleared
	// contact gone: true true 0
	// agent: Available
}

// --- Quick connects -------------------------------------------------------------

// agent.getEndpoints(defaultOutboundQueueARN)
func ExampleAgent_Endpoints() {
	env := centertest.New(nil, nil, "alice")
	defer env.Close()
	agent := env.Agent

	defaultOutboundQueueARN := agent.RoutingProfile().DefaultOutboundQueue.QueueARN
	endpoints, err := agent.Endpoints(centertest.Ctx(), defaultOutboundQueueARN)
	if err != nil {
		fmt.Println("Failed to retrieve quick connects:", err)
		return
	}
	fmt.Println("Retrieved Quick Connects of", agent.RoutingProfile().DefaultOutboundQueue.Name)
	printEndpoints(endpoints)

	// Output:
	// Retrieved Quick Connects of Outbound
	//   Escalations desk (phone_number) +12025550142
	//   Echo test (phone_number) +12025550100
	//   Card services (phone_number) +442079460321
}

// agent.getEndpoints(agent.getAllQueueARNs())
func ExampleAgent_Endpoints_allQueues() {
	env := centertest.New(nil, nil, "alice")
	defer env.Close()
	agent := env.Agent

	routingProfileQueueARNs := agent.AllQueueARNs()
	endpoints, err := agent.Endpoints(centertest.Ctx(), routingProfileQueueARNs...)
	if err != nil {
		fmt.Println("Failed to retrieve quick connects:", err)
		return
	}
	fmt.Println("Retrieved Quick Connects of", len(routingProfileQueueARNs), "queues")
	printEndpoints(endpoints)

	// Output:
	// Retrieved Quick Connects of 3 queues
	//   Escalations desk (phone_number) +12025550142
	//   Echo test (phone_number) +12025550100
	//   Sales queue (queue)
	//   Bob Okafor (agent)
	//   Alice Martin (agent)
	//   Card services (phone_number) +442079460321
	//   Support queue (queue)
}

// agent.getEndpoints(contact.getQueue().queueARN)
func ExampleAgent_Endpoints_contactQueue() {
	env := centertest.New(nil, nil, "alice")
	defer env.Close()
	agent := env.Agent
	available(env)
	ring(env, core.ContactTypeVoice)
	contact := onlyContact(agent)

	currentContactQueueARN := contact.Queue().QueueARN
	endpoints, err := agent.Endpoints(centertest.Ctx(), currentContactQueueARN)
	if err != nil {
		fmt.Println("Failed to retrieve quick connects:", err)
		return
	}
	fmt.Println("Retrieved Quick Connects of", contact.Queue().Name)
	printEndpoints(endpoints)

	// Output:
	// Retrieved Quick Connects of Support
	//   Escalations desk (phone_number) +12025550142
	//   Echo test (phone_number) +12025550100
	//   Sales queue (queue)
	//   Bob Okafor (agent)
	//   Alice Martin (agent)
}

// Native CCP behaviour: every routing-profile queue and the default outbound
// queue, each quick connect once.
func ExampleAgent_Endpoints_nativeCCP() {
	env := centertest.New(nil, nil, "alice")
	defer env.Close()
	agent := env.Agent

	defaultOutboundQueueARN := agent.RoutingProfile().DefaultOutboundQueue.QueueARN
	routingProfileQueueARNs := agent.AllQueueARNs()
	endpoints, err := agent.Endpoints(centertest.Ctx(), append(routingProfileQueueARNs, defaultOutboundQueueARN)...)
	if err != nil {
		fmt.Println("Failed to retrieve quick connects:", err)
		return
	}
	fmt.Println("Retrieved Quick Connects")
	printEndpoints(endpoints)

	// Output:
	// Retrieved Quick Connects
	//   Escalations desk (phone_number) +12025550142
	//   Echo test (phone_number) +12025550100
	//   Sales queue (queue)
	//   Bob Okafor (agent)
	//   Alice Martin (agent)
	//   Card services (phone_number) +442079460321
	//   Support queue (queue)
}

// --- Outbound calls ------------------------------------------------------------

// agent.connect(connect.Endpoint.byPhoneNumber("+18005550100"))
func ExampleAgent_Connect() {
	env := centertest.New(nil, nil, "alice")
	defer env.Close()
	agent := env.Agent

	endpoint := core.EndpointByPhoneNumber("+18005550100")
	contactID, err := agent.Connect(centertest.Ctx(), endpoint)
	if err != nil {
		fmt.Println("Failed to start an outbound call:", err)
		return
	}
	fmt.Println("Started an outbound call")
	contact := onlyContact(agent)
	fmt.Println("contact ID returned:", contactID == contact.ContactID())
	fmt.Println("dialling:", contact.State().Type, "inbound:", contact.IsInbound(), "agent:", agent.State().Name)
	fmt.Println("customer:", contact.InitialConnection().Endpoint().PhoneNumber)

	env.Advance(4 * time.Second) // the customer answers
	fmt.Println("answered:", contact.State().Type, "agent:", agent.State().Name)

	// Output:
	// Started an outbound call
	// contact ID returned: true
	// dialling: connecting inbound: false agent: CallingCustomer
	// customer: +18005550100
	// answered: connected agent: Busy
}

// A number that does not exist: the call fails at once with BadAddressCustomer.
func ExampleAgent_Connect_invalidNumber() {
	env := centertest.New(nil, nil, "alice")
	defer env.Close()
	agent := env.Agent

	_, err := agent.Connect(centertest.Ctx(), core.EndpointByPhoneNumber("+15551234567"))
	fmt.Println("connect error:", err)
	fmt.Println("agent:", agent.State().Name, agent.State().Type)
	fmt.Println("contact:", onlyContact(agent).State().Type)
	env.Advance(3 * time.Second) // the center clears the failed call
	fmt.Println("then:", agent.State().Name, len(agent.Contacts()))

	// Output:
	// connect error: <nil>
	// agent: BadAddressCustomer error
	// contact: error
	// then: Offline 0
}

// A string that is not an E.164 number is refused with BadEndpointException.
func ExampleAgent_Connect_notE164() {
	env := centertest.New(nil, nil, "alice")
	defer env.Close()
	agent := env.Agent

	_, err := agent.Connect(centertest.Ctx(), core.EndpointByPhoneNumber("800-555-0100"))
	var ce *core.CenterError
	if errors.As(err, &ce) {
		fmt.Println("Failed to start an outbound call:", ce.Type)
	}
	fmt.Println("agent:", agent.State().Name, "contacts:", len(agent.Contacts()))

	// Output:
	// Failed to start an outbound call: BadEndpointException
	// agent: Offline contacts: 0
}

// Filter the external quick connects of the default outbound queue and call
// the first one.
func ExampleAgent_Connect_quickConnect() {
	env := centertest.New(nil, nil, "alice")
	defer env.Close()
	ctx := centertest.Ctx()
	agent := env.Agent

	endpoints, err := agent.Endpoints(ctx, agent.RoutingProfile().DefaultOutboundQueue.QueueARN)
	if err != nil {
		fmt.Println("Failed to retrieve quick connects:", err)
		return
	}
	var filteredEndpoints []core.Endpoint
	for _, endpoint := range endpoints {
		if endpoint.Type == core.EndpointPhoneNumber {
			filteredEndpoints = append(filteredEndpoints, endpoint)
		}
	}
	endpoint := filteredEndpoints[0]
	if _, err := agent.Connect(ctx, endpoint); err != nil {
		fmt.Println("Failed to start an outbound call:", err)
		return
	}
	fmt.Println("Started an outbound call to", endpoint.Name)
	customer := onlyContact(agent).InitialConnection().Endpoint()
	fmt.Println("dialling", customer.Name, customer.PhoneNumber, "agent:", agent.State().Name)
	env.Advance(4 * time.Second)
	fmt.Println("agent:", agent.State().Name)

	// Output:
	// Started an outbound call to Escalations desk
	// dialling Escalations desk +12025550142 agent: CallingCustomer
	// agent: Busy
}

// --- Logout ------------------------------------------------------------------------

// handleLogoutButtonClick is the seed's function: go Offline (enqueued), then
// log out.
func handleLogoutButtonClick(ctx context.Context, client *core.Client) error {
	agent, err := client.Agent()
	if err != nil {
		return err
	}
	if agent.State().Type == core.AgentStateOffline {
		return agent.Logout(ctx)
	}
	if err := setAgentOffline(ctx, client); err != nil {
		return err
	}
	return agent.Logout(ctx)
}

func setAgentOffline(ctx context.Context, client *core.Client) error {
	agent, err := client.Agent()
	if err != nil {
		return err
	}
	offlineState, ok := findState(agent, ofType(core.AgentStateOffline))
	if !ok {
		return errors.New("no offline state")
	}
	return agent.SetState(ctx, offlineState, core.EnqueueNextState())
}

// Set the agent Offline and log out.
func ExampleAgent_Logout() {
	env := centertest.New(nil, nil, "bob") // bob starts Available
	defer env.Close()
	offline := make(chan struct{}, 1)
	env.Agent.OnOffline(func(*core.Agent) { offline <- struct{}{} })

	if err := handleLogoutButtonClick(centertest.Ctx(), env.Client); err != nil {
		fmt.Println("logout failed:", err)
		return
	}
	_, wentOffline := waitFor(offline)
	fmt.Println("went offline:", wentOffline)
	_, err := env.Client.Agent()
	fmt.Println("agent after logout:", errors.Is(err, core.ErrNotInitialized))
	fmt.Println("commands refused:", errors.Is(env.Agent.SetState(centertest.Ctx(), env.State("Available")), core.ErrSessionEnded))

	// Output:
	// went offline: true
	// agent after logout: true
	// commands refused: true
}

// Logging out during a call: Offline is enqueued and the session ends only
// once the call is cleared.
func ExampleAgent_Logout_onCall() {
	env := centertest.New(nil, nil, "alice")
	defer env.Close()
	ctx := centertest.Ctx()
	available(env)
	ring(env, core.ContactTypeVoice)
	contact := onlyContact(env.Agent)
	_ = contact.Accept(ctx)

	if err := handleLogoutButtonClick(ctx, env.Client); err != nil {
		fmt.Println("logout failed:", err)
		return
	}
	agent, err := env.Client.Agent()
	next, _ := agent.NextState()
	fmt.Println("still on the call:", err == nil, agent.State().Name, "next:", next.Name)

	_ = contact.AgentConnection().Destroy(ctx)
	_, err = env.Client.Agent()
	fmt.Println("after hanging up:", err == nil, agent.State().Name)

	_ = contact.Clear(ctx)
	_, err = env.Client.Agent()
	fmt.Println("after clearing:", errors.Is(err, core.ErrNotInitialized))

	// Output:
	// still on the call: true Busy next: Offline
	// after hanging up: true AfterCallWork
	// after clearing: true
}

// --- Configuration ----------------------------------------------------------------

// Enable softphone for the agent.
func ExampleAgent_SetConfiguration() {
	env := centertest.New(nil, nil, "carmen") // deskphone
	defer env.Close()
	agent := env.Agent

	config := agent.Configuration()
	fmt.Println("softphone before:", config.SoftphoneEnabled)
	newConfig := config
	newConfig.SoftphoneEnabled = true
	if err := agent.SetConfiguration(centertest.Ctx(), newConfig); err != nil {
		fmt.Println("Failed to update agent configuration:", err)
		return
	}
	fmt.Println("Updated agent configuration")
	fmt.Println("softphone after:", agent.Configuration().SoftphoneEnabled)

	// Output:
	// softphone before: false
	// Updated agent configuration
	// softphone after: true
}

// Change the agent's extension number. The seed's "+11234567890" is not a
// valid number (area code 123 does not exist), so the center refuses it; a
// real one is accepted.
func ExampleAgent_SetConfiguration_extension() {
	env := centertest.New(nil, nil, "alice") // softphone
	defer env.Close()
	agent := env.Agent

	for _, extension := range []string{"+11234567890", "+12025550175"} {
		newConfig := agent.Configuration()
		newConfig.SoftphoneEnabled = false
		newConfig.Extension = extension
		err := agent.SetConfiguration(centertest.Ctx(), newConfig)
		var ce *core.CenterError
		switch {
		case errors.As(err, &ce):
			fmt.Println(extension+": Failed to update agent configuration:", ce.Type)
		case err != nil:
			fmt.Println(extension+": Failed to update agent configuration:", err)
		default:
			fmt.Println(extension + ": Updated agent configuration")
		}
		cfg := agent.Configuration()
		fmt.Printf("  softphone %v, extension %q\n", cfg.SoftphoneEnabled, cfg.Extension)
	}

	// Output:
	// +11234567890: Failed to update agent configuration: InvalidConfigurationException
	//   softphone true, extension ""
	// +12025550175: Updated agent configuration
	//   softphone false, extension "+12025550175"
}

// Set the agent's preferred language.
func ExampleAgent_SetConfiguration_locale() {
	env := centertest.New(nil, nil, "carmen") // es_ES
	defer env.Close()
	agent := env.Agent

	fmt.Println("locale:", agent.Configuration().AgentPreferences.Locale)
	for _, locale := range []string{"en_US", "xx_XX"} {
		newConfig := agent.Configuration()
		newConfig.AgentPreferences = core.AgentPreferences{Locale: locale}
		if err := agent.SetConfiguration(centertest.Ctx(), newConfig); err != nil {
			fmt.Println(locale+": Failed to update agent configuration:",
				core.IsCenterError(err, core.ErrTypeInvalidLocale))
		} else {
			fmt.Println(locale + ": Updated agent configuration")
		}
		fmt.Println("locale:", agent.Configuration().AgentPreferences.Locale)
	}

	// Output:
	// locale: es_ES
	// en_US: Updated agent configuration
	// locale: en_US
	// xx_XX: Failed to update agent configuration: true
	// locale: en_US
}

// --- Audio devices (the device snippets belong to a later issue) -------------

// Without an audio engine there are no devices to list or choose.
func TestSeedDevicesNeedAnAudioEngine(t *testing.T) {
	env := centertest.New(t, nil, "alice")
	devices, err := env.Client.MediaDevices()
	if !errors.Is(err, core.ErrNoMedia) || devices != nil {
		t.Fatalf("MediaDevices() = %v, %v; want nil, ErrNoMedia", devices, err)
	}
	var changed atomic.Int32
	env.Agent.OnSpeakerDeviceChanged(func(string) { changed.Add(1) })
	env.Agent.OnRingerDeviceChanged(func(string) { changed.Add(1) })
	env.Agent.OnMicrophoneDeviceChanged(func(string) { changed.Add(1) })
	for name, set := range map[string]func(string) error{
		"SetSpeakerDevice":    env.Agent.SetSpeakerDevice,
		"SetRingerDevice":     env.Agent.SetRingerDevice,
		"SetMicrophoneDevice": env.Agent.SetMicrophoneDevice,
	} {
		if err := set("default"); !errors.Is(err, core.ErrNoMedia) {
			t.Errorf("%s: got %v, want an error wrapping ErrNoMedia", name, err)
		}
	}
	env.Settle()
	if n := changed.Load(); n != 0 {
		t.Errorf("%d device-changed events fired for devices that were not set", n)
	}
}
