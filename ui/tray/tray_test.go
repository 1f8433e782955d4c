package tray

import (
	"time"

	"os"
	"strings"
	"sync"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"

	"github.com/agentdesk/agentdesk/core"
	"github.com/agentdesk/agentdesk/core/center"
	"github.com/agentdesk/agentdesk/core/centertest"
	"github.com/agentdesk/agentdesk/ui/i18n"
	"github.com/agentdesk/agentdesk/ui/uitest"
)

// deskApp is the test app with a system tray: it records what the tray set
// and every notification sent.
type deskApp struct {
	fyne.App
	mu    sync.Mutex
	icons []fyne.Resource
	menu  *fyne.Menu
	win   fyne.Window
	notes []*fyne.Notification
}

func (a *deskApp) SetSystemTrayMenu(m *fyne.Menu) { a.mu.Lock(); a.menu = m; a.mu.Unlock() }
func (a *deskApp) SetSystemTrayIcon(r fyne.Resource) {
	a.mu.Lock()
	a.icons = append(a.icons, r)
	a.mu.Unlock()
}
func (a *deskApp) SetSystemTrayWindow(w fyne.Window) { a.mu.Lock(); a.win = w; a.mu.Unlock() }
func (a *deskApp) SendNotification(n *fyne.Notification) {
	a.mu.Lock()
	a.notes = append(a.notes, n)
	a.mu.Unlock()
}

func (a *deskApp) notifications() []*fyne.Notification {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]*fyne.Notification(nil), a.notes...)
}

// plainApp has no tray, as a mobile app or a Linux desktop without a
// StatusNotifierWatcher.
type plainApp struct {
	fyne.App
	mu    sync.Mutex
	notes []*fyne.Notification
}

func (a *plainApp) SendNotification(n *fyne.Notification) {
	a.mu.Lock()
	a.notes = append(a.notes, n)
	a.mu.Unlock()
}

// raiseWindow counts Show and RequestFocus.
type raiseWindow struct {
	fyne.Window
	mu            sync.Mutex
	shows, raises int
}

func (w *raiseWindow) Show()         { w.mu.Lock(); w.shows++; w.mu.Unlock() }
func (w *raiseWindow) RequestFocus() { w.mu.Lock(); w.raises++; w.mu.Unlock() }
func (w *raiseWindow) counts() (int, int) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.shows, w.raises
}

// harness is a tray on a test app and an embedded center. UI work from other
// goroutines and the test's own reads are serialised by mu, as the real
// app's event loop would.
type harness struct {
	t     *testing.T
	env   *centertest.Env
	app   fyne.App
	win   *raiseWindow
	tray  *Tray
	quits int
	// quitState is the agent's state when Options.Quit ran.
	quitState core.AgentState
	*uitest.Thread
}

func newHarness(t *testing.T, withTray bool) *harness {
	t.Helper()
	h := &harness{t: t, env: centertest.New(t, nil, "alice"), Thread: uitest.NewThread(t)}
	base := test.NewTempApp(t)
	if _, ok := base.(desktop.App); ok {
		t.Fatal("the test app is a desktop.App; plainApp no longer tests the trayless path")
	}
	if withTray {
		h.app = &deskApp{App: base}
	} else {
		h.app = &plainApp{App: base}
	}
	h.win = &raiseWindow{Window: base.NewWindow("AgentDesk")}
	h.UI(func() {
		h.tray = New(h.app, h.win, h.env.Client, Options{
			Do: h.Do,
			Quit: func() {
				h.quits++
				h.quitState = h.env.Agent.State()
			},
		})
	})
	t.Cleanup(h.tray.Close)
	return h
}

func (h *harness) waitLook(want Look) {
	h.t.Helper()
	h.WaitUI("the "+want.String()+" look", func() bool { return h.tray.Look() == want })
}

// item finds a menu item by label; call it on the UI thread.
func (h *harness) item(label string) *fyne.MenuItem {
	h.t.Helper()
	m := h.tray.Menu()
	if m == nil {
		h.t.Fatal("no tray menu")
	}
	for _, it := range m.Items {
		if it.Label == label {
			return it
		}
	}
	h.t.Fatalf("no %q in the tray menu", label)
	return nil
}

