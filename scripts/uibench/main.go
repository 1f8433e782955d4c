// Command uibench measures the real AgentDesk binary the way a person meets
// it: how long it takes to show its window, what it costs idle and in a
// call, and how soon an offered contact rings and is announced. It runs
// inside the private desktop scripts/uibench.sh sets up (Xvfb, session bus,
// PulseAudio with null sinks "speaker" and "ringer", dunst) and prints one
// `name: value unit` line per figure. It is a tool, not part of the app.
//
//	uibench -bin bin/agentdesk -instance scripts/screenshots/instance.toml
package main

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/json"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"log"
	"math"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

type config struct {
	bin, instance, tmp string
	reference          string // a one-label Fyne app (scripts/uibench/fyneref); "" skips it
	launches, rings    int
	idle, call         time.Duration
	seed               int
}

func main() {
	var cfg config
	flag.StringVar(&cfg.bin, "bin", "bin/agentdesk", "the app's `binary`")
	flag.StringVar(&cfg.instance, "instance", "scripts/screenshots/instance.toml", "instance `file` with agents alice (rings) and dana (auto-accept)")
	flag.StringVar(&cfg.tmp, "tmp", os.TempDir(), "`dir` for the app's logs")
	flag.StringVar(&cfg.reference, "reference", "", "a one-label Fyne app's `binary`, measured as the floor of any Fyne window")
	flag.IntVar(&cfg.launches, "launches", 5, "launches to time")
	flag.IntVar(&cfg.rings, "rings", 5, "offered calls to time")
	flag.DurationVar(&cfg.idle, "idle", 20*time.Second, "how long to measure idle CPU")
	flag.DurationVar(&cfg.call, "call", 20*time.Second, "how long to measure in-call CPU")
	flag.IntVar(&cfg.seed, "seed", 7, "--seed for the app")
	flag.Parse()
	log.SetFlags(0)
	log.SetPrefix("uibench: ")

	maps, err := watchMaps()
	if err != nil {
		log.Fatal(err)
	}
	failed := false
	for _, step := range []func(config, *mapWatcher) error{launch, idle, inCall, inCallAgentOnly, rings, reference} {
		if err := step(cfg, maps); err != nil {
			log.Printf("FAILED: %v", err)
			failed = true
		}
	}
	if failed {
		os.Exit(1)
	}
}

func result(name string, value float64, unit string) {
	fmt.Printf("%s: %.*f %s\n", name, decimals(value), value, unit)
}

func decimals(v float64) int {
	switch {
	case v >= 100:
		return 0
	case v >= 10:
		return 1
	}
	return 2
}

func median(v []float64) float64 {
	s := slices.Clone(v)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// app is one run of the binary.
type app struct {
	cmd     *exec.Cmd
	logPath string
	started time.Time
	done    chan struct{}
}

func start(cfg config, name string, args ...string) (*app, error) {
	args = append([]string{"--instance", cfg.instance, "--seed", strconv.Itoa(cfg.seed)}, args...)
	return run(filepath.Join(cfg.tmp, name+".log"), exec.Command(cfg.bin, args...))
}

// run starts cmd with its output in logPath.
func run(logPath string, cmd *exec.Cmd) (*app, error) {
	a := &app{logPath: logPath, cmd: cmd, done: make(chan struct{})}
	f, err := os.Create(a.logPath)
	if err != nil {
		return nil, err
	}
	a.cmd.Stdout, a.cmd.Stderr = f, f
	a.started = time.Now()
	if err := a.cmd.Start(); err != nil {
		f.Close()
		return nil, err
	}
	go func() {
		a.cmd.Wait()
		f.Close()
		close(a.done)
	}()
	return a, nil
}

func (a *app) pid() int { return a.cmd.Process.Pid }

func (a *app) stop() {
	a.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-a.done:
	case <-time.After(5 * time.Second):
		a.cmd.Process.Kill()
		<-a.done
	}
}

func (a *app) alive() bool {
	select {
	case <-a.done:
		return false
	default:
		return true
	}
}

