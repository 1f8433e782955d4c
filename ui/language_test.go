package ui

import (
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/agentdesk/agentdesk/core"
	"github.com/agentdesk/agentdesk/core/center"
	"github.com/agentdesk/agentdesk/core/centertest"
	"github.com/agentdesk/agentdesk/ui/i18n"
	"github.com/agentdesk/agentdesk/ui/settings"
	"github.com/agentdesk/agentdesk/ui/uitest"
)

// objectsOf walks o and everything in it, widgets included.
func objectsOf(o fyne.CanvasObject, visit func(fyne.CanvasObject)) {
	if o == nil || !o.Visible() {
		return
	}
	visit(o)
	switch x := o.(type) {
	case *fyne.Container:
		for _, c := range x.Objects {
			objectsOf(c, visit)
		}
	case *container.Scroll:
		objectsOf(x.Content, visit)
	case fyne.Widget:
		for _, c := range test.WidgetRenderer(x).Objects() {
			objectsOf(c, visit)
		}
	}
}

// resetLanguage goes back to English after the test.
func resetLanguage(t *testing.T) {
	t.Cleanup(func() { _ = i18n.Apply("en_US") })
}

// TestPickingGermanTranslatesTheWindow picks Deutsch in the settings
// window, as an agent would, and reads the main window in German; the
// center's language setting follows, and so does the saved preference.
func TestPickingGermanTranslatesTheWindow(t *testing.T) {
	resetLanguage(t)
	h := newHarness(t, "alice")
	h.UI(func() { h.m.ShowSettings() })
	var lang *widget.Select
	h.UI(func() {
		objectsOf(h.m.settings.Content(), func(o fyne.CanvasObject) {
			if s, ok := o.(*widget.Select); ok && slices.Contains(s.Options, "Deutsch") {
				lang = s
			}
		})
		if lang == nil {
			t.Fatal("no language picker in settings")
		}
		lang.SetSelected("Deutsch")
	})
	if !centertest.Eventually(func() bool { return h.env.Agent.Configuration().AgentPreferences.Locale == "de_DE" }) {
		t.Fatalf("center's language %q after picking Deutsch", h.env.Agent.Configuration().AgentPreferences.Locale)
	}
	h.WaitUI("German labels", func() bool {
		return h.m.dial.Text == "Wählen" && slices.Contains(h.m.states.Options, "Verfügbar")
	})
	h.UI(func() {
		if want := "Keine Kontakte. Setzen Sie sich auf Verfügbar, um Anrufe, Chats und Aufgaben anzunehmen."; h.m.empty.Text != want {
			t.Errorf("empty window says %q, want %q", h.m.empty.Text, want)
		}
		if h.m.settings == nil || h.m.settings.Title() != "AgentDesk — Einstellungen" {
			t.Errorf("settings window not translated: %v", h.m.settings)
		}
		if got := h.m.app.Preferences().String(settings.KeyLocale); got != "de_DE" {
			t.Errorf("saved language %q, want de_DE", got)
		}
		// The translated state list still sets the state.
		h.m.states.SetSelected("Verfügbar")
	})
	if !centertest.Eventually(func() bool { return h.env.Agent.State().Name == "Available" }) {
		t.Fatalf("agent %q after picking Verfügbar", h.env.Agent.State().Name)
	}
	ringingCall(t, h)
	h.WaitUI("German buttons on the card", func() bool { k := h.card(); return k.accept.Text == "Annehmen" && k.reject.Text == "Ablehnen" })
}

// TestSavedLanguageAppliesAtStart: a window opened with de_DE saved is
// German from the start.
func TestSavedLanguageAppliesAtStart(t *testing.T) {
	resetLanguage(t)
	env := centertest.New(t, nil, "alice")
	app := test.NewTempApp(t)
	app.Preferences().SetString(settings.KeyLocale, "ja_JP")
	var m *Main
	th := uitest.NewThread(t)
	th.UI(func() {
		var err error
		if m, err = NewMain(app, env.Client); err != nil {
			t.Fatal(err)
		}
		m.do = th.Do
		if m.dial.Text != "ダイヤル" {
			t.Errorf("dial button %q with Japanese saved, want ダイヤル", m.dial.Text)
		}
	})
}

