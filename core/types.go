// Package core is the observable agent model: the Amazon Connect Streams agent
// API in Go. It talks to a contact center through a Backend (snapshots in,
// commands out) and imports neither Fyne nor malgo.
package core

import (
	"time"
)

// AgentStateType is the kind of an agent state, with the seed's wire values.
type AgentStateType string

// Agent state types.
const (
	AgentStateTypeInit        AgentStateType = "init"
	AgentStateTypeRoutable    AgentStateType = "routable"
	AgentStateTypeNotRoutable AgentStateType = "not_routable"
	AgentStateTypeOffline     AgentStateType = "offline"
	AgentStateTypeSystem      AgentStateType = "system"
	AgentStateTypeError       AgentStateType = "error"
)

// Short aliases used in the spec (core.AgentStateOffline == "offline").
const (
	AgentStateInit        = AgentStateTypeInit
	AgentStateRoutable    = AgentStateTypeRoutable
	AgentStateNotRoutable = AgentStateTypeNotRoutable
	AgentStateOffline     = AgentStateTypeOffline
	AgentStateSystem      = AgentStateTypeSystem
	AgentStateError       = AgentStateTypeError
)

// System state names.
const (
	StateInit             = "Init"
	StateBusy             = "Busy"
	StateAfterCallWork    = "AfterCallWork"
	StateCallingCustomer  = "CallingCustomer"
	StateDialing          = "Dialing"
	StateJoining          = "Joining"
	StatePendingAvailable = "PendingAvailable"
	StatePendingBusy      = "PendingBusy"
)

// Error state names.
const (
	StateError                      = "Error"
	StateAgentHungUp                = "AgentHungUp"
	StateBadAddressAgent            = "BadAddressAgent"
	StateBadAddressCustomer         = "BadAddressCustomer"
	StateDefault                    = "Default"
	StateFailedConnectAgent         = "FailedConnectAgent"
	StateFailedConnectCustomer      = "FailedConnectCustomer"
	StateInvalidLocale              = "InvalidLocale"
	StateLineEngagedAgent           = "LineEngagedAgent"
	StateLineEngagedCustomer        = "LineEngagedCustomer"
	StateMissedCallAgent            = "MissedCallAgent"
	StateMissedCallCustomer         = "MissedCallCustomer"
	StateMultipleCcpWindows         = "MultipleCcpWindows"
	StateRealtimeCommunicationError = "RealtimeCommunicationError"
)

// SystemStates lists every system state name.
var SystemStates = []string{StateInit, StateBusy, StateAfterCallWork, StateCallingCustomer,
	StateDialing, StateJoining, StatePendingAvailable, StatePendingBusy}

// ErrorStates lists every error state name.
var ErrorStates = []string{StateError, StateAgentHungUp, StateBadAddressAgent, StateBadAddressCustomer,
	StateDefault, StateFailedConnectAgent, StateFailedConnectCustomer, StateInvalidLocale,
	StateLineEngagedAgent, StateLineEngagedCustomer, StateMissedCallAgent, StateMissedCallCustomer,
	StateMultipleCcpWindows, StateRealtimeCommunicationError}

// AgentState is a state an agent is in or may choose.
type AgentState struct {
	ARN            string         `json:"agentStateARN,omitempty"`
	Name           string         `json:"name"`
	Type           AgentStateType `json:"type"`
	StartTimestamp time.Time      `json:"startTimestamp,omitzero"`
}

// ContactType is the channel of a contact.
type ContactType string

// Contact types.
const (
	ContactTypeVoice         ContactType = "voice"
	ContactTypeQueueCallback ContactType = "queue_callback"
	ContactTypeChat          ContactType = "chat"
	ContactTypeTask          ContactType = "task"
	ContactTypeEmail         ContactType = "email"
)

// ContactStateType is the state of a contact as the agent sees it.
type ContactStateType string

// Contact state types.
const (
	ContactStateInit       ContactStateType = "init"
	ContactStateIncoming   ContactStateType = "incoming"
	ContactStatePending    ContactStateType = "pending"
	ContactStateConnecting ContactStateType = "connecting"
	ContactStateConnected  ContactStateType = "connected"
	ContactStateMissed     ContactStateType = "missed"
	ContactStateError      ContactStateType = "error"
	ContactStateEnded      ContactStateType = "ended"
	ContactStateRejected   ContactStateType = "rejected"
)

