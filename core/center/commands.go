package center

import (
	"cmp"
	"maps"
	"slices"
	"strings"

	"github.com/agentdesk/agentdesk/core"
)

// command carries out one agent command. Called with c.mu held; a refusal
// changes nothing.
func (c *Center) command(a *agent, cmd core.Command) (core.Result, error) {
	switch cmd.Kind {
	case core.CmdSync:
		return core.Result{}, nil
	case core.CmdSetState:
		return core.Result{}, c.setState(a, cmd)
	case core.CmdSetConfiguration:
		return core.Result{}, c.setConfiguration(a, cmd.Configuration)
	case core.CmdGetEndpoints:
		eps, err := c.endpoints(cmd.QueueARNs)
		return core.Result{Endpoints: eps}, err
	case core.CmdConnect:
		id, err := c.connect(a, cmd)
		return core.Result{ContactID: id}, err
	case core.CmdLogout:
		return core.Result{}, c.logout(a)
	case core.CmdMonitor:
		return core.Result{}, c.monitor(a, cmd.ContactID, cmd.Monitoring)
	case core.CmdSoftphoneError:
		return core.Result{}, c.softphoneError(a, cmd)
	}
	l := a.legFor(cmd.ContactID)
	if l == nil {
		return core.Result{}, core.Errorf(core.ErrTypeNotFound, "contact %q is not one of yours (it may have ended and been cleared)", cmd.ContactID)
	}
	var err error
	switch cmd.Kind {
	case core.CmdAccept:
		err = c.acceptCmd(l)
	case core.CmdReject:
		err = c.rejectCmd(l)
	case core.CmdClear:
		err = c.clearCmd(l)
	case core.CmdAddConnection:
		err = c.addConnection(l, cmd.Endpoint)
	case core.CmdTransfer:
		err = c.transfer(l, cmd.Endpoint)
	case core.CmdToggleActive:
		err = c.toggle(l)
	case core.CmdConference:
		err = c.conference(l)
	case core.CmdSendMessage:
		err = c.sendMessage(l, cmd.Text)
	case core.CmdDestroyConnection, core.CmdHold, core.CmdResume, core.CmdSendDigits:
		err = c.connectionCmd(l, cmd)
	default:
		err = core.Errorf(core.ErrTypeInvalidParameter, "unknown command %q", cmd.Kind)
	}
	return core.Result{}, err
}

func invalidState(format string, args ...any) error {
	return core.Errorf(core.ErrTypeInvalidState, format, args...)
}

// setState follows the seed's rules for choosing and enqueueing states.
func (c *Center) setState(a *agent, cmd core.Command) error {
	if cmd.State == nil {
		return core.Errorf(core.ErrTypeInvalidParameter, "no state given")
	}
	st, ok := c.stateByName(*cmd.State)
	if !ok {
		return core.Errorf(core.ErrTypeInvalidParameter, "%q is not a state agents can choose", cmd.State.Name)
	}
	if a.errState == core.StateInvalidLocale {
		return invalidState("choose a valid language first: your locale %q is not supported", a.locale)
	}
	st.StartTimestamp = c.now()
	if st.Type != core.AgentStateTypeOffline {
		// Choosing to work again cancels a logout waiting for the last contact.
		a.logoutPending = false
	}
	if !a.hasActive() {
		// Nothing live: finished contacts (ACW, missed, failed) are cleared at once.
		for _, l := range slices.Clone(a.legs) {
			c.removeLeg(l)
		}
		a.errState, a.errLeg = "", nil
		a.next = nil
		if st.Name != a.chosen.Name {
			a.chosen = st
		}
		if st.Type == core.AgentStateTypeRoutable {
			a.idleSince = c.now()
		}
		c.touch(a)
		return nil
	}
	// A state change ends an error state (MissedCallAgent, ...) even while
	// another contact is live: the failed contact is cleared with it.
	if a.errLeg != nil {
		c.removeLeg(a.errLeg)
	}
	a.errState, a.errLeg = "", nil
	if st.Type == core.AgentStateTypeRoutable {
		// Choosing a routable state cancels an enqueued one.
		a.next = nil
		a.chosen = st
		a.pendingAvailable = true
		c.touch(a)
		return nil
	}
	if cmd.Enqueue {
		a.next = &st
		a.pendingAvailable = false
		c.touch(a)
		return nil
	}
	// Chosen outright, it replaces any state that was waiting.
	a.chosen = st
	a.next = nil
	a.pendingAvailable = false
	c.touch(a)
	return nil
}

