// Package settings holds the agent's settings view: phone type, language,
// audio devices and the app's place on the desktop (start at login, close
// to the tray, Save logs…), kept in fyne.Preferences. It calls core, an
// optional audio engine through AudioControls and the desktop through
// DesktopControls; it does not import the audio packages.
package settings

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/nyaruka/phonenumbers"

	"github.com/agentdesk/agentdesk/core"
	"github.com/agentdesk/agentdesk/ui/dialpad"
	"github.com/agentdesk/agentdesk/ui/i18n"
	"github.com/agentdesk/agentdesk/ui/levelmeter"
)

// Preference keys.
const (
	KeyMicrophone        = "device.microphone"
	KeySpeaker           = "device.speaker"
	KeyRinger            = "device.ringer"
	KeyEchoCancellation  = "audio.echoCancellation"
	KeyLocale            = "locale"
	KeyTheme             = "theme"
	KeyPhoneSoftphone    = "phone.softphone"
	KeyPhoneExtension    = "phone.extension"
	KeyCloseToTray       = "desktop.closeToTray"
	actionTimeout        = 15 * time.Second
	defaultEchoCancelled = true
)

// AudioControls is the part of the softphone the settings drive beyond
// device choice, which goes through core.
type AudioControls interface {
	SetEchoCancellation(on bool)
	TestSpeaker(id string) error
	TestRinger(id string) error
	// InputLevel is the microphone level in dBFS (0 is full scale).
	InputLevel() float64
}

// DesktopControls are the settings of AgentDesk's place on the desktop.
type DesktopControls interface {
	// StartAtLogin reports whether the OS starts AgentDesk at login.
	StartAtLogin() (bool, error)
	SetStartAtLogin(on bool) error
	// HasTray reports whether there is a tray to close the window to.
	HasTray() bool
	// SaveLogs writes the log bundle, a zip, to w.
	SaveLogs(w io.Writer) error
	// LogsName is a file name for a bundle saved now.
	LogsName() string
}

func optionSoftphone() string { return lang.L("Softphone") }
func optionDeskphone() string { return lang.L("Deskphone") }
func noAudioMessage() string  { return lang.L("No audio engine: calls carry no sound") }

// Options tune a View.
type Options struct {
	// Do runs UI work from other goroutines; fyne.Do when nil.
	Do func(func())
	// Audio is the softphone's audio engine; nil when there is none.
	Audio AudioControls
	// Desktop is the app's place on the desktop; nil hides that section.
	Desktop DesktopControls
	// Settings are the app's settings, where the theme choice goes; the
	// theme picker is left out when nil.
	Settings fyne.Settings
}

// localeNames are core.Locales as an agent reads them, in the same order.
var localeNames = map[string]string{
	"en_US": "English (US)",
	"de_DE": "Deutsch",
	"es_ES": "Español",
	"fr_FR": "Français",
	"ja_JP": "日本語",
	"it_IT": "Italiano",
	"ko_KR": "한국어",
	"pt_BR": "Português (Brasil)",
	"zh_CN": "简体中文",
	"zh_TW": "繁體中文",
}

// LocaleName is how locale shows in the language picker.
func LocaleName(locale string) string {
	if n, ok := localeNames[locale]; ok {
		return n
	}
	return locale
}

// View is the settings panel.
type View struct {
	client *core.Client
	agent  *core.Agent
	prefs  fyne.Preferences
	audio  AudioControls
	desk   DesktopControls
	do     func(func())

	content fyne.CanvasObject

	phoneType    *widget.RadioGroup
	number       *widget.Entry
	numberHint   *widget.Label
	save         *widget.Button
	phoneProblem *widget.Label
	saving       bool

	language        *widget.Select
	languageProblem *widget.Label

	appSettings fyne.Settings
	theme       *widget.RadioGroup

	devices      []core.MediaDevice
	mic          *devicePicker
	speaker      *devicePicker
	ringer       *devicePicker
	testSpeaker  *widget.Button
	testRinger   *widget.Button
	level        *levelmeter.Meter
	echo         *widget.Check
	audioProblem *widget.Label
	noAudio      *widget.Label

	startAtLogin   *widget.Check
	closeToTray    *widget.Check
	saveLogs       *widget.Button
	desktopStatus  *widget.Label
	desktopProblem *widget.Label

	// seen is the center's configuration the widgets last showed, so that
	// refreshes leave the agent's unsaved edits alone.
	seen     core.Configuration
	updating bool
	unsubs   []func()
}

