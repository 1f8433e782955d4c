package device

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
	"unsafe"

	"github.com/gen2brain/malgo"

	"github.com/agentdesk/agentdesk/core"
)

func TestNullBackendIsTheRealOne(t *testing.T) {
	if NullBackend == malgo.BackendNull {
		t.Fatal("NullBackend must be miniaudio's null backend, not malgo.BackendNull (custom)")
	}
}

// TestNullBackendRunsCallbacks needs no sound server: miniaudio's null
// backend drives capture and playback callbacks from a timer.
func TestNullBackendRunsCallbacks(t *testing.T) {
	e := newEngine(t, Config{Backends: []malgo.Backend{NullBackend}})
	devs := mustDevices(t, e)
	if len(devs) != 2 {
		t.Fatalf("null backend devices = %+v, want one playback and one capture", devs)
	}
	for _, d := range devs {
		if !d.IsDefault || d.ID == "" {
			t.Errorf("null device %+v: want a default with an ID", d)
		}
	}
	play := openPlayback(t, e, "", WithName("null speaker"))
	rec := openCapture(t, e, "", WithName("null mic"))
	if play.Kind() != core.MediaKindOutput || rec.Kind() != core.MediaKindInput {
		t.Fatalf("kinds = %s, %s", play.Kind(), rec.Kind())
	}

	// Playback: what is written gets consumed at the device's pace.
	tone := make([]int16, 4800)
	for i := range tone {
		tone[i] = 1000
	}
	if n := play.Write(tone); n != len(tone) {
		t.Fatalf("Write = %d", n)
	}
	waitFor(t, "the null device to drain 100 ms of playback", 5*time.Second, func() bool { return play.Len() == 0 })
	waitFor(t, "playback underruns once the ring is dry", 5*time.Second, func() bool { return play.Stats().Underruns > 0 })

	// Capture: silence arrives in ~10 ms periods.
	buf := make([]int16, window)
	if !nextWindow(rec, buf, time.Now().Add(5*time.Second)) {
		t.Fatalf("null capture delivered no 100 ms window; stats %+v", rec.Stats())
	}
	for _, s := range buf {
		if s != 0 {
			t.Fatalf("null capture sample %d, want silence", s)
		}
	}
	if lv := rec.Level(); lv.Peak != MinDBFS || lv.RMS != MinDBFS {
		t.Errorf("silent level = %+v, want %v", lv, MinDBFS)
	}
	st := rec.Stats()
	if st.Callbacks == 0 || st.Frames/st.Callbacks < 400 || st.Frames/st.Callbacks > 1000 {
		t.Errorf("capture stats %+v: want ~480-frame periods", st)
	}
	if play.Read(buf) != 0 || rec.Write(buf) != 0 {
		t.Error("Read on playback or Write on capture must do nothing")
	}

	if err := play.SwitchDevice(devs[0].ID); err != nil {
		t.Fatalf("switching to the same null device: %v", err)
	}
	_, err := e.OpenPlayback("no-such-device")
	if !errors.Is(err, ErrNoDevice) {
		t.Fatalf("opening a missing device: %v, want ErrNoDevice", err)
	}
	explains(t, err, "not connected")

	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
	_, err = e.Devices()
	if !errors.Is(err, ErrClosed) {
		t.Fatalf("Devices after Close: %v, want ErrClosed", err)
	}
	explains(t, err, "restart AgentDesk")
	if err := play.SwitchDevice(""); !errors.Is(err, ErrClosed) {
		t.Fatalf("SwitchDevice after Engine.Close: %v, want ErrClosed", err)
	}
	if _, err := e.OpenCapture(""); !errors.Is(err, ErrClosed) {
		t.Fatalf("OpenCapture after Close: %v, want ErrClosed", err)
	}
}

// TestOpTimeout wedges the device goroutine: callers must get a clear
// timeout, and the engine must work again once the op returns.
func TestOpTimeout(t *testing.T) {
	e := newEngine(t, Config{Backends: []malgo.Backend{NullBackend}, OpTimeout: 200 * time.Millisecond})
	release := make(chan struct{})
	start := time.Now()
	err := e.do("opening a stuck device", func() error { <-release; return nil })
	if !errors.Is(err, ErrTimeout) || !strings.Contains(err.Error(), "opening a stuck device") {
		t.Fatalf("err = %v, want ErrTimeout naming the op", err)
	}
	explains(t, err, "did not answer within 200ms")
	if d := time.Since(start); d < 200*time.Millisecond || d > 2*time.Second {
		t.Fatalf("timed out after %v, want ~200 ms", d)
	}
	if _, err := e.OpenPlayback(""); !errors.Is(err, ErrTimeout) {
		t.Fatalf("open behind a stuck op: %v, want ErrTimeout", err)
	}
	close(release)
	waitFor(t, "the engine to recover", 5*time.Second, func() bool {
		_, err := e.Devices()
		return err == nil
	})
	s := openPlayback(t, e, "")
	waitFor(t, "callbacks after recovery", 5*time.Second, func() bool { return s.Stats().Callbacks > 0 })
}

