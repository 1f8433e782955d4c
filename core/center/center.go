// Package center is the embedded contact center: agents, queues, routing and
// simulated customers, in process. It implements core.Backend for each agent
// session. It imports core but neither Fyne nor malgo.
package center

import (
	"log/slog"
	"math/rand/v2"
	"slices"
	"sort"
	"strconv"
	"sync"
	"time"

	"github.com/agentdesk/agentdesk/core"
	"github.com/agentdesk/agentdesk/core/clock"
	"github.com/agentdesk/agentdesk/core/inorder"
)

// Center is a running contact center.
type Center struct {
	mu       sync.Mutex
	clk      clock.Clock
	log      *slog.Logger
	inst     *Instance
	timing   Timing
	rng      *rand.Rand
	states   []core.AgentState
	queues   map[string]*queue // by ARN
	byName   map[string]*queue
	queueSeq []*queue
	agents   map[string]*agent
	contacts map[string]*contact
	finished []string // IDs of finished contacts still kept, oldest first
	ids      int64
	dirty    map[*agent]bool
	traffic  *traffic
	closed   bool
	media    MediaServer
	mediaQ   *inorder.Queue
	plans    map[string][]MediaParty // last plan sent per contact
}

// Option configures a Center.
type Option func(*Center)

// WithClock sets the center's clock; tests use clock.NewFake.
func WithClock(c clock.Clock) Option { return func(cc *Center) { cc.clk = c } }

// WithLogger sets the center's logger.
func WithLogger(l *slog.Logger) Option { return func(cc *Center) { cc.log = l } }

// WithSeed makes the simulated customers deterministic.
func WithSeed(seed uint64) Option {
	return func(cc *Center) { cc.rng = rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)) }
}

// New starts a center for inst (DefaultInstance when nil).
func New(inst *Instance, opts ...Option) *Center {
	if inst == nil {
		inst = DefaultInstance()
	}
	c := &Center{
		clk: clock.Real(), log: slog.Default(), inst: inst, timing: inst.Timing,
		rng:    rand.New(rand.NewPCG(1, 2)),
		queues: map[string]*queue{}, byName: map[string]*queue{}, agents: map[string]*agent{},
		contacts: map[string]*contact{}, dirty: map[*agent]bool{},
	}
	for _, o := range opts {
		o(c)
	}
	c.plans = map[string][]MediaParty{}
	if c.media != nil {
		c.mediaQ = inorder.New(c.log)
	}
	for _, s := range inst.States {
		c.states = append(c.states, core.AgentState{ARN: stateARN(s.Name), Name: s.Name, Type: core.AgentStateType(s.Type)})
	}
	for _, qc := range inst.Queues {
		q := &queue{Queue: queueOf(qc.Name), traffic: map[core.ContactType]int{}}
		for ch, w := range qc.Traffic {
			q.traffic[core.ContactType(ch)] = w
		}
		c.queues[q.QueueARN], c.byName[q.Name] = q, q
		c.queueSeq = append(c.queueSeq, q)
	}
	profiles := map[string]*profile{}
	for _, pc := range inst.RoutingProfiles {
		p := &profile{concurrency: map[core.ContactType]int{}}
		p.rp = core.RoutingProfile{
			Name: pc.Name, RoutingProfileARN: arnPrefix + "/routing-profile/" + slug(pc.Name),
			DefaultOutboundQueue: c.byName[pc.DefaultOutboundQueue].Queue,
			Channels:             map[core.ContactType]int{},
		}
		for _, ch := range []core.ContactType{core.ContactTypeVoice, core.ContactTypeChat, core.ContactTypeTask} {
			n, ok := pc.Concurrency[string(ch)]
			if !ok {
				n = map[core.ContactType]int{core.ContactTypeVoice: 1, core.ContactTypeChat: 3, core.ContactTypeTask: 3}[ch]
			}
			p.concurrency[ch], p.rp.Channels[ch] = n, n
		}
		for _, pq := range pc.Queues {
			p.queues = append(p.queues, profileQueue{q: c.byName[pq.Queue], priority: pq.Priority})
		}
		sort.SliceStable(p.queues, func(i, j int) bool { return p.queues[i].priority < p.queues[j].priority })
		for _, pq := range p.queues {
			p.rp.Queues = append(p.rp.Queues, core.RoutingProfileQueue{Queue: pq.q.Queue, Priority: pq.priority})
		}
		profiles[pc.Name] = p
	}
	for _, ac := range inst.Agents {
		a := &agent{
			cfg: ac, arn: arnPrefix + "/agent/" + ac.Login, profile: profiles[ac.RoutingProfile],
			softphone: ac.Softphone == nil || *ac.Softphone, extension: ac.Extension, locale: ac.Locale,
		}
		if a.locale == "" {
			a.locale = core.DefaultLocale
		}
		c.agents[ac.Login] = a
		for _, pq := range a.profile.queues {
			pq.q.agents = append(pq.q.agents, a)
		}
	}
	for _, qc := range inst.QuickConnects {
		e := core.Endpoint{ARN: arnPrefix + "/transfer-destination/" + slug(qc.Name), Type: core.EndpointType(qc.Type), Name: qc.Name}
		switch e.Type {
		case core.EndpointPhoneNumber:
			e.PhoneNumber, _, _ = parseNumber(qc.PhoneNumber)
		case core.EndpointAgent:
			e.AgentLogin = qc.Agent
		case core.EndpointQueue:
			e.Queue = c.byName[qc.Queue].QueueARN
		}
		for _, qn := range qc.Queues {
			q := c.byName[qn]
			q.quick = append(q.quick, e)
		}
	}
	return c
}

