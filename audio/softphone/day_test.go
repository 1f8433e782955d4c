package softphone_test

import (
	"fmt"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/agentdesk/agentdesk/core"
)

// An agent keeps the phone open all day and takes call after call. Each
// call's peer, goroutines, sockets and sound-server streams must go when
// it is cleared: otherwise the phone grows until, some afternoon, it runs
// out of sockets or the sound server refuses it. The last call of the run
// must sound like the first, and afterwards the process must hold what it
// held after the first.
func TestCallAfterCallLeavesNothingBehind(t *testing.T) {
	r := newRig(t, 1000)
	take := func(n int) {
		t.Helper()
		c := r.ring()
		if err := c.Accept(ctx(t)); err != nil {
			t.Fatalf("call %d: accept: %v", n, err)
		}
		waitHeard(t, "agent_speaker", 1000)
		if err := c.AgentConnection().Destroy(ctx(t)); err != nil {
			t.Fatalf("call %d: hang up: %v", n, err)
		}
		waitFor(t, func() bool { return c.State().Type == core.ContactStateEnded },
			func() string {
				return fmt.Sprintf("call %d: %v, not after-contact work, after hanging up", n, c.State().Type)
			})
		if err := c.Clear(ctx(t)); err != nil {
			t.Fatalf("call %d: clear: %v", n, err)
		}
		waitFor(t, func() bool { return len(r.agent.Contacts()) == 0 },
			func() string {
				return fmt.Sprintf("call %d: %d contacts left after clearing", n, len(r.agent.Contacts()))
			})
	}

	take(1)
	base := settled(t)
	const calls = 6
	for n := 2; n <= calls; n++ {
		take(n)
	}
	waitSilent(t, "agent_speaker") // the last customer is not heard after the call
	// Peers close in the background; give them time, then compare.
	var now holdings
	deadline := time.Now().Add(10 * time.Second)
	for {
		now = held(t)
		if now.within(base) || time.Now().After(deadline) {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if !now.within(base) {
		t.Fatalf("after %d calls the phone holds %+v; after the first it held %+v", calls, now, base)
	}
	t.Logf("after the first call %+v, after %d calls %+v", base, calls, now)
}

// holdings is what a call could leave behind.
type holdings struct {
	Goroutines int
	Files      int // open file descriptors: sockets, the sound server's pipes
	Streams    int // PulseAudio playback and record streams
}

// within allows the few goroutines that come and go with timers; a call
// that leaked its peer would leave a dozen.
func (h holdings) within(base holdings) bool {
	return h.Goroutines <= base.Goroutines+3 && h.Files <= base.Files && h.Streams <= base.Streams
}

// settled waits until a call's far end, which closes in the background,
// has let go: the holdings unchanged for a second.
func settled(t *testing.T) holdings {
	t.Helper()
	last, since := held(t), time.Now()
	for deadline := time.Now().Add(10 * time.Second); time.Since(since) < time.Second && time.Now().Before(deadline); {
		time.Sleep(100 * time.Millisecond)
		if h := held(t); h != last {
			last, since = h, time.Now()
		}
	}
	return last
}

func held(t *testing.T) holdings {
	t.Helper()
	fds, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Fatal(err)
	}
	streams := 0
	for _, what := range []string{"sink-inputs", "source-outputs"} {
		out, err := srv.Pactl("list", "short", what)
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(out, "\n") {
			if strings.TrimSpace(line) != "" {
				streams++
			}
		}
	}
	return holdings{Goroutines: runtime.NumGoroutine(), Files: len(fds), Streams: streams}
}

// waitFor waits up to 10 s for ok, and fails with why's message if it
// never holds.
func waitFor(t *testing.T, ok func() bool, why func() string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatal(why())
		}
		time.Sleep(20 * time.Millisecond)
	}
}
