// Package pulsetest runs a private PulseAudio server for tests, with null
// sinks as fake speakers and their monitors as fake microphones, plus tone
// helpers to put a known tone in and find it on the far side. Test code only;
// it imports neither malgo nor Fyne.
package pulsetest

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// SampleRate is the rate Play and Record use; mono int16 like the rest of audio/.
const SampleRate = 48000

// startTimeout bounds how long the server may take to accept clients.
const startTimeout = 15 * time.Second

// Server is a PulseAudio daemon owned by this process. Start points the
// process's PulseAudio clients (libpulse, miniaudio, pactl) at it through the
// environment, so only one Server may run in a process at a time.
type Server struct {
	Dir    string // private temp dir: runtime dir, home, socket, log
	Socket string // unix socket clients connect to

	cmd     *exec.Cmd
	exited  chan struct{}
	logPath string
	oldEnv  map[string]*string
	env     []string
}

// StartServer starts a Server for a test and stops it in tb.Cleanup. It fails
// the test (never skips) when PulseAudio is missing, since CI installs it.
func StartServer(tb testing.TB) *Server {
	tb.Helper()
	s, err := Start()
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		if err := s.Close(); err != nil {
			tb.Errorf("pulsetest: stopping server: %v", err)
		}
	})
	return s
}

// Start launches pulseaudio in the foreground as a child of this process
// (user mode, no default.pa, anonymous auth on a private socket), waits until
// it answers, and sets PULSE_SERVER, PULSE_RUNTIME_PATH, XDG_RUNTIME_DIR,
// PULSE_COOKIE and PULSE_CLIENTCONFIG for this process. Close undoes all of
// it. Usable from TestMain.
func Start() (*Server, error) {
	for _, tool := range []string{"pulseaudio", "pactl", "pacat", "parec"} {
		if _, err := exec.LookPath(tool); err != nil {
			return nil, fmt.Errorf("pulsetest: %s not found in PATH; install pulseaudio and pulseaudio-utils "+
				"(scripts/deps.sh test): %w", tool, err)
		}
	}
	dir, err := os.MkdirTemp("", "pulsetest-")
	if err != nil {
		return nil, fmt.Errorf("pulsetest: creating temp dir: %w", err)
	}
	s := &Server{
		Dir:     dir,
		logPath: filepath.Join(dir, "pulseaudio.log"),
		exited:  make(chan struct{}),
	}
	runtimeDir := filepath.Join(dir, "run")
	pulseDir := filepath.Join(runtimeDir, "pulse")
	home := filepath.Join(dir, "home")
	for _, d := range []string{pulseDir, home} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			os.RemoveAll(dir)
			return nil, fmt.Errorf("pulsetest: %w", err)
		}
	}
	// The socket sits where libpulse looks for it under XDG_RUNTIME_DIR, so
	// even a client that ignores PULSE_SERVER finds this server and no other.
	s.Socket = filepath.Join(pulseDir, "native")
	clientConf := filepath.Join(dir, "client.conf")
	if err := os.WriteFile(clientConf, []byte("autospawn = no\n"), 0o600); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("pulsetest: %w", err)
	}
	s.env = []string{
		"PULSE_SERVER=unix:" + s.Socket,
		"PULSE_RUNTIME_PATH=" + pulseDir,
		"XDG_RUNTIME_DIR=" + runtimeDir,
		"PULSE_COOKIE=" + filepath.Join(dir, "cookie"),
		"PULSE_CLIENTCONFIG=" + clientConf,
	}

	logFile, err := os.Create(s.logPath)
	if err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("pulsetest: %w", err)
	}
	defer logFile.Close()
	// Shared memory as desktops have it: memfd, which PulseAudio itself
	// falls back from where the kernel lacks it. With POSIX shm instead,
	// every client maps and unmaps the server's 64 MiB pool for each block
	// it receives, which would dominate what the benchmarks measure.
	s.cmd = exec.Command("pulseaudio",
		"--daemonize=no", "--system=false", "--exit-idle-time=-1", "-n",
		"--load=module-native-protocol-unix auth-anonymous=1 socket="+s.Socket,
		"--realtime=no", "--high-priority=no",
		// Info, not warning: a server that exits under the tests then says
		// why in its log ("Got signal ...", "Exiting."), which Close reports.
		"--use-pid-file=no", "--log-target=stderr", "--log-level=info")
	// Kept off the session bus: each server would claim org.PulseAudio1 on
	// it, so test packages running side by side under one bus would fail to
	// start theirs. A bus address that leads nowhere (rather than none, which
	// would make libdbus look for a bus through the X display) does it.
	s.cmd.Env = append(withoutBus(os.Environ()), s.env...)
	s.cmd.Env = append(s.cmd.Env, "DBUS_SESSION_BUS_ADDRESS=unix:path="+filepath.Join(home, "no-bus"))
	s.cmd.Env = append(s.cmd.Env, "HOME="+home, "XDG_CONFIG_HOME="+filepath.Join(home, ".config"))
	s.cmd.Stdout, s.cmd.Stderr = logFile, logFile
	s.cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGTERM}
	if err := s.spawn(); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("pulsetest: starting pulseaudio: %w", err)
	}

	deadline := time.Now().Add(startTimeout)
	for {
		if _, err := s.Pactl("info"); err == nil {
			break
		}
		select {
		case <-s.exited:
			log := s.logTail()
			os.RemoveAll(dir)
			return nil, fmt.Errorf("pulsetest: pulseaudio exited during start-up: %s", log)
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			s.stopProcess()
			log := s.logTail()
			os.RemoveAll(dir)
			return nil, fmt.Errorf("pulsetest: pulseaudio did not answer within %v: %s", startTimeout, log)
		}
	}

	s.oldEnv = map[string]*string{}
	for _, kv := range s.env {
		k, v, _ := strings.Cut(kv, "=")
		if old, ok := os.LookupEnv(k); ok {
			s.oldEnv[k] = &old
		} else {
			s.oldEnv[k] = nil
		}
		os.Setenv(k, v)
	}
	return s, nil
}