// devicePicker is a Select of devices of one kind.
type devicePicker struct {
	sel   *widget.Select
	ids   map[string]string // label → device ID
	label map[string]string // device ID → label
	// defaultID is the system default device, used while none is chosen.
	defaultID string
}

// New builds the settings view for a started client.
func New(client *core.Client, prefs fyne.Preferences, opts Options) *View {
	v := &View{client: client, prefs: prefs, audio: opts.Audio, desk: opts.Desktop, do: opts.Do, appSettings: opts.Settings}
	if v.do == nil {
		v.do = fyne.Do
	}
	agent, err := client.Agent()
	if err != nil {
		l := widget.NewLabel(i18n.Failed(lang.L("Settings need a logged-in agent"), err))
		l.Wrapping = fyne.TextWrapWord
		v.content = l
		return v
	}
	v.agent = agent
	v.seen = agent.Configuration()
	box := container.NewVBox(
		heading(lang.L("Phone")), v.buildPhone(),
		widget.NewSeparator(),
		heading(lang.L("Language")), v.buildLanguage(),
	)
	if v.appSettings != nil {
		box.Add(widget.NewSeparator())
		box.Add(heading(lang.L("Theme")))
		box.Add(v.buildTheme())
	}
	box.Add(widget.NewSeparator())
	box.Add(heading(lang.L("Audio")))
	box.Add(v.buildAudio())
	if v.desk != nil {
		box.Add(widget.NewSeparator())
		box.Add(heading(lang.L("Desktop")))
		box.Add(v.buildDesktop())
	}
	// The scroll bar draws over the content's right edge: keep the Test
	// buttons clear of it.
	v.content = container.NewVScroll(container.New(layout.NewCustomPaddedLayout(0, 0, 0, theme.ScrollBarSize()), box))
	v.subscribe()
	return v
}

// Content is the view's root object.
func (v *View) Content() fyne.CanvasObject { return v.content }

// Close stops following the agent's events.
func (v *View) Close() {
	for _, u := range v.unsubs {
		u()
	}
	v.unsubs = nil
}

