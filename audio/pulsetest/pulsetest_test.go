package pulsetest

import (
	"fmt"
	"os"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestToneAmplitude(t *testing.T) {
	tone := Sine(1000, 0.5, 4800)
	if a := ToneAmplitude(tone, 1000); a < 0.49*32767 || a > 0.51*32767 {
		t.Fatalf("amplitude of a 0.5 FS 1 kHz tone = %.0f", a)
	}
	if a := ToneAmplitude(tone, 440); a > 0.01*32767 {
		t.Fatalf("1 kHz tone shows %.0f at 440 Hz", a)
	}
	if !HasTone(tone, 1000, 1000) || HasTone(tone, 440, 1000) {
		t.Fatal("HasTone misjudges a clean 1 kHz tone")
	}
	if HasTone(make([]int16, 4800), 1000, 1) {
		t.Fatal("HasTone finds a tone in silence")
	}
	// Continuity: two halves made with SineAt equal one Sine.
	half := make([]int16, 2400)
	SineAt(half, 1000, 0.5, 2400)
	for i := range half {
		if half[i] != tone[2400+i] {
			t.Fatalf("SineAt(start=2400)[%d] = %d, want %d", i, half[i], tone[2400+i])
		}
	}
}

// TestServerPlayRecord proves the helper end to end with pulseaudio's own
// tools: a tone played into one sink is on its monitor and not on another's.
func TestServerPlayRecord(t *testing.T) {
	s := StartServer(t)
	if got := os.Getenv("PULSE_SERVER"); got != "unix:"+s.Socket {
		t.Fatalf("PULSE_SERVER = %q", got)
	}
	a, err := s.LoadNullSink("pt_a")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.LoadNullSink("pt_b"); err != nil {
		t.Fatal(err)
	}
	sinks, err := s.Pactl("list", "short", "sinks")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(sinks, "pt_a") || !strings.Contains(sinks, "pt_b") {
		t.Fatalf("sinks:\n%s", sinks)
	}

	p, err := s.Play("pt_a", Sine(1000, 0.5, 8*SampleRate))
	if err != nil {
		t.Fatal(err)
	}
	defer p.Stop()
	found := false
	deadline := time.Now().Add(8 * time.Second)
	for !found && time.Now().Before(deadline) {
		rec, err := s.Record("pt_a.monitor", 500*time.Millisecond)
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i+4800 <= len(rec); i += 4800 {
			found = found || HasTone(rec[i:i+4800], 1000, 0.3*32767)
		}
	}
	if !found {
		t.Fatal("1 kHz tone played into pt_a never showed on pt_a.monitor")
	}
	rec, err := s.Record("pt_b.monitor", 300*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	if a := ToneAmplitude(rec, 1000); a > 30 {
		t.Fatalf("pt_b.monitor carries %.0f of the tone played into pt_a", a)
	}
	p.Stop()

	if err := s.Unload(a); err != nil {
		t.Fatal(err)
	}
	sinks, _ = s.Pactl("list", "short", "sinks")
	if strings.Contains(sinks, "pt_a") {
		t.Fatalf("pt_a still listed after Unload:\n%s", sinks)
	}
}

// TestServerOutlivesTheStartingThread: Go ends an OS thread whenever a
// goroutine locked to it returns (the audio engine's worker does, each time
// an engine closes), and Linux sends a child its parent-death signal when the
// thread that started it ends, not the process. The server must outlive
// whichever thread Start was called on.
func TestServerOutlivesTheStartingThread(t *testing.T) {
	type started struct {
		s   *Server
		tid int
		err error
	}
	var r started
	for r.s == nil {
		ch := make(chan started)
		go func() {
			runtime.LockOSThread() // never unlocked: the thread ends with this goroutine
			tid := syscall.Gettid()
			if tid == os.Getpid() {
				ch <- started{} // the main thread is parked, not ended: try another
				return
			}
			s, err := Start()
			ch <- started{s, tid, err}
		}()
		if r = <-ch; r.err != nil {
			t.Fatal(r.err)
		}
	}
	s := r.s
	defer func() {
		if err := s.Close(); err != nil {
			t.Error(err)
		}
	}()
	task := fmt.Sprintf("/proc/self/task/%d", r.tid)
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		if _, err := os.Stat(task); os.IsNotExist(err) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("thread %d that started the server is still there after 5 s", r.tid)
		}
	}
	// The thread is gone. A server that got the signal exits at once.
	select {
	case <-s.exited:
		t.Fatalf("the server went with the thread that started it: %s", s.logTail())
	case <-time.After(time.Second):
	}
	if _, err := s.Pactl("info"); err != nil {
		t.Fatalf("the server does not answer after the thread that started it ended: %v", err)
	}
}
