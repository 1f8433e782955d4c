package ui

import (
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/agentdesk/agentdesk/core"
)

// linkLabel is the header's connection indicator: how the link to the
// contact center is doing, so that an agent whose network drops knows why
// nothing rings.
func linkLabel() *widget.Label {
	l := widget.NewLabel("")
	l.TextStyle.Bold = true
	return l
}

// showLink puts status on the indicator.
func showLink(l *widget.Label, status core.ConnectionStatus) {
	text, imp := linkText(status)
	if l.Text == text && l.Importance == imp {
		return
	}
	l.Importance = imp
	l.SetText(text)
}

func linkText(status core.ConnectionStatus) (string, widget.Importance) {
	switch status {
	case core.ConnectionStatusConnected:
		return "● " + lang.L("Connected"), widget.SuccessImportance
	case core.ConnectionStatusConnecting:
		return "● " + lang.L("Connecting…"), widget.WarningImportance
	case core.ConnectionStatusDisconnected:
		return "● " + lang.L("Connection lost — reconnecting…"), widget.WarningImportance
	default:
		return "● " + lang.L("Disconnected: log in again"), widget.DangerImportance
	}
}