// tap chooses a menu item as the tray would.
func (h *harness) tap(label string) {
	h.t.Helper()
	h.UI(func() {
		it := h.item(label)
		if it.Disabled {
			h.t.Fatalf("%q is disabled", label)
		}
		it.Action()
	})
}

func (h *harness) setState(name string) {
	h.t.Helper()
	if err := h.env.Agent.SetState(centertest.Ctx(), h.env.State(name)); err != nil {
		h.t.Fatal(err)
	}
}

func (h *harness) arrive(name string) string {
	return h.env.Arrive(center.Arrival{Queue: "Support", Type: core.ContactTypeVoice, Name: name, Number: "+12025550123"})
}

func (h *harness) waitContact(what string, want core.ContactStateType) {
	h.t.Helper()
	if !centertest.Eventually(func() bool {
		cs := h.env.Agent.Contacts()
		return len(cs) == 1 && cs[0].State().Type == want
	}) {
		h.t.Fatalf("contact not %s after %s", want, what)
	}
}

func TestIconFollowsTheAgent(t *testing.T) {
	h := newHarness(t, true)
	app := h.app.(*deskApp)
	h.waitLook(LookOffline)
	h.setState("Available")
	h.waitLook(LookAvailable)
	h.arrive("Maria Garcia")
	h.waitLook(LookRinging)
	h.WaitUI("Accept enabled", func() bool { return !h.item("Accept").Disabled })
	h.tap("Accept")
	h.waitLook(LookBusy)

	// Each look is set once as it comes; a refresh reading the agent
	// between two snapshots may add a passing look, never reorder them.
	icons := DefaultIcons()
	want := []fyne.Resource{icons[LookOffline], icons[LookAvailable], icons[LookRinging], icons[LookBusy]}
	h.UI(func() {
		app.mu.Lock()
		defer app.mu.Unlock()
		var got []string
		i := 0
		for _, r := range app.icons {
			got = append(got, r.Name())
			if i < len(want) && r.Name() == want[i].Name() {
				i++
			}
		}
		if i < len(want) || got[len(got)-1] != want[len(want)-1].Name() {
			t.Fatalf("tray icons %q, want offline, available, ringing, busy in order", got)
		}
	})
}

func TestIconsAreDistinctPNGs(t *testing.T) {
	icons := DefaultIcons()
	seen := map[string]Look{}
	for _, l := range []Look{LookOffline, LookAvailable, LookBusy, LookRinging} {
		r := icons[l]
		if r == nil || !strings.HasPrefix(string(r.Content()), "\x89PNG") {
			t.Fatalf("%s icon is not a PNG", l)
		}
		if other, ok := seen[string(r.Content())]; ok {
			t.Errorf("%s and %s icons are the same", l, other)
		}
		seen[string(r.Content())] = l
	}
}

func TestMenuChoosesState(t *testing.T) {
	h := newHarness(t, true)
	h.UI(func() {
		var labels []string
		for _, it := range h.tray.Menu().Items {
			labels = append(labels, it.Label)
		}
		for _, s := range h.env.Agent.AgentStates() {
			if !strings.Contains(strings.Join(labels, "|"), s.Name) {
				t.Errorf("menu %q lacks state %q", labels, s.Name)
			}
		}
		if !h.item("Offline").Checked || h.item("Available").Checked {
			t.Error("Offline should be the checked state")
		}
		if !h.item("Accept").Disabled || !h.item("Reject").Disabled {
			t.Error("Accept and Reject enabled with nothing ringing")
		}
		if q := h.tray.Menu().Items[len(h.tray.Menu().Items)-1]; q.Label != "Quit" || !q.IsQuit {
			t.Error("the menu must end with our Quit, or Fyne adds its own")
		}
	})
	h.tap("Available")
	if !centertest.Eventually(func() bool { return h.env.Agent.State().Name == "Available" }) {
		t.Fatalf("agent %q after choosing Available", h.env.Agent.State().Name)
	}
	h.WaitUI("Available checked", func() bool { return h.item("Available").Checked && !h.item("Offline").Checked })
}