func heading(s string) *widget.Label {
	return widget.NewLabelWithStyle(s, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
}

func problemLabel() *widget.Label {
	l := widget.NewLabel("")
	l.Importance = widget.DangerImportance
	l.Wrapping = fyne.TextWrapWord
	l.Hide()
	return l
}

func setProblem(l *widget.Label, text string) {
	l.SetText(text)
	if text == "" {
		l.Hide()
	} else {
		l.Show()
	}
}

// --- Phone ---

func (v *View) buildPhone() fyne.CanvasObject {
	v.phoneType = widget.NewRadioGroup([]string{optionSoftphone(), optionDeskphone()}, func(string) { v.phoneChanged() })
	v.phoneType.Horizontal = true
	v.phoneType.Required = true
	v.number = widget.NewEntry()
	v.number.SetPlaceHolder(lang.L("Deskphone number, e.g. +12025550123"))
	v.number.OnChanged = func(string) { v.phoneChanged() }
	v.numberHint = widget.NewLabel("")
	v.numberHint.Wrapping = fyne.TextWrapWord
	v.save = widget.NewButton(lang.L("Save"), v.savePhone)
	v.phoneProblem = problemLabel()
	v.showPhone(v.seen)
	return container.NewVBox(v.phoneType, v.number, v.numberHint, container.NewHBox(v.save), v.phoneProblem)
}

// showPhone puts the center's phone configuration in the widgets.
func (v *View) showPhone(cfg core.Configuration) {
	v.updating = true
	if cfg.SoftphoneEnabled {
		v.phoneType.SetSelected(optionSoftphone())
	} else {
		v.phoneType.SetSelected(optionDeskphone())
	}
	v.number.SetText(cfg.Extension)
	v.updating = false
	v.phoneChanged()
}

// allRegions lets a deskphone be in any country: it is the agent's own
// phone, not a number they dial.
var allRegions = func() []string {
	var out []string
	for r := range phonenumbers.GetSupportedRegions() {
		out = append(out, r)
	}
	return out
}()

// phoneChoice is what the phone widgets ask for; ok is false while the
// deskphone number is not valid.
func (v *View) phoneChoice() (softphone bool, ext string, ok bool) {
	if v.phoneType.Selected != optionDeskphone() {
		return true, v.seen.Extension, true
	}
	chk := dialpad.CheckNumber(v.number.Text, "", allRegions)
	return false, chk.E164, chk.Valid
}

func (v *View) phoneChanged() {
	if v.updating {
		return
	}
	deskphone := v.phoneType.Selected == optionDeskphone()
	if deskphone {
		v.number.Enable()
	} else {
		v.number.Disable()
	}
	hint := ""
	if deskphone {
		chk := dialpad.CheckNumber(v.number.Text, "", allRegions)
		switch {
		case chk.Valid:
			hint = chk.Formatted
		case chk.Problem != "":
			hint = lang.L("Not a usable number: {{.Problem}}", map[string]any{"Problem": chk.Problem})
		default:
			hint = lang.L("Type the deskphone's number with + and the country code.")
		}
	}
	v.numberHint.SetText(hint)
	if hint == "" {
		v.numberHint.Hide()
	} else {
		v.numberHint.Show()
	}
	soft, ext, ok := v.phoneChoice()
	changed := soft != v.seen.SoftphoneEnabled || (!soft && ext != v.seen.Extension)
	if ok && changed && !v.saving {
		v.save.Enable()
	} else {
		v.save.Disable()
	}
}

func (v *View) savePhone() {
	soft, ext, ok := v.phoneChoice()
	if !ok || v.saving {
		return
	}
	v.saving = true
	v.save.Disable()
	cfg := v.agent.Configuration()
	cfg.SoftphoneEnabled, cfg.Extension = soft, ext
	v.act(func(ctx context.Context) error { return v.agent.SetConfiguration(ctx, cfg) }, func(err error) {
		v.saving = false
		if err != nil {
			setProblem(v.phoneProblem, i18n.Failed(lang.L("The phone setting was not saved"), err))
		} else {
			setProblem(v.phoneProblem, "")
			v.prefs.SetBool(KeyPhoneSoftphone, soft)
			v.prefs.SetString(KeyPhoneExtension, ext)
		}
		v.refresh()
	})
}

// --- Language ---

func (v *View) buildLanguage() fyne.CanvasObject {
	names := make([]string, len(core.Locales))
	for i, l := range core.Locales {
		names[i] = LocaleName(l)
	}
	v.language = widget.NewSelect(names, v.chooseLanguage)
	v.languageProblem = problemLabel()
	v.showLanguage(v.seen)
	return container.NewVBox(v.language, v.languageProblem)
}

func (v *View) showLanguage(cfg core.Configuration) {
	v.updating = true
	if l := cfg.AgentPreferences.Locale; l != "" {
		v.language.SetSelected(LocaleName(l))
	} else {
		v.language.ClearSelected()
	}
	v.updating = false
}

func (v *View) chooseLanguage(name string) {
	if v.updating || name == "" {
		return
	}
	locale := ""
	for _, l := range core.Locales {
		if LocaleName(l) == name {
			locale = l
		}
	}
	if locale == "" || locale == v.agent.Configuration().AgentPreferences.Locale {
		return
	}
	cfg := v.agent.Configuration()
	cfg.AgentPreferences.Locale = locale
	v.act(func(ctx context.Context) error { return v.agent.SetConfiguration(ctx, cfg) }, func(err error) {
		if err != nil {
			setProblem(v.languageProblem, i18n.Failed(lang.L("The language was not changed"), err))
			// Show the language the center kept.
			v.showLanguage(v.agent.Configuration())
			return
		}
		setProblem(v.languageProblem, "")
		v.prefs.SetString(KeyLocale, locale)
		v.refresh()
	})
}

// --- Theme ---

func (v *View) buildTheme() fyne.CanvasObject {
	labels := make([]string, len(Themes))
	for i, t := range Themes {
		labels[i] = ThemeLabel(t)
	}
	v.theme = widget.NewRadioGroup(labels, nil)
	v.theme.Horizontal = true
	v.theme.Required = true
	v.theme.SetSelected(ThemeLabel(v.prefs.StringWithFallback(KeyTheme, ThemeSystem)))
	v.theme.OnChanged = func(label string) {
		for _, t := range Themes {
			if ThemeLabel(t) == label {
				v.prefs.SetString(KeyTheme, t)
				ApplyTheme(v.appSettings, v.prefs)
			}
		}
	}
	return v.theme
}

// --- Audio ---

func (v *View) buildAudio() fyne.CanvasObject {
	devices, err := v.client.MediaDevices()
	if v.audio == nil || errors.Is(err, core.ErrNoMedia) {
		v.noAudio = widget.NewLabel(noAudioMessage())
		v.noAudio.Wrapping = fyne.TextWrapWord
		return v.noAudio
	}
	v.devices = devices
	v.audioProblem = problemLabel()
	if err != nil {
		setProblem(v.audioProblem, i18n.Failed(lang.L("Could not list the audio devices"), err))
	}
	v.mic = v.newPicker(core.MediaKindInput, KeyMicrophone, v.agent.SetMicrophoneDevice)
	v.speaker = v.newPicker(core.MediaKindOutput, KeySpeaker, v.agent.SetSpeakerDevice)
	v.ringer = v.newPicker(core.MediaKindOutput, KeyRinger, v.agent.SetRingerDevice)
	v.testSpeaker = widget.NewButton(lang.L("Test"), func() { v.test(v.speaker, v.audio.TestSpeaker) })
	v.testRinger = widget.NewButton(lang.L("Test"), func() { v.test(v.ringer, v.audio.TestRinger) })
	v.level = levelmeter.New()
	v.echo = widget.NewCheck(lang.L("Echo cancellation"), nil)
	v.echo.SetChecked(v.prefs.BoolWithFallback(KeyEchoCancellation, defaultEchoCancelled))
	v.echo.OnChanged = v.setEcho
	form := widget.NewForm(
		widget.NewFormItem(lang.L("Microphone"), v.mic.sel),
		widget.NewFormItem(lang.L("Level"), v.level),
		widget.NewFormItem(lang.L("Speaker"), container.NewBorder(nil, nil, nil, v.testSpeaker, v.speaker.sel)),
		widget.NewFormItem(lang.L("Ringer"), container.NewBorder(nil, nil, nil, v.testRinger, v.ringer.sel)),
	)
	return container.NewVBox(form, v.echo, v.audioProblem)
}

func (v *View) newPicker(kind, key string, set func(id string) error) *devicePicker {
	p := &devicePicker{ids: map[string]string{}, label: map[string]string{}}
	var options []string
	for _, d := range v.devices {
		if d.Kind != kind {
			continue
		}
		label := d.Name
		if label == "" {
			label = d.ID
		}
		if d.IsDefault {
			label += " (" + lang.L("default") + ")"
			p.defaultID = d.ID
		}
		if _, dup := p.ids[label]; dup {
			label += " [" + d.ID + "]"
		}
		p.ids[label] = d.ID
		p.label[d.ID] = label
		options = append(options, label)
	}
	p.sel = widget.NewSelect(options, func(label string) {
		if v.updating || label == "" {
			return
		}
		id := p.ids[label]
		v.act(func(context.Context) error { return set(id) }, func(err error) {
			if err != nil {
				setProblem(v.audioProblem, i18n.Failed(lang.L("The device was not changed"), err))
				return
			}
			setProblem(v.audioProblem, "")
			v.prefs.SetString(key, id)
		})
	})
	p.sel.PlaceHolder = "(" + lang.L("system default") + ")"
	if id := v.prefs.String(key); p.label[id] != "" {
		v.updating = true
		p.sel.SetSelected(p.label[id])
		v.updating = false
	}
	return p
}

// show selects id without asking the engine again.
func (v *View) show(p *devicePicker, id string) {
	if p == nil || p.label[id] == "" {
		return
	}
	v.updating = true
	p.sel.SetSelected(p.label[id])
	v.updating = false
}

func (v *View) test(p *devicePicker, play func(id string) error) {
	id, ok := p.ids[p.sel.Selected]
	if !ok {
		id = p.defaultID
	}
	v.act(func(context.Context) error { return play(id) }, func(err error) {
		if err != nil {
			setProblem(v.audioProblem, i18n.Failed(lang.L("The test sound did not play"), err))
		} else {
			setProblem(v.audioProblem, "")
		}
	})
}

func (v *View) setEcho(on bool) {
	v.audio.SetEchoCancellation(on)
	v.prefs.SetBool(KeyEchoCancellation, on)
}

// Tick shows the microphone level; the window calls it about every 100 ms
// on the UI thread.
func (v *View) Tick() {
	if v.level == nil || v.audio == nil {
		return
	}
	dbfs := v.audio.InputLevel()
	if math.IsNaN(dbfs) {
		dbfs = levelmeter.MinLevel
	}
	v.level.Fall(dbfs, levelTick)
}

// levelTick is how often the window calls Tick.
const levelTick = 100 * time.Millisecond

// --- Start-up ---

// Restore applies the stored device choices that still exist and the echo
// setting to the engine, and re-applies the stored phone type and language
// where they differ from the center's. Call it once at start-up, off the UI
// thread.
func (v *View) Restore(ctx context.Context) error {
	if v.agent == nil {
		return core.ErrNotInitialized
	}
	var errs []error
	if v.audio != nil {
		v.audio.SetEchoCancellation(v.prefs.BoolWithFallback(KeyEchoCancellation, defaultEchoCancelled))
	}
	devices, err := v.client.MediaDevices()
	if err != nil && !errors.Is(err, core.ErrNoMedia) {
		errs = append(errs, fmt.Errorf("list audio devices: %w", err))
	}
	for _, d := range []struct {
		key, kind string
		set       func(string) error
	}{
		{KeyMicrophone, core.MediaKindInput, v.agent.SetMicrophoneDevice},
		{KeySpeaker, core.MediaKindOutput, v.agent.SetSpeakerDevice},
		{KeyRinger, core.MediaKindOutput, v.agent.SetRingerDevice},
	} {
		id := v.prefs.String(d.key)
		if id == "" || !hasDevice(devices, id, d.kind) {
			continue
		}
		if err := d.set(id); err != nil {
			errs = append(errs, err)
		}
	}

	cfg := v.agent.Configuration()
	want, change := cfg, false
	if soft, ok := storedBool(v.prefs, KeyPhoneSoftphone); ok {
		ext := v.prefs.String(KeyPhoneExtension)
		if soft != cfg.SoftphoneEnabled || (!soft && ext != cfg.Extension) {
			want.SoftphoneEnabled, change = soft, true
			if !soft {
				want.Extension = ext
			}
		}
	}
	l := v.prefs.String(KeyLocale)
	if !core.ValidLocale(l) && cfg.AgentPreferences.Locale == core.DefaultLocale {
		// Nobody chose a language: the window is in the system's, and the
		// agent's setting (what the language picker shows) follows it. It
		// is not saved, so the system's language rules until the agent
		// picks one.
		l = i18n.SystemLocale(core.Locales)
	}
	if core.ValidLocale(l) && l != cfg.AgentPreferences.Locale {
		want.AgentPreferences.Locale, change = l, true
	}
	if change {
		if err := v.agent.SetConfiguration(ctx, want); err != nil {
			errs = append(errs, fmt.Errorf("re-apply stored phone and language: %w", err))
		}
	}
	v.do(v.refresh)
	return errors.Join(errs...)
}

func hasDevice(devices []core.MediaDevice, id, kind string) bool {
	for _, d := range devices {
		if d.ID == id && d.Kind == kind {
			return true
		}
	}
	return false
}

// storedBool reads a bool preference and whether it was ever stored.
func storedBool(p fyne.Preferences, key string) (value, ok bool) {
	t, f := p.BoolWithFallback(key, true), p.BoolWithFallback(key, false)
	return t, t == f
}

// --- Events ---

func (v *View) subscribe() {
	a := v.agent
	v.unsubs = append(v.unsubs,
		a.OnRefresh(func(*core.Agent) { v.do(v.refresh) }),
		a.OnMicrophoneDeviceChanged(func(id string) { v.do(func() { v.show(v.mic, id) }) }),
		a.OnSpeakerDeviceChanged(func(id string) { v.do(func() { v.show(v.speaker, id) }) }),
		a.OnRingerDeviceChanged(func(id string) { v.do(func() { v.show(v.ringer, id) }) }),
	)
}

// refresh follows changes of the center's configuration; unchanged parts
// keep what the agent is editing.
func (v *View) refresh() {
	cfg := v.agent.Configuration()
	old := v.seen
	v.seen = cfg
	if cfg.SoftphoneEnabled != old.SoftphoneEnabled || cfg.Extension != old.Extension {
		v.showPhone(cfg)
	} else {
		v.phoneChanged()
	}
	if cfg.AgentPreferences.Locale != old.AgentPreferences.Locale {
		v.showLanguage(cfg)
	}
}

// act runs a core call off the UI thread, then done with its error on the
// UI thread.
func (v *View) act(fn func(ctx context.Context) error, done func(error)) {
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), actionTimeout)
		defer cancel()
		err := fn(ctx)
		v.do(func() { done(err) })
	}()
}
