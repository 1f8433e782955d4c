package remote

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/agentdesk/agentdesk/core"
)

// Opener logs an agent in on the center and returns their session.
type Opener func(login string) (core.Backend, error)

// ServerConfig configures a Server. Open is required.
type ServerConfig struct {
	Open  Opener
	Token string // when set, every request must carry it as a bearer token
	// Grace is how long a session outlives its last snapshot stream, so that
	// an agent whose network drops finds their contacts where they left them.
	// After it the agent is logged out. Default 2 minutes.
	Grace time.Duration
	// Keepalive is how often an idle stream carries a comment line, so that
	// clients can tell a quiet center from a dead link. Default 10 s.
	Keepalive time.Duration
	Log       *slog.Logger
}

const (
	keptSnapshots = 256 // per session, for clients resuming after a drop
	keptResults   = 128 // per session, for commands retried after a drop
	maxBody       = 1 << 20
	// commandTimeout bounds one command on the center, even after its
	// request has gone away.
	commandTimeout = 30 * time.Second
)

// Server serves a center's agent sessions over HTTP. It is an http.Handler.
type Server struct {
	cfg  ServerConfig
	mux  *http.ServeMux
	mu   sync.Mutex
	sess map[string]*session
	stop chan struct{}
	done sync.WaitGroup
}

