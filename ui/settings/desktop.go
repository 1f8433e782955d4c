package settings

import (
	"context"
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/agentdesk/agentdesk/ui/i18n"
)

// CloseToTray reports whether closing the window should hide it in the
// tray, as the agent chose.
func CloseToTray(p fyne.Preferences) bool { return p.Bool(KeyCloseToTray) }

// Values are the stored settings by key, for a log bundle.
func Values(p fyne.Preferences) map[string]any {
	out := map[string]any{}
	for _, k := range []string{KeyMicrophone, KeySpeaker, KeyRinger, KeyLocale, KeyPhoneExtension} {
		if s := p.String(k); s != "" {
			out[k] = s
		}
	}
	for _, k := range []string{KeyEchoCancellation, KeyPhoneSoftphone, KeyCloseToTray} {
		if b, ok := storedBool(p, k); ok {
			out[k] = b
		}
	}
	return out
}

func (v *View) buildDesktop() fyne.CanvasObject {
	v.desktopProblem = problemLabel()
	v.desktopStatus = widget.NewLabel("")
	v.desktopStatus.Wrapping = fyne.TextWrapWord
	v.desktopStatus.Hide()

	v.startAtLogin = widget.NewCheck(lang.L("Start AgentDesk when I log in"), nil)
	if on, err := v.desk.StartAtLogin(); err != nil {
		setProblem(v.desktopProblem, i18n.Failed(lang.L("Could not read the start-at-login setting"), err))
	} else {
		v.startAtLogin.SetChecked(on)
	}
	v.startAtLogin.OnChanged = v.setStartAtLogin

	v.closeToTray = widget.NewCheck(lang.L("Keep running in the tray when the window is closed"), nil)
	v.closeToTray.SetChecked(CloseToTray(v.prefs))
	v.closeToTray.OnChanged = func(on bool) { v.prefs.SetBool(KeyCloseToTray, on) }
	items := []fyne.CanvasObject{v.startAtLogin, v.closeToTray}
	if !v.desk.HasTray() {
		v.closeToTray.Disable()
		hint := widget.NewLabel(lang.L("There is no system tray on this desktop, so closing the window quits."))
		hint.Wrapping = fyne.TextWrapWord
		items = append(items, hint)
	}

	v.saveLogs = widget.NewButton(lang.L("Save logs…"), v.chooseLogsFile)
	items = append(items, container.NewHBox(v.saveLogs), v.desktopStatus, v.desktopProblem)
	return container.NewVBox(items...)
}

func (v *View) setStartAtLogin(on bool) {
	if v.updating {
		return
	}
	v.startAtLogin.Disable()
	v.act(func(context.Context) error { return v.desk.SetStartAtLogin(on) }, func(err error) {
		v.startAtLogin.Enable()
		if err != nil {
			setProblem(v.desktopProblem, i18n.Failed(lang.L("Start at login was not changed"), err))
			v.updating = true
			v.startAtLogin.SetChecked(!on)
			v.updating = false
			return
		}
		setProblem(v.desktopProblem, "")
	})
}

// chooseLogsFile asks where to save the log bundle.
func (v *View) chooseLogsFile() {
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil {
			setProblem(v.desktopProblem, i18n.Failed(lang.L("The logs were not saved"), err))
			return
		}
		if w != nil { // nil when cancelled
			v.SaveLogsTo(w)
		}
	}, v.window())
	d.SetFileName(v.desk.LogsName())
	d.Show()
}

// SaveLogsTo writes the log bundle to w off the UI thread, closes it and
// says where it went.
func (v *View) SaveLogsTo(w fyne.URIWriteCloser) {
	v.saveLogs.Disable()
	setProblem(v.desktopProblem, "")
	v.desktopStatus.SetText(lang.L("Saving logs…"))
	v.desktopStatus.Show()
	v.act(func(context.Context) error {
		err := v.desk.SaveLogs(w)
		if cerr := w.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("close the file: %w", cerr)
		}
		return err
	}, func(err error) {
		v.saveLogs.Enable()
		if err != nil {
			v.desktopStatus.Hide()
			setProblem(v.desktopProblem, i18n.Failed(lang.L("The logs were not saved"), err))
			return
		}
		v.desktopStatus.SetText(lang.L("Logs saved to {{.Path}}", map[string]any{"Path": w.URI().Path()}))
	})
}

// window is the window showing the view, for its dialogs.
func (v *View) window() fyne.Window {
	d := fyne.CurrentApp().Driver()
	c := d.CanvasForObject(v.content)
	for _, w := range d.AllWindows() {
		if w.Canvas() == c {
			return w
		}
	}
	if ws := d.AllWindows(); len(ws) > 0 {
		return ws[0]
	}
	return nil
}