func (c *Center) setConfiguration(a *agent, cfg *core.Configuration) error {
	if cfg == nil {
		return core.Errorf(core.ErrTypeInvalidParameter, "no configuration given")
	}
	locale := cfg.AgentPreferences.Locale
	if locale == "" {
		locale = a.locale
	}
	if !core.ValidLocale(locale) {
		return core.Errorf(core.ErrTypeInvalidLocale, "%q is not a supported language; choose one of %s", locale, strings.Join(core.Locales, ", "))
	}
	// The deskphone number is checked whenever it is given, and required
	// for the deskphone.
	ext := strings.TrimSpace(cfg.Extension)
	if ext != "" || !cfg.SoftphoneEnabled {
		if err := validExtension(ext); err != nil {
			return err
		}
		e164, _, _ := parseNumber(ext)
		ext = e164
	}
	if cfg.SoftphoneEnabled != a.softphone && a.hasActiveVoice() {
		return invalidState("the phone type cannot change during a call")
	}
	a.softphone, a.extension, a.locale = cfg.SoftphoneEnabled, ext, locale
	if a.errState == core.StateInvalidLocale {
		a.errState = ""
	}
	c.touch(a)
	return nil
}

// endpoints returns the quick connects attached to the given queues, once each.
func (c *Center) endpoints(arns []string) ([]core.Endpoint, error) {
	if len(arns) == 0 {
		return nil, core.Errorf(core.ErrTypeInvalidParameter, "give at least one queue ARN")
	}
	seen := map[string]bool{}
	var out []core.Endpoint
	for _, arn := range arns {
		q, ok := c.queues[arn]
		if !ok {
			return nil, core.Errorf(core.ErrTypeNotFound, "no queue with ARN %q", arn)
		}
		for _, e := range q.quick {
			if !seen[e.ARN] {
				seen[e.ARN] = true
				out = append(out, e)
			}
		}
	}
	return out, nil
}

func (c *Center) queueFor(a *agent, arn string) (*queue, error) {
	if arn == "" {
		return c.queues[a.profile.rp.DefaultOutboundQueue.QueueARN], nil
	}
	q, ok := c.queues[arn]
	if !ok {
		return nil, core.Errorf(core.ErrTypeNotFound, "no queue with ARN %q", arn)
	}
	return q, nil
}

