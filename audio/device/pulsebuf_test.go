package device

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// TestMiniaudioOffsets compiles the offsets pulsebuf.c reads a device's
// PulseAudio stream at from the miniaudio.h of the malgo in go.mod, with
// malgo's own C flags, so a malgo upgrade that moves them fails here
// rather than in an agent's call.
func TestMiniaudioOffsets(t *testing.T) {
	ctxBackend, devPulse, backendPulse, ok := layoutOffsets()
	if !ok {
		t.Skipf("this build (%s/%s) leaves PulseAudio's buffering to miniaudio", runtime.GOOS, runtime.GOARCH)
	}
	goTool, err := exec.LookPath("go")
	if err != nil { // go test ran from a shell without Go on PATH
		goTool = filepath.Join(runtime.GOROOT(), "bin", "go")
	}
	out, err := exec.Command(goTool, "list", "-m", "-f", "{{.Dir}}", "github.com/gen2brain/malgo").Output()
	if err != nil {
		t.Fatalf("%s list -m github.com/gen2brain/malgo: %v", goTool, err)
	}
	malgoDir := strings.TrimSpace(string(out))
	dir := t.TempDir()
	src := filepath.Join(dir, "offsets.c")
	prog := `#include <stdio.h>
#include <stddef.h>
#include "miniaudio.h"
int main(void) {
	printf("%zu %zu %d\n", offsetof(ma_context, backend), offsetof(ma_device, pulse), (int)ma_backend_pulseaudio);
	printf("%zu %zu %zu %zu\n", offsetof(ma_device, pulse.pMainLoop), offsetof(ma_device, pulse.pPulseContext),
	       offsetof(ma_device, pulse.pStreamPlayback), offsetof(ma_device, pulse.pStreamCapture));
	return 0;
}
`
	if err := os.WriteFile(src, []byte(prog), 0o644); err != nil {
		t.Fatal(err)
	}
	cc := os.Getenv("CC")
	if cc == "" {
		cc = "gcc"
	}
	bin := filepath.Join(dir, "offsets")
	if out, err := exec.Command(cc, "-std=gnu99", "-msse2", "-I", malgoDir, src, "-o", bin, "-ldl", "-lpthread", "-lm").CombinedOutput(); err != nil {
		t.Fatalf("compiling against %s: %v\n%s", malgoDir, err, out)
	}
	out, err = exec.Command(bin).Output()
	if err != nil {
		t.Fatal(err)
	}
	var gotBackend, gotPulse int64
	var gotEnum int
	var ml, pc, ps, cs int64
	if _, err := fmt.Sscan(string(out), &gotBackend, &gotPulse, &gotEnum, &ml, &pc, &ps, &cs); err != nil {
		t.Fatalf("reading %q: %v", out, err)
	}
	if gotBackend != ctxBackend || gotPulse != devPulse || gotEnum != backendPulse {
		t.Errorf("malgo's miniaudio.h has ma_context.backend at %d, ma_device.pulse at %d, ma_backend_pulseaudio = %d; "+
			"pulsebuf.c uses %d, %d and %d: update it", gotBackend, gotPulse, gotEnum, ctxBackend, devPulse, backendPulse)
	}
	// pulsebuf.c's ad_ma_pulse: four pointers, in this order.
	if pc != ml+8 || ps != ml+16 || cs != ml+24 || ml != gotPulse {
		t.Errorf("ma_device.pulse is laid out as main loop %d, context %d, playback %d, capture %d", ml, pc, ps, cs)
	}
}

// playbackBuffer reads back what PulseAudio granted the stream's device.
func (s *Stream) playbackBuffer() (pulseBuffer, error) {
	var got pulseBuffer
	err := s.e.do("reading the playback buffer", func() error {
		dev := s.dev
		if s.pair != nil {
			dev = s.pair.dev
		}
		var err error
		got, err = playbackBufferOf(dev, s.e.cfg.SampleRate)
		return err
	})
	return got, err
}

// TestSpeakerIsAskedForAudioEveryFiveMilliseconds: PulseAudio asks the
// speaker for 5 ms of audio at a time, so its client thread wakes 200
// times a second for it instead of 400 (BenchmarkMicAndSpeakerCPU counts
// the wake-ups), keeps no more than 20 ms queued, and the tone plays.
// miniaudio's own buffering, kept with a negative PlaybackTarget for the
// engine or one stream (the ringer's), is asked for 2.5 ms at a time.
func TestSpeakerIsAskedForAudioEveryFiveMilliseconds(t *testing.T) {
	loadSink(t, "pb_spk")
	loadSink(t, "pb_in")
	for _, tc := range []struct {
		name        string
		target      time.Duration
		opts        []StreamOption
		wantRequest time.Duration
		pair        bool
	}{
		{"playback stream", 0, nil, 5 * time.Millisecond, false},
		{"call pair", 0, nil, 5 * time.Millisecond, true},
		{"miniaudio's buffering", -1, nil, 2500 * time.Microsecond, false},
		{"one stream with miniaudio's buffering", 0, []StreamOption{WithPlaybackTarget(-1)}, 2500 * time.Microsecond, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEngine(t, Config{PlaybackTarget: tc.target})
			var spk *Stream
			if tc.pair {
				mic, s, err := e.OpenCall("pb_in.monitor", "pb_spk")
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { _ = mic.Close() })
				spk = s
			} else {
				spk = openPlayback(t, e, "pb_spk", append(tc.opts, WithName("speaker"))...)
			}
			got, err := spk.playbackBuffer()
			if err != nil {
				t.Fatal(err)
			}
			if got.request != tc.wantRequest || got.queue <= 0 || got.queue > DefaultPlaybackTarget {
				t.Errorf("PulseAudio granted %+v, want requests of %v and at most %v queued", got, tc.wantRequest, DefaultPlaybackTarget)
			}
			monitor := openCapture(t, e, "pb_spk.monitor")
			playTone(t, spk, 1000)
			waitTone(t, monitor, 1000)
		})
	}
}