func TestMenuAcceptConnects(t *testing.T) {
	h := newHarness(t, true)
	app := h.app.(*deskApp)
	h.setState("Available")
	h.arrive("Maria Garcia")
	h.WaitUI("Accept enabled", func() bool { return !h.item("Accept").Disabled })
	h.tap("Accept")
	h.waitContact("Accept", core.ContactStateConnected)
	h.WaitUI("Accept disabled again", func() bool { return h.item("Accept").Disabled })
	h.env.Settle()

	var notes []*fyne.Notification
	h.UI(func() { notes = app.notifications() })
	if len(notes) != 1 {
		t.Fatalf("%d notifications for one call, want 1: %v", len(notes), notes)
	}
	n := notes[0]
	if n.Title != "Incoming call from Maria Garcia" || !strings.Contains(n.Content, "Queue Support") ||
		strings.Contains(n.Content, "Incoming") {
		t.Errorf("notification %q / %q, want the caller in the title and the queue in the body", n.Title, n.Content)
	}
}

func TestMenuRejectRejects(t *testing.T) {
	h := newHarness(t, true)
	h.setState("Available")
	h.arrive("Ken")
	h.WaitUI("Reject enabled", func() bool { return !h.item("Reject").Disabled })
	h.tap("Reject")
	h.waitContact("Reject", core.ContactStateRejected)
	h.WaitUI("Reject disabled again", func() bool { return h.item("Reject").Disabled })
}

func TestChoosingStateOnContactEnqueuesIt(t *testing.T) {
	h := newHarness(t, true)
	h.setState("Available")
	h.arrive("Ken")
	h.WaitUI("Accept enabled", func() bool { return !h.item("Accept").Disabled })
	h.tap("Accept")
	h.waitLook(LookBusy)
	h.tap("Offline")
	if !centertest.Eventually(func() bool { ns, ok := h.env.Agent.NextState(); return ok && ns.Name == "Offline" }) {
		t.Fatal("Offline not enqueued while on a call")
	}
	if got := h.env.Agent.State().Name; got != core.StateBusy {
		t.Fatalf("agent %q: the call must go on while Offline waits", got)
	}
}

func TestWithoutTrayRingRaisesWindow(t *testing.T) {
	h := newHarness(t, false)
	app := h.app.(*plainApp)
	h.UI(func() {
		if h.tray.HasTray() || h.tray.Menu() != nil {
			t.Error("a tray on an app without one")
		}
	})
	h.setState("Available")
	h.arrive("Maria Garcia")
	h.WaitUI("the window raised", func() bool { s, r := h.win.counts(); return s == 1 && r == 1 })
	h.waitLook(LookRinging)
	h.env.Settle()
	h.UI(func() {
		app.mu.Lock()
		defer app.mu.Unlock()
		if len(app.notes) != 1 || !strings.Contains(app.notes[0].Title, "Maria Garcia") {
			t.Errorf("notifications %v, want one about Maria Garcia", app.notes)
		}
	})
}

func TestNoTrayOptionRaisesWindow(t *testing.T) {
	h := &harness{t: t, env: centertest.New(t, nil, "alice"), Thread: uitest.NewThread(t)}
	app := &deskApp{App: test.NewTempApp(t)}
	win := &raiseWindow{Window: app.NewWindow("AgentDesk")}
	h.win = win
	h.UI(func() {
		h.tray = New(app, win, h.env.Client, Options{NoTray: true, Do: h.Do})
	})
	t.Cleanup(h.tray.Close)
	h.setState("Available")
	h.arrive("Ken")
	h.WaitUI("the window raised", func() bool { s, r := win.counts(); return s == 1 && r == 1 })
	app.mu.Lock()
	defer app.mu.Unlock()
	if app.menu != nil || len(app.icons) != 0 {
		t.Error("NoTray still set a tray")
	}
}

func TestQuitGoesOfflineFirst(t *testing.T) {
	h := newHarness(t, true)
	h.setState("Available")
	h.waitLook(LookAvailable)
	h.tap("Quit")
	h.WaitUI("Quit called", func() bool { return h.quits == 1 })
	h.UI(func() {
		if h.quitState.Type != core.AgentStateTypeOffline {
			t.Errorf("agent %q when Quit ran, want Offline", h.quitState.Name)
		}
	})
}

