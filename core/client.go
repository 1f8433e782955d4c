package core

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"reflect"
	"sync"
	"time"

	"github.com/agentdesk/agentdesk/core/clock"
	"github.com/agentdesk/agentdesk/core/inorder"
)

// Client is one agent's session with a contact center. It keeps the latest
// snapshot, compares each new one with the last and raises the events that
// the difference implies. Events are delivered in order on one goroutine.
type Client struct {
	backend Backend
	log     *slog.Logger
	clock   clock.Clock
	media   Media

	mu          sync.Mutex
	snap        *Snapshot
	offset      time.Duration // center time minus local time at the last snapshot
	contacts    map[string]*ContactData
	tombstones  map[string]*ContactData
	endedFired  map[string]bool
	initialized bool
	ended       bool
	initCh      chan struct{}
	appliedCh   chan struct{} // closed and replaced whenever a snapshot is applied
	status      ConnectionStatus
	muted       bool
	unsubscribe func()
	started     bool
	initSnap    *Snapshot // the snapshot that initialized the agent this session

	subs   subscriptions
	events *inorder.Queue
}

// Option configures a Client.
type Option func(*Client)

// WithLogger sets the client's logger.
func WithLogger(l *slog.Logger) Option { return func(c *Client) { c.log = l } }

// WithClock sets the clock used for durations; tests pass the center's fake clock.
func WithClock(clk clock.Clock) Option { return func(c *Client) { c.clock = clk } }

// WithMedia attaches the audio engine that owns the devices.
func WithMedia(m Media) Option { return func(c *Client) { c.media = m } }

// NewClient makes a client for one agent session on backend.
func NewClient(backend Backend, opts ...Option) *Client {
	c := &Client{
		backend:    backend,
		log:        slog.Default(),
		clock:      clock.Real(),
		contacts:   map[string]*ContactData{},
		tombstones: map[string]*ContactData{},
		endedFired: map[string]bool{},
		initCh:     make(chan struct{}),
		appliedCh:  make(chan struct{}),
		status:     ConnectionStatusConnecting,
	}
	for _, o := range opts {
		o(c)
	}
	c.events = inorder.New(c.log)
	return c
}

// Start subscribes to the backend and returns once the agent is initialized
// (the first snapshot with a settled agent state arrived), or with an error.
func (c *Client) Start(ctx context.Context) error {
	c.mu.Lock()
	subscribe := c.unsubscribe == nil && !c.started
	c.started = true
	initCh := c.initCh
	c.mu.Unlock()
	if subscribe {
		unsub := c.backend.Subscribe(c.apply, c.setStatus)
		c.mu.Lock()
		c.unsubscribe = unsub
		c.mu.Unlock()
	}
	select {
	case <-initCh:
		c.mu.Lock()
		defer c.mu.Unlock()
		if !c.initialized {
			return ErrSessionEnded
		}
		return nil
	case <-ctx.Done():
		return fmt.Errorf("waiting for the first agent snapshot: %w", ctx.Err())
	}
}

// Close stops the client and ends the backend session.
func (c *Client) Close() error {
	c.mu.Lock()
	unsub := c.unsubscribe
	c.unsubscribe = nil
	c.mu.Unlock()
	if unsub != nil {
		unsub()
	}
	err := c.backend.Close()
	c.events.Close()
	return err
}

// Agent returns the agent, or ErrNotInitialized before the first snapshot
// and after logout.
func (c *Client) Agent() (*Agent, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.initialized {
		return nil, ErrNotInitialized
	}
	return &Agent{c: c}, nil
}

