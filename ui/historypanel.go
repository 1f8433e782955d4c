package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/agentdesk/agentdesk/core/recent"
	"github.com/agentdesk/agentdesk/ui/history"
)

// historyPanel is the header's recent contacts button and the list it
// opens.
type historyPanel struct {
	button *widget.Button
	box    *fyne.Container
	rec    *recent.Recorder
	view   *history.View
}

func (p *historyPanel) build(m *Main) {
	p.rec = recent.New(m.client, 0)
	p.view = history.New(p.rec, history.Options{Do: func(f func()) { m.do(f) }})
	p.box = container.NewVBox(widget.NewSeparator(), p.view.Content())
	p.box.Hide()
	p.button = widget.NewButtonWithIcon("", theme.HistoryIcon(), p.toggle) // recent contacts
}

// toggle shows or hides the recent contacts.
func (p *historyPanel) toggle() {
	if p.box.Visible() {
		p.box.Hide()
		highlight(p.button, false)
		return
	}
	p.view.Reload()
	p.box.Show()
	highlight(p.button, true)
}

func (p *historyPanel) close() {
	p.view.Close()
	p.rec.Close()
}
