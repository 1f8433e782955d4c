package settings

import (
	"context"
	"fmt"
	"image"
	"slices"
	"strings"
	"sync"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/agentdesk/agentdesk/audio/device"
	"github.com/agentdesk/agentdesk/core"
	"github.com/agentdesk/agentdesk/core/center"
	"github.com/agentdesk/agentdesk/core/centertest"
	"github.com/agentdesk/agentdesk/core/clock"
	"github.com/agentdesk/agentdesk/ui/i18n"
	"github.com/agentdesk/agentdesk/ui/uitest"
)

// fakeMedia is an audio engine with fixed devices that records choices.
type fakeMedia struct {
	mu                   sync.Mutex
	devices              []core.MediaDevice
	mic, speaker, ringer string
	gone                 string // a listed device that has been unplugged since
}

func newFakeMedia() *fakeMedia {
	return &fakeMedia{devices: []core.MediaDevice{
		{ID: "mic-1", Name: "Built-in Microphone", Kind: core.MediaKindInput, IsDefault: true},
		{ID: "mic-2", Name: "Headset Microphone", Kind: core.MediaKindInput},
		{ID: "spk-1", Name: "Built-in Speakers", Kind: core.MediaKindOutput, IsDefault: true},
		{ID: "spk-2", Name: "Headset", Kind: core.MediaKindOutput},
	}}
}

func (f *fakeMedia) Devices() ([]core.MediaDevice, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.devices), nil
}
func (f *fakeMedia) SetMicrophone(id string) error { return f.set(&f.mic, id) }
func (f *fakeMedia) SetSpeaker(id string) error    { return f.set(&f.speaker, id) }
func (f *fakeMedia) SetRinger(id string) error     { return f.set(&f.ringer, id) }
func (f *fakeMedia) SetMuted(bool)                 {}

// set chooses id, or fails as the softphone does for a device that has gone.
func (f *fakeMedia) set(field *string, id string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if id != "" && id == f.gone {
		return fmt.Errorf("no device %q: %w", id, device.NotConnected())
	}
	*field = id
	return nil
}

func (f *fakeMedia) get(field *string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return *field
}

// fakeAudio is AudioControls that records calls.
type fakeAudio struct {
	mu    sync.Mutex
	echo  []bool
	tests []string
	level float64
}

func (f *fakeAudio) SetEchoCancellation(on bool) {
	f.mu.Lock()
	f.echo = append(f.echo, on)
	f.mu.Unlock()
}
func (f *fakeAudio) TestSpeaker(id string) error { f.record("speaker " + id); return nil }
func (f *fakeAudio) TestRinger(id string) error  { f.record("ringer " + id); return nil }
func (f *fakeAudio) InputLevel() float64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.level
}

func (f *fakeAudio) record(s string) {
	f.mu.Lock()
	f.tests = append(f.tests, s)
	f.mu.Unlock()
}

func (f *fakeAudio) lastEcho() (bool, int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.echo) == 0 {
		return false, 0
	}
	return f.echo[len(f.echo)-1], len(f.echo)
}

func (f *fakeAudio) testCalls() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.tests)
}

// harness is a settings view on a test app, an embedded center on a fake
// clock and a client with a fake audio engine. UI work from other
// goroutines and the test's own reads are serialised by mu.
type harness struct {
	t      *testing.T
	center *center.Center
	clock  *clock.Fake
	app    fyne.App
	prefs  fyne.Preferences
	client *core.Client
	agent  *core.Agent
	media  *fakeMedia
	audio  *fakeAudio
	desk   DesktopControls // nil: no desktop section
	v      *View
	*uitest.Thread
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	clk := clock.NewFake(centertest.Epoch)
	c := center.New(nil, center.WithClock(clk), center.WithLogger(centertest.Quiet), center.WithSeed(7))
	app := test.NewTempApp(t)
	h := &harness{t: t, center: c, clock: clk, app: app, prefs: app.Preferences(), Thread: uitest.NewThread(t)}
	t.Cleanup(func() {
		h.Stop()
		if h.v != nil {
			h.v.Close()
		}
		if h.client != nil {
			h.client.Close()
		}
		c.Close()
	})
	h.login(newFakeMedia(), &fakeAudio{level: -120})
	return h
}

