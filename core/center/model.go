package center

import (
	"slices"
	"time"

	"github.com/agentdesk/agentdesk/core"
	"github.com/agentdesk/agentdesk/core/clock"
)

// queue holds contacts waiting for an agent, oldest (or returned) first.
type queue struct {
	core.Queue
	waiting []*contact
	agents  []*agent // agents whose routing profile holds this queue
	quick   []core.Endpoint
	traffic map[core.ContactType]int
}

type profileQueue struct {
	q        *queue
	priority int
}

type profile struct {
	rp          core.RoutingProfile
	queues      []profileQueue // sorted by priority
	concurrency map[core.ContactType]int
}

// agent is one agent of the instance and everything the center knows of them.
type agent struct {
	cfg       AgentConfig
	arn       string
	profile   *profile
	softphone bool
	extension string
	locale    string

	chosen           core.AgentState // the state the agent chose last
	next             *core.AgentState
	pendingAvailable bool   // chose a routable state while a contact was active
	errState         string // an error state overriding everything, or ""
	errLeg           *leg   // the contact the error belongs to, if any
	display          core.AgentState
	idleSince        time.Time
	legs             []*leg
	session          *Session
	logoutPending    bool
}

// channel is the concurrency slot a contact type uses.
func channel(t core.ContactType) core.ContactType {
	if t == core.ContactTypeQueueCallback {
		return core.ContactTypeVoice
	}
	return t
}

func (a *agent) routable() bool {
	return a.session != nil && a.chosen.Type == core.AgentStateTypeRoutable && a.errState == "" &&
		a.next == nil && !a.logoutPending
}

func (a *agent) freeSlot(t core.ContactType) bool {
	ch := channel(t)
	n := 0
	for _, l := range a.legs {
		if channel(l.contact.typ) == ch || l.monitor != "" && ch == core.ContactTypeVoice {
			n++
		}
	}
	return n < a.profile.concurrency[ch]
}

func (a *agent) hasActive() bool {
	return slices.ContainsFunc(a.legs, func(l *leg) bool { return l.state.Type.Active() })
}

func (a *agent) hasActiveVoice() bool {
	return slices.ContainsFunc(a.legs, func(l *leg) bool {
		return l.state.Type.Active() && channel(l.contact.typ) == core.ContactTypeVoice
	})
}

func (a *agent) legFor(contactID string) *leg {
	for _, l := range a.legs {
		if l.contact.id == contactID {
			return l
		}
	}
	return nil
}

func (a *agent) endpoint() core.Endpoint {
	return core.Endpoint{ARN: a.arn, Type: core.EndpointAgent, Name: a.cfg.Name, AgentLogin: a.cfg.Login}
}

// customer is the simulated person behind a contact.
type customer struct {
	name   string
	number string
}

// contact is one customer interaction, shared by every agent leg on it.
type contact struct {
	id         string
	initialID  string
	typ        core.ContactType
	subtype    string
	queue      *queue
	inbound    bool
	cust       customer
	attributes map[string]string
	conns      []*conn // the customer (initial) and third parties
	messages   []core.ChatMessage
	name       string
	desc       string
	refs       []core.Reference
	talkTime   time.Duration // the customer hangs up after this long connected; 0 never
	enqueuedAt time.Time
	queued     bool
	direct     *agent // offered only to this agent (agent quick connect)
	legs       []*leg
	done       bool
	linked     *conn // for a consult contact: the third-party connection it answers
	chatScript []string
	hangup     clock.Timer
	msgSeq     int
}

func (ct *contact) initialConn() *conn {
	for _, cn := range ct.conns {
		if cn.initial {
			return cn
		}
	}
	return nil
}

func (ct *contact) conn(id string) *conn {
	for _, cn := range ct.conns {
		if cn.id == id {
			return cn
		}
	}
	return nil
}

// activeConns are the parties other than agents still on the contact.
func (ct *contact) activeConns() []*conn {
	var out []*conn
	for _, cn := range ct.conns {
		if cn.state.Type != core.ConnectionStateDisconnected {
			out = append(out, cn)
		}
	}
	return out
}

// agentLeg is the leg of the agent handling the contact (not a monitor).
func (ct *contact) agentLeg() *leg {
	for _, l := range ct.legs {
		if l.monitor == "" {
			return l
		}
	}
	return nil
}

// conn is a non-agent party: the customer or a third party.
type conn struct {
	id       string
	typ      core.ConnectionType
	state    core.ConnectionState
	endpoint core.Endpoint
	initial  bool
	digits   []byte
	linked   *contact // the consult contact of an agent or queue third party
	timer    clock.Timer
}

func (cn *conn) data() core.ConnectionData {
	return core.ConnectionData{ConnectionID: cn.id, Type: cn.typ, State: cn.state, Endpoint: cn.endpoint, Initial: cn.initial}
}

// phase is where an agent's leg is in its life; it decides the agent's system state.
type phase int

const (
	phaseRinging         phase = iota // offered, waiting for accept
	phaseDialingAgent                 // the center rings the agent's deskphone for an outbound call
	phaseCallingCustomer              // the center dials the customer
	phaseJoining                      // a supervisor is joining
	phaseTalking                      // connected
	phaseDone                         // ended, missed, rejected or failed
)

// leg is one agent's view of a contact: what appears in their snapshot.
type leg struct {
	agent     *agent
	contact   *contact
	connID    string
	connType  core.ConnectionType
	connState core.ConnectionState
	monitor   core.MonitoringMode
	state     core.ContactState
	phase     phase
	accepted  bool
	softphone bool
	frozen    []core.ConnectionData // the contact's parties when this leg stopped
	handedTo  string                // whom the agent handed the contact to, if they did
	acwEnd    time.Time
	timer     clock.Timer
}

func (l *leg) stopTimer() {
	if l.timer != nil {
		l.timer.Stop()
		l.timer = nil
	}
}

func (l *leg) data() core.ContactData {
	ct := l.contact
	conns := []core.ConnectionData{{
		ConnectionID: l.connID, Type: l.connType, State: l.connState,
		Endpoint: l.agent.endpoint(), MonitorStatus: l.monitor,
	}}
	if l.frozen != nil {
		conns = append(conns, l.frozen...)
	} else {
		for _, cn := range ct.conns {
			conns = append(conns, cn.data())
		}
	}
	cd := core.ContactData{
		ContactID: ct.id, InitialContactID: ct.initialID, Type: ct.typ, Subtype: ct.subtype,
		State: l.state, Queue: ct.queue.Queue, Attributes: ct.attributes, Connections: conns,
		Inbound: ct.inbound, Softphone: l.softphone, Accepted: l.accepted,
		Name: ct.name, Description: ct.desc, References: ct.refs, ACWDeadline: l.acwEnd,
		TransferredTo: l.handedTo,
	}
	if len(ct.messages) > 0 {
		cd.Messages = slices.Clone(ct.messages)
	}
	return cd
}
