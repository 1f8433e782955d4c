package center

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"time"

	"github.com/agentdesk/agentdesk/core"
	"github.com/agentdesk/agentdesk/core/clock"
)

// Arrival is a simulated customer reaching a queue.
type Arrival struct {
	Queue      string           // queue name
	Type       core.ContactType // voice, queue_callback, chat or task
	Name       string           // the customer's name (a task's name for tasks)
	Number     string           // E.164; for callbacks, the number the center dials
	Attributes map[string]string
	// TalkTime is how long a voice customer stays once connected; 0 stays
	// until the agent hangs up.
	TalkTime    time.Duration
	Description string           // tasks
	References  []core.Reference // tasks
	// Chat holds what a chat customer types: the first line on arrival, one
	// line after each agent reply, then goodbye.
	Chat []string
}

// Arrive puts a new customer contact into a queue and routes it.
func (c *Center) Arrive(ar Arrival) (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return "", core.Errorf(core.ErrTypeUnavailable, "the contact center is shut down")
	}
	q, ok := c.byName[ar.Queue]
	if !ok {
		return "", core.Errorf(core.ErrTypeNotFound, "no queue %q", ar.Queue)
	}
	switch ar.Type {
	case core.ContactTypeVoice, core.ContactTypeQueueCallback, core.ContactTypeChat, core.ContactTypeTask:
	default:
		return "", core.Errorf(core.ErrTypeInvalidParameter, "contact type %q cannot arrive in a queue", ar.Type)
	}
	if ar.Type == core.ContactTypeQueueCallback {
		if _, _, err := parseNumber(ar.Number); err != nil {
			return "", core.Errorf(core.ErrTypeBadEndpoint, "callback number: %s", err.Message)
		}
	}
	ct := c.newContact(ar.Type, q, true, customer{name: ar.Name, number: ar.Number})
	if ar.Attributes != nil {
		ct.attributes = maps.Clone(ar.Attributes)
	}
	ct.talkTime = ar.TalkTime
	switch ar.Type {
	case core.ContactTypeQueueCallback:
		ct.conns[0].typ = core.ConnectionTypeOutbound
		ct.conns[0].state = c.connState(core.ConnectionStateInit)
	case core.ContactTypeTask:
		ct.conns = nil
		ct.name, ct.desc, ct.refs = ar.Name, ar.Description, slices.Clone(ar.References)
	case core.ContactTypeChat:
		ct.chatScript = slices.Clone(ar.Chat)
		if len(ct.chatScript) > 0 {
			c.chatSays(ct, core.ParticipantCustomer, ct.cust.name, ct.chatScript[0])
			ct.chatScript = ct.chatScript[1:]
		}
	}
	c.log.Info("contact arrived", "contact_id", ct.id, "queue", q.Name, "type", string(ar.Type))
	c.enqueue(ct, false)
	c.flush()
	return ct.id, nil
}

// HangUp is the customer leaving: from the queue, while ringing, or mid-call.
func (c *Center) HangUp(contactID string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	ct, ok := c.contacts[contactID]
	if !ok || ct.done {
		return core.Errorf(core.ErrTypeNotFound, "no live contact %q", contactID)
	}
	c.customerHangsUp(ct)
	c.flush()
	return nil
}

// Digits returns the DTMF digits each party of a contact has received, in
// order, by connection ID.
func (c *Center) Digits(contactID string) map[string]string {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := map[string]string{}
	if ct, ok := c.contacts[contactID]; ok {
		for _, cn := range ct.conns {
			out[cn.id] = string(cn.digits)
		}
	}
	return out
}

// Waiting reports whether a contact is waiting in a queue, and which.
func (c *Center) Waiting(contactID string) (queueName string, ok bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	ct, found := c.contacts[contactID]
	if !found || !ct.queued {
		return "", false
	}
	return ct.queue.Name, true
}

// chatSays appends a message to a chat transcript.
func (c *Center) chatSays(ct *contact, who core.ChatParticipant, name, text string) {
	ct.msgSeq++
	ct.messages = append(ct.messages, core.ChatMessage{
		ID: fmt.Sprintf("%s-m%d", ct.id, ct.msgSeq), Participant: who, DisplayName: name,
		Content: text, Timestamp: c.now(),
	})
	c.touchContact(ct)
}

// chatJoined announces the agent in the chat.
func (c *Center) chatJoined(l *leg) {
	c.chatSays(l.contact, core.ParticipantSystem, "SYSTEM", l.agent.cfg.Name+" joined the chat")
}

// sendMessage posts the agent's reply; the simulated customer answers with
// the next line of their script after a moment, and says goodbye at the end.
func (c *Center) sendMessage(l *leg, text string) error {
	ct := l.contact
	if ct.typ != core.ContactTypeChat {
		return invalidState("contact %s is a %s contact, not a chat", ct.id, ct.typ)
	}
	if l.phase != phaseTalking || l.monitor != "" {
		return invalidState("the chat is %s: messages can be sent once it is connected", l.state.Type)
	}
	if len(text) == 0 || len(text) > 4096 {
		return core.Errorf(core.ErrTypeInvalidParameter, "a message must be 1 to 4096 bytes long")
	}
	c.chatSays(ct, core.ParticipantAgent, l.agent.cfg.Name, text)
	if ct.hangup != nil {
		return nil // a reply is already being typed
	}
	ct.hangup = c.after(c.timing.ChatReply.Duration, func() {
		ct.hangup = nil
		if ct.done {
			return
		}
		if len(ct.chatScript) > 0 {
			c.chatSays(ct, core.ParticipantCustomer, ct.cust.name, ct.chatScript[0])
			ct.chatScript = ct.chatScript[1:]
			return
		}
		c.chatSays(ct, core.ParticipantCustomer, ct.cust.name, "Thanks, that's everything. Bye!")
		c.customerHangsUp(ct)
	})
	return nil
}

// CustomerSay makes a chat customer type a message now.
func (c *Center) CustomerSay(contactID, text string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	ct, ok := c.contacts[contactID]
	if !ok || ct.done || ct.typ != core.ContactTypeChat {
		return core.Errorf(core.ErrTypeNotFound, "no live chat %q", contactID)
	}
	c.chatSays(ct, core.ParticipantCustomer, ct.cust.name, text)
	c.flush()
	return nil
}

// traffic brings simulated customers at a steady random rate.
type traffic struct {
	perMinute float64
	timer     clock.Timer
	stopped   bool
}

func (t *traffic) stop() {
	t.stopped = true
	if t.timer != nil {
		t.timer.Stop()
	}
}

// StartTraffic brings simulated customers, perMinute on average across the
// instance's queues (Poisson arrivals), until Close. 0 stops the traffic.
func (c *Center) StartTraffic(perMinute float64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.traffic != nil {
		c.traffic.stop()
		c.traffic = nil
	}
	if perMinute <= 0 {
		return
	}
	t := &traffic{perMinute: perMinute}
	c.traffic = t
	c.scheduleArrival(t)
}

func (c *Center) scheduleArrival(t *traffic) {
	gap := time.Duration(-math.Log(1-c.rng.Float64()) / t.perMinute * float64(time.Minute))
	t.timer = c.clk.AfterFunc(gap, func() {
		c.mu.Lock()
		if t.stopped || c.closed {
			c.mu.Unlock()
			return
		}
		ar, ok := c.randomArrival()
		c.scheduleArrival(t)
		c.mu.Unlock()
		if ok {
			if _, err := c.Arrive(ar); err != nil {
				c.log.Warn("simulated arrival refused", "err", err)
			}
		}
	})
}