// BenchmarkSwitchLanguage measures what picking a language costs on the
// UI thread: loading the translations and rebuilding the window.
func BenchmarkSwitchLanguage(b *testing.B) {
	b.Cleanup(func() { _ = i18n.Apply("en_US") })
	env := centertest.New(b, nil, "alice")
	app := test.NewTempApp(b)
	th := uitest.NewThread(b)
	var m *Main
	th.UI(func() {
		var err error
		if m, err = NewMain(app, env.Client); err != nil {
			b.Fatal(err)
		}
		m.do = th.Do
	})
	locales := []string{"de_DE", "en_US"}
	i := 0
	for b.Loop() {
		th.UI(func() {
			if err := i18n.Apply(locales[i%2]); err != nil {
				b.Fatal(err)
			}
			m.rebuild()
		})
		i++
	}
}

// TestRefusalShowsInTheAgentsLanguage: an agent working in German who
// clears a contact that has already gone reads why in German, in place,
// without the center's error type or the contact's ID.
func TestRefusalShowsInTheAgentsLanguage(t *testing.T) {
	resetLanguage(t)
	h := newHarness(t, "alice")
	cfg := h.env.Agent.Configuration()
	cfg.AgentPreferences.Locale = "de_DE"
	if err := h.env.Agent.SetConfiguration(centertest.Ctx(), cfg); err != nil {
		t.Fatal(err)
	}
	h.WaitUI("German labels", func() bool { return h.m.dial.Text == "Wählen" })
	if err := h.env.Agent.SetState(centertest.Ctx(), h.env.State("Available")); err != nil {
		t.Fatal(err)
	}
	id := h.env.Arrive(center.Arrival{Queue: "Support", Type: core.ContactTypeVoice, Name: "Ken", Number: "+12025550123"})
	h.WaitUI("Ablehnen", func() bool { c := h.card(); return c != nil && visible(c.buttons, c.reject) })
	h.UI(func() { test.Tap(h.card().reject) })
	var c *contactCard
	h.WaitUI("Clear on the missed contact", func() bool { c = h.card(); return c != nil && visible(c.buttons, c.clear) })
	if err := h.env.Center.HangUp(id); err != nil { // the caller gives up: clearing does not bring the call back
		t.Fatal(err)
	}
	h.UI(func() { test.Tap(c.clear) })
	h.WaitUI("the card to go", func() bool { return h.card() == nil })
	h.UI(func() { test.Tap(c.clear) })
	h.WaitUI("the refusal in German", func() bool { return strings.HasPrefix(h.m.problem.Text, "Kontakt ") })
	h.UI(func() {
		want := "gehört nicht zu Ihren Kontakten (er wurde vielleicht beendet und abgeschlossen)."
		if got := h.m.problem.Text; !strings.HasSuffix(got, want) || strings.Contains(got, "Exception") || !h.m.problem.Visible() {
			t.Errorf("the refusal reads %q, want a visible German sentence ending %q", got, want)
		}
	})
}

// TestProfileLanguageAppliesWhenNothingIsSaved: an agent who chose Deutsch
// on another machine (the center keeps it) logs in on a new one: the
// window is German from the start, as the language picker says.
func TestProfileLanguageAppliesWhenNothingIsSaved(t *testing.T) {
	resetLanguage(t)
	env := centertest.New(t, nil, "alice")
	cfg := env.Agent.Configuration()
	cfg.AgentPreferences.Locale = "de_DE"
	if err := env.Agent.SetConfiguration(centertest.Ctx(), cfg); err != nil {
		t.Fatal(err)
	}
	app := test.NewTempApp(t)
	th := uitest.NewThread(t)
	th.UI(func() {
		m, err := NewMain(app, env.Client)
		if err != nil {
			t.Fatal(err)
		}
		m.do = th.Do
		if m.dial.Text != "Wählen" {
			t.Errorf("dial button %q for an agent whose profile says Deutsch, want Wählen", m.dial.Text)
		}
	})
}