// connect starts an outbound call. Phone numbers are dialled; agent and queue
// endpoints are not callable from idle.
func (c *Center) connect(a *agent, cmd core.Command) (string, error) {
	if cmd.Endpoint == nil {
		return "", core.Errorf(core.ErrTypeInvalidParameter, "no endpoint given")
	}
	e := *cmd.Endpoint
	if !slices.Contains(a.cfg.Permissions, core.PermissionOutboundCall) {
		return "", core.Errorf(core.ErrTypeAccessDenied, "your security profile does not allow outbound calls")
	}
	if e.Type != core.EndpointPhoneNumber {
		return "", core.Errorf(core.ErrTypeBadEndpoint, "%s endpoints can only be used to transfer or consult during a contact", e.Type)
	}
	number, err := checkDialable(e.PhoneNumber, c.inst.DialableCountries)
	if err != nil {
		return "", err
	}
	q, err := c.queueFor(a, cmd.QueueARN)
	if err != nil {
		return "", err
	}
	if a.hasActiveVoice() {
		return "", invalidState("you are already on a call: end it before dialling")
	}
	if a.errState == core.StateInvalidLocale {
		return "", invalidState("choose a valid language first")
	}
	// Finished voice contacts (ACW, missed) make way for the new call.
	for _, l := range slices.Clone(a.legs) {
		if channel(l.contact.typ) == core.ContactTypeVoice && !l.state.Type.Active() {
			c.removeLeg(l)
		}
	}
	if a.errState != "" && a.errLeg == nil {
		a.errState = ""
	}
	ct := c.newContact(core.ContactTypeVoice, q, false, customer{name: e.Name, number: number})
	ct.conns[0].typ = core.ConnectionTypeOutbound
	ct.conns[0].state = c.connState(core.ConnectionStateConnecting)
	if e.Name != "" && e.Name != e.PhoneNumber {
		ct.conns[0].endpoint.Name = e.Name
	}
	l := c.newLeg(a, ct, phaseCallingCustomer)
	l.accepted = true
	c.setLegState(l, core.ContactStateConnecting)
	c.log.Info("outbound call", "contact_id", ct.id, "agent", a.cfg.Login, "queue", q.Name)
	if a.softphone {
		l.connState = c.connState(core.ConnectionStateConnected)
		c.dialCustomer(l)
		return ct.id, nil
	}
	// Deskphone: the center rings the agent's phone first, then the customer.
	l.phase = phaseDialingAgent
	l.connState = c.connState(core.ConnectionStateConnecting)
	switch dial(a.extension) {
	case outcomeAnswer:
		l.timer = c.after(c.timing.DeskphoneAnswer.Duration, func() {
			if l.phase == phaseDialingAgent {
				l.connState = c.connState(core.ConnectionStateConnected)
				c.dialCustomer(l)
			}
		})
	case outcomeBusy:
		c.failOutbound(l, core.StateLineEngagedAgent)
	case outcomeBadAddress:
		c.failOutbound(l, core.StateBadAddressAgent)
	default:
		l.timer = c.after(c.timing.RingTimeout.Duration, func() {
			if l.phase == phaseDialingAgent {
				c.failOutbound(l, core.StateFailedConnectAgent)
			}
		})
	}
	return ct.id, nil
}

func (c *Center) acceptCmd(l *leg) error {
	if l.phase != phaseRinging {
		return invalidState("contact %s is not ringing (it is %s)", l.contact.id, l.state.Type)
	}
	c.accept(l)
	return nil
}

func (c *Center) rejectCmd(l *leg) error {
	if l.phase != phaseRinging {
		return invalidState("contact %s is not ringing (it is %s)", l.contact.id, l.state.Type)
	}
	c.missLeg(l, core.ContactStateRejected, core.StateMissedCallAgent)
	return nil
}

func (c *Center) clearCmd(l *leg) error {
	if l.state.Type.Active() {
		return invalidState("contact %s is still %s: end it before clearing", l.contact.id, l.state.Type)
	}
	c.removeLeg(l)
	return nil
}

func (c *Center) talkingVoice(l *leg, what string) error {
	if l.contact.typ != core.ContactTypeVoice || l.phase != phaseTalking || l.monitor != "" {
		return invalidState("%s needs a connected voice call; contact %s is a %s contact, %s", what, l.contact.id, l.contact.typ, l.state.Type)
	}
	return nil
}

