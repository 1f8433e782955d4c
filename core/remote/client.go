package remote

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/agentdesk/agentdesk/core"
)

// Config says where the center is and who logs in. URL and Login are required.
type Config struct {
	URL   string // e.g. http://cc.example.internal:7420
	Login string
	Token string // the team token, when the server has one
	// HTTP is the client used for requests; the default has no overall
	// timeout, because the snapshot stream stays open.
	HTTP *http.Client
	// Silence is how long the stream may carry nothing, not even the
	// server's keepalive, before the link counts as dropped. Default 25 s.
	Silence time.Duration
	// Backoff is the first wait before reconnecting or retrying; it doubles
	// up to MaxBackoff. Defaults 200 ms and 5 s.
	Backoff, MaxBackoff time.Duration
	Log                 *slog.Logger
}

// Backend is one agent session on a remote center. It implements
// core.Backend: while the network is down it keeps reconnecting, reports
// the link's status, and retries commands until their context ends.
type Backend struct {
	cfg     Config
	base    string
	session string

	lastSeq atomic.Int64
	stop    chan struct{}
	once    sync.Once
	wg      sync.WaitGroup
}

// Dial logs the agent in on the center at cfg.URL.
func Dial(ctx context.Context, cfg Config) (*Backend, error) {
	if cfg.URL == "" || cfg.Login == "" {
		return nil, errors.New("remote: the center's URL and the agent's login are both needed")
	}
	if cfg.HTTP == nil {
		cfg.HTTP = &http.Client{}
	}
	if cfg.Silence <= 0 {
		cfg.Silence = 25 * time.Second
	}
	if cfg.Backoff <= 0 {
		cfg.Backoff = 200 * time.Millisecond
	}
	if cfg.MaxBackoff <= 0 {
		cfg.MaxBackoff = 5 * time.Second
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	b := &Backend{cfg: cfg, base: strings.TrimRight(cfg.URL, "/"), stop: make(chan struct{})}
	var resp openResponse
	if err := b.call(ctx, http.MethodPost, "/v1/sessions", openRequest{Login: cfg.Login}, &resp); err != nil {
		return nil, err
	}
	b.session = resp.Session
	return b, nil
}

// call makes one request and decodes its answer into out; a refusal comes
// back as the center's error, a network failure as an unavailable error.
func (b *Backend) call(ctx context.Context, method, path string, in, out any) error {
	var body io.Reader
	if in != nil {
		data, err := json.Marshal(in)
		if err != nil {
			return err
		}
		body = bytes.NewReader(data)
	}
	req, err := http.NewRequestWithContext(ctx, method, b.base+path, body)
	if err != nil {
		return fmt.Errorf("remote: bad center URL %q: %w", b.cfg.URL, err)
	}
	b.authorize(req)
	resp, err := b.cfg.HTTP.Do(req)
	if err != nil {
		return &linkError{url: b.cfg.URL, err: err}
	}
	defer resp.Body.Close()
	var answer commandResponse
	if resp.StatusCode >= 500 {
		return &linkError{url: b.cfg.URL, err: fmt.Errorf("the server answered %s", resp.Status)}
	}
	if resp.StatusCode >= 400 {
		if json.NewDecoder(resp.Body).Decode(&answer) == nil && answer.Error != nil {
			return answer.Error.err()
		}
		return core.Errorf(core.ErrTypeUnavailable, "the contact center at %s answered %s", b.cfg.URL, resp.Status)
	}
	if out == nil || resp.StatusCode == http.StatusNoContent {
		return nil
	}
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		return &linkError{url: b.cfg.URL, err: fmt.Errorf("unreadable answer: %w", err)}
	}
	return nil
}

func (b *Backend) authorize(req *http.Request) {
	if b.cfg.Token != "" {
		req.Header.Set("Authorization", "Bearer "+b.cfg.Token)
	}
	if req.Body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
}

// linkError is a failure to reach the center, as opposed to a refusal: the
// request may be tried again.
type linkError struct {
	url string
	err error
}

func (e *linkError) Error() string {
	return fmt.Sprintf("cannot reach the contact center at %s: %v", e.url, e.err)
}

func (e *linkError) Unwrap() error { return e.err }

// Do carries out a command. While the center cannot be reached it retries,
// with the same id so that the center carries it out once, until ctx ends.
func (b *Backend) Do(ctx context.Context, cmd core.Command) (core.Result, error) {
	req := commandRequest{ID: newID(), Command: cmd}
	wait := b.cfg.Backoff
	for {
		var answer commandResponse
		err := b.call(ctx, http.MethodPost, "/v1/sessions/"+b.session+"/commands", req, &answer)
		switch {
		case err == nil && answer.Error != nil:
			return core.Result{}, answer.Error.err()
		case err == nil && answer.Result != nil:
			return *answer.Result, nil
		case err == nil:
			return core.Result{}, core.Errorf(core.ErrTypeUnavailable, "the contact center at %s sent an empty answer", b.cfg.URL)
		}
		var link *linkError
		if !errors.As(err, &link) {
			return core.Result{}, err
		}
		b.cfg.Log.Debug("command not delivered; retrying", "kind", cmd.Kind, "err", err)
		select {
		case <-ctx.Done():
			// The agent reads the message: the command's kind and the
			// socket's error are for the log.
			b.cfg.Log.Warn("command not confirmed", "kind", cmd.Kind, "err", err)
			return core.Result{}, core.Errorf(core.ErrTypeUnavailable,
				"this was not confirmed: the contact center at %s cannot be reached; AgentDesk keeps reconnecting, try again when the link is back", b.cfg.URL)
		case <-b.stop:
			return core.Result{}, core.ErrSessionEnded
		case <-time.After(wait):
		}
		wait = min(2*wait, b.cfg.MaxBackoff)
	}
}

