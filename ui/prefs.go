package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/agentdesk/agentdesk/core"
	"github.com/agentdesk/agentdesk/ui/i18n"
	"github.com/agentdesk/agentdesk/ui/settings"
)

// startLanguageAndTheme applies the saved language and theme before the
// window is built, so it opens in them; RestoreSettings later brings the
// center's language setting in step.
func startLanguageAndTheme(app fyne.App) {
	prefs := app.Preferences()
	if l := prefs.String(settings.KeyLocale); core.ValidLocale(l) {
		_ = i18n.Apply(l) // only fails for a malformed locale, which ValidLocale rules out
	} else {
		_ = i18n.Load()
	}
	settings.ApplyTheme(app.Settings(), prefs)
}

// profileLanguage applies the language the agent's profile names, before
// the window is built, when nothing was chosen on this machine and the
// profile's is not the default: the agent chose it elsewhere, or the
// center set it. (With the default, the window keeps the system's
// language, and RestoreSettings makes the profile follow.)
func (m *Main) profileLanguage() {
	saved := m.app.Preferences().String(settings.KeyLocale)
	if core.ValidLocale(saved) || m.locale == core.DefaultLocale || !core.ValidLocale(m.locale) || i18n.Current() == m.locale {
		return
	}
	_ = i18n.Apply(m.locale) // only fails for a malformed locale, which ValidLocale rules out
}

// followLocale switches the window to the center's language setting when
// it changed since the window last looked (the agent picked a language in
// settings, or RestoreSettings re-applied the saved one), and reports
// whether it rebuilt the window.
func (m *Main) followLocale() bool {
	l := m.agent.Configuration().AgentPreferences.Locale
	if l == m.locale || !core.ValidLocale(l) {
		return false
	}
	m.locale = l
	if i18n.Current() == l {
		return false
	}
	if err := i18n.Apply(l); err != nil {
		m.showProblem(err.Error())
		return false
	}
	m.rebuild()
	if m.settings != nil {
		m.fillSettings()
	}
	return true
}

// cardBackground is a contact card's rounded background; it takes the
// theme's colour again whenever the theme changes.
type cardBackground struct {
	widget.BaseWidget
}

func newCardBackground() *cardBackground {
	b := &cardBackground{}
	b.ExtendBaseWidget(b)
	return b
}

func (b *cardBackground) CreateRenderer() fyne.WidgetRenderer {
	r := &cardBackgroundRenderer{rect: canvas.NewRectangle(nil)}
	r.Refresh()
	return r
}

type cardBackgroundRenderer struct{ rect *canvas.Rectangle }

func (r *cardBackgroundRenderer) Layout(s fyne.Size)           { r.rect.Resize(s) }
func (r *cardBackgroundRenderer) MinSize() fyne.Size           { return fyne.Size{} }
func (r *cardBackgroundRenderer) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{r.rect} }
func (r *cardBackgroundRenderer) Destroy()                     {}
func (r *cardBackgroundRenderer) Refresh() {
	r.rect.FillColor = theme.Color(theme.ColorNameInputBackground)
	r.rect.CornerRadius = theme.InputRadiusSize()
	r.rect.Refresh()
}