// addConnection consults a third party: everyone else goes on hold.
func (c *Center) addConnection(l *leg, e *core.Endpoint) error {
	if e == nil {
		return core.Errorf(core.ErrTypeInvalidParameter, "no endpoint given")
	}
	if err := c.talkingVoice(l, "adding a party"); err != nil {
		return err
	}
	ct := l.contact
	if len(ct.activeConns())+1 >= maxParties {
		return core.Errorf(core.ErrTypeLimitExceeded, "a conference has at most %d parties", maxParties)
	}
	cn := &conn{id: c.newID("conn"), typ: core.ConnectionTypeOutbound, endpoint: *e,
		state: c.connState(core.ConnectionStateConnecting)}
	var target *agent
	var tq *queue
	switch e.Type {
	case core.EndpointPhoneNumber:
		number, err := checkDialable(e.PhoneNumber, c.inst.DialableCountries)
		if err != nil {
			return err
		}
		cn.endpoint.PhoneNumber = number
	case core.EndpointAgent:
		var err error
		if target, err = c.reachableAgent(l.agent, e.AgentLogin); err != nil {
			return err
		}
	case core.EndpointQueue:
		q, ok := c.queues[e.Queue]
		if !ok {
			return core.Errorf(core.ErrTypeNotFound, "no queue %q", e.Queue)
		}
		tq = q
	default:
		return core.Errorf(core.ErrTypeBadEndpoint, "unknown endpoint type %q", e.Type)
	}
	for _, other := range ct.conns {
		if other.state.Type == core.ConnectionStateConnected {
			c.setConn(ct, other, core.ConnectionStateHold)
		}
	}
	ct.conns = append(ct.conns, cn)
	c.touchContact(ct)
	switch e.Type {
	case core.EndpointPhoneNumber:
		switch dial(cn.endpoint.PhoneNumber) {
		case outcomeAnswer:
			cn.timer = c.after(c.timing.CustomerAnswer.Duration, func() {
				if cn.state.Type == core.ConnectionStateConnecting {
					c.setConn(ct, cn, core.ConnectionStateConnected)
				}
			})
		default:
			cn.timer = c.after(c.timing.CustomerAnswer.Duration/2, func() {
				c.setConn(ct, cn, core.ConnectionStateDisconnected)
			})
		}
	case core.EndpointAgent, core.EndpointQueue:
		q := tq
		if q == nil {
			q = ct.queue
		}
		consult := c.newContact(core.ContactTypeVoice, q, true, customer{name: l.agent.cfg.Name})
		consult.initialID = ct.initialID
		consult.attributes = maps.Clone(ct.attributes)
		consult.conns[0].endpoint = l.agent.endpoint()
		consult.linked = cn
		cn.linked = consult
		if target != nil {
			consult.direct = target
			c.offer(target, consult)
		} else {
			consult.enqueuedAt = c.now()
			c.enqueue(consult, false)
		}
	}
	return nil
}

const maxParties = 6

// reachableAgent checks that an agent quick connect can ring its agent now.
func (c *Center) reachableAgent(from *agent, login string) (*agent, error) {
	t, ok := c.agents[login]
	if !ok {
		return nil, core.Errorf(core.ErrTypeNotFound, "no agent %q", login)
	}
	if t == from {
		return nil, core.Errorf(core.ErrTypeBadEndpoint, "you cannot transfer to yourself")
	}
	if !t.routable() || !t.freeSlot(core.ContactTypeVoice) {
		return nil, invalidState("%s is not available right now (%s)", t.cfg.Name, t.display.Name)
	}
	return t, nil
}

// transfer hands the contact over (cold) and ends the agent's part.
func (c *Center) transfer(l *leg, e *core.Endpoint) error {
	if e == nil {
		return core.Errorf(core.ErrTypeInvalidParameter, "no endpoint given")
	}
	ct := l.contact
	if l.phase != phaseTalking || l.monitor != "" {
		return invalidState("only a connected contact can be transferred; contact %s is %s", ct.id, l.state.Type)
	}
	if ct.typ == core.ContactTypeVoice && len(ct.activeConns()) > 1 {
		return invalidState("end the consult or leave the conference to hand the call over")
	}
	switch e.Type {
	case core.EndpointPhoneNumber:
		if ct.typ != core.ContactTypeVoice {
			return core.Errorf(core.ErrTypeBadEndpoint, "a %s contact cannot be transferred to a phone number", ct.typ)
		}
		if _, err := checkDialable(e.PhoneNumber, c.inst.DialableCountries); err != nil {
			return err
		}
		c.log.Info("contact transferred", "contact_id", ct.id, "to", e.PhoneNumber)
		l.handedTo = cmp.Or(e.Name, e.PhoneNumber)
		c.endLeg(l)
		ct.done = true
		if ct.hangup != nil {
			ct.hangup.Stop()
		}
		return nil
	case core.EndpointAgent:
		t, err := c.reachableAgent(l.agent, e.AgentLogin)
		if err != nil {
			return err
		}
		moved := c.handOver(ct, ct.queue)
		l.handedTo = cmp.Or(e.Name, t.cfg.Name, e.AgentLogin)
		c.endLeg(l)
		c.offer(t, moved)
	case core.EndpointQueue:
		q, ok := c.queues[e.Queue]
		if !ok {
			return core.Errorf(core.ErrTypeNotFound, "no queue %q", e.Queue)
		}
		moved := c.handOver(ct, q)
		l.handedTo = cmp.Or(e.Name, q.Name)
		c.endLeg(l)
		moved.enqueuedAt = c.now()
		c.enqueue(moved, false)
	default:
		return core.Errorf(core.ErrTypeBadEndpoint, "unknown endpoint type %q", e.Type)
	}
	return nil
}

