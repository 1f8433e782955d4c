package center

import (
	"context"
	"reflect"
	"sync"

	"github.com/agentdesk/agentdesk/core"
)

// Session is one agent's login on the center. It implements core.Backend.
type Session struct {
	c *Center
	a *agent

	// guarded by c.mu
	seq   int64
	last  *core.Snapshot
	ended bool

	mu      sync.Mutex
	pending []core.Snapshot
	fn      func(core.Snapshot)
	wake    chan struct{}
	stop    chan struct{}
	stopped bool
}

func newSession(c *Center, a *agent) *Session {
	return &Session{c: c, a: a, wake: make(chan struct{}, 1), stop: make(chan struct{})}
}

// publish queues s for delivery if it differs from the last one. Called with c.mu held.
func (s *Session) publish(snap core.Snapshot) {
	if s.ended {
		return
	}
	if s.last != nil && reflect.DeepEqual(s.last.Agent, snap.Agent) && reflect.DeepEqual(s.last.Contacts, snap.Contacts) {
		return
	}
	s.seq++
	snap.Seq = s.seq
	s.last = &snap
	s.push(snap)
}

// end sends the final snapshot. Called with c.mu held.
func (s *Session) end(final core.Snapshot, reason string) {
	if s.ended {
		return
	}
	s.seq++
	final.Seq, final.Ended, final.Reason = s.seq, true, reason
	s.last = &final
	s.ended = true
	s.push(final)
}

func (s *Session) push(snap core.Snapshot) {
	s.mu.Lock()
	s.pending = append(s.pending, snap)
	s.mu.Unlock()
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// Subscribe delivers the session's snapshots to fn in order on one goroutine.
func (s *Session) Subscribe(fn func(core.Snapshot), status func(core.ConnectionStatus)) func() {
	s.mu.Lock()
	first := s.fn == nil
	s.fn = fn
	s.mu.Unlock()
	if status != nil {
		status(core.ConnectionStatusConnected)
	}
	if first {
		go s.deliver()
	}
	var once sync.Once
	return func() {
		once.Do(func() {
			s.mu.Lock()
			defer s.mu.Unlock()
			if !s.stopped {
				s.stopped = true
				close(s.stop)
			}
		})
	}
}

func (s *Session) deliver() {
	for {
		s.mu.Lock()
		batch := s.pending
		s.pending = nil
		fn := s.fn
		s.mu.Unlock()
		for _, snap := range batch {
			fn(snap)
		}
		if len(batch) > 0 {
			continue
		}
		select {
		case <-s.wake:
		case <-s.stop:
			return
		}
	}
}

// Do carries out one command for this agent.
func (s *Session) Do(ctx context.Context, cmd core.Command) (core.Result, error) {
	if err := ctx.Err(); err != nil {
		return core.Result{}, err
	}
	c := s.c
	c.mu.Lock()
	defer c.mu.Unlock()
	if s.ended {
		return core.Result{}, core.ErrSessionEnded
	}
	if c.closed {
		return core.Result{}, core.Errorf(core.ErrTypeUnavailable, "the contact center is shut down")
	}
	if cmd.Kind == core.CmdMediaOffer {
		// Building the center's end of the call takes a while: not under the lock.
		login, err := c.checkMediaOffer(s.a, cmd.ContactID)
		seq := s.seq
		c.mu.Unlock()
		var answer string
		if err == nil {
			answer, err = c.media.AnswerAgent(ctx, cmd.ContactID, login, cmd.Text)
		}
		c.mu.Lock()
		return core.Result{Seq: seq, SDP: answer}, err
	}
	res, err := c.command(s.a, cmd)
	c.flush()
	res.Seq = s.seq
	return res, err
}

// Close logs the agent out if this is still their session and stops delivery.
func (s *Session) Close() error {
	c := s.c
	c.mu.Lock()
	if !s.ended && s.a.session == s {
		c.endSession(s.a, "session closed")
		c.flush()
	}
	c.mu.Unlock()
	s.mu.Lock()
	if !s.stopped {
		s.stopped = true
		close(s.stop)
	}
	s.mu.Unlock()
	return nil
}