func TestIDString(t *testing.T) {
	var pulse malgo.DeviceID
	copy(pulse[:], "alsa_output.pci-0000_00_1f.3.analog-stereo")
	var utf16 malgo.DeviceID
	copy(utf16[:], []byte{'{', 0, '0', 0, '.', 0})
	var null malgo.DeviceID
	for _, tc := range []struct {
		id   malgo.DeviceID
		want string
	}{
		{pulse, "alsa_output.pci-0000_00_1f.3.analog-stereo"},
		{utf16, "7b0030002e"},
		{null, "00"},
	} {
		if got := idString(tc.id); got != tc.want {
			t.Errorf("idString = %q, want %q", got, tc.want)
		}
	}
}

func TestDBFS(t *testing.T) {
	for _, tc := range []struct{ v, want float64 }{
		{32768, 0}, {16384, -6.02}, {0, MinDBFS}, {1e-9, MinDBFS},
	} {
		if got := dbfs(tc.v); got < tc.want-0.01 || got > tc.want+0.01 {
			t.Errorf("dbfs(%v) = %v, want %v", tc.v, got, tc.want)
		}
	}
}

func testStream(kind malgo.DeviceType) *Stream {
	e := &Engine{cfg: Config{}.withDefaults()}
	return newStream(e, kind, "", nil)
}

// fakeDevice is the address a test's stand-in device goes by; the ring
// serves only the device it names live.
const fakeDevice uintptr = 0x1000

// period runs one device period of dev on s: the C code miniaudio's
// callback thread runs, given buffers as miniaudio would.
func period(s *Stream, dev uintptr, out, in []byte, frames uint32) {
	s.ring.serve(dev, out, in, frames)
}

// samples views an S16 buffer as int16.
func samples(b []byte) []int16 {
	return unsafe.Slice((*int16)(unsafe.Pointer(unsafe.SliceData(b))), len(b)/2)
}

// TestGoSideDoesNotAllocate: what the softphone calls every frame (write,
// read, meters, counters) allocates nothing, so a call makes no garbage.
func TestGoSideDoesNotAllocate(t *testing.T) {
	out := make([]byte, 960)
	in := make([]byte, 960)
	for i := range in {
		in[i] = byte(i)
	}

	play := testStream(malgo.Playback)
	play.ring.setLive(fakeDevice)
	feed := make([]int16, 480)
	if a := testing.AllocsPerRun(1000, func() {
		play.Write(feed)
		period(play, fakeDevice, out, nil, 480)
		period(play, fakeDevice, out, nil, 480) // an underrun too
		_, _, _ = play.Level(), play.Stats(), play.TakePeak()
	}); a != 0 {
		t.Errorf("playback allocates %v times per period", a)
	}
	if play.Stats().Underruns == 0 {
		t.Error("playback underruns not counted")
	}

	rec := testStream(malgo.Capture)
	rec.ring.setLive(fakeDevice)
	sink := make([]int16, 480)
	if a := testing.AllocsPerRun(1000, func() {
		period(rec, fakeDevice, nil, in, 480)
		rec.Read(sink)
		_ = rec.Level()
	}); a != 0 {
		t.Errorf("capture allocates %v times per period", a)
	}
	if got := samples(in)[:480]; !slices.Equal(sink, got) {
		t.Error("captured samples read back changed")
	}
}

func TestPlaybackCallbackFillsSilenceAndMeters(t *testing.T) {
	s := testStream(malgo.Playback)
	s.ring.setLive(fakeDevice)
	cb := func(out []byte, frames uint32) { period(s, fakeDevice, out, nil, frames) }
	s.Write([]int16{16384, -16384, 16384})
	out := make([]byte, 8*2)
	for i := range out {
		out[i] = 0xff
	}
	cb(out, 8)
	got := samples(out)
	want := []int16{16384, -16384, 16384, 0, 0, 0, 0, 0}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("played %v, want %v", got, want)
		}
	}
	if st := s.Stats(); st.Underruns != 5 || st.Callbacks != 1 || st.Frames != 8 {
		t.Fatalf("stats = %+v", st)
	}
	if lv := s.Level(); lv.Peak < -6.1 || lv.Peak > -5.9 {
		t.Fatalf("level = %+v, want -6 dBFS peak", lv)
	}
	// A quiet period after the loud one: the meter's once-in-a-while read
	// still sees the loud one, once.
	s.Write([]int16{1000, -1000})
	cb(out, 8)
	if lv := s.Level(); lv.Peak > -30 {
		t.Fatalf("level of the quiet period = %+v", lv)
	}
	if p := s.TakePeak(); p < -6.1 || p > -5.9 {
		t.Fatalf("TakePeak after a loud then a quiet period = %.1f dBFS, want -6", p)
	}
	if p := s.TakePeak(); p != MinDBFS {
		t.Fatalf("TakePeak read twice = %.1f dBFS, want silence: nothing played since", p)
	}

	// A callback of a replaced device plays silence and leaves the ring
	// alone.
	s.Write([]int16{1, 2, 3})
	s.ring.setLive(fakeDevice + 1)
	cb(out, 8)
	if s.Len() != 3 || got[0] != 0 {
		t.Fatalf("stale callback consumed the ring: Len %d, out %v", s.Len(), got)
	}
}

