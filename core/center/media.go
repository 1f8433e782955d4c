package center

import "context"

// MediaServer carries the calls' audio. The center tells it who is on each
// voice contact and how; the server builds the peers and mixes. The center
// runs without one (model only) when none is given.
type MediaServer interface {
	// AnswerAgent answers the SDP offer of an agent's softphone for a contact.
	// It is built while the contact rings; audio flows once the center's
	// Update says the agent is talking.
	AnswerAgent(ctx context.Context, contactID, login, offer string) (answer string, err error)
	// Update gives the parties of a contact now. Calls come in order, on one
	// goroutine, and must not call back into the center.
	Update(contactID string, parties []MediaParty)
	// End drops every peer of a contact.
	End(contactID string)
}

// MediaRole is what a party is to the call.
type MediaRole string

// Media roles.
const (
	RoleCustomer   MediaRole = "customer"
	RoleAgent      MediaRole = "agent"
	RoleThirdParty MediaRole = "third_party"
	RoleMonitor    MediaRole = "monitor"
)

// MediaParty is one party of a voice contact as the media server sees it.
type MediaParty struct {
	ID     string    // connection ID; for agents and monitors, the agent's login
	Role   MediaRole //
	Name   string    // who it is, for prompts and logs
	Number string    // a customer's or third party's phone number
	// Talking: connected and not on hold, so heard by and hearing the others
	// who talk.
	Talking bool
	// OnHold: hears hold music and is heard by nobody.
	OnHold bool
	// Listening: a silent monitor hears everyone who talks and is heard by
	// nobody. A barging monitor is Talking instead.
	Listening bool
	// Link, for a customer or third party who is another agent (the two
	// ends of an agent-to-agent consult, each a contact of its own), names
	// the party that agent's contact has for this one. The media server
	// joins the two: what this party hears is what the other party says on
	// the other contact, and the other way round. It is set only while the
	// other agent's contact carries audio (a softphone call).
	Link MediaLink
}

// MediaLink names a party on another contact; the zero value names none.
type MediaLink struct {
	ContactID, PartyID string
}

// EchoTestNumber is the number of the echo test: whoever calls it hears
// themselves back. The default instance has it as the "Echo test" quick connect.
const EchoTestNumber = "+12025550100"

// WithMedia connects the center to a media server.
func WithMedia(m MediaServer) Option { return func(c *Center) { c.media = m } }
