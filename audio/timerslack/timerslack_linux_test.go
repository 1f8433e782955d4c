package timerslack

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

const helperEnv = "TIMERSLACK_TEST_HELPER"

// TestHelperProcess is not a test: run by slackOfChild in a child process,
// it prints each thread's timer slack in nanoseconds, lowest thread ID
// first, then Err.
func TestHelperProcess(t *testing.T) {
	if os.Getenv(helperEnv) == "" {
		t.Skip("runs only as slackOfChild's child")
	}
	dirs, err := filepath.Glob("/proc/self/task/*")
	if err != nil {
		t.Fatal(err)
	}
	tids := make([]int, 0, len(dirs))
	for _, d := range dirs {
		tid, err := strconv.Atoi(filepath.Base(d))
		if err == nil {
			tids = append(tids, tid)
		}
	}
	var out strings.Builder
	slices.Sort(tids)
	for _, tid := range tids {
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/timerslack_ns", tid))
		if err != nil {
			continue // the thread has exited
		}
		fmt.Fprintf(&out, "slack %s\n", strings.TrimSpace(string(b)))
	}
	fmt.Fprintf(&out, "err %v\n", Err())
	fmt.Print(out.String())
}

// slackOfChild starts this test binary as a new process with env set (or
// unset, when env is nil) from a thread whose own slack is parent, and
// returns the slack of each of its threads and what Err said.
func slackOfChild(t *testing.T, env *string, parent time.Duration) ([]time.Duration, string) {
	t.Helper()
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	const prSetTimerslack = 29
	old := Current()
	if _, _, e := syscall.Syscall6(syscall.SYS_PRCTL, prSetTimerslack, uintptr(parent), 0, 0, 0, 0); e != 0 {
		t.Fatal(e)
	}
	defer syscall.Syscall6(syscall.SYS_PRCTL, prSetTimerslack, uintptr(old), 0, 0, 0, 0)

	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcess$", "-test.v=false")
	cmd.Env = append(os.Environ(), helperEnv+"=1")
	cmd.Env = slices.DeleteFunc(cmd.Env, func(kv string) bool { return strings.HasPrefix(kv, Env+"=") })
	if env != nil {
		cmd.Env = append(cmd.Env, Env+"="+*env)
	}
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	var slack []time.Duration
	var errLine string
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "slack "); ok {
			ns, err := strconv.Atoi(v)
			if err != nil {
				t.Fatalf("child printed %q", sc.Text())
			}
			slack = append(slack, time.Duration(ns))
		} else if v, ok := strings.CutPrefix(sc.Text(), "err "); ok {
			errLine = v
		}
	}
	if len(slack) < 2 {
		t.Fatalf("child reported %d threads:\n%s", len(slack), out)
	}
	return slack, errLine
}

func ptr(s string) *string { return &s }

// Every thread of the app has the slack, including the Go runtime's own
// first threads (its sysmon among them), which start before any Go code
// could set it.
func TestEveryThreadOfTheAppHasTheSlack(t *testing.T) {
	const started = 70 * time.Microsecond // what a shell might start the app with
	for _, tc := range []struct {
		name    string
		env     *string
		want    time.Duration
		wantErr bool
	}{
		{"unset", nil, Default, false},
		{"250 µs", ptr("250"), 250 * time.Microsecond, false},
		{"0 keeps the slack it was started with", ptr("0"), started, false},
		{"not a number", ptr("1ms"), Default, true},
		{"negative", ptr("-5"), Default, true},
		{"over 100 ms", ptr("100001"), Default, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			slack, errLine := slackOfChild(t, tc.env, started)
			for i, s := range slack {
				if s != tc.want {
					t.Errorf("thread %d of %d has a slack of %v, want %v (all: %v)", i+1, len(slack), s, tc.want, slack)
				}
			}
			if gotErr := errLine != "<nil>"; gotErr != tc.wantErr {
				t.Errorf("Err() = %s, want an error: %v", errLine, tc.wantErr)
			}
			if tc.wantErr && !strings.Contains(errLine, Env) {
				t.Errorf("Err() = %s, which does not name %s", errLine, Env)
			}
		})
	}
}
