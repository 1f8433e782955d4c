// Package tray puts AgentDesk in the system tray: an icon showing the agent's
// situation, a menu to change state, accept or reject a ringing contact and
// quit, and an OS notification for each new ringing contact. Where there is no
// tray the window is raised on ring instead. It imports core and Fyne only.
package tray

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/lang"

	"github.com/agentdesk/agentdesk/core"
	"github.com/agentdesk/agentdesk/ui/i18n"
)

// actionTimeout bounds how long a menu action waits for the center.
const actionTimeout = 15 * time.Second

// Look is what the tray icon shows.
type Look int

// Looks of the tray icon.
const (
	LookOffline   Look = iota // offline, on a break or in an error state
	LookAvailable             // routable
	LookBusy                  // on a contact or in a system state
	LookRinging               // a contact waits to be accepted
)

func (l Look) String() string {
	switch l {
	case LookAvailable:
		return "available"
	case LookBusy:
		return "busy"
	case LookRinging:
		return "ringing"
	}
	return "offline"
}

// Options configure a Tray; the zero value is usable.
type Options struct {
	// Do runs UI work from other goroutines; default fyne.Do.
	Do func(func())
	// Quit is called by the menu's Quit once the agent is set Offline;
	// default app.Quit.
	Quit func()
	// Icons gives the icon of each look; default DefaultIcons.
	Icons map[Look]fyne.Resource
	// NoTray skips the tray even on a desktop app, as on Linux without a
	// StatusNotifierWatcher (see HasStatusNotifierWatcher): the window is
	// raised on ring instead.
	NoTray bool
	// ShowOnTap makes tapping the tray icon show the window. Fyne then also
	// makes closing the window hide it, so Quit is only in the tray menu.
	ShowOnTap bool
	// Logger receives menu actions that failed; default slog.Default().
	Logger *slog.Logger
}

// Tray binds the system tray and notifications to the agent. Its state is
// touched only on the UI thread (through Options.Do or Fyne callbacks).
type Tray struct {
	app    fyne.App
	desk   desktop.App // nil when there is no tray
	win    fyne.Window
	client *core.Client
	opts   Options

	agent    *core.Agent
	look     Look
	iconSet  bool
	menu     *fyne.Menu
	menuSig  string
	notified map[offer]bool

	unsubMu sync.Mutex
	unsubs  []func()
	closed  bool
}

