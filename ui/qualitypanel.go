package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"

	"github.com/agentdesk/agentdesk/core"
	"github.com/agentdesk/agentdesk/ui/callquality"
)

// SetCallQuality gives connected softphone calls a call-quality panel fed
// by src; leave it unset (nil) when there is no softphone. Call it on the
// UI thread or before Run.
func (m *Main) SetCallQuality(src callquality.Source) {
	m.quality = src
	for _, k := range m.cards {
		k.refresh()
	}
}

// qualityPanel is a card's place for its call's quality panel, built the
// first time the call is up.
type qualityPanel struct {
	box  *fyne.Container
	view *callquality.View
}

func (p *qualityPanel) build() {
	p.box = container.NewVBox()
	p.box.Hide()
}

// showsQuality is whether the card's contact is a connected softphone call
// whose quality can be read.
func (k *contactCard) showsQuality() bool {
	c := k.c
	return k.m.quality != nil && c.Type() == core.ContactTypeVoice && c.IsConnected() && c.IsSoftphoneCall()
}

// tickQuality shows or hides the panel and, while the call is up, redraws
// it: Main.Tick calls it once a second, so nothing is redrawn between calls.
func (k *contactCard) tickQuality() {
	p := &k.quality
	if !k.showsQuality() {
		if p.box.Visible() {
			p.box.Hide()
		}
		return
	}
	if p.view == nil {
		p.view = callquality.New(k.m.quality, k.c.ContactID())
		p.box.Objects = []fyne.CanvasObject{p.view.Content()}
		p.box.Refresh()
	} else {
		p.view.Update()
	}
	if !p.box.Visible() {
		p.box.Show()
	}
}