// login starts a fresh client for alice with media and audio, and builds a
// fresh view on the same preferences.
func (h *harness) login(media *fakeMedia, audio *fakeAudio) {
	h.t.Helper()
	if h.v != nil {
		h.v.Close()
	}
	if h.client != nil {
		h.client.Close()
	}
	s, err := h.center.Session("alice")
	if err != nil {
		h.t.Fatal(err)
	}
	var opts []core.Option
	opts = append(opts, core.WithClock(h.clock), core.WithLogger(centertest.Quiet))
	if media != nil {
		opts = append(opts, core.WithMedia(media))
	}
	cl := core.NewClient(s, opts...)
	if err := cl.Start(centertest.Ctx()); err != nil {
		h.t.Fatal(err)
	}
	a, err := cl.Agent()
	if err != nil {
		h.t.Fatal(err)
	}
	h.client, h.agent, h.media, h.audio = cl, a, media, audio
	var ac AudioControls
	if audio != nil {
		ac = audio
	}
	h.UI(func() {
		h.v = New(cl, h.prefs, Options{Audio: ac, Desktop: h.desk, Do: h.Do})
		w := h.app.NewWindow("Settings")
		w.SetContent(h.v.Content())
		w.Show()
	})
}

func (h *harness) wait(what string, cond func() bool) {
	h.t.Helper()
	if !centertest.Eventually(cond) {
		h.t.Fatalf("timed out waiting for %s", what)
	}
}

func TestDeskphoneSaveSetsConfiguration(t *testing.T) {
	h := newHarness(t)
	h.UI(func() {
		if !h.v.save.Disabled() {
			t.Error("Save enabled before anything changed")
		}
		h.v.phoneType.SetSelected("Deskphone")
		test.Type(h.v.number, "+12025550175")
		if h.v.save.Disabled() {
			t.Fatalf("Save disabled for a valid number (hint %q)", h.v.numberHint.Text)
		}
		test.Tap(h.v.save)
	})
	h.wait("the deskphone configuration", func() bool {
		cfg := h.agent.Configuration()
		return !cfg.SoftphoneEnabled && cfg.Extension == "+12025550175"
	})
	h.WaitUI("the phone preferences", func() bool {
		return !h.prefs.BoolWithFallback(KeyPhoneSoftphone, true) && h.prefs.String(KeyPhoneExtension) == "+12025550175"
	})
	h.UI(func() {
		if !h.v.save.Disabled() || h.v.phoneProblem.Visible() {
			t.Errorf("after saving: Save disabled=%v, problem %q", h.v.save.Disabled(), h.v.phoneProblem.Text)
		}
	})
}

func TestInvalidDeskphoneNumberKeepsSaveDisabled(t *testing.T) {
	h := newHarness(t)
	for _, number := range []string{"", "12025550175", "+1202555", "+999123456", "not a number"} {
		h.UI(func() {
			h.v.phoneType.SetSelected("Deskphone")
			h.v.number.SetText(number)
			if !h.v.save.Disabled() {
				t.Errorf("Save enabled for %q", number)
			}
			if number != "" && !strings.Contains(h.v.numberHint.Text, "Not a usable number") {
				t.Errorf("hint for %q is %q", number, h.v.numberHint.Text)
			}
			test.Tap(h.v.save)
		})
	}
	if err := h.client.Sync(centertest.Ctx()); err != nil {
		t.Fatal(err)
	}
	if cfg := h.agent.Configuration(); !cfg.SoftphoneEnabled {
		t.Errorf("configuration changed to %+v", cfg)
	}
	h.UI(func() {
		if _, stored := storedBool(h.prefs, KeyPhoneSoftphone); stored {
			t.Error("phone type stored for an invalid number")
		}
	})
}