// spawn starts the server from an OS thread of its own, which lives until
// the server exits. The parent-death signal (SIGTERM, so that a crashed test
// binary leaves no server behind) comes when the thread that started the
// child ends, not the process; and Go ends a thread whenever a goroutine
// locked to it returns, as the audio engine's worker does each time an
// engine closes. Started from the caller's thread, the server was stopped
// now and then by the first engine Close to run its worker there, and every
// test after it failed with "connection refused".
func (s *Server) spawn() error {
	started := make(chan error)
	go func() {
		runtime.LockOSThread() // for good: no other goroutine runs on this thread
		if err := s.cmd.Start(); err != nil {
			started <- err
			return
		}
		started <- nil
		_ = s.cmd.Wait()
		close(s.exited)
	}()
	return <-started
}

func withoutBus(env []string) []string {
	out := env[:0:0]
	for _, kv := range env {
		if !strings.HasPrefix(kv, "DBUS_SESSION_BUS_ADDRESS=") {
			out = append(out, kv)
		}
	}
	return out
}

// Env is the environment a child process needs to reach this server.
func (s *Server) Env() []string { return append([]string(nil), s.env...) }

// Close restores the environment, stops the server and removes its directory.
func (s *Server) Close() error {
	for k, v := range s.oldEnv {
		if v == nil {
			os.Unsetenv(k)
		} else {
			os.Setenv(k, *v)
		}
	}
	s.oldEnv = nil
	err := s.stopProcess()
	os.RemoveAll(s.Dir)
	return err
}

func (s *Server) stopProcess() error {
	select {
	case <-s.exited:
		// It died under the tests: say how, or their failures (connection
		// refused) would be all there is to go on.
		return fmt.Errorf("pulsetest: pulseaudio exited before Close (%v): %s", s.cmd.ProcessState, s.logTail())
	default:
	}
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.exited:
		return nil
	case <-time.After(5 * time.Second):
	}
	_ = s.cmd.Process.Kill()
	<-s.exited
	return errors.New("pulseaudio ignored SIGTERM for 5s and was killed")
}

func (s *Server) logTail() string {
	b, _ := os.ReadFile(s.logPath)
	if len(b) > 2000 {
		b = b[len(b)-2000:]
	}
	return strings.TrimSpace(string(b))
}

func (s *Server) command(name string, args ...string) *exec.Cmd {
	cmd := exec.Command(name, args...)
	cmd.Env = append(os.Environ(), s.env...)
	return cmd
}