// logLine is a line of the app's slog output.
// contactRE finds a log line's contact.
var contactRE = regexp.MustCompile(`contact_id=\S+`)

type logLine struct {
	at   time.Time
	text string
}

var timeRE = regexp.MustCompile(`^time=(\S+)`)

// waitLog waits for the n-th (from 1) line containing s.
func (a *app) waitLog(s string, n int, timeout time.Duration) (logLine, error) {
	deadline := time.Now().Add(timeout)
	for {
		data, _ := os.ReadFile(a.logPath)
		seen := 0
		for _, l := range strings.Split(string(data), "\n") {
			if !strings.Contains(l, s) {
				continue
			}
			if seen++; seen < n {
				continue
			}
			var at time.Time
			if m := timeRE.FindStringSubmatch(l); m != nil {
				at, _ = time.Parse(time.RFC3339Nano, m[1])
			}
			return logLine{at, l}, nil
		}
		if !a.alive() {
			return logLine{}, fmt.Errorf("the app exited; see %s", a.logPath)
		}
		if time.Now().After(deadline) {
			return logLine{}, fmt.Errorf("no log line %q within %v; see %s", s, timeout, a.logPath)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// mapWatcher reports X windows being mapped, from xev on the root window.
type mapWatcher struct {
	mu   sync.Mutex
	maps []mapEvent
}

type mapEvent struct {
	at  time.Time
	win string
}

var mapRE = regexp.MustCompile(`^\s+event 0x[0-9a-f]+, window (0x[0-9a-f]+), override NO`)

func watchMaps() (*mapWatcher, error) {
	cmd := exec.Command("stdbuf", "-oL", "xev", "-root", "-event", "substructure")
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("xev: %w", err)
	}
	w := &mapWatcher{}
	go func() {
		sc := bufio.NewScanner(out)
		inMap := false
		for sc.Scan() {
			now := time.Now()
			l := sc.Text()
			if strings.HasPrefix(l, "MapNotify event") {
				inMap = true
				continue
			}
			if m := mapRE.FindStringSubmatch(l); inMap && m != nil {
				w.mu.Lock()
				w.maps = append(w.maps, mapEvent{now, m[1]})
				w.mu.Unlock()
			}
			inMap = false
		}
	}()
	return w, nil
}

// firstAfter waits for a window named AgentDesk… mapped after t.
func (w *mapWatcher) firstAfter(t time.Time, a *app, timeout time.Duration) (time.Time, error) {
	deadline := time.Now().Add(timeout)
	checked := map[string]bool{}
	for time.Now().Before(deadline) {
		w.mu.Lock()
		maps := slices.Clone(w.maps)
		w.mu.Unlock()
		for _, m := range maps {
			if m.at.Before(t) || checked[m.win] {
				continue
			}
			checked[m.win] = true
			name, _ := exec.Command("xdotool", "getwindowname", m.win).Output()
			if strings.HasPrefix(string(name), "AgentDesk") {
				return m.at, nil
			}
		}
		if !a.alive() {
			return time.Time{}, fmt.Errorf("the app exited; see %s", a.logPath)
		}
		time.Sleep(5 * time.Millisecond)
	}
	return time.Time{}, fmt.Errorf("no AgentDesk window mapped within %v", timeout)
}

func launch(cfg config, maps *mapWatcher) error {
	var ms []float64
	for i := 0; i < cfg.launches; i++ {
		a, err := start(cfg, fmt.Sprintf("launch-%d", i), "--agent", "alice", "--traffic", "0")
		if err != nil {
			return err
		}
		at, err := maps.firstAfter(a.started, a, 30*time.Second)
		a.stop()
		if err != nil {
			return fmt.Errorf("launch: %w", err)
		}
		ms = append(ms, float64(at.Sub(a.started).Microseconds())/1000)
	}
	result("launch_to_window_median", median(ms), "ms")
	result("launch_to_window_max", slices.Max(ms), "ms")
	return nil
}

// cpuTicks is the process's user+system CPU time in clock ticks (1/100 s).
func cpuTicks(pid int) (int64, error) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	f := strings.Fields(string(data[bytes.LastIndexByte(data, ')')+2:]))
	// After "pid (comm) ", utime and stime are fields 12 and 13 (0-based).
	u, _ := strconv.ParseInt(f[11], 10, 64)
	s, _ := strconv.ParseInt(f[12], 10, 64)
	return u + s, nil
}

const ticksPerSecond = 100 // USER_HZ on Linux

// cpuPercent measures the share of one core the process uses over d.
func cpuPercent(pid int, d time.Duration) (float64, error) {
	t0, err := cpuTicks(pid)
	if err != nil {
		return 0, err
	}
	w0 := time.Now()
	time.Sleep(d)
	t1, err := cpuTicks(pid)
	if err != nil {
		return 0, err
	}
	return float64(t1-t0) / ticksPerSecond / time.Since(w0).Seconds() * 100, nil
}

// pssMB is the process's proportional set size.
func pssMB(pid int) (float64, error) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/smaps_rollup", pid))
	if err != nil {
		return 0, err
	}
	for _, l := range strings.Split(string(data), "\n") {
		if f := strings.Fields(l); len(f) >= 2 && f[0] == "Pss:" {
			kb, err := strconv.ParseFloat(f[1], 64)
			return kb / 1024, err
		}
	}
	return 0, fmt.Errorf("no Pss in smaps_rollup")
}