func TestPhoneTypeChangeDuringCallShowsCenterError(t *testing.T) {
	h := newHarness(t)
	var avail core.AgentState
	for _, s := range h.agent.AgentStates() {
		if s.Name == "Available" {
			avail = s
		}
	}
	if err := h.agent.SetState(centertest.Ctx(), avail); err != nil {
		t.Fatal(err)
	}
	if _, err := h.center.Arrive(center.Arrival{Queue: "Support", Type: core.ContactTypeVoice, Name: "Ken", Number: "+12025550123"}); err != nil {
		t.Fatal(err)
	}
	h.wait("a ringing call", func() bool { return len(h.agent.Contacts()) == 1 })
	if err := h.agent.Contacts()[0].Accept(centertest.Ctx()); err != nil {
		t.Fatal(err)
	}
	h.UI(func() {
		h.v.phoneType.SetSelected("Deskphone")
		h.v.number.SetText("+12025550175")
		test.Tap(h.v.save)
	})
	h.WaitUI("the center's refusal in place", func() bool {
		return h.v.phoneProblem.Visible() && strings.Contains(h.v.phoneProblem.Text, "cannot change during a call")
	})
	if !h.agent.Configuration().SoftphoneEnabled {
		t.Error("phone type changed during a call")
	}
}

func TestChoosingLanguageSetsLocale(t *testing.T) {
	h := newHarness(t)
	h.UI(func() {
		if got := len(h.v.language.Options); got != len(core.Locales) {
			t.Errorf("%d languages offered, want %d", got, len(core.Locales))
		}
		h.v.language.SetSelected("Deutsch")
	})
	h.wait("locale de_DE", func() bool { return h.agent.Configuration().AgentPreferences.Locale == "de_DE" })
	h.WaitUI("the stored locale", func() bool { return h.prefs.String(KeyLocale) == "de_DE" })
}

func TestDeviceSelectsListAndChooseDevices(t *testing.T) {
	h := newHarness(t)
	h.UI(func() {
		if got, want := h.v.mic.sel.Options, []string{"Built-in Microphone (default)", "Headset Microphone"}; !slices.Equal(got, want) {
			t.Errorf("microphones %q, want %q", got, want)
		}
		want := []string{"Built-in Speakers (default)", "Headset"}
		if got := h.v.speaker.sel.Options; !slices.Equal(got, want) {
			t.Errorf("speakers %q, want %q", got, want)
		}
		if got := h.v.ringer.sel.Options; !slices.Equal(got, want) {
			t.Errorf("ringers %q, want %q", got, want)
		}
		h.v.speaker.sel.SetSelected("Headset")
		h.v.mic.sel.SetSelected("Headset Microphone")
		h.v.ringer.sel.SetSelected("Built-in Speakers (default)")
	})
	h.wait("the engine to use the headset", func() bool {
		return h.media.get(&h.media.speaker) == "spk-2" && h.media.get(&h.media.mic) == "mic-2" && h.media.get(&h.media.ringer) == "spk-1"
	})
	h.WaitUI("the stored devices", func() bool {
		return h.prefs.String(KeySpeaker) == "spk-2" && h.prefs.String(KeyMicrophone) == "mic-2" && h.prefs.String(KeyRinger) == "spk-1"
	})
}

// A headset unplugged after the settings listed it: choosing it says so in
// the agent's language, keeps the device in use, and saves nothing.
func TestUnpluggedDeviceSaysSoInTheAgentsLanguage(t *testing.T) {
	t.Cleanup(func() { _ = i18n.Apply("en_US") }) // first, so it runs after the harness stops
	h := newHarness(t)
	if err := i18n.Apply("de_DE"); err != nil {
		t.Fatal(err)
	}
	h.media.mu.Lock()
	h.media.gone = "spk-2"
	h.media.mu.Unlock()
	h.UI(func() { h.v.speaker.sel.SetSelected("Headset") })
	want := "Das Gerät wurde nicht gewechselt: Dieses Gerät ist nicht angeschlossen (es wurde vielleicht abgezogen); wählen Sie ein anderes aus der Liste."
	h.WaitUI("the problem shown", func() bool { return h.v.audioProblem.Visible() && h.v.audioProblem.Text == want })
	if got := h.media.get(&h.media.speaker); got != "" {
		t.Errorf("the engine switched to %q", got)
	}
	if got := h.prefs.String(KeySpeaker); got != "" {
		t.Errorf("the unplugged device %q was saved", got)
	}
}