func TestRingWrapsAndCountsOverflow(t *testing.T) {
	s := testStream(malgo.Capture)
	s.ring.setLive(fakeDevice)
	capacity := s.ring.cap
	in := make([]byte, 2*(capacity-100))
	for i := range samples(in) {
		samples(in)[i] = int16(i)
	}
	period(s, fakeDevice, nil, in, uint32(capacity-100))
	got := make([]int16, capacity-200)
	if n := s.Read(got); n != capacity-200 {
		t.Fatalf("read %d, want %d", n, capacity-200)
	}
	// 100 samples left; 300 more wrap round the end.
	period(s, fakeDevice, nil, in[:600], 300)
	got = make([]int16, 400)
	if n := s.Read(got); n != 400 {
		t.Fatalf("read %d after the wrap, want 400", n)
	}
	for i := range 100 {
		if got[i] != int16(capacity-200+i) {
			t.Fatalf("sample %d before the wrap = %d, want %d", i, got[i], capacity-200+i)
		}
	}
	for i := range 300 {
		if got[100+i] != int16(i) {
			t.Fatalf("sample %d after the wrap = %d, want %d", i, got[100+i], i)
		}
	}
	// A reader that falls behind loses the newest samples, counted.
	period(s, fakeDevice, nil, make([]byte, 2*capacity), uint32(capacity))
	period(s, fakeDevice, nil, in[:200], 100)
	if st := s.Stats(); st.Overflows != 100 {
		t.Fatalf("overflows = %d, want 100", st.Overflows)
	}
	if s.Free() != 0 || s.Len() != capacity {
		t.Fatalf("full ring: Len %d Free %d, want %d and 0", s.Len(), s.Free(), capacity)
	}
}

func BenchmarkPlaybackCallback(b *testing.B) {
	s := testStream(malgo.Playback)
	s.ring.setLive(fakeDevice)
	out := make([]byte, 960)
	feed := make([]int16, 480)
	b.ReportAllocs()
	for b.Loop() {
		s.Write(feed)
		period(s, fakeDevice, out, nil, 480)
	}
}

func BenchmarkCaptureCallback(b *testing.B) {
	s := testStream(malgo.Capture)
	s.ring.setLive(fakeDevice)
	in := make([]byte, 960)
	sink := make([]int16, 480)
	b.ReportAllocs()
	for b.Loop() {
		period(s, fakeDevice, nil, in, 480)
		s.Read(sink)
	}
}

// TestBindRefusesAnUnknownDevice: the C callback is bound only to what
// reads back as miniaudio 0.11's ma_device, so a malgo that lays its device
// out otherwise fails to open with a clear error instead of corrupting
// memory.
func TestBindRefusesAnUnknownDevice(t *testing.T) {
	s := testStream(malgo.Playback)
	notADevice := make([]byte, 256) // zeros: no type, no rate, no callback
	mem := unsafe.Pointer(&notADevice[0])
	var dev malgo.Device
	*(**unsafe.Pointer)(unsafe.Pointer(&dev)) = &mem
	err := s.ring.bind(&dev, false, 48000)
	if !errors.Is(err, errLayout) || !strings.Contains(err.Error(), "malgo upgraded") {
		t.Fatalf("binding a zeroed block: %v, want the layout error", err)
	}
	for i, b := range notADevice {
		if b != 0 {
			t.Fatalf("a refused bind wrote byte %d", i)
		}
	}
}

// explains fails unless err carries a Problem whose message, the part the
// agent reads (translated) in the settings, says want and not the
// engine's own words for the operation.
func explains(t *testing.T, err error, want string) {
	t.Helper()
	var p *Problem
	if !errors.As(err, &p) {
		t.Fatalf("%v: no Problem the window could translate", err)
	}
	if msg := p.Error(); !strings.Contains(msg, want) || strings.Contains(msg, "device: ") {
		t.Fatalf("the agent would read %q, want it to say %q, without the log's context", msg, want)
	}
	if tpl, args := p.MessageTemplate(); strings.Count(tpl, "%s") != len(args) {
		t.Fatalf("template %q has %d arguments", tpl, len(args))
	}
}