// New shows the agent of client in app's tray and raises win or notifies on
// ring. The client should be started, as for ui.NewMain.
func New(app fyne.App, win fyne.Window, client *core.Client, opts Options) *Tray {
	if opts.Do == nil {
		opts.Do = fyne.Do
	}
	if opts.Quit == nil {
		opts.Quit = app.Quit
	}
	if opts.Icons == nil {
		opts.Icons = DefaultIcons()
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	t := &Tray{app: app, win: win, client: client, opts: opts, notified: map[offer]bool{}}
	if d, ok := app.(desktop.App); ok && !opts.NoTray {
		t.desk = d
		if opts.ShowOnTap {
			d.SetSystemTrayWindow(win)
		}
	}
	t.agent, _ = client.Agent() // nil until the client is initialized; OnAgent catches up
	t.refresh()
	t.subscribe()
	return t
}

func (t *Tray) subscribe() {
	var agentOnce sync.Once
	t.addUnsub(t.client.OnAgent(func(a *core.Agent) {
		agentOnce.Do(func() {
			t.addUnsub(a.OnRefresh(func(*core.Agent) { t.opts.Do(t.refresh) }))
		})
		t.opts.Do(func() {
			t.agent = a
			t.refresh()
		})
	}))
	t.addUnsub(t.client.OnContact(func(c *core.Contact) {
		t.addUnsub(c.OnRefresh(func(*core.Contact) { t.opts.Do(t.refresh) }))
		t.addUnsub(c.OnDestroy(func(*core.Contact) { t.opts.Do(t.refresh) }))
		t.opts.Do(t.refresh)
	}))
}

func (t *Tray) addUnsub(u func()) {
	t.unsubMu.Lock()
	defer t.unsubMu.Unlock()
	if t.closed {
		u()
		return
	}
	t.unsubs = append(t.unsubs, u)
}

// Close stops following the agent. The tray icon stays until the app quits.
func (t *Tray) Close() {
	t.unsubMu.Lock()
	us := t.unsubs
	t.unsubs, t.closed = nil, true
	t.unsubMu.Unlock()
	for _, u := range us {
		u()
	}
}

// Look is what the tray icon shows now. Call it on the UI thread.
func (t *Tray) Look() Look { return t.look }

// Menu is the tray menu now, or nil when there is no tray. Call it on the UI
// thread.
func (t *Tray) Menu() *fyne.Menu { return t.menu }

// HasTray reports whether the tray is in use.
func (t *Tray) HasTray() bool { return t.desk != nil }

// situation is what refresh reads from the agent in one go.
type situation struct {
	state    core.AgentState
	states   []core.AgentState
	ringing  []*core.Contact
	onActive bool
	ids      map[string]bool
}

func (t *Tray) read() situation {
	var s situation
	if t.agent == nil {
		return s
	}
	s.state = t.agent.State()
	s.states = t.agent.AgentStates()
	s.ids = map[string]bool{}
	contacts := t.agent.Contacts()
	slices.SortFunc(contacts, func(a, b *core.Contact) int { return strings.Compare(a.ContactID(), b.ContactID()) })
	for _, c := range contacts {
		s.ids[c.ContactID()] = true
		if core.ShouldShowAcceptButton(c) {
			s.ringing = append(s.ringing, c)
		} else if c.State().Type.Active() {
			s.onActive = true
		}
	}
	return s
}

func lookOf(s situation) Look {
	switch {
	case len(s.ringing) > 0:
		return LookRinging
	case s.onActive || s.state.Type == core.AgentStateTypeSystem:
		return LookBusy
	case s.state.Type == core.AgentStateTypeRoutable:
		return LookAvailable
	}
	return LookOffline
}

// offer is one offer of a contact: its ID and when it began ringing.
type offer struct {
	id    string
	since int64 // the ringing state's start, in Unix nanoseconds
}

// refresh brings the icon, the menu and the notifications up to date.
func (t *Tray) refresh() {
	s := t.read()
	// One notification per offer: a contact that stops ringing (rejected,
	// missed) and is offered again, under the same ID, rings again. An offer
	// is the contact and when its ringing state began, so a re-offer rings
	// even when no refresh saw the contact between the two offers.
	ringing := map[offer]bool{}
	for _, c := range s.ringing {
		o := offer{id: c.ContactID(), since: c.State().Timestamp.UnixNano()}
		ringing[o] = true
		if !t.notified[o] {
			t.notified[o] = true
			t.ring(c)
		}
	}
	for id := range t.notified {
		if !ringing[id] {
			delete(t.notified, id)
		}
	}
	look := lookOf(s)
	if t.desk == nil {
		t.look = look
		return
	}
	if !t.iconSet || look != t.look {
		t.desk.SetSystemTrayIcon(t.opts.Icons[look])
		t.iconSet = true
	}
	t.look = look
	if sig := menuSignature(s); sig != t.menuSig || t.menu == nil {
		t.menuSig = sig
		t.menu = t.buildMenu(s)
		t.desk.SetSystemTrayMenu(t.menu)
	}
}

// ring tells the agent about a contact that has just started ringing.
func (t *Tray) ring(c *core.Contact) {
	title, body := Notification(c)
	t.app.SendNotification(fyne.NewNotification(title, body))
	if t.desk == nil {
		t.win.Show()
		t.win.RequestFocus()
	}
}

// Notification is the title and body announcing a ringing contact: who in
// the title ("Incoming call from Maria Garcia"), where from in the body
// ("Queue Support · +12025550123"), so that neither repeats the other.
func Notification(c *core.Contact) (title, body string) {
	title = lang.L("Incoming call")
	switch c.Type() {
	case core.ContactTypeChat:
		title = lang.L("Incoming chat")
	case core.ContactTypeTask:
		title = lang.L("Incoming task")
	case core.ContactTypeQueueCallback:
		title = lang.L("Incoming callback")
	case core.ContactTypeEmail:
		title = lang.L("Incoming email")
	}
	who, number := "", ""
	if c.Type() == core.ContactTypeTask {
		who = c.Name()
	} else if ic := c.InitialConnection(); ic != nil {
		e := ic.Endpoint()
		who = e.Name
		if who == "" {
			who = i18n.PhoneNumber(e.PhoneNumber)
		} else if e.PhoneNumber != who && (c.Type() == core.ContactTypeVoice || c.Type() == core.ContactTypeQueueCallback) {
			number = i18n.PhoneNumber(e.PhoneNumber)
		}
	}
	if who != "" {
		title = lang.L("{{.Contact}} from {{.Who}}", map[string]any{"Contact": title, "Who": who})
	}
	var parts []string
	if q := c.Queue().Name; q != "" {
		parts = append(parts, lang.L("Queue {{.Queue}}", map[string]any{"Queue": q}))
	}
	if number != "" {
		parts = append(parts, number)
	}
	return title, strings.Join(parts, " · ")
}

func menuSignature(s situation) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s|%s|", i18n.Current(), s.state.Name) // a new language relabels the menu
	for _, st := range s.states {
		b.WriteString(st.Name + ",")
	}
	for _, c := range s.ringing {
		b.WriteString("|" + c.ContactID())
	}
	fmt.Fprintf(&b, "|%v", s.onActive)
	return b.String()
}

