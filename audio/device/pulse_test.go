package device

import (
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/agentdesk/agentdesk/audio/pulsetest"
	"github.com/agentdesk/agentdesk/core"

	// The app links it (main.go): measure with the app's timer slack.
	_ "github.com/agentdesk/agentdesk/audio/timerslack"
)

func TestDevicesHaveStableIDs(t *testing.T) {
	loadSink(t, "list_a")
	loadSink(t, "list_b")
	e := newEngine(t, Config{PollInterval: pollEvery})
	changed := make(chan []core.MediaDevice, 16)
	e.OnDevicesChanged(func(d []core.MediaDevice) { changed <- d })

	first := mustDevices(t, e)
	for _, want := range []core.MediaDevice{
		{ID: "list_a", Name: "list_a", Kind: core.MediaKindOutput},
		{ID: "list_b", Name: "list_b", Kind: core.MediaKindOutput},
		{ID: "list_a.monitor", Kind: core.MediaKindInput},
		{ID: "list_b.monitor", Kind: core.MediaKindInput},
	} {
		got, ok := find(first, want.Kind, want.ID)
		if !ok {
			t.Fatalf("%s %q missing from %+v", want.Kind, want.ID, first)
		}
		if want.Name != "" && got.Name != want.Name {
			t.Errorf("%s name = %q, want %q", want.ID, got.Name, want.Name)
		}
	}
	for _, kind := range []string{core.MediaKindOutput, core.MediaKindInput} {
		n := 0
		for _, d := range first {
			if d.Kind == kind && d.IsDefault {
				n++
			}
		}
		if n != 1 {
			t.Errorf("%d default %s devices in %+v, want 1", n, kind, first)
		}
	}

	second := mustDevices(t, e)
	if len(second) != len(first) {
		t.Fatalf("second listing has %d devices, first %d", len(second), len(first))
	}
	for i := range first {
		if first[i] != second[i] {
			t.Fatalf("listing changed between calls: %+v then %+v", first[i], second[i])
		}
	}

	loadSink(t, "list_c")
	third := mustDevices(t, e)
	for _, d := range first {
		if _, ok := find(third, d.Kind, d.ID); !ok {
			t.Errorf("%s %q lost its ID after another sink was loaded: %+v", d.Kind, d.ID, third)
		}
	}
	if _, ok := find(third, core.MediaKindOutput, "list_c"); !ok {
		t.Fatalf("new sink missing: %+v", third)
	}
	select {
	case d := <-changed:
		if _, ok := find(d, core.MediaKindOutput, "list_c"); !ok {
			t.Fatalf("OnDevicesChanged list lacks the new sink: %+v", d)
		}
	case <-time.After(eventWait):
		t.Fatal("OnDevicesChanged did not fire after a sink was loaded")
	}
}

// TestPlaybackStaysOnItsSink plays the call on one sink and the ringer on
// another at once: each tone must be on its own sink's monitor only.
func TestPlaybackStaysOnItsSink(t *testing.T) {
	loadSink(t, "spk_a")
	loadSink(t, "ring_b")
	e := newEngine(t, Config{})
	speaker := openPlayback(t, e, "spk_a", WithName("speaker"))
	ringer := openPlayback(t, e, "ring_b", WithName("ringer"))
	onA := openCapture(t, e, "spk_a.monitor", WithName("monitor A"))
	onB := openCapture(t, e, "ring_b.monitor", WithName("monitor B"))

	playTone(t, speaker, 1000)
	t.Logf("1 kHz on spk_a after %v", waitTone(t, onA, 1000))
	assertNoTone(t, onB, 1000, silentAmp, 5)

	playTone(t, ringer, 440)
	t.Logf("440 Hz on ring_b after %v", waitTone(t, onB, 440))
	assertNoTone(t, onA, 440, leakAmp, 5)
	assertNoTone(t, onB, 1000, leakAmp, 5)
	waitTone(t, onA, 1000)

	for _, s := range []*Stream{speaker, onA} {
		lv := s.Level()
		if lv.Peak < -8 || lv.Peak > -4 || lv.RMS < -11 || lv.RMS > -7 {
			t.Errorf("%s level = %+v, want about -6 dBFS peak, -9 dBFS RMS", s.Name(), lv)
		}
	}
	if st := speaker.Stats(); st.Callbacks == 0 || st.Frames == 0 {
		t.Errorf("speaker stats = %+v", st)
	}
}