// OnAgent calls fn once the agent is initialized, at once (on the event
// goroutine) if it already is.
func (c *Client) OnAgent(fn func(*Agent)) (unsubscribe func()) {
	// Each initialization calls fn once, however the delivery was queued.
	var mu sync.Mutex
	var seenFor *Snapshot
	orig := fn
	once := func(a *Agent) {
		c.mu.Lock()
		cur := c.initSnap
		c.mu.Unlock()
		mu.Lock()
		dup := seenFor == cur
		seenFor = cur
		mu.Unlock()
		if !dup {
			orig(a)
		}
	}
	fn = once
	id, unsub := c.subs.addID(keyAgentInit, fn)
	c.mu.Lock()
	if c.initialized {
		c.events.Push(func() {
			if c.subs.has(keyAgentInit, id) {
				c.events.Call(func() { fn(&Agent{c: c}) })
			}
		})
	}
	c.mu.Unlock()
	return unsub
}

// OnContact calls fn for every contact routed to the agent, existing ones too.
func (c *Client) OnContact(fn func(*Contact)) (unsubscribe func()) {
	// A snapshot's events may still be on their way when fn subscribes:
	// its new contacts would then reach fn as new and again as existing
	// ones, so the existing ones skip what fn has been told of since. (A
	// contact missed and offered again is new again, under the same ID.)
	// Both run on the events goroutine.
	told := map[string]bool{}
	unsub := c.subs.add(keyContactNew, func(h *Contact) {
		told[h.id] = true
		fn(h)
	})
	c.mu.Lock()
	if c.snap != nil {
		for _, cd := range c.snap.Contacts {
			id := cd.ContactID
			c.events.Push(func() {
				if !told[id] {
					c.events.Call(func() { fn(&Contact{c: c, id: id}) })
				}
			})
		}
	}
	c.mu.Unlock()
	return unsub
}

// ConnectionStatus is the link's health as last reported.
func (c *Client) ConnectionStatus() ConnectionStatus {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.status
}

// MediaDevices lists the audio devices of the attached audio engine.
func (c *Client) MediaDevices() ([]MediaDevice, error) {
	if c.media == nil {
		return nil, ErrNoMedia
	}
	return c.media.Devices()
}

// Contact returns a live handle to a contact the agent has or had this session.
func (c *Client) Contact(id string) (*Contact, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.contacts[id]; ok {
		return &Contact{c: c, id: id}, true
	}
	if _, ok := c.tombstones[id]; ok {
		return &Contact{c: c, id: id}, true
	}
	return nil, false
}

// Sync returns once every snapshot the center sent so far has been applied
// and every event raised before has been delivered to its handlers. It must
// not be called from an event handler.
func (c *Client) Sync(ctx context.Context) error {
	if _, err := c.do(ctx, Command{Kind: CmdSync}); err != nil && err != ErrSessionEnded {
		return err
	}
	done := make(chan struct{})
	c.events.Push(func() { close(done) })
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("waiting for events to be delivered: %w", ctx.Err())
	}
}

// do sends a command and waits until the snapshot showing its effect has
// been applied, so getters agree with what just happened.
func (c *Client) do(ctx context.Context, cmd Command) (Result, error) {
	c.mu.Lock()
	ended := c.ended
	c.mu.Unlock()
	if ended {
		return Result{}, ErrSessionEnded
	}
	res, err := c.backend.Do(ctx, cmd)
	if errors.Is(err, ErrSessionEnded) {
		// The session ended under us (logout elsewhere, another window):
		// let the final snapshot land so getters show why.
		if werr := c.waitEnded(ctx); werr != nil {
			return res, werr
		}
		return res, err
	}
	if err != nil {
		return res, err
	}
	if err := c.waitApplied(ctx, res.Seq); err != nil {
		return res, err
	}
	return res, nil
}

func (c *Client) waitEnded(ctx context.Context) error {
	return c.waitUntil(ctx, "the final snapshot", func() bool { return c.ended })
}

func (c *Client) waitApplied(ctx context.Context, seq int64) error {
	return c.waitUntil(ctx, "the contact center to confirm", func() bool {
		return c.snap != nil && c.snap.Seq >= seq || c.ended
	})
}

