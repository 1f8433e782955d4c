package core

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"time"
)

// Contact is a live view of one contact routed to the agent. After the
// contact is gone its getters keep returning what it last was.
type Contact struct {
	c  *Client
	id string
}

func (ct *Contact) data() ContactData {
	cd, _ := ct.c.contactData(ct.id)
	return cd
}

// ContactID is the contact's ID.
func (ct *Contact) ContactID() string { return ct.id }

// InitialContactID is the ID of the contact this one was transferred from,
// or its own ID.
func (ct *Contact) InitialContactID() string { return ct.data().InitialContactID }

// Type is the contact's channel.
func (ct *Contact) Type() ContactType { return ct.data().Type }

// Subtype is the channel's subtype, such as connect:Telephony.
func (ct *Contact) Subtype() string { return ct.data().Subtype }

// State is the contact's state as the agent sees it.
func (ct *Contact) State() ContactState { return ct.data().State }

// StateDuration is how long the contact has been in its state.
func (ct *Contact) StateDuration() time.Duration {
	ts := ct.State().Timestamp
	if ts.IsZero() {
		return 0
	}
	return max(ct.c.centerNow().Sub(ts), 0)
}

// Queue is the queue the contact came through.
func (ct *Contact) Queue() Queue { return ct.data().Queue }

// Attributes are the contact's attributes.
func (ct *Contact) Attributes() map[string]string { return maps.Clone(ct.data().Attributes) }

// Name is a task's name.
func (ct *Contact) Name() string { return ct.data().Name }

// Description is a task's description.
func (ct *Contact) Description() string { return ct.data().Description }

// References are a task's references.
func (ct *Contact) References() []Reference { return slices.Clone(ct.data().References) }

// Messages is a chat's transcript so far.
func (ct *Contact) Messages() []ChatMessage { return slices.Clone(ct.data().Messages) }

// ACWDeadline is when after-contact work ends by itself; zero when unlimited
// or not in ACW.
func (ct *Contact) ACWDeadline() time.Time { return ct.data().ACWDeadline }

// TransferredTo names whom the agent handed the contact to (a cold
// transfer's destination, or the parties left talking when the agent left
// a conference); empty when they did not.
func (ct *Contact) TransferredTo() string { return ct.data().TransferredTo }

// IsSoftphoneCall reports whether the agent takes this call on the softphone.
func (ct *Contact) IsSoftphoneCall() bool { return ct.data().Softphone }

// IsInbound reports whether the customer called in.
func (ct *Contact) IsInbound() bool { return ct.data().Inbound }

// IsConnected reports whether the contact is connected.
func (ct *Contact) IsConnected() bool { return ct.State().Type == ContactStateConnected }

// Exists reports whether the contact is still among the agent's contacts.
func (ct *Contact) Exists() bool {
	_, ok := ct.c.contactData(ct.id)
	return ok
}

// Connections lists every party of the contact.
func (ct *Contact) Connections() []*Connection {
	cd := ct.data()
	out := make([]*Connection, 0, len(cd.Connections))
	for _, cn := range cd.Connections {
		out = append(out, &Connection{c: ct.c, contactID: ct.id, id: cn.ConnectionID})
	}
	return out
}

func (ct *Contact) findConnection(match func(ConnectionData) bool) *Connection {
	for _, cn := range ct.data().Connections {
		if match(cn) {
			return &Connection{c: ct.c, contactID: ct.id, id: cn.ConnectionID}
		}
	}
	return nil
}

// InitialConnection is the customer's connection, or nil.
func (ct *Contact) InitialConnection() *Connection {
	return ct.findConnection(func(cn ConnectionData) bool { return cn.Initial })
}

// AgentConnection is the agent's own connection (agent or monitoring), or nil.
func (ct *Contact) AgentConnection() *Connection {
	return ct.findConnection(func(cn ConnectionData) bool {
		return cn.Type == ConnectionTypeAgent || cn.Type == ConnectionTypeMonitoring
	})
}

// ThirdPartyConnections lists the parties added after the customer.
func (ct *Contact) ThirdPartyConnections() []*Connection {
	var out []*Connection
	for _, cn := range ct.data().Connections {
		if !cn.Initial && cn.Type != ConnectionTypeAgent && cn.Type != ConnectionTypeMonitoring {
			out = append(out, &Connection{c: ct.c, contactID: ct.id, id: cn.ConnectionID})
		}
	}
	return out
}

func (ct *Contact) do(ctx context.Context, what string, cmd Command) error {
	cmd.ContactID = ct.id
	if _, err := ct.c.do(ctx, cmd); err != nil {
		return fmt.Errorf("%s contact %s: %w", what, ct.id, err)
	}
	return nil
}

// Accept answers a ringing contact.
func (ct *Contact) Accept(ctx context.Context) error {
	return ct.do(ctx, "accept", Command{Kind: CmdAccept})
}

// Reject declines a ringing contact; it goes back to its queue.
func (ct *Contact) Reject(ctx context.Context) error {
	return ct.do(ctx, "reject", Command{Kind: CmdReject})
}

