// Package window holds what the desktop does to AgentDesk's main window:
// closing it (ask first while contacts are active, set the agent Offline,
// or hide it in the tray) and bringing it forward for a second launch. It
// imports core and Fyne.
package window

import (
	"context"
	"log/slog"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"

	"github.com/agentdesk/agentdesk/core"
)

// offlineTimeout bounds how long quitting waits for the center.
const offlineTimeout = 15 * time.Second

// CloseOptions tune what closing the window does; the zero value asks
// before closing on active contacts, and quits.
type CloseOptions struct {
	// Do runs UI work from other goroutines; fyne.Do when nil.
	Do func(func())
	// Quit ends the app once the agent is set Offline; app.Quit when nil.
	Quit func()
	// ToTray is asked at each close whether closing hides the window in
	// the tray instead; nil means never. Say no when there is no tray.
	ToTray func() bool
	// Logger receives a failure to go Offline; slog.Default() when nil.
	Logger *slog.Logger
}

// Closer is what the window's close button does.
type Closer struct {
	win     fyne.Window
	client  *core.Client
	opts    CloseOptions
	confirm *dialog.ConfirmDialog // open while asking
	closing bool
}

// InterceptClose makes closing win hide it in the tray (when ToTray says
// so), or ask first while the agent has active contacts, and then set the
// agent Offline and quit. Call it after anything else that sets win's
// close intercept (such as a tray's SetSystemTrayWindow).
func InterceptClose(app fyne.App, win fyne.Window, client *core.Client, opts CloseOptions) *Closer {
	if opts.Do == nil {
		opts.Do = fyne.Do
	}
	if opts.Quit == nil {
		opts.Quit = app.Quit
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	c := &Closer{win: win, client: client, opts: opts}
	win.SetCloseIntercept(c.Request)
	return c
}

// ActiveContacts counts the agent's contacts that closing would abandon:
// ringing, connected or in after-contact work.
func ActiveContacts(a *core.Agent) int {
	if a == nil {
		return 0
	}
	n := 0
	for _, c := range a.Contacts() {
		if t := c.State().Type; t.Active() || t == core.ContactStateEnded {
			n++
		}
	}
	return n
}

// ConfirmMessage is what the agent is asked before closing on n active
// contacts.
func ConfirmMessage(n int) string {
	if n == 1 {
		return lang.L("You have 1 active contact. Close anyway? You will be set Offline.")
	}
	return lang.L("You have {{.Count}} active contacts. Close anyway? You will be set Offline.", map[string]any{"Count": n})
}

// Request is the close button: on the UI thread.
func (c *Closer) Request() {
	if c.closing {
		return
	}
	if c.opts.ToTray != nil && c.opts.ToTray() {
		c.win.Hide()
		return
	}
	agent, _ := c.client.Agent()
	n := ActiveContacts(agent)
	if n == 0 {
		c.quit(agent)
		return
	}
	if c.confirm != nil {
		c.win.RequestFocus()
		return
	}
	c.confirm = dialog.NewConfirm(lang.L("Close AgentDesk?"), ConfirmMessage(n), func(ok bool) {
		c.confirm = nil
		if ok {
			agent, _ := c.client.Agent()
			c.quit(agent)
		}
	}, c.win)
	c.confirm.SetConfirmText(lang.L("Close"))
	c.confirm.SetDismissText(lang.L("Keep open"))
	c.confirm.Show()
}

// Asking is the open confirmation, if any.
func (c *Closer) Asking() *dialog.ConfirmDialog { return c.confirm }

// quit hides the window, sets the agent Offline (enqueued while on a
// contact) and quits, even if the center refused.
func (c *Closer) quit(agent *core.Agent) {
	c.closing = true
	c.win.Hide()
	go func() {
		if agent != nil {
			ctx, cancel := context.WithTimeout(context.Background(), offlineTimeout)
			if err := agent.GoOffline(ctx); err != nil {
				c.opts.Logger.Warn("going offline before closing failed", "err", err)
			}
			cancel()
		}
		c.opts.Do(c.opts.Quit)
	}()
}

// ShowWindow is what a later launch's request does: bring win to the front.
func ShowWindow(win fyne.Window, do func(func())) func() {
	if do == nil {
		do = fyne.Do
	}
	return func() {
		do(func() {
			win.Show()
			win.RequestFocus()
		})
	}
}
