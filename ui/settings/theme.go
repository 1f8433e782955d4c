package settings

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
)

// Theme choices, as stored under KeyTheme.
const (
	ThemeSystem = "system"
	ThemeLight  = "light"
	ThemeDark   = "dark"
)

// Themes are the theme choices in the order the picker shows them.
var Themes = []string{ThemeSystem, ThemeLight, ThemeDark}

// ThemeLabel is how a theme choice shows in the picker.
func ThemeLabel(choice string) string {
	switch choice {
	case ThemeLight:
		return lang.L("Light")
	case ThemeDark:
		return lang.L("Dark")
	}
	return lang.L("System")
}

// variantTheme is Fyne's default theme held to one variant.
type variantTheme struct {
	fyne.Theme
	variant fyne.ThemeVariant
}

func (t variantTheme) Color(n fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	return t.Theme.Color(n, t.variant)
}

// ThemeFor is the theme for a choice: the default theme following the
// system for ThemeSystem (and anything unknown), held light or dark
// otherwise.
func ThemeFor(choice string) fyne.Theme {
	switch choice {
	case ThemeLight:
		return variantTheme{Theme: theme.DefaultTheme(), variant: theme.VariantLight}
	case ThemeDark:
		return variantTheme{Theme: theme.DefaultTheme(), variant: theme.VariantDark}
	}
	return theme.DefaultTheme()
}

// ApplyTheme sets the app's theme from the stored choice.
func ApplyTheme(s fyne.Settings, prefs fyne.Preferences) {
	s.SetTheme(ThemeFor(prefs.StringWithFallback(KeyTheme, ThemeSystem)))
}