// softwareGLMB is the PSS of the software OpenGL renderer (Mesa's llvmpipe:
// LLVM and the swrast DRI driver, not its heap), which only a display without
// a GPU, such as Xvfb, needs.
func softwareGLMB(pid int) (float64, error) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/smaps", pid))
	if err != nil {
		return 0, err
	}
	var kb float64
	soft := false
	for _, l := range strings.Split(string(data), "\n") {
		f := strings.Fields(l)
		switch {
		case len(f) >= 5 && strings.Contains(f[0], "-") && !strings.HasSuffix(f[0], ":"):
			soft = len(f) >= 6 && (strings.Contains(f[5], "libLLVM") || strings.Contains(f[5], "swrast_dri") || strings.Contains(f[5], "libgallium"))
		case soft && len(f) >= 2 && f[0] == "Pss:":
			v, _ := strconv.ParseFloat(f[1], 64)
			kb += v
		}
	}
	return kb / 1024, nil
}

// idle measures the window with nothing happening: Available, no traffic;
// then the same with --no-audio, to tell the audio engine's share.
func idle(cfg config, maps *mapWatcher) error {
	for _, run := range []struct{ name, flag string }{{"idle", ""}, {"idle_no_audio", "--no-audio"}} {
		args := []string{"--agent", "alice", "--traffic", "0"}
		if run.flag != "" {
			args = append(args, run.flag)
		}
		a, err := start(cfg, run.name, args...)
		if err != nil {
			return err
		}
		cpu, pss, err := idleFigures(cfg, maps, a)
		a.stop()
		if err != nil {
			return fmt.Errorf("%s: %w", run.name, err)
		}
		result(run.name+"_cpu", cpu, "% of one core")
		result(run.name+"_pss", pss, "MB")
	}
	return nil
}

func idleFigures(cfg config, maps *mapWatcher, a *app) (cpu, pss float64, err error) {
	if _, err := maps.firstAfter(a.started, a, 30*time.Second); err != nil {
		return 0, 0, err
	}
	time.Sleep(3 * time.Second) // start-up work done
	if cpu, err = cpuPercent(a.pid(), cfg.idle); err != nil {
		return 0, 0, err
	}
	pss, err = pssMB(a.pid())
	return cpu, pss, err
}