func TestCaptureHearsPacat(t *testing.T) {
	loadSink(t, "mic_in")
	e := newEngine(t, Config{})
	mic := openCapture(t, e, "mic_in.monitor", WithName("microphone"))
	p, err := srv.Play("mic_in", pulsetest.Sine(440, toneAmp, 12*pulsetest.SampleRate))
	if err != nil {
		t.Fatal(err)
	}
	defer p.Stop()
	t.Logf("440 Hz from pacat captured after %v", waitTone(t, mic, 440))
	if lv := mic.Level(); lv.Peak < -10 {
		t.Errorf("microphone level = %+v while a -6 dBFS tone plays", lv)
	}
}

func TestSwitchDeviceMovesTheTone(t *testing.T) {
	loadSink(t, "sw_a")
	loadSink(t, "sw_b")
	e := newEngine(t, Config{})
	speaker := openPlayback(t, e, "sw_a", WithName("speaker"))
	onA := openCapture(t, e, "sw_a.monitor")
	onB := openCapture(t, e, "sw_b.monitor")
	playTone(t, speaker, 1000)
	waitTone(t, onA, 1000)

	start := time.Now()
	if err := speaker.SwitchDevice("sw_b"); err != nil {
		t.Fatal(err)
	}
	t.Logf("SwitchDevice took %v", time.Since(start))
	if got := speaker.DeviceID(); got != "sw_b" {
		t.Fatalf("DeviceID after switch = %q", got)
	}
	t.Logf("tone on sw_b %v after the switch", time.Since(start)+waitTone(t, onB, 1000))
	waitNoTone(t, onA, 1000)

	if err := speaker.SwitchDevice("no_such_sink"); !errors.Is(err, ErrNoDevice) {
		t.Fatalf("switch to a missing sink: %v, want ErrNoDevice", err)
	}
	if got := speaker.DeviceID(); got != "sw_b" {
		t.Fatalf("a failed switch moved the stream to %q", got)
	}
	assertNoTone(t, onA, 1000, silentAmp, 3)
	waitTone(t, onB, 1000)
}

// TestUnplugFallsBackToDefault unloads the sink a playback stream plays on
// (and whose monitor a capture stream records): both streams must move to
// the defaults within a second, keep working there, and return when the
// sink comes back.
func TestUnplugFallsBackToDefault(t *testing.T) {
	modA := loadSink(t, "hp_a")
	loadSink(t, "hp_b")
	for _, err := range []error{srv.SetDefaultSink("hp_b"), srv.SetDefaultSource("hp_b.monitor")} {
		if err != nil {
			t.Fatal(err)
		}
	}
	e := newEngine(t, Config{}) // the default 500 ms poll must meet the 1 s budget
	type lostAt struct {
		DeviceLost
		at time.Time
	}
	lost := make(chan lostAt, 4)
	e.OnDeviceLost(func(l DeviceLost) { lost <- lostAt{l, time.Now()} })
	speaker := openPlayback(t, e, "hp_a", WithName("speaker"))
	onA := openCapture(t, e, "hp_a.monitor", WithName("monitor A"))
	onB := openCapture(t, e, "hp_b.monitor", WithName("monitor B"))
	playTone(t, speaker, 1000)
	waitTone(t, onA, 1000)

	unplugged := time.Now()
	if err := srv.Unload(modA); err != nil {
		t.Fatal(err)
	}
	want := map[*Stream]DeviceLost{
		speaker: {Stream: speaker, Kind: core.MediaKindOutput, OldID: "hp_a", NewID: "hp_b"},
		onA:     {Stream: onA, Kind: core.MediaKindInput, OldID: "hp_a.monitor", NewID: "hp_b.monitor"},
	}
	for range want {
		select {
		case ev := <-lost:
			took := ev.at.Sub(unplugged)
			t.Logf("%s fell back %s -> %s in %v", ev.Stream.Name(), ev.OldID, ev.NewID, took)
			if w, ok := want[ev.Stream]; !ok || ev.DeviceLost != w {
				t.Fatalf("DeviceLost = %+v, want one of %+v", ev.DeviceLost, want)
			}
			if took > time.Second {
				t.Errorf("fallback took %v, want under 1 s", took)
			}
		case <-time.After(eventWait):
			t.Fatalf("missing DeviceLost %v after unloading hp_a; speaker on %q, monitor on %q",
				eventWait, speaker.DeviceID(), onA.DeviceID())
		}
	}
	if got := speaker.DeviceID(); got != "hp_b" {
		t.Fatalf("DeviceID after fallback = %q", got)
	}
	t.Logf("tone back on hp_b %v after the unplug", time.Since(unplugged)+waitTone(t, onB, 1000))
	t.Logf("fallen-back monitor hears it %v after the unplug", time.Since(unplugged)+waitTone(t, onA, 1000))

	// Plugging hp_a back in returns both streams to the devices asked for.
	replugged := time.Now()
	loadSink(t, "hp_a")
	waitFor(t, "the streams to return to hp_a", eventWait, func() bool {
		return speaker.DeviceID() == "hp_a" && onA.DeviceID() == "hp_a.monitor"
	})
	t.Logf("back on hp_a %v after the replug", time.Since(replugged))
	waitNoTone(t, onB, 1000)
	waitTone(t, onA, 1000)
}