func TestRestoreReappliesStoredSettings(t *testing.T) {
	h := newHarness(t)
	h.UI(func() {
		h.v.speaker.sel.SetSelected("Headset")
		h.v.echo.SetChecked(false)
		h.v.phoneType.SetSelected("Deskphone")
		h.v.number.SetText("+12025550175")
		test.Tap(h.v.save)
	})
	h.WaitUI("the stored speaker and phone", func() bool {
		return h.prefs.String(KeySpeaker) == "spk-2" && h.prefs.String(KeyPhoneExtension) == "+12025550175"
	})
	// The center forgets the phone type (an admin reset it), and a new
	// client starts on an engine that knows nothing yet.
	cfg := h.agent.Configuration()
	cfg.SoftphoneEnabled = true
	if err := h.agent.SetConfiguration(centertest.Ctx(), cfg); err != nil {
		t.Fatal(err)
	}
	h.UI(func() { h.prefs.SetString(KeyRinger, "gone-device") })
	h.login(newFakeMedia(), &fakeAudio{})
	if err := h.v.Restore(centertest.Ctx()); err != nil {
		t.Fatal(err)
	}
	if got := h.media.get(&h.media.speaker); got != "spk-2" {
		t.Errorf("speaker %q after Restore, want spk-2", got)
	}
	if got := h.media.get(&h.media.ringer); got != "" {
		t.Errorf("ringer set to %q, a device that no longer exists", got)
	}
	if on, n := h.audio.lastEcho(); n == 0 || on {
		t.Errorf("echo cancellation: last %v after %d calls, want false", on, n)
	}
	if cfg := h.agent.Configuration(); cfg.SoftphoneEnabled || cfg.Extension != "+12025550175" {
		t.Errorf("configuration after Restore %+v, want the stored deskphone", cfg)
	}
	h.WaitUI("the restored choices shown", func() bool {
		return h.v.speaker.sel.Selected == "Headset" && !h.v.echo.Checked && h.v.phoneType.Selected == "Deskphone"
	})
}

func TestEchoCheckAndTestButtons(t *testing.T) {
	h := newHarness(t)
	h.UI(func() {
		if !h.v.echo.Checked {
			t.Error("echo cancellation off by default")
		}
		test.Tap(h.v.echo)
		h.v.ringer.sel.SetSelected("Headset")
		test.Tap(h.v.testSpeaker)
		test.Tap(h.v.testRinger)
	})
	if on, n := h.audio.lastEcho(); n != 1 || on {
		t.Errorf("SetEchoCancellation calls %d, last %v; want one call with false", n, on)
	}
	h.wait("both test sounds", func() bool {
		calls := h.audio.testCalls()
		return slices.Contains(calls, "speaker spk-1") && slices.Contains(calls, "ringer spk-2")
	})
	h.UI(func() {
		if h.prefs.BoolWithFallback(KeyEchoCancellation, true) {
			t.Error("echo setting not stored")
		}
	})
}

func TestTickShowsMicrophoneLevel(t *testing.T) {
	h := newHarness(t)
	for _, c := range []struct{ dbfs, want float64 }{{-120, 0}, {-60, 0}, {-30, 0.5}, {0, 1}, {6, 1}} {
		h.audio.mu.Lock()
		h.audio.level = c.dbfs
		h.audio.mu.Unlock()
		h.UI(func() {
			h.v.Tick()
			if got := h.v.level.Fill(); got != c.want {
				t.Errorf("level bar %v at %v dBFS, want %v", got, c.dbfs, c.want)
			}
		})
	}
}