// Instance is the configuration the center runs.
func (c *Center) Instance() *Instance { return c.inst }

// Close stops the traffic and every timer's effect.
func (c *Center) Close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.closed = true
	if c.traffic != nil {
		c.traffic.stop()
	}
	if c.mediaQ != nil {
		c.mediaQ.Close()
	}
}

// Logins lists the agents of the instance.
func (c *Center) Logins() []string {
	out := make([]string, 0, len(c.inst.Agents))
	for _, a := range c.inst.Agents {
		out = append(out, a.Login)
	}
	return out
}

func (c *Center) now() time.Time { return c.clk.Now() }

func (c *Center) newID(prefix string) string {
	c.ids++
	return prefix + "-" + strconv.FormatInt(c.ids, 10)
}

// after runs fn under the center's lock after d, then publishes.
func (c *Center) after(d time.Duration, fn func()) clock.Timer {
	return c.clk.AfterFunc(d, func() {
		c.mu.Lock()
		defer c.mu.Unlock()
		if c.closed {
			return
		}
		fn()
		c.flush()
	})
}

func (c *Center) touch(a *agent) { c.dirty[a] = true }

func (c *Center) touchContact(ct *contact) {
	for _, l := range ct.legs {
		c.touch(l.agent)
	}
}

// flush recomputes the state of every agent that changed and sends their
// sessions a snapshot when what they see differs.
func (c *Center) flush() {
	for len(c.dirty) > 0 {
		agents := make([]*agent, 0, len(c.dirty))
		for a := range c.dirty {
			agents = append(agents, a)
		}
		clear(c.dirty)
		c.planMedia(agents)
		for _, a := range agents {
			c.settle(a)
			if a.session != nil {
				a.session.publish(c.snapshot(a))
			}
		}
		// New work is offered only after the agents have been shown what
		// ended, so a contact cleared and offered again is seen as two.
		for _, a := range agents {
			if a.routable() {
				c.takeWork(a)
			}
		}
	}
}

// settle brings the agent's displayed state up to date and, when the agent
// is left with no contacts, applies what was waiting for that.
func (c *Center) settle(a *agent) {
	if len(a.legs) == 0 {
		if a.next != nil {
			a.chosen = core.AgentState{ARN: a.next.ARN, Name: a.next.Name, Type: a.next.Type, StartTimestamp: c.now()}
			a.next = nil
		}
		a.pendingAvailable = false
		if a.logoutPending && a.chosen.Type == core.AgentStateTypeOffline && a.session != nil {
			c.endSession(a, "logged out")
			return
		}
	}
	name, typ := c.displayState(a)
	if name != a.display.Name || typ != a.display.Type {
		a.display = core.AgentState{Name: name, Type: typ, StartTimestamp: c.now()}
		if typ == a.chosen.Type && name == a.chosen.Name {
			a.display.ARN = a.chosen.ARN
		}
		c.log.Debug("agent state", "agent", a.cfg.Login, "state", name)
	}
}

// displayState is the state the agent is shown in: an error first, then
// what their contacts make them, then the state they chose.
func (c *Center) displayState(a *agent) (string, core.AgentStateType) {
	if a.errState != "" {
		return a.errState, core.AgentStateTypeError
	}
	var ringing, talking, calling, dialing, joining, acw bool
	for _, l := range a.legs {
		switch l.phase {
		case phaseRinging:
			ringing = true
		case phaseTalking:
			talking = true
		case phaseCallingCustomer:
			calling = true
		case phaseDialingAgent:
			dialing = true
		case phaseJoining:
			joining = true
		case phaseDone:
			acw = acw || l.state.Type == core.ContactStateEnded
		}
	}
	switch {
	case ringing:
		return core.StatePendingBusy, core.AgentStateTypeSystem
	case talking:
		return core.StateBusy, core.AgentStateTypeSystem
	case calling:
		return core.StateCallingCustomer, core.AgentStateTypeSystem
	case dialing:
		return core.StateDialing, core.AgentStateTypeSystem
	case joining:
		return core.StateJoining, core.AgentStateTypeSystem
	case acw && a.pendingAvailable:
		return core.StatePendingAvailable, core.AgentStateTypeSystem
	case acw:
		return core.StateAfterCallWork, core.AgentStateTypeSystem
	}
	return a.chosen.Name, a.chosen.Type
}