func TestDefaultStreamFollowsTheDefault(t *testing.T) {
	loadSink(t, "def_a")
	loadSink(t, "def_b")
	if err := srv.SetDefaultSink("def_a"); err != nil {
		t.Fatal(err)
	}
	e := newEngine(t, Config{PollInterval: pollEvery})
	s := openPlayback(t, e, "")
	if got := s.DeviceID(); got != "def_a" {
		t.Fatalf("default stream opened on %q, want def_a", got)
	}
	if err := srv.SetDefaultSink("def_b"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the default stream to follow def_b", eventWait, func() bool { return s.DeviceID() == "def_b" })
}

// TestCloseAfterUnplug closes a stream whose sink has just vanished, before
// the poller moves it: miniaudio must not be left waiting for the dead
// stream.
func TestCloseAfterUnplug(t *testing.T) {
	mod := loadSink(t, "gone_a")
	e := newEngine(t, Config{PollInterval: time.Hour, OpTimeout: 2 * time.Second})
	s, err := e.OpenPlayback("gone_a")
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, "playback callbacks", toneWait, func() bool { return s.Stats().Callbacks > 5 })
	if err := srv.Unload(mod); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the sink to vanish", eventWait, func() bool {
		_, ok := find(mustDevices(t, e), core.MediaKindOutput, "gone_a")
		return !ok
	})
	start := time.Now()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("Close took %v", d)
	}
}

// Between rings the ringer's stream is stopped, nothing runs, and the engine
// polls at its idle pace. A sink unplugged then still moves the ringer to the
// default, and the next ring plays there.
func TestStoppedStreamLeavesAnUnpluggedSinkWhileIdle(t *testing.T) {
	mod := loadSink(t, "idle_gone")
	loadSink(t, "idle_default")
	if err := srv.SetDefaultSink("idle_default"); err != nil {
		t.Fatal(err)
	}
	e := newEngine(t, Config{PollInterval: pollEvery, IdlePoll: 5 * pollEvery})
	ringer := openPlayback(t, e, "idle_gone", WithName("ringer"))
	if err := ringer.SetRunning(false); err != nil {
		t.Fatal(err)
	}
	time.Sleep(3 * pollEvery) // the poll that opening asked for is done: the engine idles
	if err := srv.Unload(mod); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the stopped ringer to move to the default sink", eventWait, func() bool { return ringer.DeviceID() == "idle_default" })
	onDefault := openCapture(t, e, "idle_default.monitor")
	if err := ringer.SetRunning(true); err != nil {
		t.Fatal(err)
	}
	playTone(t, ringer, 1000)
	waitTone(t, onDefault, 1000)
}