func TestNotificationWording(t *testing.T) {
	h := newHarness(t, true)
	h.setState("Available")
	h.env.Arrive(center.Arrival{Queue: "Support", Type: core.ContactTypeChat, Name: "Ana", Chat: []string{"hi"}})
	var c *core.Contact
	if !centertest.Eventually(func() bool {
		cs := h.env.Agent.Contacts()
		if len(cs) == 1 && core.ShouldShowAcceptButton(cs[0]) {
			c = cs[0]
			return true
		}
		return false
	}) {
		t.Fatal("chat did not ring")
	}
	title, body := Notification(c)
	if title != "Incoming chat from Ana" || body != "Queue Support" {
		t.Errorf("got %q / %q", title, body)
	}
}

// A call rejected and offered again rings again: one notification per offer.
func TestReofferNotifiesAgain(t *testing.T) {
	h := newHarness(t, true)
	app := h.app.(*deskApp)
	h.setState("Available")
	h.env.Arrive(center.Arrival{Queue: "Support", Type: core.ContactTypeVoice, Name: "Ken", Number: "+12025550123"})
	h.WaitUI("Reject enabled", func() bool { return !h.item("Reject").Disabled })
	h.UI(func() {
		if n := app.notifications(); len(n) != 1 || n[0].Title != "Incoming call from Ken" || n[0].Content != "Queue Support · +1 202-555-0123" {
			t.Errorf("notifications %v, want one: Incoming call from Ken / Queue Support · +1 202-555-0123", n)
		}
	})
	h.tap("Reject")
	h.waitContact("Reject", core.ContactStateRejected)
	var c *core.Contact
	if !centertest.Eventually(func() bool {
		cs := h.env.Agent.Contacts()
		c = nil
		if len(cs) == 1 {
			c = cs[0]
		}
		return c != nil
	}) {
		t.Fatal("no rejected contact to clear")
	}
	// The test's clock stands still unless moved: move it, so that the second
	// offer begins later than the first, as it does on a real clock.
	h.env.Clock.Advance(time.Second)
	if err := c.Clear(centertest.Ctx()); err != nil {
		t.Fatal(err)
	}
	h.WaitUI("the call offered again", func() bool { return !h.item("Accept").Disabled })
	h.WaitUI("a second notification", func() bool { return len(app.notifications()) == 2 })
}

// A re-offer notifies even when the window was too busy to refresh while
// the call was rejected, cleared and offered again: the tray sees the same
// contact ID ringing both times, and only when its ringing began tells the
// offers apart.
func TestReofferNotifiesAgainWhenTheWindowLagged(t *testing.T) {
	h := newHarness(t, true)
	app := h.app.(*deskApp)
	h.setState("Available")
	h.env.Arrive(center.Arrival{Queue: "Support", Type: core.ContactTypeVoice, Name: "Ken", Number: "+12025550123"})
	h.WaitUI("the first notification", func() bool { return len(app.notifications()) == 1 })
	var c *core.Contact
	if !centertest.Eventually(func() bool {
		cs := h.env.Agent.Contacts()
		c = nil
		if len(cs) == 1 && core.ShouldShowAcceptButton(cs[0]) {
			c = cs[0]
		}
		return c != nil
	}) {
		t.Fatal("the call did not ring")
	}
	first := c.State().Timestamp
	h.UI(func() { // the UI thread is busy throughout: no refresh runs
		if err := c.Reject(centertest.Ctx()); err != nil {
			t.Fatal(err)
		}
		h.waitContact("Reject", core.ContactStateRejected)
		h.env.Clock.Advance(time.Second) // the second offer begins later than the first
		if err := h.env.Agent.Contacts()[0].Clear(centertest.Ctx()); err != nil {
			t.Fatal(err)
		}
		if !centertest.Eventually(func() bool {
			cs := h.env.Agent.Contacts()
			return len(cs) == 1 && core.ShouldShowAcceptButton(cs[0]) && !cs[0].State().Timestamp.Equal(first)
		}) {
			t.Fatal("the call was not offered again")
		}
	})
	h.WaitUI("a second notification", func() bool { return len(app.notifications()) == 2 })
}

// TestMain runs the tray's tests in English whatever the system's language,
// since they read labels (Fyne translates some, such as Quit, itself).
func TestMain(m *testing.M) {
	if err := i18n.Apply("en_US"); err != nil {
		panic(err)
	}
	os.Exit(m.Run())
}