func inCall(cfg config, maps *mapWatcher) error {
	a, err := start(cfg, "in-call", "--agent", "dana", "--traffic", "30")
	if err != nil {
		return err
	}
	defer a.stop()
	if _, err := a.waitLog(`msg="contact accepted"`, 1, 60*time.Second); err != nil {
		return fmt.Errorf("in call: %w", err)
	}
	cpu, pss, soft, err := callFigures(cfg, a, "in call", 10*time.Second, a.logPath)
	if err != nil {
		return err
	}
	result("in_call_cpu", cpu, "% of one core")
	result("in_call_pss", pss, "MB")
	result("in_call_pss_software_gl", soft, "MB")
	result("in_call_pss_without_software_gl", pss-soft, "MB")
	return nil
}

// copyExecutable copies the executable from to a new file to.
func copyExecutable(from, to string) error {
	src, err := os.Open(from)
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := os.OpenFile(to, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o755)
	if err != nil {
		return err
	}
	if _, err := io.Copy(dst, src); err != nil {
		dst.Close()
		return fmt.Errorf("copy %s: %w", from, err)
	}
	return dst.Close()
}

// inCallAgentOnly measures the same call with the center in another process
// (`agentdesk serve`, the app logged in with --center): the app then holds
// only the window and the agent's softphone, not the simulated customer.
func inCallAgentOnly(cfg config, maps *mapWatcher) error {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	addr := l.Addr().String()
	l.Close()
	serveLog := filepath.Join(cfg.tmp, "serve.log")
	f, err := os.Create(serveLog)
	if err != nil {
		return err
	}
	defer f.Close()
	// The center runs from a copy of the binary. On an agent's machine it
	// runs elsewhere; from the same file it would share the binary's pages
	// with the app and halve their part of the app's PSS.
	centerBin := filepath.Join(cfg.tmp, "agentdesk-center")
	if err := copyExecutable(cfg.bin, centerBin); err != nil {
		return fmt.Errorf("in call, agent only: %w", err)
	}
	srv := exec.Command(centerBin, "serve", "--listen", addr, "--instance", cfg.instance, "--traffic", "30")
	srv.Stdout, srv.Stderr = f, f
	if err := srv.Start(); err != nil {
		return err
	}
	defer func() {
		srv.Process.Signal(syscall.SIGTERM)
		done := make(chan struct{})
		go func() { srv.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			srv.Process.Kill()
			<-done
		}
	}()
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			break
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("in call, agent only: agentdesk serve did not listen on %s; see %s", addr, serveLog)
		}
	}
	// The agent's first call shows the call-quality details folded; an
	// agent who opens them keeps them open, and the level meters then
	// redraw the window four times a second.
	for _, open := range []bool{false, true} {
		name, what := "in_call_agent_only", "in call, agent only"
		if open {
			name, what = name+"_details_open", what+", details open"
			if err := setPreference("callquality.open", true); err != nil {
				return err
			}
		}
		a, err := run(filepath.Join(cfg.tmp, name+".log"), exec.Command(cfg.bin, "--center", "http://"+addr, "--agent", "dana"))
		if err != nil {
			return err
		}
		cpu, pss, soft, err := callFigures(cfg, a, what, 60*time.Second, serveLog)
		a.stop()
		if err != nil {
			return err
		}
		result(name+"_cpu", cpu, "% of one core")
		result(name+"_pss", pss, "MB")
		result(name+"_pss_without_software_gl", pss-soft, "MB")
	}
	return nil
}

// setPreference sets one of the app's saved preferences (Fyne's
// preferences.json under XDG_CONFIG_HOME), as the agent's choice in the
// window would; the app reads it when it next starts.
func setPreference(key string, value any) error {
	path := filepath.Join(os.Getenv("XDG_CONFIG_HOME"), "fyne", "io.agentdesk.app", "preferences.json")
	prefs := map[string]any{}
	if data, err := os.ReadFile(path); err == nil && len(bytes.TrimSpace(data)) > 0 {
		if err := json.Unmarshal(data, &prefs); err != nil {
			return fmt.Errorf("reading the app's preferences %s: %w", path, err)
		}
	}
	prefs[key] = value
	data, err := json.Marshal(prefs)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, data, 0o644)
}