// Active reports whether a contact in this state is still live (ringing or talking).
func (t ContactStateType) Active() bool {
	switch t {
	case ContactStateInit, ContactStateIncoming, ContactStatePending, ContactStateConnecting, ContactStateConnected:
		return true
	}
	return false
}

// ContactState is a contact's state and when it began.
type ContactState struct {
	Type      ContactStateType `json:"type"`
	Timestamp time.Time        `json:"timestamp"`
}

// ConnectionType is the role of a connection within a contact.
type ConnectionType string

// Connection types.
const (
	ConnectionTypeAgent      ConnectionType = "agent"
	ConnectionTypeInbound    ConnectionType = "inbound"
	ConnectionTypeOutbound   ConnectionType = "outbound"
	ConnectionTypeMonitoring ConnectionType = "monitoring"
)

// ConnectionStateType is the state of one party's connection.
type ConnectionStateType string

// Connection state types.
const (
	ConnectionStateInit          ConnectionStateType = "init"
	ConnectionStateConnecting    ConnectionStateType = "connecting"
	ConnectionStateConnected     ConnectionStateType = "connected"
	ConnectionStateHold          ConnectionStateType = "hold"
	ConnectionStateDisconnected  ConnectionStateType = "disconnected"
	ConnectionStateSilentMonitor ConnectionStateType = "silent_monitor"
	ConnectionStateBarge         ConnectionStateType = "barge"
)

// ConnectionState is a connection's state and when it began.
type ConnectionState struct {
	Type      ConnectionStateType `json:"type"`
	Timestamp time.Time           `json:"timestamp"`
}

// MonitoringMode is how a supervisor takes part in a contact.
type MonitoringMode string

// Monitoring modes.
const (
	MonitoringSilentMonitor MonitoringMode = "SILENT_MONITOR"
	MonitoringBarge         MonitoringMode = "BARGE"
)

// EndpointType is what an endpoint reaches.
type EndpointType string

// Endpoint types.
const (
	EndpointPhoneNumber EndpointType = "phone_number"
	EndpointAgent       EndpointType = "agent"
	EndpointQueue       EndpointType = "queue"
)

// Endpoint is something a call can be placed or transferred to: a phone
// number, an agent or a queue (a quick connect).
type Endpoint struct {
	ARN         string       `json:"endpointARN,omitempty"`
	Type        EndpointType `json:"type"`
	Name        string       `json:"name,omitempty"`
	PhoneNumber string       `json:"phoneNumber,omitempty"`
	AgentLogin  string       `json:"agentLogin,omitempty"`
	Queue       string       `json:"queue,omitempty"`
}

// EndpointByPhoneNumber is the seed's connect.Endpoint.byPhoneNumber.
func EndpointByPhoneNumber(number string, name ...string) Endpoint {
	e := Endpoint{Type: EndpointPhoneNumber, PhoneNumber: number, Name: number}
	if len(name) > 0 && name[0] != "" {
		e.Name = name[0]
	}
	return e
}

// Queue identifies a queue.
type Queue struct {
	Name     string `json:"name"`
	QueueARN string `json:"queueARN"`
	QueueID  string `json:"queueId"`
}

// RoutingProfileQueue is one queue of a routing profile with its priority
// (1 is served first).
type RoutingProfileQueue struct {
	Queue
	Priority int `json:"priority"`
}

// RoutingProfile is the set of queues an agent takes contacts from.
type RoutingProfile struct {
	Name                 string                `json:"name"`
	RoutingProfileARN    string                `json:"routingProfileARN"`
	DefaultOutboundQueue Queue                 `json:"defaultOutboundQueue"`
	Queues               []RoutingProfileQueue `json:"queues"`
	Channels             map[ContactType]int   `json:"channelConcurrencyMap"`
}

// AgentPreferences are the agent's personal settings.
type AgentPreferences struct {
	Locale string `json:"locale"`
}

