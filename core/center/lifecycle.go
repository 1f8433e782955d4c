package center

import (
	"slices"
	"strings"

	"github.com/agentdesk/agentdesk/core"
)

func (c *Center) connState(t core.ConnectionStateType) core.ConnectionState {
	return core.ConnectionState{Type: t, Timestamp: c.now()}
}

func (c *Center) setLegState(l *leg, t core.ContactStateType) {
	if l.state.Type != t {
		l.state = core.ContactState{Type: t, Timestamp: c.now()}
	}
	c.touch(l.agent)
}

func (c *Center) setConn(ct *contact, cn *conn, t core.ConnectionStateType) {
	if cn.state.Type != t {
		cn.state = c.connState(t)
		c.touchContact(ct)
	}
}

func (c *Center) newLeg(a *agent, ct *contact, ph phase) *leg {
	l := &leg{
		agent: a, contact: ct, connID: c.newID("conn"), connType: core.ConnectionTypeAgent,
		phase: ph, softphone: a.softphone && channel(ct.typ) == core.ContactTypeVoice,
	}
	a.legs = append(a.legs, l)
	ct.legs = append(ct.legs, l)
	return l
}

// offer rings an agent with a waiting (or directly addressed) contact.
func (c *Center) offer(a *agent, ct *contact) {
	c.dequeue(ct)
	// An agent who is offered a contact is no longer idle; without this, an
	// agent holding chats would keep their old idle time and take every chat.
	a.idleSince = c.now()
	l := c.newLeg(a, ct, phaseRinging)
	l.connState = c.connState(core.ConnectionStateConnecting)
	if ct.typ == core.ContactTypeQueueCallback {
		c.setLegState(l, core.ContactStateIncoming)
	} else {
		c.setLegState(l, core.ContactStateConnecting)
	}
	c.log.Info("contact offered", "contact_id", ct.id, "agent", a.cfg.Login, "queue", ct.queue.Name, "type", string(ct.typ))
	if channel(ct.typ) == core.ContactTypeVoice && !a.softphone && ct.typ == core.ContactTypeVoice {
		c.ringDeskphone(l)
		return
	}
	l.timer = c.after(c.timing.RingTimeout.Duration, func() {
		if l.phase == phaseRinging {
			c.missLeg(l, core.ContactStateMissed, core.StateMissedCallAgent)
		}
	})
	if a.cfg.AutoAccept {
		c.accept(l)
	}
}

// ringDeskphone simulates the agent's deskphone: it answers by itself unless
// the extension is one of the test numbers.
func (c *Center) ringDeskphone(l *leg) {
	switch dial(l.agent.extension) {
	case outcomeAnswer:
		l.timer = c.after(c.timing.DeskphoneAnswer.Duration, func() {
			if l.phase == phaseRinging {
				c.accept(l)
			}
		})
	case outcomeNoAnswer:
		l.timer = c.after(c.timing.RingTimeout.Duration, func() {
			if l.phase == phaseRinging {
				c.missLeg(l, core.ContactStateMissed, core.StateMissedCallAgent)
			}
		})
	case outcomeBusy:
		c.missLeg(l, core.ContactStateError, core.StateLineEngagedAgent)
	case outcomeUnreachable:
		c.missLeg(l, core.ContactStateError, core.StateFailedConnectAgent)
	case outcomeBadAddress:
		c.missLeg(l, core.ContactStateError, core.StateBadAddressAgent)
	}
}

// accept connects a ringing leg.
func (c *Center) accept(l *leg) {
	l.stopTimer()
	l.accepted = true
	ct := l.contact
	l.connState = c.connState(core.ConnectionStateConnected)
	c.log.Info("contact accepted", "contact_id", ct.id, "agent", l.agent.cfg.Login)
	if ct.typ == core.ContactTypeQueueCallback {
		// Accepting a callback dials the customer.
		l.phase = phaseCallingCustomer
		c.setLegState(l, core.ContactStateConnecting)
		if cn := ct.initialConn(); cn != nil {
			c.setConn(ct, cn, core.ConnectionStateConnecting)
		}
		c.dialCustomer(l)
		return
	}
	c.connectLeg(l)
	if ct.linked != nil {
		// A consult answered: the consulting agent's third party is now connected.
		if owner := c.ownerOf(ct.linked); owner != nil {
			c.setConn(owner, ct.linked, core.ConnectionStateConnected)
		}
	}
	if ct.typ == core.ContactTypeChat {
		c.chatJoined(l)
	}
}

// connectLeg puts a leg in conversation and starts the customer's talk time.
func (c *Center) connectLeg(l *leg) {
	l.phase = phaseTalking
	l.connState = c.connState(core.ConnectionStateConnected)
	c.setLegState(l, core.ContactStateConnected)
	ct := l.contact
	if ct.talkTime > 0 && ct.hangup == nil && channel(ct.typ) == core.ContactTypeVoice {
		ct.hangup = c.after(ct.talkTime, func() { c.customerHangsUp(ct) })
	}
}

