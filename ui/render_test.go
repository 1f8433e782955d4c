package ui

import (
	"flag"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/agentdesk/agentdesk/core"
	"github.com/agentdesk/agentdesk/core/center"
	"github.com/agentdesk/agentdesk/core/centertest"
	"github.com/agentdesk/agentdesk/ui/i18n"
	"github.com/agentdesk/agentdesk/ui/settings"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/ from what the views render now")

// assertRenders compares the canvas with testdata/name (Fyne's markup of
// every object, its position, size, text and theme colour). With -update
// it writes the file instead.
func assertRenders(t *testing.T, name string, c fyne.Canvas) {
	t.Helper()
	if *update {
		path := filepath.Join("testdata", name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(test.RenderToMarkup(c)), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	test.AssertRendersToMarkup(t, name, c)
}

// assertLooks compares the canvas's pixels with testdata/name (a PNG), so
// that the light and dark themes are checked as painted; -update rewrites.
func assertLooks(t *testing.T, name string, c fyne.Canvas) {
	t.Helper()
	if *update {
		path := filepath.Join("testdata", name)
		f, err := os.Create(path)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if err := png.Encode(f, c.Capture()); err != nil {
			t.Fatal(err)
		}
		return
	}
	test.AssertImageMatches(t, name, c.Capture())
}

// TestViewsRenderAsBefore renders the main views in the light and dark
// themes and compares them with the golden files: main window idle, with a
// ringing call, on a call, with the dial pad open, and settings.
func TestViewsRenderAsBefore(t *testing.T) {
	for _, variant := range []string{settings.ThemeLight, settings.ThemeDark} {
		t.Run(variant, func(t *testing.T) {
			resetLanguage(t)
			if err := i18n.Apply("en_US"); err != nil {
				t.Fatal(err)
			}
			h := newHarnessWith(t, "alice", func(app fyne.App) {
				app.Preferences().SetString(settings.KeyTheme, variant)
			})
			size := fyne.NewSize(420, 600)
			render := func(name string) {
				t.Helper()
				h.UI(func() {
					h.m.win.Resize(size.AddWidthHeight(10, 10))
					h.m.win.Resize(size)
					assertRenders(t, variant+"/"+name+".xml", h.m.win.Canvas())
					assertLooks(t, variant+"/"+name+".png", h.m.win.Canvas())
				})
			}
			render("main_idle")

			h.UI(h.m.toggleDialPad)
			render("dialpad")
			h.UI(h.m.toggleDialPad)

			if err := h.env.Agent.SetState(centertest.Ctx(), h.env.State("Available")); err != nil {
				t.Fatal(err)
			}
			h.env.Arrive(center.Arrival{Queue: "Support", Type: core.ContactTypeVoice, Name: "Maria Garcia", Number: "+12025550123",
				Attributes: map[string]string{"Tier": "Gold"}})
			// The card and the header follow separate events: wait for both.
			// A system state shows as the selector's placeholder.
			shown := func() string {
				if h.m.states.Selected != "" {
					return h.m.states.Selected
				}
				return h.m.states.PlaceHolder
			}
			h.WaitUI("a ringing card under the state Incoming contact", func() bool {
				k := h.card()
				return k != nil && visible(k.buttons, k.accept) && shown() == "Incoming contact"
			})
			render("ringing")

			h.UI(func() { test.Tap(h.card().accept) })
			h.WaitUI("call controls under Busy, On contact", func() bool {
				k := h.card()
				return visible(k.buttons, k.hold) && shown() == "Busy" && h.m.status.Text == "On contact"
			})
			render("on_call")

			h.UI(func() {
				h.m.ShowSettings()
				w := h.m.settings
				w.Resize(size.AddWidthHeight(10, 10))
				w.Resize(size)
				assertRenders(t, variant+"/settings.xml", w.Canvas())
				assertLooks(t, variant+"/settings.png", w.Canvas())
				w.Close()
			})
		})
	}
}
