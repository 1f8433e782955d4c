package ui

import (
	"context"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"

	"github.com/agentdesk/agentdesk/core"
	"github.com/agentdesk/agentdesk/core/centertest"
	"github.com/agentdesk/agentdesk/ui/i18n"
	"github.com/agentdesk/agentdesk/ui/uitest"
)

// flakyLink is a center session whose link status the test sets, as the
// network client reports it when the agent's network drops and returns.
type flakyLink struct {
	core.Backend
	mu     sync.Mutex
	status func(core.ConnectionStatus)
}

func (f *flakyLink) Subscribe(fn func(core.Snapshot), status func(core.ConnectionStatus)) func() {
	f.mu.Lock()
	f.status = status
	f.mu.Unlock()
	return f.Backend.Subscribe(fn, status)
}

func (f *flakyLink) set(st core.ConnectionStatus) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.status(st)
}

func TestHeaderShowsTheLinkToTheCenter(t *testing.T) {
	env := centertest.New(t, nil, "alice")
	s, err := env.Center.Session("bob")
	if err != nil {
		t.Fatal(err)
	}
	link := &flakyLink{Backend: s}
	client := core.NewClient(link, core.WithClock(env.Clock), core.WithLogger(centertest.Quiet))
	t.Cleanup(func() { client.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := client.Start(ctx); err != nil {
		t.Fatal(err)
	}
	th := uitest.NewThread(t)
	app := test.NewTempApp(t)
	var m *Main
	th.UI(func() {
		if m, err = NewMain(app, client); err != nil {
			t.Fatal(err)
		}
		m.do = th.Do
		m.win.Show()
	})
	// The agent reads the words and sees the dot's colour: green, amber, red.
	shows := func(want string, dot fyne.ThemeColorName) {
		t.Helper()
		th.WaitUI("the link indicator reads "+want+" by a "+string(dot)+" dot", func() bool {
			return m.link.label.Text == want && m.link.dot.FillColor == theme.Color(dot)
		})
	}
	shows("Connected", theme.ColorNameSuccess)
	link.set(core.ConnectionStatusDisconnected)
	shows("Connection lost — reconnecting…", theme.ColorNameWarning)
	link.set(core.ConnectionStatusConnecting)
	shows("Connecting…", theme.ColorNameWarning)
	link.set(core.ConnectionStatusConnected)
	shows("Connected", theme.ColorNameSuccess)
	link.set(core.ConnectionStatusFailed)
	shows("Disconnected: log in again", theme.ColorNameError)
}

// In Japanese and Chinese a call that is connected and a link that is
// connected are different words: the header must not say the agent is on
// a call while they wait for one.
func TestConnectedLinkIsNotAConnectedCall(t *testing.T) {
	resetLanguage(t)
	for loc, want := range map[string]string{"ja_JP": "接続済み", "zh_CN": "已连接", "zh_TW": "已連線", "de_DE": "Verbunden"} {
		if err := i18n.Apply(loc); err != nil {
			t.Fatal(err)
		}
		if got, _ := linkText(core.ConnectionStatusConnected); got != want {
			t.Errorf("%s: the link reads %q, want %q", loc, got, want)
		}
	}
}
