package core

import (
	"context"
	"time"
)

// Backend is a contact center seen by one agent session: snapshots come in,
// commands go out. The embedded center and the network client both implement
// it, so core does not know which one it talks to.
type Backend interface {
	// Subscribe delivers every snapshot of this session to fn, in order, on
	// one goroutine, and connection status changes to status. It returns once
	// the subscription is registered; the first snapshot follows.
	Subscribe(fn func(Snapshot), status func(ConnectionStatus)) (unsubscribe func())
	// Do carries out one command and returns its result. A refusal is a
	// *CenterError.
	Do(ctx context.Context, cmd Command) (Result, error)
	// Close ends the session.
	Close() error
}

// Snapshot is everything one agent session can see at one moment.
type Snapshot struct {
	Seq      int64         `json:"seq"`
	Time     time.Time     `json:"time"`
	Agent    AgentData     `json:"agent"`
	Contacts []ContactData `json:"contacts"`
	Ended    bool          `json:"ended,omitempty"` // the session is over (logout, taken over)
	Reason   string        `json:"reason,omitempty"`
}

// AgentData is the agent part of a snapshot.
type AgentData struct {
	State         AgentState    `json:"state"`
	NextState     *AgentState   `json:"nextState,omitempty"`
	Configuration Configuration `json:"configuration"`
	// AfterContactWorkTimeout is 0 for unlimited.
	AfterContactWorkTimeout time.Duration `json:"acwTimeout"`
}

// ContactData is one contact as the agent sees it.
type ContactData struct {
	ContactID        string            `json:"contactId"`
	InitialContactID string            `json:"initialContactId"`
	Type             ContactType       `json:"type"`
	Subtype          string            `json:"subtype,omitempty"`
	State            ContactState      `json:"state"`
	Queue            Queue             `json:"queue"`
	Attributes       map[string]string `json:"attributes,omitempty"`
	Connections      []ConnectionData  `json:"connections"`
	Inbound          bool              `json:"inbound"`
	Softphone        bool              `json:"softphone"`
	Accepted         bool              `json:"accepted"`
	Name             string            `json:"name,omitempty"`
	Description      string            `json:"description,omitempty"`
	References       []Reference       `json:"references,omitempty"`
	Messages         []ChatMessage     `json:"messages,omitempty"`
	// ACWDeadline is when after-contact work ends by itself; zero when unlimited.
	ACWDeadline time.Time `json:"acwDeadline,omitzero"`
	// TransferredTo names whom the agent handed the contact to, once they
	// did: a cold transfer's destination, or the parties left talking when
	// the agent left a conference. Empty otherwise.
	TransferredTo string `json:"transferredTo,omitempty"`
}

// ConnectionData is one party of a contact.
type ConnectionData struct {
	ConnectionID  string          `json:"connectionId"`
	Type          ConnectionType  `json:"type"`
	State         ConnectionState `json:"state"`
	Endpoint      Endpoint        `json:"endpoint"`
	Initial       bool            `json:"initial"`
	MonitorStatus MonitoringMode  `json:"monitorStatus,omitempty"`
}

// CommandKind names what a command asks the center to do.
type CommandKind string

// Command kinds.
const (
	CmdSetState          CommandKind = "setState"
	CmdSetConfiguration  CommandKind = "setConfiguration"
	CmdGetEndpoints      CommandKind = "getEndpoints"
	CmdConnect           CommandKind = "connect"
	CmdAccept            CommandKind = "accept"
	CmdReject            CommandKind = "reject"
	CmdClear             CommandKind = "clear"
	CmdAddConnection     CommandKind = "addConnection"
	CmdTransfer          CommandKind = "transfer"
	CmdToggleActive      CommandKind = "toggleActiveConnections"
	CmdConference        CommandKind = "conferenceConnections"
	CmdSendMessage       CommandKind = "sendMessage"
	CmdDestroyConnection CommandKind = "destroyConnection"
	CmdHold              CommandKind = "hold"
	CmdResume            CommandKind = "resume"
	CmdSendDigits        CommandKind = "sendDigits"
	CmdSoftphoneError    CommandKind = "softphoneError"
	CmdMonitor           CommandKind = "monitor"
	CmdLogout            CommandKind = "logout"
	CmdSync              CommandKind = "sync" // changes nothing; returns the latest snapshot's Seq
	CmdMediaOffer        CommandKind = "mediaOffer"
)

// Command is one request from the agent to the center. Only the fields the
// kind needs are set.
type Command struct {
	Kind          CommandKind        `json:"kind"`
	State         *AgentState        `json:"state,omitempty"`
	Enqueue       bool               `json:"enqueueNextState,omitempty"`
	Configuration *Configuration     `json:"configuration,omitempty"`
	QueueARNs     []string           `json:"queueARNs,omitempty"`
	Endpoint      *Endpoint          `json:"endpoint,omitempty"`
	QueueARN      string             `json:"queueARN,omitempty"`
	ContactID     string             `json:"contactId,omitempty"`
	ConnectionID  string             `json:"connectionId,omitempty"`
	Digits        string             `json:"digits,omitempty"`
	Text          string             `json:"text,omitempty"`
	SoftphoneErr  SoftphoneErrorType `json:"softphoneError,omitempty"`
	Monitoring    MonitoringMode     `json:"monitoring,omitempty"`
}

// Result is what a command returns. Seq is the snapshot that shows its effect;
// the client waits for it so that getters agree with what just happened.
type Result struct {
	Seq       int64      `json:"seq"`
	ContactID string     `json:"contactId,omitempty"`
	Endpoints []Endpoint `json:"endpoints,omitempty"`
	SDP       string     `json:"sdp,omitempty"` // the center's answer to a media offer
}