// A stopped stream makes no callbacks and plays nothing, follows a switch
// while stopped, and plays again on the new device once started.
func TestStoppedStreamIsSilentAndStartsAgain(t *testing.T) {
	loadSink(t, "st_a")
	loadSink(t, "st_b")
	e := newEngine(t, Config{})
	speaker := openPlayback(t, e, "st_a", WithName("ringer"))
	onA := openCapture(t, e, "st_a.monitor")
	onB := openCapture(t, e, "st_b.monitor")
	playTone(t, speaker, 1000)
	waitTone(t, onA, 1000)

	if err := speaker.SetRunning(false); err != nil {
		t.Fatal(err)
	}
	waitNoTone(t, onA, 1000)
	before := speaker.Stats().Callbacks
	time.Sleep(200 * time.Millisecond)
	if after := speaker.Stats().Callbacks; after != before {
		t.Fatalf("a stopped stream made %d callbacks in 200 ms", after-before)
	}
	if err := speaker.SwitchDevice("st_b"); err != nil {
		t.Fatal(err)
	}
	assertNoTone(t, onB, 1000, silentAmp, 3)
	if after := speaker.Stats().Callbacks; after != before {
		t.Fatalf("a stopped stream started again when it switched devices (%d callbacks)", after-before)
	}

	start := time.Now()
	if err := speaker.SetRunning(true); err != nil {
		t.Fatal(err)
	}
	t.Logf("tone on st_b %v after starting again", time.Since(start)+waitTone(t, onB, 1000))
	speaker.Close()
	if err := speaker.SetRunning(true); !errors.Is(err, ErrClosed) {
		t.Fatalf("SetRunning after Close: %v, want ErrClosed", err)
	}
}

// BenchmarkMicAndSpeakerCPU is the floor under a call's CPU: a microphone
// and a speaker stream on PulseAudio at the default 10 ms periods, read and
// written every 20 ms as a call does, and nothing else. It reports this
// process's share of one core, most of it libpulse's own client threads,
// for the one duplex device a call uses (OpenCall), for the same with
// miniaudio's own playback buffering (PlaybackTarget -1), and for two
// separate devices (pacat plus parec at 10 ms latency take about as much as
// the latter on the same machine), with the process's wake-ups a second.
func BenchmarkMicAndSpeakerCPU(b *testing.B) {
	duplex := func(e *Engine) (*Stream, *Stream) {
		mic, spk, err := e.OpenCall("bench_speaker.monitor", "bench_speaker")
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { _ = mic.Close() })
		return mic, spk
	}
	for _, tc := range []struct {
		name, metric string
		target       time.Duration
		open         func(e *Engine) (mic, spk *Stream)
	}{
		{"duplex", "mic-and-speaker-cpu", 0, duplex},
		{"duplex-miniaudio-buffering", "mic-and-speaker-miniaudio-buffering-cpu", -1, duplex},
		{"separate", "mic-and-speaker-separate-cpu", 0, func(e *Engine) (*Stream, *Stream) {
			return openCapture(b, e, "bench_speaker.monitor"), openPlayback(b, e, "bench_speaker")
		}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			loadSink(b, "bench_speaker")
			e := newEngine(b, Config{Logger: slog.New(slog.DiscardHandler), PlaybackTarget: tc.target})
			mic, spk := tc.open(e)
			frame := make([]int16, 960)
			if !mic.WaitPeriod(toneWait) || !spk.WaitPeriod(toneWait) {
				b.Fatal("the streams never started")
			}
			var share, wakeups float64
			for b.Loop() {
				share, wakeups = cpuShare(10*time.Second, func() {
					mic.Read(frame)
					spk.Write(frame)
				})
			}
			b.ReportMetric(share, "%core")
			b.ReportMetric(wakeups, "wakeups/s")
			b.ReportMetric(0, "ns/op")
			fmt.Printf("%s: %.2f %%core\n", tc.metric, share)
			fmt.Printf("%s-wakeups: %.0f /s\n", strings.TrimSuffix(tc.metric, "-cpu"), wakeups)
		})
	}
}