// dialCustomer places the call to the contact's customer for an outbound
// contact or a callback.
func (c *Center) dialCustomer(l *leg) {
	ct := l.contact
	cn := ct.initialConn()
	l.phase = phaseCallingCustomer
	c.touch(l.agent)
	fail := func(state string) {
		c.setConn(ct, cn, core.ConnectionStateDisconnected)
		c.failOutbound(l, state)
	}
	switch dial(cn.endpoint.PhoneNumber) {
	case outcomeAnswer:
		l.timer = c.after(c.timing.CustomerAnswer.Duration, func() {
			if l.phase == phaseCallingCustomer {
				c.setConn(ct, cn, core.ConnectionStateConnected)
				c.connectLeg(l)
			}
		})
	case outcomeNoAnswer:
		l.timer = c.after(c.timing.RingTimeout.Duration, func() {
			if l.phase == phaseCallingCustomer {
				fail(core.StateMissedCallCustomer)
			}
		})
	case outcomeBusy:
		l.timer = c.after(c.timing.CustomerAnswer.Duration/2, func() {
			if l.phase == phaseCallingCustomer {
				fail(core.StateLineEngagedCustomer)
			}
		})
	case outcomeUnreachable:
		l.timer = c.after(c.timing.CustomerAnswer.Duration/2, func() {
			if l.phase == phaseCallingCustomer {
				fail(core.StateFailedConnectCustomer)
			}
		})
	case outcomeBadAddress:
		fail(core.StateBadAddressCustomer)
	}
}

// failOutbound puts an outbound or callback leg in error; the center clears
// it by itself after a moment and the agent returns to their state.
func (c *Center) failOutbound(l *leg, state string) {
	l.stopTimer()
	c.stopLeg(l, core.ContactStateError)
	c.setAgentError(l.agent, state, l)
	c.log.Info("outbound call failed", "contact_id", l.contact.id, "agent", l.agent.cfg.Login, "reason", state)
	l.timer = c.after(c.timing.ErrorClear.Duration, func() {
		if slices.Contains(l.agent.legs, l) {
			c.removeLeg(l)
		}
	})
	c.finishContact(l.contact)
}

func (c *Center) setAgentError(a *agent, state string, l *leg) {
	a.errState, a.errLeg = state, l
	c.touch(a)
}

// stopLeg freezes a leg in a final state.
func (c *Center) stopLeg(l *leg, t core.ContactStateType) {
	l.stopTimer()
	ct := l.contact
	l.frozen = make([]core.ConnectionData, 0, len(ct.conns))
	for _, cn := range ct.conns {
		d := cn.data()
		if d.State.Type != core.ConnectionStateDisconnected && t != core.ContactStateMissed && t != core.ContactStateRejected {
			d.State = c.connState(core.ConnectionStateDisconnected)
		}
		l.frozen = append(l.frozen, d)
	}
	l.phase = phaseDone
	l.connState = c.connState(core.ConnectionStateDisconnected)
	c.setLegState(l, t)
	if i := slices.Index(ct.legs, l); i >= 0 {
		ct.legs = slices.Delete(ct.legs, i, i+1)
	}
}

// missLeg ends a ringing offer (timeout, reject, deskphone failure): the
// agent goes into an error state until they clear it, and the contact goes
// back to the front of its queue.
func (c *Center) missLeg(l *leg, t core.ContactStateType, agentState string) {
	ct := l.contact
	c.stopLeg(l, t)
	if agentState != "" {
		c.setAgentError(l.agent, agentState, l)
	}
	c.log.Info("contact missed", "contact_id", ct.id, "agent", l.agent.cfg.Login, "state", string(t))
	switch {
	case ct.done:
	case ct.direct != nil:
		// Offered to one agent only: nobody else can take it.
		c.endContact(ct)
	default:
		c.enqueue(ct, true)
	}
}

// endLeg ends an agent's part in a contact: after-contact work starts.
func (c *Center) endLeg(l *leg) {
	if l.monitor != "" {
		c.stopLeg(l, core.ContactStateEnded)
		c.removeLeg(l)
		return
	}
	c.stopLeg(l, core.ContactStateEnded)
	a := l.agent
	if d := a.cfg.ACWTimeout.Duration; d > 0 {
		l.acwEnd = c.now().Add(d)
		l.timer = c.after(d, func() {
			if slices.Contains(a.legs, l) {
				c.removeLeg(l)
			}
		})
	}
}

// removeLeg takes a finished contact off the agent's list (clear).
func (c *Center) removeLeg(l *leg) {
	l.stopTimer()
	a := l.agent
	if i := slices.Index(a.legs, l); i >= 0 {
		a.legs = slices.Delete(a.legs, i, i+1)
	}
	if i := slices.Index(l.contact.legs, l); i >= 0 {
		l.contact.legs = slices.Delete(l.contact.legs, i, i+1)
	}
	if a.errLeg == l {
		a.errState, a.errLeg = "", nil
	}
	c.forgetIfDone(l.contact)
	if len(a.legs) == 0 {
		a.idleSince = c.now()
	}
	c.touch(a)
}

