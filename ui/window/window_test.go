package window

import (
	"strings"
	"sync/atomic"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/agentdesk/agentdesk/core"
	"github.com/agentdesk/agentdesk/core/center"
	"github.com/agentdesk/agentdesk/core/centertest"
	"github.com/agentdesk/agentdesk/ui/uitest"
)

type harness struct {
	t      *testing.T
	env    *centertest.Env
	app    fyne.App
	win    fyne.Window
	closer *Closer
	quits  atomic.Int32
	toTray bool
	*uitest.Thread
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	h := &harness{t: t, env: centertest.New(t, nil, "alice"), app: test.NewTempApp(t), Thread: uitest.NewThread(t)}
	h.UI(func() {
		h.win = h.app.NewWindow("AgentDesk")
		h.win.SetContent(widget.NewLabel("main window"))
		h.win.Resize(fyne.NewSize(420, 560))
		h.win.Show()
		h.closer = InterceptClose(h.app, h.win, h.env.Client, CloseOptions{
			Do:     h.Do,
			Quit:   func() { h.quits.Add(1) },
			ToTray: func() bool { return h.toTray },
			Logger: centertest.Quiet,
		})
	})
	return h
}

func (h *harness) available() {
	h.t.Helper()
	if err := h.env.Agent.SetState(centertest.Ctx(), h.env.State("Available")); err != nil {
		h.t.Fatal(err)
	}
}

func (h *harness) ring() {
	h.t.Helper()
	h.available()
	h.env.Arrive(center.Arrival{Queue: "Support", Type: core.ContactTypeVoice, Name: "Ken", Number: "+12025550123"})
	if !centertest.Eventually(func() bool { return ActiveContacts(h.env.Agent) == 1 }) {
		h.t.Fatal("no ringing contact")
	}
}

// pressClose is the window's close button.
func (h *harness) pressClose() { h.UI(h.closer.Request) }

// dialogText is the open dialog's labels and its buttons, by text.
func (h *harness) dialogText() (string, map[string]*widget.Button) {
	var text []string
	buttons := map[string]*widget.Button{}
	h.UI(func() {
		top := h.win.Canvas().Overlays().Top()
		if top == nil {
			return
		}
		for _, o := range test.LaidOutObjects(top) {
			switch w := o.(type) {
			case *widget.Label:
				text = append(text, w.Text)
			case *widget.Button:
				buttons[w.Text] = w
			}
		}
	})
	return strings.Join(text, "\n"), buttons
}

func TestClosingWithNoContactsGoesOfflineAndQuits(t *testing.T) {
	h := newHarness(t)
	h.available()
	h.pressClose()
	if !centertest.Eventually(func() bool { return h.quits.Load() == 1 }) {
		t.Fatal("the app did not quit")
	}
	if got := h.env.Agent.State().Type; got != core.AgentStateTypeOffline {
		t.Errorf("agent %s after closing, want offline", got)
	}
	if text, _ := h.dialogText(); text != "" {
		t.Errorf("a dialog asked %q with nothing active", text)
	}
}

func TestClosingOnARingingContactAsksFirst(t *testing.T) {
	h := newHarness(t)
	h.ring()
	before := h.env.Agent.State().Name
	h.pressClose()
	text, buttons := h.dialogText()
	if !strings.Contains(text, "You have 1 active contact. Close anyway? You will be set Offline.") {
		t.Fatalf("the dialog says %q", text)
	}
	if buttons["Keep open"] == nil || buttons["Close"] == nil {
		t.Fatalf("dialog buttons %v", buttons)
	}
	h.UI(func() { test.Tap(buttons["Keep open"]) })
	if text, _ := h.dialogText(); text != "" {
		t.Errorf("the dialog stayed after Keep open: %q", text)
	}
	if h.quits.Load() != 0 || h.env.Agent.State().Name != before {
		t.Fatalf("Keep open quit (%d) or changed the state (%s)", h.quits.Load(), h.env.Agent.State().Name)
	}
	if ActiveContacts(h.env.Agent) != 1 {
		t.Fatal("Keep open lost the contact")
	}

	h.pressClose()
	_, buttons = h.dialogText()
	h.UI(func() { test.Tap(buttons["Close"]) })
	if !centertest.Eventually(func() bool { return h.quits.Load() == 1 }) {
		t.Fatal("Close anyway did not quit")
	}
	next, enqueued := h.env.Agent.NextState()
	if h.env.Agent.State().Type != core.AgentStateTypeOffline && (!enqueued || next.Type != core.AgentStateTypeOffline) {
		t.Errorf("agent %s (next %v) after closing anyway, want Offline now or next", h.env.Agent.State().Name, next.Name)
	}
}

func TestClosingTwiceShowsOneDialog(t *testing.T) {
	h := newHarness(t)
	h.ring()
	h.pressClose()
	h.pressClose()
	n := 0
	h.UI(func() { n = len(h.win.Canvas().Overlays().List()) })
	if n != 1 {
		t.Errorf("%d dialogs after pressing close twice", n)
	}
}

func TestCloseToTrayHidesWithoutAsking(t *testing.T) {
	h := newHarness(t)
	h.ring()
	before := h.env.Agent.State().Name
	h.toTray = true
	h.pressClose()
	if text, _ := h.dialogText(); text != "" {
		t.Errorf("closing to the tray asked %q", text)
	}
	if h.quits.Load() != 0 {
		t.Error("closing to the tray quit the app")
	}
	found := false
	h.UI(func() {
		for _, w := range h.app.Driver().AllWindows() {
			found = found || w == h.win
		}
	})
	if !found || ActiveContacts(h.env.Agent) != 1 || h.env.Agent.State().Name != before {
		t.Errorf("after hiding: window kept %v, contacts %d, state %s", found, ActiveContacts(h.env.Agent), h.env.Agent.State().Name)
	}
}

func TestConfirmMessageCountsContacts(t *testing.T) {
	if got := ConfirmMessage(3); got != "You have 3 active contacts. Close anyway? You will be set Offline." {
		t.Errorf("ConfirmMessage(3) = %q", got)
	}
}