func (c *Center) snapshot(a *agent) core.Snapshot {
	s := core.Snapshot{Time: c.now(), Agent: core.AgentData{
		State: a.display, NextState: a.next, Configuration: c.configuration(a),
		AfterContactWorkTimeout: a.cfg.ACWTimeout.Duration,
	}}
	if a.next != nil {
		n := *a.next
		s.Agent.NextState = &n
	}
	for _, l := range a.legs {
		s.Contacts = append(s.Contacts, l.data())
	}
	return s
}

func (c *Center) configuration(a *agent) core.Configuration {
	return core.Configuration{
		SoftphoneEnabled: a.softphone, Extension: a.extension,
		AgentPreferences: core.AgentPreferences{Locale: a.locale},
		Name:             a.cfg.Name, Username: a.cfg.Login,
		AgentStates:       slices.Clone(c.states),
		DialableCountries: slices.Clone(c.inst.DialableCountries),
		Permissions:       slices.Clone(a.cfg.Permissions),
		RoutingProfile:    a.profile.rp,
	}
}

// stateByName finds a selectable state by ARN or name.
func (c *Center) stateByName(s core.AgentState) (core.AgentState, bool) {
	for _, st := range c.states {
		if s.ARN != "" && st.ARN == s.ARN || s.ARN == "" && st.Name == s.Name {
			return st, true
		}
	}
	return core.AgentState{}, false
}

// Session logs an agent in and returns their session, which implements
// core.Backend. A second session for the same agent takes over: the first
// ends in MultipleCcpWindows.
func (c *Center) Session(login string) (*Session, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	a, ok := c.agents[login]
	if !ok {
		return nil, core.Errorf(core.ErrTypeNotFound, "no agent %q in this instance (agents: %v)", login, c.Logins())
	}
	if c.closed {
		return nil, core.Errorf(core.ErrTypeUnavailable, "the contact center is shut down")
	}
	if old := a.session; old != nil {
		final := c.snapshot(a)
		final.Agent.State = core.AgentState{Name: core.StateMultipleCcpWindows, Type: core.AgentStateTypeError, StartTimestamp: c.now()}
		final.Contacts = nil
		old.end(final, "another AgentDesk window logged in as "+login)
	}
	s := newSession(c, a)
	wasLoggedIn := a.session != nil
	a.session = s
	a.logoutPending = false
	// The first snapshot shows Init; the agent's starting state follows.
	s.publish(core.Snapshot{Time: c.now(), Agent: core.AgentData{
		State:         core.AgentState{Name: core.StateInit, Type: core.AgentStateTypeInit, StartTimestamp: c.now()},
		Configuration: c.configuration(a),
	}})
	if !wasLoggedIn {
		start := a.cfg.InitialState
		if start == "" {
			start = c.offlineState().Name
		}
		st, _ := c.stateByName(core.AgentState{Name: start})
		st.StartTimestamp = c.now()
		a.chosen = st
		a.idleSince = c.now()
		a.display = core.AgentState{}
		if !core.ValidLocale(a.locale) {
			a.errState = core.StateInvalidLocale
		}
	}
	c.log.Info("agent logged in", "agent", login)
	c.touch(a)
	c.flush()
	return s, nil
}

func (c *Center) offlineState() core.AgentState {
	for _, s := range c.states {
		if s.Type == core.AgentStateTypeOffline {
			return s
		}
	}
	return core.AgentState{}
}

// endSession logs the agent out: ringing contacts go back to their queue,
// live calls are dropped.
func (c *Center) endSession(a *agent, reason string) {
	s := a.session
	if s == nil {
		return
	}
	for _, l := range slices.Clone(a.legs) {
		if l.phase == phaseRinging {
			c.missLeg(l, core.ContactStateMissed, "")
		} else if l.state.Type.Active() {
			c.agentHangsUp(l)
		}
		c.removeLeg(l)
	}
	a.session = nil
	a.logoutPending = false
	a.errState, a.errLeg = "", nil
	a.next = nil
	off := c.offlineState()
	off.StartTimestamp = c.now()
	a.chosen = off
	a.display = off
	final := c.snapshot(a)
	final.Contacts = nil
	s.end(final, reason)
	c.log.Info("agent logged out", "agent", a.cfg.Login, "reason", reason)
}
