// Package inorder runs functions one at a time, in the order they were
// queued, on a goroutine of its own: how the client delivers events and the
// center talks to its media server. It imports nothing of the app.
package inorder

import (
	"fmt"
	"log/slog"
	"runtime/debug"
	"sync"
)

// Queue is an unbounded FIFO of functions and the goroutine that runs them.
type Queue struct {
	log    *slog.Logger
	mu     sync.Mutex
	items  []func()
	wake   chan struct{}
	closed bool
}

// New starts a queue. A function that panics is logged to log and the
// queue goes on.
func New(log *slog.Logger) *Queue {
	q := &Queue{log: log, wake: make(chan struct{}, 1)}
	go q.run()
	return q
}

// Push queues fn; after Close it is dropped.
func (q *Queue) Push(fn func()) {
	q.mu.Lock()
	if !q.closed {
		q.items = append(q.items, fn)
	}
	q.mu.Unlock()
	q.signal()
}

// Close runs what is queued and stops the goroutine.
func (q *Queue) Close() {
	q.mu.Lock()
	q.closed = true
	q.mu.Unlock()
	q.signal()
}

func (q *Queue) signal() {
	select {
	case q.wake <- struct{}{}:
	default:
	}
}

func (q *Queue) run() {
	for {
		q.mu.Lock()
		items, closed := q.items, q.closed
		q.items = nil
		q.mu.Unlock()
		for _, fn := range items {
			q.Call(fn)
		}
		if closed && len(items) == 0 {
			return
		}
		if len(items) == 0 {
			<-q.wake
		}
	}
}

// Call runs fn, logging a panic instead of passing it on.
func (q *Queue) Call(fn func()) {
	defer func() {
		if r := recover(); r != nil {
			q.log.Error("queued function panicked", "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
		}
	}()
	fn()
}