// handOver makes the contact that continues a transferred one: same customer,
// same initial contact, a new contact ID.
func (c *Center) handOver(ct *contact, q *queue) *contact {
	moved := c.newContact(ct.typ, q, ct.inbound, ct.cust)
	moved.initialID = ct.initialID
	moved.attributes = maps.Clone(ct.attributes)
	moved.messages = slices.Clone(ct.messages)
	moved.name, moved.desc, moved.refs = ct.name, ct.desc, slices.Clone(ct.refs)
	moved.talkTime = ct.talkTime
	moved.chatScript = ct.chatScript
	moved.msgSeq = ct.msgSeq
	moved.conns[0].typ = ct.conns[0].typ
	moved.conns[0].state = c.connState(core.ConnectionStateConnected)
	ct.done = true
	if ct.hangup != nil {
		ct.hangup.Stop()
	}
	c.log.Info("contact transferred", "contact_id", ct.id, "new_contact_id", moved.id, "queue", q.Name)
	return moved
}

// toggle swaps the held and the talking party.
func (c *Center) toggle(l *leg) error {
	if err := c.talkingVoice(l, "swapping parties"); err != nil {
		return err
	}
	ct := l.contact
	var held, talking []*conn
	for _, cn := range ct.activeConns() {
		switch cn.state.Type {
		case core.ConnectionStateHold:
			held = append(held, cn)
		case core.ConnectionStateConnected:
			talking = append(talking, cn)
		}
	}
	if len(held) == 0 || len(talking) == 0 {
		return invalidState("swap needs one party on hold and one connected")
	}
	for _, cn := range held {
		c.setConn(ct, cn, core.ConnectionStateConnected)
	}
	for _, cn := range talking {
		c.setConn(ct, cn, core.ConnectionStateHold)
	}
	return nil
}

// conference takes every party off hold into one conversation.
func (c *Center) conference(l *leg) error {
	if err := c.talkingVoice(l, "a conference"); err != nil {
		return err
	}
	ct := l.contact
	active := ct.activeConns()
	if len(active) < 2 {
		return invalidState("add a party before joining a conference")
	}
	for _, cn := range active {
		if cn.state.Type == core.ConnectionStateConnecting {
			return invalidState("%s has not answered yet", cn.endpoint.Name)
		}
	}
	for _, cn := range active {
		c.setConn(ct, cn, core.ConnectionStateConnected)
	}
	return nil
}

