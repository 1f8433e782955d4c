package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/agentdesk/agentdesk/core"
)

// linkIndicator is the header's connection indicator: a dot and a few words
// in the colour of how the link to the contact center is doing, so that an
// agent whose network drops knows why nothing rings. The dot is drawn, not
// a "●" in the text: the theme's fonts have no such glyph, so Fyne went to
// the emoji and system fonts for it (and loaded them) on every start.
type linkIndicator struct {
	dot   *canvas.Circle
	label *widget.Label
}

func newLinkIndicator() *linkIndicator {
	l := widget.NewLabel("")
	l.TextStyle.Bold = true
	return &linkIndicator{dot: canvas.NewCircle(theme.Color(theme.ColorNameSuccess)), label: l}
}

// content is the dot, centred on the text's line, and the text.
func (li *linkIndicator) content() fyne.CanvasObject {
	return container.NewHBox(container.NewCenter(container.NewGridWrap(fyne.NewSize(10, 10), li.dot)), li.label)
}

// show puts status on the indicator.
func (li *linkIndicator) show(status core.ConnectionStatus) {
	text, imp := linkText(status)
	if li.label.Text == text && li.label.Importance == imp {
		return
	}
	li.label.Importance = imp
	li.label.SetText(text)
	// The success, warning and error colours are the same in the light and
	// dark themes, so the dot need not follow a change of theme.
	li.dot.FillColor = theme.Color(importanceColor(imp))
	li.dot.Refresh()
}

func importanceColor(imp widget.Importance) fyne.ThemeColorName {
	switch imp {
	case widget.SuccessImportance:
		return theme.ColorNameSuccess
	case widget.WarningImportance:
		return theme.ColorNameWarning
	default:
		return theme.ColorNameError
	}
}

func linkText(status core.ConnectionStatus) (string, widget.Importance) {
	switch status {
	case core.ConnectionStatusConnected:
		// Its own key: in Japanese and Chinese a connected call and a connected
		// link are different words.
		return lang.X("link.connected", "Connected"), widget.SuccessImportance
	case core.ConnectionStatusConnecting:
		return lang.L("Connecting…"), widget.WarningImportance
	case core.ConnectionStatusDisconnected:
		return lang.L("Connection lost — reconnecting…"), widget.WarningImportance
	default:
		return lang.L("Disconnected: log in again"), widget.DangerImportance
	}
}