// Configuration is the agent's configuration. SoftphoneEnabled, Extension and
// AgentPreferences may be changed with SetConfiguration; the rest is read-only.
type Configuration struct {
	SoftphoneEnabled  bool             `json:"softphoneEnabled"`
	Extension         string           `json:"extension"`
	AgentPreferences  AgentPreferences `json:"agentPreferences"`
	Name              string           `json:"name"`
	Username          string           `json:"username"`
	AgentStates       []AgentState     `json:"agentStates"`
	DialableCountries []string         `json:"dialableCountries"`
	Permissions       []string         `json:"permissions"`
	RoutingProfile    RoutingProfile   `json:"routingProfile"`
}

// Permissions an agent may hold.
const (
	PermissionOutboundCall = "outboundCall"
	PermissionMonitor      = "monitor"
)

// DefaultLocale is an agent's language until someone chooses one.
const DefaultLocale = "en_US"

// Locales are the languages an agent may choose.
var Locales = []string{"en_US", "de_DE", "es_ES", "fr_FR", "ja_JP", "it_IT", "ko_KR", "pt_BR", "zh_CN", "zh_TW"}

// ValidLocale reports whether l is one of Locales.
func ValidLocale(l string) bool {
	for _, v := range Locales {
		if v == l {
			return true
		}
	}
	return false
}

// Reference is a link or value attached to a task.
type Reference struct {
	Name  string `json:"name"`
	Type  string `json:"type"` // URL, STRING, NUMBER, DATE, EMAIL
	Value string `json:"value"`
}

// ChatParticipant says who wrote a chat message.
type ChatParticipant string

// Chat participants.
const (
	ParticipantCustomer ChatParticipant = "CUSTOMER"
	ParticipantAgent    ChatParticipant = "AGENT"
	ParticipantSystem   ChatParticipant = "SYSTEM"
)

// ChatMessage is one line of a chat transcript.
type ChatMessage struct {
	ID          string          `json:"id"`
	Participant ChatParticipant `json:"participantRole"`
	DisplayName string          `json:"displayName"`
	Content     string          `json:"content"`
	Timestamp   time.Time       `json:"absoluteTime"`
}

// MediaDevice is an audio device the softphone can use.
type MediaDevice struct {
	ID        string `json:"deviceId"`
	Name      string `json:"label"`
	Kind      string `json:"kind"` // audioinput or audiooutput
	IsDefault bool   `json:"isDefault"`
}

// Media device kinds.
const (
	MediaKindInput  = "audioinput"
	MediaKindOutput = "audiooutput"
)

// ConnectionStatus is the health of the link between the client and the center.
type ConnectionStatus string

// Connection statuses.
const (
	ConnectionStatusConnected    ConnectionStatus = "connected"
	ConnectionStatusConnecting   ConnectionStatus = "connecting"
	ConnectionStatusDisconnected ConnectionStatus = "disconnected"
	ConnectionStatusFailed       ConnectionStatus = "failed"
)

// SoftphoneErrorType is the seed's connect.SoftphoneErrorTypes.
type SoftphoneErrorType string

// Softphone error types.
const (
	SoftphoneUnsupportedBrowser          SoftphoneErrorType = "unsupported_browser"
	SoftphoneMicrophoneNotShared         SoftphoneErrorType = "microphone_not_shared"
	SoftphoneSignallingHandshakeFailure  SoftphoneErrorType = "signalling_handshake_failure"
	SoftphoneSignallingConnectionFailure SoftphoneErrorType = "signalling_connection_failure"
	SoftphoneICECollectionTimeout        SoftphoneErrorType = "ice_collection_timeout"
	SoftphoneUserBusyError               SoftphoneErrorType = "user_busy_error"
	SoftphoneWebRTCError                 SoftphoneErrorType = "webrtc_error"
	SoftphoneRealtimeCommunicationError  SoftphoneErrorType = "realtime_communication_error"
	SoftphoneOtherError                  SoftphoneErrorType = "other"
)

// SoftphoneError is raised by OnSoftphoneError.
type SoftphoneError struct {
	ErrorType    SoftphoneErrorType `json:"errorType"`
	ErrorMessage string             `json:"errorMessage"`
	EndPointURL  string             `json:"endPointUrl,omitempty"`
	ContactID    string             `json:"contactId,omitempty"`
}

func (e SoftphoneError) Error() string {
	return "softphone " + string(e.ErrorType) + ": " + e.ErrorMessage
}

// StateChange is raised by OnStateChange.
type StateChange struct {
	Old string
	New string
}