// Clear removes an ended, missed, rejected or failed contact and returns the
// agent to the state they chose.
func (ct *Contact) Clear(ctx context.Context) error {
	return ct.do(ctx, "clear", Command{Kind: CmdClear})
}

// AddConnection calls e as a consult; the customer goes on hold.
func (ct *Contact) AddConnection(ctx context.Context, e Endpoint) error {
	return ct.do(ctx, "add "+endpointLabel(e)+" to", Command{Kind: CmdAddConnection, Endpoint: &e})
}

// Transfer hands the contact to e and ends the agent's part (cold transfer).
func (ct *Contact) Transfer(ctx context.Context, e Endpoint) error {
	return ct.do(ctx, "transfer to "+endpointLabel(e)+" the", Command{Kind: CmdTransfer, Endpoint: &e})
}

// ToggleActiveConnections swaps who is on hold: the customer or the consulted party.
func (ct *Contact) ToggleActiveConnections(ctx context.Context) error {
	return ct.do(ctx, "swap parties of", Command{Kind: CmdToggleActive})
}

// ConferenceConnections joins every party into one conversation.
func (ct *Contact) ConferenceConnections(ctx context.Context) error {
	return ct.do(ctx, "conference", Command{Kind: CmdConference})
}

// SendMessage sends a chat message to the customer.
func (ct *Contact) SendMessage(ctx context.Context, text string) error {
	return ct.do(ctx, "send message on", Command{Kind: CmdSendMessage, Text: text})
}

// NegotiateMedia sends the softphone's SDP offer for this voice contact and
// returns the center's answer. The audio engine calls it while the contact
// rings, so that accepting only has to bridge the call.
func (ct *Contact) NegotiateMedia(ctx context.Context, offer string) (string, error) {
	res, err := ct.c.do(ctx, Command{Kind: CmdMediaOffer, ContactID: ct.id, Text: offer})
	if err != nil {
		return "", fmt.Errorf("set up audio for contact %s: %w", ct.id, err)
	}
	return res.SDP, nil
}

// Contact events.

func (ct *Contact) on(ev string, fn func(*Contact)) func() {
	return ct.c.subs.add(contactKey(ct.id, ev), fn)
}

// OnRefresh fires whenever the contact's data changes.
func (ct *Contact) OnRefresh(fn func(*Contact)) func() { return ct.on(evRefresh, fn) }

// OnIncoming fires when a queued callback is offered.
func (ct *Contact) OnIncoming(fn func(*Contact)) func() { return ct.on(evIncoming, fn) }

// OnPending fires when the contact is pending.
func (ct *Contact) OnPending(fn func(*Contact)) func() { return ct.on(evPending, fn) }

// OnConnecting fires when the contact starts ringing or dialling.
func (ct *Contact) OnConnecting(fn func(*Contact)) func() { return ct.on(evConnecting, fn) }

// OnConnected fires when the contact is connected.
func (ct *Contact) OnConnected(fn func(*Contact)) func() { return ct.on(evConnected, fn) }

// OnAccepted fires when the agent accepts the contact.
func (ct *Contact) OnAccepted(fn func(*Contact)) func() { return ct.on(evAccepted, fn) }

// OnMissed fires when a ringing contact is missed, rejected or fails.
func (ct *Contact) OnMissed(fn func(*Contact)) func() { return ct.on(evMissed, fn) }

// OnEnded fires when the contact stops being active.
func (ct *Contact) OnEnded(fn func(*Contact)) func() { return ct.on(evEnded, fn) }

// OnACW fires when the contact enters after-contact work.
func (ct *Contact) OnACW(fn func(*Contact)) func() { return ct.on(evACW, fn) }

// OnDestroy fires when the contact is gone.
func (ct *Contact) OnDestroy(fn func(*Contact)) func() { return ct.on(evDestroy, fn) }

// OnError fires when the contact fails.
func (ct *Contact) OnError(fn func(*Contact)) func() { return ct.on(evError, fn) }

// OnMessage fires for each new chat message.
func (ct *Contact) OnMessage(fn func(ChatMessage)) func() {
	return ct.c.subs.add(contactKey(ct.id, evMessage), fn)
}

// ShouldShowAcceptButton is the seed's rule for showing Accept.
func ShouldShowAcceptButton(c *Contact) bool {
	state := c.State().Type
	typ := c.Type()
	if typ == ContactTypeQueueCallback || typ == ContactTypeVoice || typ == ContactTypeChat {
		if ac := c.AgentConnection(); ac != nil {
			ms := ac.MonitorStatus()
			if ac.Type() == ConnectionTypeMonitoring || ms == MonitoringSilentMonitor || ms == MonitoringBarge {
				return false
			}
		}
	}
	switch {
	case typ == ContactTypeQueueCallback:
		return state == ContactStateIncoming
	case typ == ContactTypeVoice:
		return c.IsSoftphoneCall() && c.IsInbound() && state == ContactStateConnecting
	}
	return state == ContactStateConnecting
}