// Subscribe streams the session's snapshots to fn, reconnecting after a
// drop and resuming after the last snapshot delivered.
func (b *Backend) Subscribe(fn func(core.Snapshot), status func(core.ConnectionStatus)) func() {
	if status == nil {
		status = func(core.ConnectionStatus) {}
	}
	ctx, cancel := context.WithCancel(context.Background())
	b.wg.Add(2)
	go func() {
		defer b.wg.Done()
		b.follow(ctx, fn, status)
	}()
	go func() {
		defer b.wg.Done()
		select {
		case <-b.stop:
			cancel()
		case <-ctx.Done():
		}
	}()
	var once sync.Once
	return func() { once.Do(cancel) }
}

func (b *Backend) follow(ctx context.Context, fn func(core.Snapshot), status func(core.ConnectionStatus)) {
	wait := b.cfg.Backoff
	for {
		connected, ended, err := b.stream(ctx, fn, status)
		if ended || ctx.Err() != nil || b.stopped() {
			return
		}
		if connected {
			wait = b.cfg.Backoff
		}
		if errors.Is(err, core.ErrSessionEnded) || core.IsCenterError(err, core.ErrTypeAccessDenied) {
			b.cfg.Log.Error("the center no longer takes this session", "err", err)
			status(core.ConnectionStatusFailed)
			return
		}
		b.cfg.Log.Warn("lost the link to the contact center; reconnecting", "err", err, "retry_in", wait)
		status(core.ConnectionStatusDisconnected)
		select {
		case <-ctx.Done():
			return
		case <-b.stop:
			return
		case <-time.After(wait):
		}
		status(core.ConnectionStatusConnecting)
		wait = min(2*wait, b.cfg.MaxBackoff)
	}
}

func (b *Backend) stopped() bool {
	select {
	case <-b.stop:
		return true
	default:
		return false
	}
}

// stream follows one snapshot stream until it breaks. connected reports
// whether it got as far as the stream; ended whether the session is over.
func (b *Backend) stream(parent context.Context, fn func(core.Snapshot), status func(core.ConnectionStatus)) (connected, ended bool, err error) {
	ctx, cancel := context.WithCancel(parent)
	defer cancel()
	path := "/v1/sessions/" + b.session + "/snapshots?after=" + strconv.FormatInt(b.lastSeq.Load(), 10)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, b.base+path, nil)
	if err != nil {
		return false, false, err
	}
	b.authorize(req)
	req.Header.Set("Accept", "text/event-stream")
	resp, err := b.cfg.HTTP.Do(req)
	if err != nil {
		return false, false, &linkError{url: b.cfg.URL, err: err}
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		var answer commandResponse
		if json.NewDecoder(resp.Body).Decode(&answer) == nil && answer.Error != nil {
			return false, false, answer.Error.err()
		}
		return false, false, &linkError{url: b.cfg.URL, err: fmt.Errorf("the server answered %s", resp.Status)}
	}
	status(core.ConnectionStatusConnected)

	// A watchdog cancels the stream when nothing, not even a keepalive,
	// has arrived for the silence period: a dead link often just goes quiet.
	var heard atomic.Int64
	heard.Store(time.Now().UnixNano())
	go func() {
		t := time.NewTicker(b.cfg.Silence / 4)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case now := <-t.C:
				if now.Sub(time.Unix(0, heard.Load())) > b.cfg.Silence {
					cancel()
					return
				}
			}
		}
	}()
	r := bufio.NewReader(resp.Body)
	var data []byte
	for {
		line, err := r.ReadBytes('\n')
		if err != nil {
			if ctx.Err() != nil && parent.Err() == nil {
				err = fmt.Errorf("no word from the center for %s", b.cfg.Silence)
			}
			return true, false, &linkError{url: b.cfg.URL, err: err}
		}
		heard.Store(time.Now().UnixNano())
		line = bytes.TrimRight(line, "\r\n")
		switch {
		case len(line) == 0 && len(data) > 0:
			var snap core.Snapshot
			if err := json.Unmarshal(data, &snap); err != nil {
				return true, false, &linkError{url: b.cfg.URL, err: fmt.Errorf("unreadable snapshot: %w", err)}
			}
			data = data[:0]
			if snap.Seq <= b.lastSeq.Load() {
				continue
			}
			b.lastSeq.Store(snap.Seq)
			fn(snap)
			if snap.Ended {
				return true, true, nil
			}
		case bytes.HasPrefix(line, []byte("data: ")):
			data = append(data, line[len("data: "):]...)
		}
	}
}

// Close ends the session on the center (the agent is logged out) and stops
// reconnecting.
func (b *Backend) Close() error {
	var err error
	b.once.Do(func() {
		close(b.stop)
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		err = b.call(ctx, http.MethodDelete, "/v1/sessions/"+b.session, nil, nil)
		if errors.Is(err, core.ErrSessionEnded) {
			err = nil
		}
		b.wg.Wait()
	})
	return err
}