// Pactl runs pactl against this server and returns its trimmed output.
func (s *Server) Pactl(args ...string) (string, error) {
	cmd := s.command("pactl", args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("pactl %s: %w: %s", strings.Join(args, " "), err, strings.TrimSpace(errb.String()))
	}
	return strings.TrimSpace(out.String()), nil
}

// LoadNullSink adds a 48 kHz null sink called name (its description is name
// too) and returns the module id for Unload. Its monitor source is
// name+".monitor": record it to hear what was played into the sink, or use it
// as a microphone that hears whatever is played into the sink.
func (s *Server) LoadNullSink(name string) (int, error) {
	out, err := s.Pactl("load-module", "module-null-sink", "sink_name="+name, "rate=48000",
		"sink_properties=device.description="+name)
	if err != nil {
		return 0, err
	}
	id, err := strconv.Atoi(out)
	if err != nil {
		return 0, fmt.Errorf("pulsetest: load-module printed %q, not a module id", out)
	}
	return id, nil
}

// Unload removes a module, e.g. a null sink: a hot-unplug.
func (s *Server) Unload(module int) error {
	_, err := s.Pactl("unload-module", strconv.Itoa(module))
	return err
}

// SetDefaultSink makes name the default playback device.
func (s *Server) SetDefaultSink(name string) error {
	_, err := s.Pactl("set-default-sink", name)
	return err
}

// SetDefaultSource makes name the default capture device.
func (s *Server) SetDefaultSource(name string) error {
	_, err := s.Pactl("set-default-source", name)
	return err
}

// Player is a pacat process playing samples into a sink.
type Player struct {
	cmd  *exec.Cmd
	done chan struct{}
	err  error
	once sync.Once
}

// Play starts playing mono 48 kHz samples into sink with pacat and returns at
// once; Wait for the end or Stop early.
func (s *Server) Play(sink string, samples []int16) (*Player, error) {
	cmd := s.command("pacat", "--playback", "--raw", "--format=s16le", "--channels=1",
		"--rate="+strconv.Itoa(SampleRate), "--device="+sink)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	var errb bytes.Buffer
	cmd.Stderr = &errb
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("pulsetest: starting pacat: %w", err)
	}
	p := &Player{cmd: cmd, done: make(chan struct{})}
	go func() {
		_ = binary.Write(stdin, binary.LittleEndian, samples)
		stdin.Close()
	}()
	go func() {
		if err := cmd.Wait(); err != nil {
			p.err = fmt.Errorf("pacat -d %s: %w: %s", sink, err, strings.TrimSpace(errb.String()))
		}
		close(p.done)
	}()
	return p, nil
}

// Wait blocks until pacat has played everything (or was stopped).
func (p *Player) Wait() error {
	<-p.done
	return p.err
}

// Stop ends playback now.
func (p *Player) Stop() {
	p.once.Do(func() {
		select {
		case <-p.done:
		default:
			_ = p.cmd.Process.Kill()
		}
	})
	<-p.done
}

// Record captures dur of mono 48 kHz audio from source with parec. It waits
// for the samples rather than the clock, since a new stream can take seconds
// to start, and gives up after dur plus 10 s.
func (s *Server) Record(source string, dur time.Duration) ([]int16, error) {
	n := int(dur.Seconds() * SampleRate)
	cmd := s.command("parec", "--raw", "--format=s16le", "--channels=1",
		"--rate="+strconv.Itoa(SampleRate), "--device="+source)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	var errb bytes.Buffer
	cmd.Stderr = &errb
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("pulsetest: starting parec: %w", err)
	}
	samples := make([]int16, n)
	read := make(chan error, 1)
	go func() { read <- binary.Read(stdout, binary.LittleEndian, samples) }()
	var rerr error
	select {
	case rerr = <-read:
	case <-time.After(dur + 10*time.Second):
		rerr = fmt.Errorf("pulsetest: parec -d %s gave fewer than %d samples in %v", source, n, dur+10*time.Second)
	}
	_ = cmd.Process.Kill()
	_ = cmd.Wait()
	if rerr != nil {
		if errors.Is(rerr, io.EOF) || errors.Is(rerr, io.ErrUnexpectedEOF) {
			rerr = fmt.Errorf("parec -d %s ended early: %s", source, strings.TrimSpace(errb.String()))
		}
		return nil, rerr
	}
	return samples, nil
}