// connectionCmd acts on one connection: hang up, hold, resume, DTMF.
func (c *Center) connectionCmd(l *leg, cmd core.Command) error {
	ct := l.contact
	if cmd.Kind == core.CmdSendDigits && strings.Trim(cmd.Digits, dtmfDigits) != "" {
		return core.Errorf(core.ErrTypeInvalidParameter, "%q is not a string of DTMF digits (use 0-9, *, #, A-D or , for a pause)", cmd.Digits)
	}
	if cmd.ConnectionID == l.connID {
		switch cmd.Kind {
		case core.CmdDestroyConnection:
			if !l.state.Type.Active() {
				return invalidState("contact %s has already ended", ct.id)
			}
			c.agentHangsUp(l)
			return nil
		case core.CmdSendDigits:
			// Digits on the agent's own connection go to whoever is connected.
			if err := c.talkingVoice(l, "sending digits"); err != nil {
				return err
			}
			for _, cn := range ct.activeConns() {
				if cn.state.Type == core.ConnectionStateConnected {
					cn.digits = append(cn.digits, cmd.Digits...)
				}
			}
			return nil
		}
		return invalidState("hold and resume apply to the customer or a third party, not to your own connection")
	}
	cn := ct.conn(cmd.ConnectionID)
	if cn == nil || l.frozen != nil {
		return core.Errorf(core.ErrTypeNotFound, "connection %q is not part of contact %s", cmd.ConnectionID, ct.id)
	}
	switch cmd.Kind {
	case core.CmdDestroyConnection:
		if cn.state.Type == core.ConnectionStateDisconnected {
			return invalidState("%s is already disconnected", partyName(cn))
		}
		if cn.timer != nil {
			cn.timer.Stop()
		}
		c.setConn(ct, cn, core.ConnectionStateDisconnected)
		if cn.linked != nil {
			c.endContact(cn.linked)
		}
		if len(ct.activeConns()) == 0 {
			c.endContact(ct)
		} else if l.phase == phaseTalking {
			// Nobody left talking: bring back whoever waits on hold.
			talking := slices.ContainsFunc(ct.activeConns(), func(x *conn) bool { return x.state.Type == core.ConnectionStateConnected })
			if !talking && len(ct.activeConns()) == 1 {
				c.setConn(ct, ct.activeConns()[0], core.ConnectionStateConnected)
			}
		}
	case core.CmdHold:
		if err := c.talkingVoice(l, "hold"); err != nil {
			return err
		}
		if cn.state.Type != core.ConnectionStateConnected {
			return invalidState("%s is %s, not connected", partyName(cn), cn.state.Type)
		}
		c.setConn(ct, cn, core.ConnectionStateHold)
	case core.CmdResume:
		if err := c.talkingVoice(l, "resume"); err != nil {
			return err
		}
		if cn.state.Type != core.ConnectionStateHold {
			return invalidState("%s is not on hold", partyName(cn))
		}
		c.setConn(ct, cn, core.ConnectionStateConnected)
	case core.CmdSendDigits:
		if err := c.talkingVoice(l, "sending digits"); err != nil {
			return err
		}
		if cn.state.Type != core.ConnectionStateConnected {
			return invalidState("%s is %s: digits need a connected party", partyName(cn), cn.state.Type)
		}
		cn.digits = append(cn.digits, cmd.Digits...)
	}
	return nil
}

// dtmfDigits are the characters SendDigits may carry.
const dtmfDigits = "0123456789*#ABCD,"

func partyName(cn *conn) string {
	if cn.endpoint.Name != "" {
		return cn.endpoint.Name
	}
	return cn.endpoint.PhoneNumber
}

// monitor lets a supervisor listen in on, or barge into, a live contact.
func (c *Center) monitor(a *agent, contactID string, mode core.MonitoringMode) error {
	if !slices.Contains(a.cfg.Permissions, core.PermissionMonitor) {
		return core.Errorf(core.ErrTypeAccessDenied, "your security profile does not allow monitoring")
	}
	if mode != core.MonitoringSilentMonitor && mode != core.MonitoringBarge {
		return core.Errorf(core.ErrTypeInvalidParameter, "monitoring mode must be %s or %s", core.MonitoringSilentMonitor, core.MonitoringBarge)
	}
	if l := a.legFor(contactID); l != nil && l.monitor != "" && l.state.Type.Active() {
		l.monitor = mode
		if l.phase == phaseTalking {
			l.connState = c.connState(monitorConnState(mode))
		}
		c.touch(a)
		return nil
	}
	ct, ok := c.contacts[contactID]
	if !ok || ct.done || ct.agentLeg() == nil || ct.agentLeg().phase != phaseTalking {
		return core.Errorf(core.ErrTypeNotFound, "contact %q is not a live contact that can be monitored", contactID)
	}
	if ct.typ != core.ContactTypeVoice && ct.typ != core.ContactTypeChat {
		return invalidState("only voice and chat contacts can be monitored")
	}
	if ct.agentLeg().agent == a {
		return invalidState("you cannot monitor your own contact")
	}
	if !a.freeSlot(core.ContactTypeVoice) || a.hasActiveVoice() {
		return invalidState("end your own call before monitoring")
	}
	l := c.newLeg(a, ct, phaseJoining)
	l.connType, l.monitor, l.accepted = core.ConnectionTypeMonitoring, mode, true
	l.connState = c.connState(core.ConnectionStateConnecting)
	c.setLegState(l, core.ContactStateConnecting)
	l.timer = c.after(c.timing.MonitorJoin.Duration, func() {
		if l.phase == phaseJoining {
			l.phase = phaseTalking
			l.connState = c.connState(monitorConnState(l.monitor))
			c.setLegState(l, core.ContactStateConnected)
		}
	})
	return nil
}