func (t *Tray) buildMenu(s situation) *fyne.Menu {
	var items []*fyne.MenuItem
	enqueue := s.onActive || len(s.ringing) > 0
	for _, st := range s.states {
		item := fyne.NewMenuItem(i18n.StateLabel(st.Name), func() { t.chooseState(st, enqueue) })
		item.Checked = st.Name == s.state.Name
		items = append(items, item)
	}
	accept := fyne.NewMenuItem(lang.L("Accept"), nil)
	reject := fyne.NewMenuItem(lang.L("Reject"), nil)
	if len(s.ringing) == 0 {
		accept.Disabled, reject.Disabled = true, true
	} else {
		c := s.ringing[0]
		accept.Action = func() { t.act("accept", c.Accept) }
		reject.Action = func() { t.act("reject", c.Reject) }
	}
	show := fyne.NewMenuItem(lang.L("Show window"), func() {
		t.win.Show()
		t.win.RequestFocus()
	})
	quit := fyne.NewMenuItem(lang.L("Quit"), t.Quit)
	quit.IsQuit = true // Fyne adds its own Quit unless the last item is one
	items = append(items, fyne.NewMenuItemSeparator(), accept, reject, show, fyne.NewMenuItemSeparator(), quit)
	return fyne.NewMenu("AgentDesk", items...)
}

func (t *Tray) chooseState(st core.AgentState, enqueue bool) {
	a := t.agent
	var opts []core.SetStateOption
	if enqueue {
		opts = append(opts, core.EnqueueNextState())
	}
	t.act("set state", func(ctx context.Context) error { return a.SetState(ctx, st, opts...) })
}

// Quit sets the agent Offline (enqueued while on a contact), then calls
// Options.Quit on the UI thread. It quits even if the center refused.
func (t *Tray) Quit() {
	a := t.agent
	go func() {
		if a != nil {
			ctx, cancel := context.WithTimeout(context.Background(), actionTimeout)
			if err := a.GoOffline(ctx); err != nil {
				t.opts.Logger.Warn("tray: going offline before quitting failed", "err", err)
			}
			cancel()
		}
		t.opts.Do(t.opts.Quit)
	}()
}

// act runs a center call off the UI thread; the tray has nowhere to show an
// error, so it is logged and the next refresh shows the real state.
func (t *Tray) act(what string, fn func(ctx context.Context) error) {
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), actionTimeout)
		defer cancel()
		if err := fn(ctx); err != nil {
			t.opts.Logger.Warn("tray: "+what+" failed", "err", err)
		}
	}()
}
