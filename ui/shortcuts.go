package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"
)

// The window's keyboard shortcuts (docs/ui.md lists them).
var (
	ShortcutAccept       = ctrlShift(fyne.KeyA)
	ShortcutReject       = ctrlShift(fyne.KeyR)
	ShortcutEnd          = ctrlShift(fyne.KeyE)
	ShortcutMute         = ctrlShift(fyne.KeyM)
	ShortcutHold         = ctrlShift(fyne.KeyH)
	ShortcutDialPad      = ctrlShift(fyne.KeyD)
	ShortcutQuickConnect = ctrlShift(fyne.KeyK)
	ShortcutSettings     = &desktop.CustomShortcut{KeyName: fyne.KeyComma, Modifier: fyne.KeyModifierShortcutDefault}
)

func ctrlShift(k fyne.KeyName) *desktop.CustomShortcut {
	return &desktop.CustomShortcut{KeyName: k, Modifier: fyne.KeyModifierShortcutDefault | fyne.KeyModifierShift}
}

// command is one thing the agent can do from the keyboard and the menu.
type command struct {
	label    string
	shortcut fyne.Shortcut
	run      func()
}

func (m *Main) commands() (contact, view []command) {
	contact = []command{
		{lang.L("Accept"), ShortcutAccept, func() { m.tapOnCard(func(k *contactCard) *buttonRef { return k.ref(k.buttons, k.accept) }) }},
		{lang.L("Reject"), ShortcutReject, func() { m.tapOnCard(func(k *contactCard) *buttonRef { return k.ref(k.buttons, k.reject) }) }},
		{lang.L("End or clear"), ShortcutEnd, m.endOrClear},
		{lang.L("Mute or unmute"), ShortcutMute, func() { m.tapOnCard(func(k *contactCard) *buttonRef { return k.ref(k.buttons, k.mute) }) }},
		{lang.L("Hold or resume"), ShortcutHold, func() { m.tapOnCard(func(k *contactCard) *buttonRef { return k.ref(k.buttons, k.hold) }) }},
	}
	view = []command{
		{lang.L("Dial pad"), ShortcutDialPad, m.toggleDialPad},
		{lang.L("Quick connects"), ShortcutQuickConnect, m.toggleQuickConnects},
		{lang.L("Settings"), ShortcutSettings, m.ShowSettings},
	}
	return contact, view
}

// addShortcuts registers the shortcuts on the canvas (used when nothing
// has focus) and in the main menu, which the desktop driver asks first, so
// they also work while the agent types in a reply or the dial pad.
func (m *Main) addShortcuts() {
	contact, view := m.commands()
	var contactItems, viewItems []*fyne.MenuItem
	for _, group := range []struct {
		cmds  []command
		items *[]*fyne.MenuItem
	}{{contact, &contactItems}, {view, &viewItems}} {
		for _, c := range group.cmds {
			run := c.run
			m.win.Canvas().RemoveShortcut(c.shortcut)
			m.win.Canvas().AddShortcut(c.shortcut, func(fyne.Shortcut) { run() })
			item := fyne.NewMenuItem(c.label, run)
			item.Shortcut = c.shortcut
			*group.items = append(*group.items, item)
		}
	}
	agentItems := []*fyne.MenuItem{fyne.NewMenuItem(lang.L("Log out"), m.LogOut)}
	m.win.SetMainMenu(fyne.NewMainMenu(
		fyne.NewMenu(lang.L("Agent"), agentItems...),
		fyne.NewMenu(lang.L("Contact"), contactItems...),
		fyne.NewMenu(lang.L("View"), viewItems...),
	))
}

// buttonRef is a button a shortcut may tap, if it shows.
type buttonRef struct{ tap func() }

// ref is b when it is in box, which holds the card's visible buttons.
func (k *contactCard) ref(box *fyne.Container, b *widget.Button) *buttonRef {
	for _, o := range box.Objects {
		if o == b && box.Visible() {
			return &buttonRef{tap: func() { b.Tapped(&fyne.PointEvent{}) }}
		}
	}
	return nil
}

// tapOnCard taps the first card's button that pick finds, in card order.
func (m *Main) tapOnCard(pick func(*contactCard) *buttonRef) bool {
	for _, k := range m.orderedCards() {
		if r := pick(k); r != nil {
			r.tap()
			return true
		}
	}
	return false
}

// endOrClear ends the first active contact or, when none is active, clears
// the first one in after contact work, missed or failed.
func (m *Main) endOrClear() {
	if m.tapOnCard(func(k *contactCard) *buttonRef { return k.ref(k.buttons, k.end) }) {
		return
	}
	m.tapOnCard(func(k *contactCard) *buttonRef { return k.ref(k.buttons, k.clear) })
}

// removeShortcuts takes the shortcuts off the canvas (the login screen has
// no contacts to act on).
func (m *Main) removeShortcuts() {
	contact, view := m.commands()
	for _, c := range append(contact, view...) {
		m.win.Canvas().RemoveShortcut(c.shortcut)
	}
}
