// Package recent keeps the agent's recent contacts of this session: channel,
// customer, queue, outcome and duration, gathered from a core.Client's
// events. It imports no Fyne; views subscribe with OnChange.
package recent

import (
	"slices"
	"sync"
	"time"

	"github.com/agentdesk/agentdesk/core"
)

// Outcome is how a contact ended for the agent.
type Outcome string

const (
	// Handled: the agent was connected to it (talked, chatted, worked the task).
	Handled Outcome = "handled"
	// Transferred: the agent was connected, then handed it on (a cold
	// transfer, or leaving a conference); Entry.TransferredTo says to whom.
	Transferred Outcome = "transferred"
	// Missed: it rang out unanswered.
	Missed Outcome = "missed"
	// Rejected: the agent declined it.
	Rejected Outcome = "rejected"
	// Failed: it ended in error (a failed outbound call, a softphone failure).
	Failed Outcome = "failed"
	// Abandoned: the customer hung up before the agent was connected.
	Abandoned Outcome = "abandoned"
)

// Entry is one finished contact.
type Entry struct {
	ContactID string
	Channel   core.ContactType
	Inbound   bool
	Customer  string // the customer's name, or a task's name
	Number    string // the customer's phone number, if any
	Queue     string
	Outcome   Outcome
	// TransferredTo names whom the agent handed it to, when Transferred.
	TransferredTo string
	Start         time.Time     // when it was offered or dialled
	End           time.Time     // when it ended for the agent
	Duration      time.Duration // connected time when handled, else how long it rang
}

// DefaultLimit is how many entries a Recorder keeps unless told otherwise.
const DefaultLimit = 200

// Recorder gathers finished contacts from a client's events.
type Recorder struct {
	limit int

	mu       sync.Mutex
	entries  []Entry // oldest first
	onChange map[int]func()
	nextSub  int
	unsub    func()
}

// New starts recording the contacts of client (a started one or not).
// limit bounds how many entries are kept, oldest dropped first; 0 means
// DefaultLimit.
func New(client *core.Client, limit int) *Recorder {
	if limit <= 0 {
		limit = DefaultLimit
	}
	r := &Recorder{limit: limit, onChange: map[int]func(){}}
	r.unsub = client.OnContact(r.follow)
	return r
}

// Close stops recording; the entries stay readable.
func (r *Recorder) Close() { r.unsub() }

// Entries are the finished contacts, newest first.
func (r *Recorder) Entries() []Entry {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := slices.Clone(r.entries)
	slices.Reverse(out)
	return out
}

// OnChange calls fn, on the client's event goroutine, after each new entry.
func (r *Recorder) OnChange(fn func()) (unsubscribe func()) {
	r.mu.Lock()
	defer r.mu.Unlock()
	id := r.nextSub
	r.nextSub++
	r.onChange[id] = fn
	return func() {
		r.mu.Lock()
		delete(r.onChange, id)
		r.mu.Unlock()
	}
}

// follow watches one contact from the moment it reaches the agent.
func (r *Recorder) follow(c *core.Contact) {
	e := Entry{ContactID: c.ContactID(), Start: c.State().Timestamp}
	describe(&e, c)
	var connectedAt time.Time
	if c.IsConnected() {
		connectedAt = c.State().Timestamp
	}
	c.OnConnected(func(c *core.Contact) {
		if connectedAt.IsZero() && c.IsConnected() {
			connectedAt = c.State().Timestamp
		}
	})
	c.OnEnded(func(c *core.Contact) {
		describe(&e, c)
		st := c.State()
		e.End = st.Timestamp
		if st.Type.Active() {
			// Gone while still active (the caller hung up while it rang):
			// the end is now.
			e.End = st.Timestamp.Add(c.StateDuration())
		}
		e.Outcome = outcome(st.Type, !connectedAt.IsZero())
		if to := c.TransferredTo(); to != "" && e.Outcome == Handled {
			e.Outcome, e.TransferredTo = Transferred, to
		}
		from := e.Start
		if (e.Outcome == Handled || e.Outcome == Transferred) && !connectedAt.IsZero() {
			from = connectedAt
		}
		e.Duration = max(e.End.Sub(from), 0)
		r.add(e)
	})
}

// describe fills in what the contact says about itself, keeping what was
// known before where it says nothing now.
func describe(e *Entry, c *core.Contact) {
	if t := c.Type(); t != "" {
		e.Channel = t
	}
	e.Inbound = c.IsInbound()
	if q := c.Queue().Name; q != "" {
		e.Queue = q
	}
	if c.Type() == core.ContactTypeTask {
		if n := c.Name(); n != "" {
			e.Customer = n
		}
		return
	}
	if ic := c.InitialConnection(); ic != nil {
		ep := ic.Endpoint()
		if ep.PhoneNumber != "" {
			e.Number = ep.PhoneNumber
		}
		if ep.Name != "" && ep.Name != ep.PhoneNumber {
			e.Customer = ep.Name
		}
	}
}

func outcome(st core.ContactStateType, connected bool) Outcome {
	switch st {
	case core.ContactStateMissed:
		return Missed
	case core.ContactStateRejected:
		return Rejected
	case core.ContactStateError:
		return Failed
	}
	if connected {
		return Handled
	}
	return Abandoned
}

func (r *Recorder) add(e Entry) {
	r.mu.Lock()
	r.entries = append(r.entries, e)
	if over := len(r.entries) - r.limit; over > 0 {
		r.entries = slices.Delete(r.entries, 0, over)
	}
	fns := make([]func(), 0, len(r.onChange))
	for _, fn := range r.onChange {
		fns = append(fns, fn)
	}
	r.mu.Unlock()
	for _, fn := range fns {
		fn()
	}
}