func TestNoAudioEngine(t *testing.T) {
	h := newHarness(t)
	h.login(nil, nil)
	h.UI(func() {
		if h.v.speaker != nil || h.v.noAudio == nil || h.v.noAudio.Text != "No audio engine: calls carry no sound" {
			t.Error("audio section does not say there is no audio engine")
		}
		h.v.Tick()
	})
	if err := h.v.Restore(context.Background()); err != nil {
		t.Errorf("Restore without audio: %v", err)
	}
}

// colourfulColumns counts the columns of the level meter, as drawn in the
// window, that hold a strongly coloured (lit, or primary blue) pixel.
func colourfulColumns(t *testing.T, h *harness) (lit, width int) {
	t.Helper()
	var n, w int
	h.UI(func() {
		d := fyne.CurrentApp().Driver()
		for _, win := range d.AllWindows() {
			win.Resize(fyne.NewSize(420, 900))
		}
		c := d.CanvasForObject(h.v.level)
		img := c.Capture()
		if !img.Bounds().Size().Eq(image.Pt(420, 900)) {
			t.Fatalf("captured %v, want the 420×900 window", img.Bounds())
		}
		pos := d.AbsolutePositionForObject(h.v.level)
		size := h.v.level.Size()
		sc := c.Scale()
		x0, y0 := int(pos.X*sc), int(pos.Y*sc)
		w = int(size.Width * sc)
		for x := x0; x < x0+w; x++ {
			for y := y0; y < y0+int(size.Height*sc); y++ {
				r, g, b, _ := img.At(x, y).RGBA()
				hi, lo := max(r, g, b)>>8, min(r, g, b)>>8
				if hi-lo > 80 {
					n++
					break
				}
			}
		}
	})
	return n, w
}

// A silent microphone's meter looks empty: no full coloured bar.
func TestSilentLevelMeterLooksEmpty(t *testing.T) {
	h := newHarness(t) // microphone at -120 dBFS
	h.UI(h.v.Tick)
	if lit, w := colourfulColumns(t, h); w == 0 || lit > 0 {
		t.Errorf("silent meter: %d of %d columns coloured, want none", lit, w)
	}
	h.audio.mu.Lock()
	h.audio.level = -30
	h.audio.mu.Unlock()
	h.UI(h.v.Tick)
	if lit, w := colourfulColumns(t, h); lit < w*4/10 || lit > w*6/10 {
		t.Errorf("meter at -30 dBFS: %d of %d columns lit, want about half", lit, w)
	}
}

// With no language chosen anywhere, the window is in the system's
// language, so the agent's setting, and with it the language picker,
// follows the system's; it is not saved, so the system's rules until the
// agent picks one. A language the agent's profile names is left alone.
func TestRestoreFollowsTheSystemLanguageWhenNoneWasChosen(t *testing.T) {
	t.Setenv("LANGUAGE", "zh_CN")
	h := newHarness(t)
	if err := h.v.Restore(centertest.Ctx()); err != nil {
		t.Fatal(err)
	}
	if got := h.agent.Configuration().AgentPreferences.Locale; got != "zh_CN" {
		t.Fatalf("agent's language %q after Restore on a Chinese system, want zh_CN", got)
	}
	h.WaitUI("the picker showing it", func() bool { return h.v.language.Selected == LocaleName("zh_CN") })
	if got := h.prefs.String(KeyLocale); got != "" {
		t.Errorf("saved language %q: the system's was taken as a choice", got)
	}

	cfg := h.agent.Configuration()
	cfg.AgentPreferences.Locale = "de_DE"
	if err := h.agent.SetConfiguration(centertest.Ctx(), cfg); err != nil {
		t.Fatal(err)
	}
	if err := h.v.Restore(centertest.Ctx()); err != nil {
		t.Fatal(err)
	}
	if got := h.agent.Configuration().AgentPreferences.Locale; got != "de_DE" {
		t.Errorf("agent's chosen language became %q after Restore, want de_DE kept", got)
	}
}