func monitorConnState(m core.MonitoringMode) core.ConnectionStateType {
	if m == core.MonitoringBarge {
		return core.ConnectionStateBarge
	}
	return core.ConnectionStateSilentMonitor
}

// softphoneError records a media failure reported by the agent's softphone.
func (c *Center) softphoneError(a *agent, cmd core.Command) error {
	state := core.StateDefault
	switch cmd.SoftphoneErr {
	case core.SoftphoneRealtimeCommunicationError:
		state = core.StateRealtimeCommunicationError
	case core.SoftphoneSignallingHandshakeFailure, core.SoftphoneSignallingConnectionFailure,
		core.SoftphoneICECollectionTimeout, core.SoftphoneMicrophoneNotShared:
		state = core.StateFailedConnectAgent
	case core.SoftphoneWebRTCError, core.SoftphoneUserBusyError, core.SoftphoneUnsupportedBrowser, core.SoftphoneOtherError:
		state = core.StateError
	}
	l := a.legFor(cmd.ContactID)
	c.log.Warn("softphone error", "agent", a.cfg.Login, "contact_id", cmd.ContactID, "type", string(cmd.SoftphoneErr), "message", cmd.Text)
	if l == nil || !l.state.Type.Active() {
		c.setAgentError(a, state, nil)
		return nil
	}
	if l.phase == phaseRinging {
		c.missLeg(l, core.ContactStateError, state)
		return nil
	}
	c.stopLeg(l, core.ContactStateError)
	c.setAgentError(a, state, l)
	c.endContact(l.contact)
	return nil
}

func (c *Center) logout(a *agent) error {
	if a.chosen.Type != core.AgentStateTypeOffline && (a.next == nil || a.next.Type != core.AgentStateTypeOffline) {
		return invalidState("set the agent Offline before logging out")
	}
	a.logoutPending = true
	c.touch(a)
	return nil
}

func (c *Center) newContact(t core.ContactType, q *queue, inbound bool, cust customer) *contact {
	ct := &contact{
		id: c.newID("contact"), typ: t, queue: q, inbound: inbound, cust: cust,
		attributes: map[string]string{}, enqueuedAt: c.now(),
	}
	ct.initialID = ct.id
	ct.subtype = subtypes[t]
	typ := core.ConnectionTypeInbound
	if !inbound {
		typ = core.ConnectionTypeOutbound
	}
	ep := core.Endpoint{Type: core.EndpointPhoneNumber, Name: cust.name, PhoneNumber: cust.number}
	ct.conns = []*conn{{id: c.newID("conn"), typ: typ, endpoint: ep, initial: true,
		state: c.connState(core.ConnectionStateConnected)}}
	c.contacts[ct.id] = ct
	return ct
}

var subtypes = map[core.ContactType]string{
	core.ContactTypeVoice: "connect:Telephony", core.ContactTypeQueueCallback: "connect:Telephony",
	core.ContactTypeChat: "connect:Chat", core.ContactTypeTask: "connect:Task",
}