// cpuShare calls frame every 20 ms for d, as a call's media clock does, and
// returns the process's CPU over that time as a share of one core, and how
// many times a second its threads went to sleep and were woken.
func cpuShare(d time.Duration, frame func()) (share, wakeups float64) {
	usage := func() syscall.Rusage {
		var ru syscall.Rusage
		_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
		return ru
	}
	used := func(ru syscall.Rusage) time.Duration { return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()) }
	t := time.NewTicker(20 * time.Millisecond)
	defer t.Stop()
	ru0, wall0 := usage(), time.Now()
	for time.Since(wall0) < d {
		<-t.C
		frame()
	}
	ru1, wall := usage(), time.Since(wall0).Seconds()
	return 100 * (used(ru1) - used(ru0)).Seconds() / wall, float64(ru1.Nvcsw-ru0.Nvcsw) / wall
}

// A call's microphone and speaker on one duplex device: each side hears and
// plays on its own device, switches on its own while the other keeps going,
// and closing one closes both.
func TestCallPairSwitchesEachSideAlone(t *testing.T) {
	loadSink(t, "cp_out_a")
	loadSink(t, "cp_out_b")
	loadSink(t, "cp_in_a")
	loadSink(t, "cp_in_b")
	e := newEngine(t, Config{})
	mic, spk, err := e.OpenCall("cp_in_a.monitor", "cp_out_a")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = mic.Close() })
	if mic.DeviceID() != "cp_in_a.monitor" || spk.DeviceID() != "cp_out_a" {
		t.Fatalf("opened on %q and %q", mic.DeviceID(), spk.DeviceID())
	}
	onOutA := openCapture(t, e, "cp_out_a.monitor")
	onOutB := openCapture(t, e, "cp_out_b.monitor")
	intoInA := openPlayback(t, e, "cp_in_a")
	intoInB := openPlayback(t, e, "cp_in_b")
	playTone(t, spk, 1000)
	playTone(t, intoInA, 440)
	playTone(t, intoInB, 600)
	waitTone(t, onOutA, 1000)
	waitTone(t, mic, 440)

	if err := mic.SwitchDevice("cp_in_b.monitor"); err != nil {
		t.Fatal(err)
	}
	if mic.DeviceID() != "cp_in_b.monitor" || spk.DeviceID() != "cp_out_a" {
		t.Fatalf("after switching the microphone: %q and %q", mic.DeviceID(), spk.DeviceID())
	}
	waitTone(t, mic, 600)
	waitTone(t, onOutA, 1000) // the speaker stayed where it was

	if err := spk.SwitchDevice("cp_out_b"); err != nil {
		t.Fatal(err)
	}
	if mic.DeviceID() != "cp_in_b.monitor" || spk.DeviceID() != "cp_out_b" {
		t.Fatalf("after switching the speaker: %q and %q", mic.DeviceID(), spk.DeviceID())
	}
	waitTone(t, onOutB, 1000)
	waitNoTone(t, onOutA, 1000)
	waitTone(t, mic, 600)

	// One device: stopping either side stops both, starting either starts
	// both, and a stopped pair follows a switch and stays stopped.
	if err := spk.SetRunning(false); err != nil {
		t.Fatal(err)
	}
	waitNoTone(t, onOutB, 1000)
	if mic.WaitPeriod(200 * time.Millisecond) {
		t.Fatal("the microphone still runs after its speaker stopped")
	}
	if err := mic.SwitchDevice("cp_in_a.monitor"); err != nil {
		t.Fatal(err)
	}
	if mic.WaitPeriod(200 * time.Millisecond) {
		t.Fatal("a switch started the stopped pair")
	}
	if err := mic.SetRunning(true); err != nil {
		t.Fatal(err)
	}
	waitTone(t, onOutB, 1000)
	waitTone(t, mic, 440)

	if err := spk.SwitchDevice("no_such_sink"); !errors.Is(err, ErrNoDevice) {
		t.Fatalf("switch to a missing sink: %v, want ErrNoDevice", err)
	}
	if err := mic.Close(); err != nil {
		t.Fatal(err)
	}
	if err := spk.SwitchDevice("cp_out_a"); !errors.Is(err, ErrClosed) {
		t.Fatalf("the speaker after its microphone closed: %v, want ErrClosed", err)
	}
	waitNoTone(t, onOutB, 1000)
}