// NewServer returns a server; call Close to log every agent out.
func NewServer(cfg ServerConfig) *Server {
	if cfg.Grace <= 0 {
		cfg.Grace = 2 * time.Minute
	}
	if cfg.Keepalive <= 0 {
		cfg.Keepalive = 10 * time.Second
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	s := &Server{cfg: cfg, mux: http.NewServeMux(), sess: map[string]*session{}, stop: make(chan struct{})}
	s.mux.HandleFunc("POST /v1/sessions", s.open)
	s.mux.HandleFunc("GET /v1/sessions/{id}/snapshots", s.snapshots)
	s.mux.HandleFunc("POST /v1/sessions/{id}/commands", s.command)
	s.mux.HandleFunc("DELETE /v1/sessions/{id}", s.closeSession)
	s.done.Add(1)
	go s.reap()
	return s
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if s.cfg.Token != "" {
		const prefix = "Bearer "
		h := r.Header.Get("Authorization")
		if len(h) < len(prefix) || subtle.ConstantTimeCompare([]byte(h[len(prefix):]), []byte(s.cfg.Token)) != 1 {
			writeError(w, http.StatusUnauthorized, &wireError{Type: core.ErrTypeAccessDenied, Message: "this contact center needs a valid team token"})
			return
		}
	}
	s.mux.ServeHTTP(w, r)
}

// Close ends every session (the agents are logged out) and stops the server's
// housekeeping. The HTTP listener is the caller's.
func (s *Server) Close() error {
	s.mu.Lock()
	select {
	case <-s.stop:
		s.mu.Unlock()
		return nil
	default:
	}
	close(s.stop)
	all := s.sess
	s.sess = map[string]*session{}
	s.mu.Unlock()
	for _, ss := range all {
		ss.close()
	}
	s.done.Wait()
	return nil
}

func (s *Server) open(w http.ResponseWriter, r *http.Request) {
	var req openRequest
	if err := json.NewDecoder(io.LimitReader(r.Body, maxBody)).Decode(&req); err != nil || req.Login == "" {
		writeError(w, http.StatusBadRequest, &wireError{Type: core.ErrTypeInvalidParameter, Message: "the request needs a login"})
		return
	}
	backend, err := s.cfg.Open(req.Login)
	if err != nil {
		status := http.StatusBadRequest
		if core.IsCenterError(err, core.ErrTypeNotFound) {
			status = http.StatusNotFound
		}
		writeError(w, status, toWire(err))
		return
	}
	ss := newSession(newID(), req.Login, backend)
	s.mu.Lock()
	s.sess[ss.id] = ss
	s.mu.Unlock()
	s.cfg.Log.Info("agent connected", "agent", req.Login, "session", ss.id, "remote", r.RemoteAddr)
	writeJSON(w, http.StatusCreated, openResponse{Session: ss.id})
}

func (s *Server) lookup(w http.ResponseWriter, r *http.Request) *session {
	s.mu.Lock()
	ss := s.sess[r.PathValue("id")]
	s.mu.Unlock()
	if ss == nil {
		writeError(w, http.StatusNotFound, &wireError{Type: errTypeSessionEnded, Message: "this session has ended; log in again"})
	}
	return ss
}

func (s *Server) snapshots(w http.ResponseWriter, r *http.Request) {
	ss := s.lookup(w, r)
	if ss == nil {
		return
	}
	after, _ := strconv.ParseInt(r.URL.Query().Get("after"), 10, 64)
	flusher, ok := w.(http.Flusher)
	if !ok {
		writeError(w, http.StatusInternalServerError, &wireError{Type: core.ErrTypeUnavailable, Message: "streaming unsupported"})
		return
	}
	ss.attach()
	defer ss.detach()
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	flusher.Flush()
	keepalive := time.NewTicker(s.cfg.Keepalive)
	defer keepalive.Stop()
	for {
		batch, changed := ss.since(after)
		for _, snap := range batch {
			data, err := json.Marshal(snap)
			if err != nil {
				s.cfg.Log.Error("snapshot does not encode", "err", err)
				return
			}
			if _, err := fmt.Fprintf(w, "id: %d\ndata: %s\n\n", snap.Seq, data); err != nil {
				return
			}
			after = snap.Seq
			if snap.Ended {
				flusher.Flush()
				s.forget(ss)
				return
			}
		}
		flusher.Flush()
		select {
		case <-changed:
		case <-keepalive.C:
			if _, err := io.WriteString(w, ": keepalive\n\n"); err != nil {
				return
			}
			flusher.Flush()
		case <-r.Context().Done():
			return
		case <-s.stop:
			return
		}
	}
}

func (s *Server) command(w http.ResponseWriter, r *http.Request) {
	ss := s.lookup(w, r)
	if ss == nil {
		return
	}
	var req commandRequest
	if err := json.NewDecoder(io.LimitReader(r.Body, maxBody)).Decode(&req); err != nil || req.ID == "" || req.Command.Kind == "" {
		writeError(w, http.StatusBadRequest, &wireError{Type: core.ErrTypeInvalidParameter, Message: "the request needs an id and a command"})
		return
	}
	writeJSON(w, http.StatusOK, ss.do(r.Context(), req))
}

func (s *Server) closeSession(w http.ResponseWriter, r *http.Request) {
	ss := s.lookup(w, r)
	if ss == nil {
		return
	}
	s.forget(ss)
	ss.close()
	s.cfg.Log.Info("agent disconnected", "agent", ss.login, "session", ss.id)
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) forget(ss *session) {
	s.mu.Lock()
	if s.sess[ss.id] == ss {
		delete(s.sess, ss.id)
	}
	s.mu.Unlock()
}

// reap logs out agents whose link has been gone longer than the grace period.
func (s *Server) reap() {
	defer s.done.Done()
	t := time.NewTicker(max(s.cfg.Grace/4, 10*time.Millisecond))
	defer t.Stop()
	for {
		select {
		case <-s.stop:
			return
		case now := <-t.C:
			var gone []*session
			s.mu.Lock()
			for id, ss := range s.sess {
				if ss.abandoned(now, s.cfg.Grace) {
					delete(s.sess, id)
					gone = append(gone, ss)
				}
			}
			s.mu.Unlock()
			for _, ss := range gone {
				s.cfg.Log.Warn("agent's link gone past the grace period: logged out", "agent", ss.login, "session", ss.id)
				ss.close()
			}
		}
	}
}

// session is one agent session on the server: the center's backend, the
// recent snapshots and the recent command results.
type session struct {
	id, login string
	backend   core.Backend
	unsub     func()

	mu        sync.Mutex
	log       []core.Snapshot
	changed   chan struct{} // closed when a snapshot is added
	streams   int
	idleSince time.Time
	results   map[string]*pending
	order     []string
	closed    bool
}

// pending is one command's outcome; done closes when it is known.
type pending struct {
	done chan struct{}
	resp commandResponse
}

func newSession(id, login string, b core.Backend) *session {
	ss := &session{id: id, login: login, backend: b, changed: make(chan struct{}), idleSince: time.Now(), results: map[string]*pending{}}
	ss.unsub = b.Subscribe(ss.add, nil)
	return ss
}

func (ss *session) add(snap core.Snapshot) {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	ss.log = append(ss.log, snap)
	if len(ss.log) > keptSnapshots {
		ss.log = append(ss.log[:0:0], ss.log[len(ss.log)-keptSnapshots:]...)
	}
	close(ss.changed)
	ss.changed = make(chan struct{})
}

// since returns the snapshots after seq and a channel closed on the next one.
// A client further behind than the log reaches gets the oldest kept: each
// snapshot is the whole state, so nothing the agent can act on is lost.
func (ss *session) since(seq int64) ([]core.Snapshot, <-chan struct{}) {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	i := len(ss.log)
	for i > 0 && ss.log[i-1].Seq > seq {
		i--
	}
	return append([]core.Snapshot(nil), ss.log[i:]...), ss.changed
}

func (ss *session) attach() {
	ss.mu.Lock()
	ss.streams++
	ss.mu.Unlock()
}

func (ss *session) detach() {
	ss.mu.Lock()
	ss.streams--
	ss.idleSince = time.Now()
	ss.mu.Unlock()
}

func (ss *session) abandoned(now time.Time, grace time.Duration) bool {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	return ss.streams == 0 && now.Sub(ss.idleSince) > grace
}

// do carries out a command once per id: a retry of a command whose answer
// was lost on the way gets the first answer.
func (ss *session) do(ctx context.Context, req commandRequest) commandResponse {
	ss.mu.Lock()
	p, seen := ss.results[req.ID]
	if !seen {
		p = &pending{done: make(chan struct{})}
		ss.results[req.ID] = p
		ss.order = append(ss.order, req.ID)
		if len(ss.order) > keptResults {
			delete(ss.results, ss.order[0])
			ss.order = ss.order[1:]
		}
	}
	ss.mu.Unlock()
	if seen {
		select {
		case <-p.done:
			return p.resp
		case <-ctx.Done():
			return commandResponse{Error: toWire(ctx.Err())}
		}
	}
	// The command runs to its end even if this request goes away, so that
	// its retry finds the outcome.
	cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), commandTimeout)
	defer cancel()
	res, err := ss.backend.Do(cctx, req.Command)
	if err != nil {
		p.resp = commandResponse{Error: toWire(err)}
	} else {
		p.resp = commandResponse{Result: &res}
	}
	close(p.done)
	return p.resp
}

func (ss *session) close() {
	ss.mu.Lock()
	if ss.closed {
		ss.mu.Unlock()
		return
	}
	ss.closed = true
	ss.mu.Unlock()
	ss.unsub()
	if err := ss.backend.Close(); err != nil && !errors.Is(err, core.ErrSessionEnded) {
		slog.Default().Debug("closing session", "err", err)
	}
}

func newID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, status int, e *wireError) {
	writeJSON(w, status, commandResponse{Error: e})
}
