package desktop

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

const instanceEnv = "AGENTDESK_TEST_INSTANCE_DIR"

// TestHelperInstance is one launch of the app, run as a child process by
// the tests below: it claims the instance and reports on stdout.
func TestHelperInstance(t *testing.T) {
	dir := os.Getenv(instanceEnv)
	if dir == "" {
		t.Skip("only as a child process")
	}
	in, err := Claim(dir)
	if errors.Is(err, ErrAlreadyRunning) {
		fmt.Println("second:", err)
		os.Exit(0)
	}
	if err != nil {
		fmt.Println("error:", err)
		os.Exit(3)
	}
	in.OnShow(func() { fmt.Println("shown") })
	fmt.Println("primary")
	_, _ = io.Copy(io.Discard, os.Stdin) // run until the test closes stdin
	in.Close()
	os.Exit(0)
}

// launch is a running child launch.
type launch struct {
	cmd   *exec.Cmd
	stdin io.WriteCloser
	lines chan string
}

func startLaunch(t *testing.T, dir string) *launch {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperInstance$")
	cmd.Env = append(os.Environ(), instanceEnv+"="+dir)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	l := &launch{cmd: cmd, stdin: stdin, lines: make(chan string, 16)}
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			l.lines <- sc.Text()
		}
		close(l.lines)
	}()
	t.Cleanup(func() {
		stdin.Close()
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	return l
}

// expect waits for a line starting with prefix.
func (l *launch) expect(t *testing.T, prefix string) string {
	t.Helper()
	timeout := time.After(20 * time.Second)
	for {
		select {
		case line, ok := <-l.lines:
			if !ok {
				t.Fatalf("the launch ended before saying %q", prefix)
			}
			if strings.HasPrefix(line, prefix) {
				return line
			}
		case <-timeout:
			t.Fatalf("timed out waiting for %q", prefix)
		}
	}
}

func TestSecondLaunchShowsTheFirstAndExits(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run")
	first := startLaunch(t, dir)
	first.expect(t, "primary")

	second := exec.Command(os.Args[0], "-test.run=^TestHelperInstance$")
	second.Env = append(os.Environ(), instanceEnv+"="+dir)
	out, err := second.CombinedOutput()
	if err != nil {
		t.Fatalf("the second launch failed (%v): %s", err, out)
	}
	if !strings.Contains(string(out), "second: AgentDesk is already running") {
		t.Errorf("the second launch said %q", out)
	}
	first.expect(t, "shown")

	// The first one still runs and answers again.
	third := exec.Command(os.Args[0], "-test.run=^TestHelperInstance$")
	third.Env = append(os.Environ(), instanceEnv+"="+dir)
	if out, err := third.CombinedOutput(); err != nil || !strings.Contains(string(out), "second:") {
		t.Fatalf("a third launch: %v: %s", err, out)
	}
	first.expect(t, "shown")
}

func TestLaunchAfterACrashTakesOver(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run")
	first := startLaunch(t, dir)
	first.expect(t, "primary")
	if err := first.cmd.Process.Kill(); err != nil { // no clean-up: the socket stays
		t.Fatal(err)
	}
	_ = first.cmd.Wait()
	if _, err := os.Stat(filepath.Join(dir, socketName)); err != nil {
		t.Fatalf("the crashed launch left no socket to test with: %v", err)
	}
	next := startLaunch(t, dir)
	if line := next.expect(t, ""); line != "primary" {
		t.Fatalf("the launch after a crash said %q, want to run as the first", line)
	}
}

func TestShowBeforeOnShowIsKept(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run")
	in, err := Claim(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	if err := sendShow(filepath.Join(dir, socketName), 5*time.Second); err != nil {
		t.Fatal(err)
	}
	shown := make(chan struct{}, 1)
	in.OnShow(func() { shown <- struct{}{} })
	select {
	case <-shown:
	default:
		t.Fatal("a show request that came before the window was ready was lost")
	}
}

func TestClaimRefusesADirectoryOthersCanWrite(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Unix permissions")
	}
	dir := filepath.Join(t.TempDir(), "run")
	if err := os.Mkdir(dir, 0o777); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o777); err != nil {
		t.Fatal(err)
	}
	if in, err := Claim(dir); err == nil {
		in.Close()
		t.Fatal("Claim accepted a world-writable directory")
	} else if !strings.Contains(err.Error(), "chmod 700") {
		t.Errorf("error %q does not say what to do", err)
	}
}

func TestAFirstThatDoesNotAnswerStopsTheSecond(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	// A hung first launch: it holds the lock and never listens.
	f, err := os.OpenFile(filepath.Join(dir, lockName), os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := tryLock(f); err != nil {
		t.Fatal(err)
	}
	defer func(d time.Duration) { answerWithin = d }(answerWithin)
	answerWithin = 300 * time.Millisecond
	in, err := Claim(dir)
	if err == nil {
		in.Close()
		t.Fatal("a second instance started next to a hung first one")
	}
	if !errors.Is(err, ErrNotAnswering) {
		t.Errorf("Claim: %v, want ErrNotAnswering", err)
	}
}

// BenchmarkShowHandoff is a second launch's request to the first, from
// connect to its answer (the process start itself is not included).
func BenchmarkShowHandoff(b *testing.B) {
	dir := filepath.Join(b.TempDir(), "run")
	in, err := Claim(dir)
	if err != nil {
		b.Fatal(err)
	}
	defer in.Close()
	in.OnShow(func() {})
	sock := filepath.Join(dir, socketName)
	for b.Loop() {
		if err := sendShow(sock, 5*time.Second); err != nil {
			b.Fatal(err)
		}
	}
}
