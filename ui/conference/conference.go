// Package conference holds the Hold all and Leave buttons of a voice contact
// with two or more other parties (a consult or a conference). It calls core
// and never fyne.Do: the caller runs the actions off the UI thread.
package conference

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/agentdesk/agentdesk/core"
)

// Controls are one contact's Hold all and Leave buttons.
type Controls struct {
	HoldAll *widget.Button
	Leave   *widget.Button
	c       *core.Contact
	box     *fyne.Container
}

// New makes the buttons of contact c; run carries out a tapped action off
// the UI thread and shows its error.
func New(c *core.Contact, run func(func(context.Context) error)) *Controls {
	k := &Controls{c: c}
	k.HoldAll = widget.NewButtonWithIcon(lang.L("Hold all"), theme.MediaPauseIcon(), func() { run(c.HoldAll) })
	k.Leave = widget.NewButtonWithIcon(lang.L("Leave"), theme.LogoutIcon(), func() { run(c.Leave) })
	k.Leave.Importance = widget.DangerImportance
	k.box = container.New(layout.NewRowWrapLayout()) // wraps in a narrow window
	k.Refresh()
	return k
}

// Content is the row of buttons; it takes no room while none applies.
func (k *Controls) Content() fyne.CanvasObject { return k.box }

// Refresh shows the buttons that apply to the contact as it is now.
func (k *Controls) Refresh() {
	k.box.Objects = k.Buttons()
	k.box.Refresh()
	if len(k.box.Objects) == 0 {
		k.box.Hide()
	} else {
		k.box.Show()
	}
}

// Shown reports whether b is on the row now.
func (k *Controls) Shown(b *widget.Button) bool {
	if !k.box.Visible() {
		return false
	}
	for _, o := range k.box.Objects {
		if o == b {
			return true
		}
	}
	return false
}

// Buttons are the buttons that apply now: none unless the agent is on a
// connected voice call with two or more other parties connected or on hold;
// then Leave, and Hold all while any of them is still connected.
func (k *Controls) Buttons() []fyne.CanvasObject {
	c := k.c
	if c.Type() != core.ContactTypeVoice || !c.IsConnected() {
		return nil
	}
	if ac := c.AgentConnection(); ac == nil || ac.Type() != core.ConnectionTypeAgent {
		return nil // a supervisor's monitoring leg can neither hold nor leave
	}
	parties := c.PartiesOnLine()
	if len(parties) < 2 {
		return nil
	}
	var out []fyne.CanvasObject
	for _, p := range parties {
		if p.IsConnected() {
			out = append(out, k.HoldAll)
			break
		}
	}
	return append(out, k.Leave)
}