// callFigures waits (up to ready) for a's softphone call, checks that
// PulseAudio has the call's streams, and measures a's CPU over cfg.call and
// then its PSS, all of it and llvmpipe's part. centerLog is where the center
// logs: a call that ended during the measurement is an error. what names
// the phase in errors.
func callFigures(cfg config, a *app, what string, ready time.Duration, centerLog string) (cpu, pss, soft float64, err error) {
	line, err := a.waitLog(`msg="softphone call ready"`, 1, ready)
	if err != nil {
		return 0, 0, 0, fmt.Errorf("%s: %w", what, err)
	}
	id := contactRE.FindString(line.text) // contact_id=...: an earlier run's call may end in the same log
	time.Sleep(2 * time.Second)           // the call is up, audio flowing
	streams, _ := exec.Command("pactl", "list", "short", "sink-inputs").Output()
	mics, _ := exec.Command("pactl", "list", "short", "source-outputs").Output()
	if n, m := lines(streams), lines(mics); n < 2 || m < 1 {
		return 0, 0, 0, fmt.Errorf("%s: expected the speaker and ringer playing and the microphone recording, PulseAudio has %d playback and %d record streams", what, n, m)
	}
	if cpu, err = cpuPercent(a.pid(), cfg.call); err != nil {
		return 0, 0, 0, err
	}
	if pss, err = pssMB(a.pid()); err != nil {
		return 0, 0, 0, err
	}
	if soft, err = softwareGLMB(a.pid()); err != nil {
		return 0, 0, 0, err
	}
	data, _ := os.ReadFile(centerLog)
	for _, l := range strings.Split(string(data), "\n") {
		ended := strings.Contains(l, `msg="contact ended"`) || strings.Contains(l, `msg="customer hung up"`)
		if ended && (id == "" || contactRE.FindString(l) == id) {
			return 0, 0, 0, fmt.Errorf("%s: the call ended during the measurement; see %s", what, centerLog)
		}
	}
	return cpu, pss, soft, nil
}

func lines(b []byte) int {
	if s := strings.TrimSpace(string(b)); s != "" {
		return strings.Count(s, "\n") + 1
	}
	return 0
}

// notifyWatcher collects the times of Notify calls on the session bus.
type notifyWatcher struct {
	mu    sync.Mutex
	times []time.Time
}

var dbusTimeRE = regexp.MustCompile(`time=(\d+)\.(\d+) .*member=Notify`)

func watchNotify() (*notifyWatcher, *exec.Cmd, error) {
	cmd := exec.Command("dbus-monitor", "--session", "type='method_call',interface='org.freedesktop.Notifications',member='Notify'")
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, nil, err
	}
	w := &notifyWatcher{}
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if m := dbusTimeRE.FindStringSubmatch(sc.Text()); m != nil {
				sec, _ := strconv.ParseInt(m[1], 10, 64)
				us, _ := strconv.ParseInt((m[2] + "000000")[:6], 10, 64)
				w.mu.Lock()
				w.times = append(w.times, time.Unix(sec, us*1000))
				w.mu.Unlock()
			}
		}
	}()
	return w, cmd, nil
}

func (w *notifyWatcher) firstAfter(t time.Time, timeout time.Duration) (time.Time, bool) {
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		w.mu.Lock()
		for _, at := range w.times {
			if !at.Before(t) {
				w.mu.Unlock()
				return at, true
			}
		}
		w.mu.Unlock()
		time.Sleep(5 * time.Millisecond)
	}
	return time.Time{}, false
}

// soundWatcher follows the ringer sink's monitor: the times sound started
// and stopped, each at the read of the 10 ms block that showed it (an upper
// bound of when it was played).
type soundWatcher struct {
	mu    sync.Mutex
	edges []edge
	loud  bool
}

type edge struct {
	at   time.Time
	loud bool
}