// waitUntil waits until cond, read under c.mu, holds after a snapshot.
func (c *Client) waitUntil(ctx context.Context, what string, cond func() bool) error {
	for {
		c.mu.Lock()
		done := cond()
		ch := c.appliedCh
		c.mu.Unlock()
		if done {
			return nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return fmt.Errorf("waiting for %s: %w", what, ctx.Err())
		}
	}
}

func (c *Client) setStatus(s ConnectionStatus) {
	c.mu.Lock()
	changed := c.status != s
	c.status = s
	c.mu.Unlock()
	if changed {
		c.log.Info("center connection", "status", string(s))
		emit(c, keyConnStatus, func(fn func(ConnectionStatus)) { fn(s) })
	}
}

// apply takes one snapshot from the backend, records it and queues the events
// that its difference from the last one implies.
func (c *Client) apply(s Snapshot) {
	c.mu.Lock()
	defer func() {
		close(c.appliedCh)
		c.appliedCh = make(chan struct{})
		c.mu.Unlock()
	}()
	if c.snap != nil && s.Seq <= c.snap.Seq {
		return
	}
	old := c.snap
	if !c.initialized && old == nil && s.Agent.State.Type == AgentStateTypeInit && !s.Ended {
		// Logged in but not yet initialized: nothing to compare against yet.
		c.snap = &s
		c.offset = s.Time.Sub(c.clock.Now())
		return
	}
	if !c.initialized && old != nil && old.Agent.State.Type == AgentStateTypeInit {
		old = nil
	}
	c.snap = &s
	c.offset = s.Time.Sub(c.clock.Now())
	newContacts := make(map[string]*ContactData, len(s.Contacts))
	for i := range s.Contacts {
		newContacts[s.Contacts[i].ContactID] = &s.Contacts[i]
	}
	oldContacts := c.contacts
	c.contacts = newContacts

	if !c.initialized && !s.Ended {
		c.initialized = true
		c.initSnap = &s
		close(c.initCh)
		emit(c, keyAgentInit, func(fn func(*Agent)) { fn(&Agent{c: c}) })
	}
	if old != nil {
		c.diffAgent(old.Agent, s.Agent)
	}
	c.diffContacts(oldContacts, s.Contacts)
	if c.muted && !hasActiveVoice(s.Contacts) {
		c.muted = false
		c.pushMute(false)
	}
	if s.Ended {
		c.ended = true
		wasInit := c.initialized
		c.initialized = false
		if !wasInit {
			close(c.initCh)
		}
		c.log.Info("agent session ended", "reason", s.Reason)
	}
}

func hasActiveVoice(cs []ContactData) bool {
	for _, cd := range cs {
		if cd.Type == ContactTypeVoice && cd.State.Type.Active() {
			return true
		}
	}
	return false
}

func (c *Client) diffAgent(old, cur AgentData) {
	a := &Agent{c: c}
	fire := func(k eventKey) { emit(c, k, func(fn func(*Agent)) { fn(a) }) }
	if old.State.Type != cur.State.Type {
		switch cur.State.Type {
		case AgentStateTypeRoutable:
			fire(keyRoutable)
		case AgentStateTypeNotRoutable:
			fire(keyNotRoutable)
		case AgentStateTypeOffline:
			fire(keyOffline)
		}
	}
	if old.State.Name != cur.State.Name {
		sc := StateChange{Old: old.State.Name, New: cur.State.Name}
		c.log.Info("agent state", "agent", cur.Configuration.Username, "old", sc.Old, "new", sc.New)
		emit(c, keyStateChange, func(fn func(StateChange)) { fn(sc) })
		if cur.State.Type == AgentStateTypeError {
			fire(keyAgentError)
		}
		if cur.State.Name == StateAfterCallWork {
			fire(keyAfterCallWork)
		}
	}
	switch {
	case old.NextState == nil && cur.NextState != nil,
		old.NextState != nil && cur.NextState != nil && old.NextState.Name != cur.NextState.Name:
		fire(keyEnqueued)
	case old.NextState != nil && cur.NextState == nil:
		fire(keyCleared)
	}
	if !reflect.DeepEqual(old, cur) {
		fire(keyAgentRefresh)
	}
}

