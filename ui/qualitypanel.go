package ui

import (
	"time"

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
		p.view.SetOpen(k.m.app.Preferences().Bool(keyQualityOpen))
		p.view.OnToggle = k.m.qualityToggled
		p.box.Objects = []fyne.CanvasObject{p.view.Content()}
		p.box.Refresh()
	} else {
		p.view.Update()
	}
	if !p.box.Visible() {
		p.box.Show()
	}
	if p.view.Open() {
		k.m.metering.Store(true)
	}
}

// keyQualityOpen is the preference that keeps the call-quality details
// open for the next calls once the agent has opened them. They start
// folded: the one-way warning shows either way, and folded details leave
// the window nothing to redraw between its one-second timers.
const keyQualityOpen = "callquality.open"

// qualityToggled remembers the agent's choice, and starts the level
// meters at once when the details open.
func (m *Main) qualityToggled(open bool) {
	m.app.Preferences().SetBool(keyQualityOpen, open)
	if open {
		m.metering.Store(true)
	}
}

// tickLevels moves the level meters of the calls on show; clock calls it
// every callquality.LevelInterval while a panel's details are open.
func (m *Main) tickLevels(elapsed time.Duration) {
	showing := false
	for _, k := range m.cards {
		if p := k.quality; p.view != nil && p.box.Visible() && p.view.Open() {
			p.view.Levels(elapsed)
			showing = true
		}
	}
	m.metering.Store(showing)
}

// clock drives the window's redraws from one ticker until stop closes:
// the level meters every callquality.LevelInterval while a quality panel's
// details are open, and Tick (the timers) once a second, in the same frame
// as a meter step. Each frame repaints the whole window, so the meters and
// the timers share frames rather than alternate (under software GL that is
// a fifth of a call's drawing). While no details are open, the ticker
// itself slows to once a second, so an idle window, or a call with its
// details folded, wakes once a second and no more.
func (m *Main) clock(stop <-chan struct{}) {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	perSecond := int(time.Second / callquality.LevelInterval)
	fast := false // the ticker runs at callquality.LevelInterval
	for n := 1; ; n++ {
		select {
		case <-t.C:
			second, metering := !fast || n%perSecond == 0, m.metering.Load()
			if metering != fast { // a panel appeared (at a Tick) or went
				fast, n = metering, 0
				if fast {
					t.Reset(callquality.LevelInterval)
				} else {
					t.Reset(time.Second)
				}
			}
			if !second && !metering {
				continue
			}
			m.do(func() {
				if metering {
					m.tickLevels(callquality.LevelInterval)
				}
				if second {
					m.Tick()
				}
			})
		case <-stop:
			return
		}
	}
}