func watchSound(source string) (*soundWatcher, *exec.Cmd, error) {
	cmd := exec.Command("parec", "-d", source, "--raw", "--format=s16le", "--rate=48000", "--channels=1", "--latency-msec=10")
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, nil, fmt.Errorf("parec: %w", err)
	}
	w := &soundWatcher{}
	go func() {
		buf := make([]byte, 960) // 10 ms
		for {
			if _, err := io.ReadFull(out, buf); err != nil {
				return
			}
			now := time.Now()
			peak := 0.0
			for i := 0; i+1 < len(buf); i += 2 {
				peak = math.Max(peak, math.Abs(float64(int16(binary.LittleEndian.Uint16(buf[i:])))))
			}
			loud := peak > 300 // about -40 dBFS
			w.mu.Lock()
			if loud != w.loud {
				w.loud = loud
				w.edges = append(w.edges, edge{now, loud})
			}
			w.mu.Unlock()
		}
	}()
	return w, cmd, nil
}

// startAfter is the first onset of sound after t, provided it had been
// quiet for quiet before t (so that the sound is this ring, not the last).
func (w *soundWatcher) startAfter(t time.Time, quiet, timeout time.Duration) (time.Time, error) {
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		w.mu.Lock()
		edges := slices.Clone(w.edges)
		w.mu.Unlock()
		for i, e := range edges {
			if e.at.Before(t) {
				continue
			}
			if i > 0 && edges[i-1].loud {
				return time.Time{}, fmt.Errorf("the ringer was still sounding when the contact was offered")
			}
			if i > 0 && t.Sub(edges[i-1].at) < quiet {
				return time.Time{}, fmt.Errorf("the ringer had stopped only %v before the offer", t.Sub(edges[i-1].at))
			}
			if e.loud {
				return e.at, nil
			}
		}
		time.Sleep(5 * time.Millisecond)
	}
	return time.Time{}, fmt.Errorf("no ringtone within %v", timeout)
}

// rings times offered calls to the ring notification and the ringtone. The
// agent accepts each call and ends it (Ctrl+Shift+A and Ctrl+Shift+E, or the
// card's Accept and End buttons); after-call work ends by itself after 1 s
// and the next waiting call is offered. (A rejected call would come back to
// the same agent as the same contact.) The call is heard on the speaker sink,
// the ringtone on the ringer sink. Offers made in the first 2 s of the window
// are not timed.
func rings(cfg config, maps *mapWatcher) error {
	nw, ncmd, err := watchNotify()
	if err != nil {
		return err
	}
	defer ncmd.Process.Kill()
	sw, scmd, err := watchSound("ringer.monitor")
	if err != nil {
		return err
	}
	defer scmd.Process.Kill()
	a, err := start(cfg, "rings", "--agent", "alice", "--traffic", "20")
	if err != nil {
		return err
	}
	defer a.stop()
	shown, err := maps.firstAfter(a.started, a, 30*time.Second)
	if err != nil {
		return fmt.Errorf("rings: %w", err)
	}
	wid, _ := exec.Command("xdotool", "search", "--all", "--onlyvisible", "--pid", strconv.Itoa(a.pid()), "--name", "AgentDesk").Output()
	win := strings.Fields(string(wid))
	if len(win) == 0 {
		return fmt.Errorf("rings: no window")
	}
	xdotool("mousemove", "--window", win[0], "210", "500", "windowfocus", win[0])
	var toNotify, toRing []float64
	for n := 1; len(toNotify) < cfg.rings; n++ {
		offer, err := a.waitLog(`msg="contact offered"`, n, 2*time.Minute)
		if err != nil {
			return fmt.Errorf("rings: %w", err)
		}
		if offer.at.After(shown.Add(2 * time.Second)) {
			at, ok := nw.firstAfter(offer.at, 5*time.Second)
			if !ok {
				return fmt.Errorf("rings: no notification for the offer at %s", offer.at.Format(time.TimeOnly))
			}
			rang, err := sw.startAfter(offer.at, 200*time.Millisecond, 5*time.Second)
			if err != nil {
				return fmt.Errorf("rings: offer %d: %w", n, err)
			}
			toNotify = append(toNotify, ms(at.Sub(offer.at)))
			toRing = append(toRing, ms(rang.Sub(offer.at)))
		}
		time.Sleep(300 * time.Millisecond)
		if err := press(a, win[0], "ctrl+shift+a", acceptGreen, `msg="contact accepted"`, n); err != nil {
			return fmt.Errorf("rings: accept: %w", err)
		}
		time.Sleep(300 * time.Millisecond)
		if err := press(a, win[0], "ctrl+shift+e", endRed, `msg="contact ended"`, n); err != nil {
			return fmt.Errorf("rings: end: %w", err)
		}
	}
	result("offer_to_notification_median", median(toNotify), "ms")
	result("offer_to_notification_max", slices.Max(toNotify), "ms")
	result("offer_to_ringtone_median", median(toRing), "ms")
	result("offer_to_ringtone_max", slices.Max(toRing), "ms")
	return nil
}