// endContact ends a contact for everyone still on it.
func (c *Center) endContact(ct *contact) {
	if ct.done {
		return
	}
	ct.done = true
	if ct.queued {
		c.dequeue(ct)
	}
	if ct.hangup != nil {
		ct.hangup.Stop()
	}
	for _, cn := range ct.conns {
		if cn.timer != nil {
			cn.timer.Stop()
		}
		c.setConn(ct, cn, core.ConnectionStateDisconnected)
		if cn.linked != nil {
			c.endContact(cn.linked)
		}
	}
	for _, l := range slices.Clone(ct.legs) {
		switch {
		case l.phase == phaseRinging:
			// The caller gave up while it rang: it simply goes away.
			c.stopLeg(l, core.ContactStateEnded)
			c.removeLeg(l)
		case l.state.Type.Active():
			c.endLeg(l)
		}
	}
	if ct.linked != nil {
		if owner := c.ownerOf(ct.linked); owner != nil {
			c.setConn(owner, ct.linked, core.ConnectionStateDisconnected)
		}
	}
	c.log.Info("contact ended", "contact_id", ct.id)
	c.forgetIfDone(ct)
}

// forgetIfDone keeps the last finished contacts for look-ups and drops older ones.
func (c *Center) forgetIfDone(ct *contact) {
	if !ct.done || len(ct.legs) > 0 || slices.Contains(c.finished, ct.id) {
		return
	}
	c.finished = append(c.finished, ct.id)
	if len(c.finished) > keepFinished {
		delete(c.contacts, c.finished[0])
		c.finished = c.finished[1:]
	}
}

const keepFinished = 500

// finishContact ends a contact once nobody is left on it.
func (c *Center) finishContact(ct *contact) {
	if len(ct.legs) == 0 && len(ct.activeConns()) == 0 {
		c.endContact(ct)
	}
}

// ownerOf finds the contact a third-party connection belongs to.
func (c *Center) ownerOf(cn *conn) *contact {
	for _, ct := range c.contacts {
		if slices.Contains(ct.conns, cn) {
			return ct
		}
	}
	return nil
}

// customerHangsUp is the simulated customer leaving the call.
func (c *Center) customerHangsUp(ct *contact) {
	if ct.done {
		return
	}
	c.log.Info("customer hung up", "contact_id", ct.id)
	if ct.queued {
		c.endContact(ct)
		return
	}
	if cn := ct.initialConn(); cn != nil {
		c.setConn(ct, cn, core.ConnectionStateDisconnected)
	}
	if len(ct.activeConns()) == 0 || ct.typ != core.ContactTypeVoice {
		c.endContact(ct)
	}
}

// agentHangsUp ends the agent's part: the whole call when the agent was the
// only one left with the customer; otherwise the others carry on.
func (c *Center) agentHangsUp(l *leg) {
	ct := l.contact
	switch l.phase {
	case phaseRinging:
		c.missLeg(l, core.ContactStateRejected, core.StateMissedCallAgent)
		return
	case phaseCallingCustomer, phaseDialingAgent:
		if cn := ct.initialConn(); cn != nil {
			c.setConn(ct, cn, core.ConnectionStateDisconnected)
		}
		c.failOutbound(l, core.StateAgentHungUp)
		return
	}
	if l.monitor != "" {
		c.endLeg(l)
		return
	}
	active := ct.activeConns()
	if len(active) >= 2 && l.phase == phaseTalking && ct.typ == core.ContactTypeVoice {
		c.leaveConference(l, active)
		return
	}
	c.endContact(ct)
}

// leaveConference lets the agent drop off while the other parties talk on.
// When one of them is another agent, that agent's contact takes the
// customer over (a warm transfer).
func (c *Center) leaveConference(l *leg, active []*conn) {
	ct := l.contact
	var heir *contact
	var others []string // the parties the customer is left talking to
	for _, cn := range active {
		if cn.linked != nil && !cn.linked.done && cn.linked.agentLeg() != nil && heir == nil {
			heir = cn.linked
		}
		if !cn.initial {
			others = append(others, partyName(cn))
		}
	}
	l.handedTo = strings.Join(others, ", ")
	c.endLeg(l)
	for _, ml := range slices.Clone(ct.legs) {
		c.endLeg(ml)
	}
	if heir == nil {
		// The remaining parties are outside the center: their call goes on there.
		ct.done = true
		if ct.hangup != nil {
			ct.hangup.Stop()
		}
		return
	}
	// The heir's line to the leaving agent drops; the customer and any other
	// parties join the heir's contact.
	for _, hc := range heir.conns {
		hc.state = c.connState(core.ConnectionStateDisconnected)
		hc.initial = false
	}
	for _, cn := range active {
		if cn.linked == heir {
			continue
		}
		cn.state = c.connState(core.ConnectionStateConnected)
		heir.conns = append(heir.conns, cn)
	}
	ct.conns = nil
	ct.done = true
	heir.linked = nil
	heir.talkTime = ct.talkTime
	if ct.hangup != nil {
		ct.hangup.Stop()
		ct.hangup = nil
		if heir.talkTime > 0 {
			heir.hangup = c.after(heir.talkTime, func() { c.customerHangsUp(heir) })
		}
	}
	c.touchContact(heir)
}
