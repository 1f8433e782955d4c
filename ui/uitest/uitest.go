// Package uitest stands in for Fyne's UI thread in the ui packages' tests:
// UI work from other goroutines and the test's own reads and taps run one at
// a time, and work still in flight when the test ends is dropped.
package uitest

import (
	"sync"
	"testing"

	"github.com/agentdesk/agentdesk/core/centertest"
)

// Thread serialises UI work in a test.
type Thread struct {
	tb   testing.TB
	mu   sync.Mutex
	done bool
}

// NewThread makes a thread that stops when the test ends: events and
// actions still in flight must not touch widgets while the next test builds
// its own, because Fyne's text cache is shared.
func NewThread(tb testing.TB) *Thread {
	th := &Thread{tb: tb}
	tb.Cleanup(th.Stop)
	return th
}

// Do runs f as the UI thread, unless the thread has stopped. Views take it
// in place of fyne.Do.
func (th *Thread) Do(f func()) {
	th.mu.Lock()
	defer th.mu.Unlock()
	if !th.done {
		f()
	}
}

// UI runs the test's own UI work (reads, taps) as the UI thread.
func (th *Thread) UI(f func()) {
	th.mu.Lock()
	defer th.mu.Unlock()
	f()
}

// WaitUI waits until cond, read on the UI thread, holds, and fails the test
// if it does not within a few seconds.
func (th *Thread) WaitUI(what string, cond func() bool) {
	th.tb.Helper()
	ok := centertest.Eventually(func() bool {
		var v bool
		th.UI(func() { v = cond() })
		return v
	})
	if !ok {
		th.tb.Fatalf("timed out waiting for %s", what)
	}
}

// Stop drops UI work from now on.
func (th *Thread) Stop() {
	th.mu.Lock()
	th.done = true
	th.mu.Unlock()
}