func xdotool(args ...string) {
	if out, err := exec.Command("xdotool", args...).CombinedOutput(); err != nil {
		log.Printf("xdotool %s: %v: %s", strings.Join(args, " "), err, out)
	}
}

// Button colours of the contact card.
var (
	acceptGreen = color.RGBA{67, 244, 54, 255}
	endRed      = color.RGBA{244, 67, 54, 255}
)

// press presses keys, or clicks the button of colour c in win if that did not
// bring the n-th log line containing want.
func press(a *app, win, keys string, c color.RGBA, want string, n int) error {
	xdotool("key", "--clearmodifiers", keys)
	if _, err := a.waitLog(want, n, 700*time.Millisecond); err == nil {
		return nil
	}
	x, y, err := findColour(win, c)
	if err != nil {
		return err
	}
	xdotool("mousemove", "--window", win, strconv.Itoa(x), strconv.Itoa(y), "click", "1")
	_, err = a.waitLog(want, n, 5*time.Second)
	return err
}

// findColour is the centre of the pixels of colour c in window win.
func findColour(win string, c color.RGBA) (x, y int, err error) {
	out, err := exec.Command("import", "-window", win, "png:-").Output()
	if err != nil {
		return 0, 0, fmt.Errorf("capture window %s: %w", win, err)
	}
	img, err := png.Decode(bytes.NewReader(out))
	if err != nil {
		return 0, 0, err
	}
	box := image.Rectangle{}
	b := img.Bounds()
	near := func(v uint32, want uint8) bool { return max(int(v>>8), int(want))-min(int(v>>8), int(want)) <= 30 }
	for py := b.Min.Y; py < b.Max.Y; py++ {
		for px := b.Min.X; px < b.Max.X; px++ {
			r, g, bl, _ := img.At(px, py).RGBA()
			if near(r, c.R) && near(g, c.G) && near(bl, c.B) {
				box = box.Union(image.Rect(px, py, px+1, py+1))
			}
		}
	}
	if box.Empty() {
		return 0, 0, fmt.Errorf("no button of colour %v in window %s", c, win)
	}
	return (box.Min.X + box.Max.X) / 2, (box.Min.Y + box.Max.Y) / 2, nil
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// reference measures the memory of the smallest Fyne app, a window with one
// label (scripts/uibench/fyneref), as the floor beneath the app's figures.
func reference(cfg config, maps *mapWatcher) error {
	if cfg.reference == "" {
		return nil
	}
	a, err := run(filepath.Join(cfg.tmp, "fyneref.log"), exec.Command(cfg.reference))
	if err != nil {
		return err
	}
	defer a.stop()
	if _, err := maps.firstAfter(a.started, a, 30*time.Second); err != nil {
		return fmt.Errorf("fyne reference: %w", err)
	}
	time.Sleep(3 * time.Second) // first frames drawn
	pss, err := pssMB(a.pid())
	if err != nil {
		return err
	}
	soft, err := softwareGLMB(a.pid())
	if err != nil {
		return err
	}
	result("fyne_one_label_pss", pss, "MB")
	result("fyne_one_label_pss_without_software_gl", pss-soft, "MB")
	return nil
}
