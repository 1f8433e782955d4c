package settings

import (
	"testing"

	"fyne.io/fyne/v2/theme"
)

// TestThemeChoiceAppliesAndIsSaved picks Dark, then Light, then System in
// the settings, and checks the app's colours and the saved choice; a new
// start (ApplyTheme) comes up in the saved theme.
func TestThemeChoiceAppliesAndIsSaved(t *testing.T) {
	h := newHarness(t)
	var v *View
	h.UI(func() {
		v = New(h.client, h.prefs, Options{Do: h.Do, Settings: h.app.Settings()})
		if v.theme == nil {
			t.Fatal("no theme picker")
		}
		if v.theme.Selected != "System" {
			t.Errorf("theme picker shows %q at first, want System", v.theme.Selected)
		}
	})
	t.Cleanup(v.Close)
	dark := theme.DefaultTheme().Color(theme.ColorNameBackground, theme.VariantDark)
	light := theme.DefaultTheme().Color(theme.ColorNameBackground, theme.VariantLight)
	for _, c := range []struct {
		label, saved string
		want         any
	}{{"Dark", ThemeDark, dark}, {"Light", ThemeLight, light}} {
		h.UI(func() { v.theme.SetSelected(c.label) })
		if got := h.prefs.String(KeyTheme); got != c.saved {
			t.Errorf("after %s the saved theme is %q, want %q", c.label, got, c.saved)
		}
		// Whatever the system's variant, the app now paints in the chosen one.
		for _, asked := range []bool{false, true} {
			variant := theme.VariantLight
			if asked {
				variant = theme.VariantDark
			}
			if got := h.app.Settings().Theme().Color(theme.ColorNameBackground, variant); got != c.want {
				t.Errorf("%s: background %v, want %v", c.label, got, c.want)
			}
		}
	}
	h.app.Settings().SetTheme(theme.DefaultTheme())
	ApplyTheme(h.app.Settings(), h.prefs)
	if got := h.app.Settings().Theme().Color(theme.ColorNameBackground, theme.VariantDark); got != light {
		t.Errorf("restarted with Light saved, background %v, want %v", got, light)
	}
	h.UI(func() { v.theme.SetSelected("System") })
	if got := h.app.Settings().Theme().Color(theme.ColorNameBackground, theme.VariantDark); got != dark {
		t.Errorf("System follows the system's variant: dark background %v, want %v", got, dark)
	}
}