func (c *Client) diffContacts(old map[string]*ContactData, cur []ContactData) {
	for i := range cur {
		cd := &cur[i]
		id := cd.ContactID
		prev, existed := old[id]
		h := &Contact{c: c, id: id}
		if !existed {
			c.log.Info("contact routed", "contact_id", id, "type", string(cd.Type), "queue", cd.Queue.Name)
			emit(c, keyContactNew, func(fn func(*Contact)) { fn(h) })
		}
		var prevState ContactStateType
		var prevAccepted bool
		var prevMsgs int
		if existed {
			prevState, prevAccepted, prevMsgs = prev.State.Type, prev.Accepted, len(prev.Messages)
		}
		if cd.Accepted && !prevAccepted {
			c.fireContact(id, evAccepted, h)
		}
		if cd.State.Type != prevState || !existed {
			c.contactTransition(id, h, prevState, cd.State.Type, existed)
		}
		for _, m := range cd.Messages[min(prevMsgs, len(cd.Messages)):] {
			emit(c, contactKey(id, evMessage), func(fn func(ChatMessage)) { fn(m) })
		}
		if !existed || !reflect.DeepEqual(prev, cd) {
			c.fireContact(id, evRefresh, h)
		}
	}
	for id, prev := range old {
		if _, ok := c.contacts[id]; ok {
			continue
		}
		c.tombstones[id] = prev
		h := &Contact{c: c, id: id}
		if !c.endedFired[id] {
			c.fireContact(id, evEnded, h)
		}
		delete(c.endedFired, id)
		c.fireContact(id, evDestroy, h)
		c.log.Info("contact destroyed", "contact_id", id)
		c.events.Push(func() { c.subs.dropContact(id) })
	}
}

func (c *Client) contactTransition(id string, h *Contact, from, to ContactStateType, existed bool) {
	switch to {
	case ContactStateIncoming:
		c.fireContact(id, evIncoming, h)
	case ContactStatePending:
		c.fireContact(id, evPending, h)
	case ContactStateConnecting:
		c.fireContact(id, evConnecting, h)
	case ContactStateConnected:
		c.fireContact(id, evConnected, h)
	}
	if (from == ContactStateConnecting || from == ContactStateIncoming) &&
		(to == ContactStateError || to == ContactStateMissed || to == ContactStateRejected) {
		c.fireContact(id, evMissed, h)
	}
	if to == ContactStateEnded {
		c.fireContact(id, evACW, h)
	}
	if to == ContactStateError {
		c.fireContact(id, evError, h)
	}
	if (from.Active() || !existed) && !to.Active() && !c.endedFired[id] {
		c.endedFired[id] = true
		c.fireContact(id, evEnded, h)
	}
}

func (c *Client) fireContact(id string, ev string, h *Contact) {
	emit(c, contactKey(id, ev), func(fn func(*Contact)) { fn(h) })
}

func (c *Client) pushMute(m bool) {
	emit(c, keyMute, func(fn func(bool)) { fn(m) })
}

// contactData returns the latest data of a contact, or what it last was if it
// is gone.
func (c *Client) contactData(id string) (ContactData, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if cd, ok := c.contacts[id]; ok {
		return *cd, true
	}
	if cd, ok := c.tombstones[id]; ok {
		return *cd, false
	}
	return ContactData{ContactID: id}, false
}

func (c *Client) agentData() AgentData {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.snap == nil {
		return AgentData{}
	}
	return c.snap.Agent
}

// centerNow is the center's time as best known here.
func (c *Client) centerNow() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.clock.Now().Add(c.offset)
}

// emit queues one delivery of event k: every handler subscribed when it runs
// is called in turn, each shielded from the others' panics.
func emit[F any](c *Client, k eventKey, call func(F)) {
	c.events.Push(func() {
		for _, fn := range subsOf[F](&c.subs, k) {
			c.events.Call(func() { call(fn) })
		}
	})
}
