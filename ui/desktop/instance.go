package desktop

import (
	"bufio"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"
)

// ErrAlreadyRunning is Claim's answer in a second launch, once the first
// one has been asked to show its window.
var ErrAlreadyRunning = errors.New("AgentDesk is already running: its window was brought to the front")

// ErrNotAnswering is Claim's answer when another AgentDesk holds the lock
// but does not answer on its socket: starting a second one would have two
// softphones fight over the agent.
var ErrNotAnswering = errors.New("another AgentDesk is running but does not answer; close it or end its process")

const (
	lockName   = "instance.lock"
	socketName = "instance.sock"
	msgShow    = "show"
	replyOK    = "ok"
)

// answerWithin bounds how long a second launch waits for the first, which
// may itself still be starting.
var answerWithin = 5 * time.Second

// Instance is the user's one running AgentDesk. It holds a lock file for
// as long as it runs and listens on a socket beside it for later launches.
type Instance struct {
	dir  string
	lock *os.File
	ln   net.Listener
	wg   sync.WaitGroup

	mu          sync.Mutex
	onShow      func()
	pendingShow bool
}

// RuntimeDir is where the lock and the socket live: $XDG_RUNTIME_DIR/agentdesk
// on Linux, %LOCALAPPDATA%\AgentDesk on Windows, the user's temporary
// directory otherwise (and on Linux without XDG_RUNTIME_DIR).
func RuntimeDir() (string, error) {
	switch runtime.GOOS {
	case "windows":
		if d := os.Getenv("LOCALAPPDATA"); d != "" {
			return filepath.Join(d, "AgentDesk"), nil
		}
		return "", errors.New("instance directory: %LOCALAPPDATA% is not set")
	case "darwin":
		return filepath.Join(os.TempDir(), "agentdesk"), nil // $TMPDIR is per user
	}
	if d := os.Getenv("XDG_RUNTIME_DIR"); filepath.IsAbs(d) {
		return filepath.Join(d, "agentdesk"), nil
	}
	return filepath.Join(os.TempDir(), fmt.Sprintf("agentdesk-%d", os.Getuid())), nil
}

// Claim makes this process the user's AgentDesk, or, when another one
// runs, asks it to show its window and returns ErrAlreadyRunning. dir is
// RuntimeDir() when empty. A socket left by a crashed process is replaced:
// the lock, not the socket, says who runs.
func Claim(dir string) (*Instance, error) {
	if dir == "" {
		d, err := RuntimeDir()
		if err != nil {
			return nil, err
		}
		dir = d
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("single instance: %w", err)
	}
	if err := checkPrivate(dir); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(filepath.Join(dir, lockName), os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, fmt.Errorf("single instance: %w", err)
	}
	if err := tryLock(f); err != nil {
		f.Close()
		if !errors.Is(err, errLocked) {
			return nil, fmt.Errorf("single instance: lock %s: %w", f.Name(), err)
		}
		if err := askToShow(dir); err != nil {
			return nil, fmt.Errorf("%w (%v)", ErrNotAnswering, err)
		}
		return nil, ErrAlreadyRunning
	}
	sock := filepath.Join(dir, socketName)
	_ = os.Remove(sock) // stale, from a process that crashed: we hold the lock
	ln, err := net.Listen("unix", sock)
	if err != nil {
		unlock(f)
		f.Close()
		return nil, fmt.Errorf("single instance: listen on %s: %w", sock, err)
	}
	in := &Instance{dir: dir, lock: f, ln: ln}
	in.wg.Add(1)
	go in.serve()
	return in, nil
}

// OnShow sets what a later launch's request does: show and focus the
// window. A request that came before OnShow is delivered now. On a nil
// Instance (no single-instance support) it does nothing.
func (in *Instance) OnShow(fn func()) {
	if in == nil {
		return
	}
	in.mu.Lock()
	in.onShow = fn
	pending := in.pendingShow
	in.pendingShow = false
	in.mu.Unlock()
	if pending && fn != nil {
		fn()
	}
}

// Close stops listening and releases the lock.
func (in *Instance) Close() error {
	if in == nil {
		return nil
	}
	err := in.ln.Close()
	in.wg.Wait()
	unlock(in.lock)
	return errors.Join(err, in.lock.Close())
}

func (in *Instance) serve() {
	defer in.wg.Done()
	for {
		conn, err := in.ln.Accept()
		if err != nil {
			return // closed
		}
		in.handle(conn)
	}
}

func (in *Instance) handle(conn net.Conn) {
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(answerWithin))
	line, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil || strings.TrimSpace(line) != msgShow {
		return
	}
	in.mu.Lock()
	fn := in.onShow
	if fn == nil {
		in.pendingShow = true
	}
	in.mu.Unlock()
	if fn != nil {
		fn()
	}
	_, _ = conn.Write([]byte(replyOK + "\n"))
}

// askToShow sends "show" to the running instance, retrying while it is
// still starting up and has not listened yet.
func askToShow(dir string) error {
	deadline := time.Now().Add(answerWithin)
	var last error
	for time.Now().Before(deadline) {
		if last = sendShow(filepath.Join(dir, socketName), time.Until(deadline)); last == nil {
			return nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	return last
}

func sendShow(sock string, within time.Duration) error {
	conn, err := net.DialTimeout("unix", sock, within)
	if err != nil {
		return err
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(within))
	if _, err := conn.Write([]byte(msgShow + "\n")); err != nil {
		return err
	}
	reply, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil {
		return err
	}
	if strings.TrimSpace(reply) != replyOK {
		return fmt.Errorf("unexpected answer %q", reply)
	}
	return nil
}
