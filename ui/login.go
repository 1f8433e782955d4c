package ui

import (
	"context"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/agentdesk/agentdesk/core"
	"github.com/agentdesk/agentdesk/ui/i18n"
)

// LoginFunc opens a session for the agent with this login and returns its
// started client; main wires it to the center (and the softphone and tray).
type LoginFunc func(ctx context.Context, login string) (*core.Client, error)

// loginForm is the login screen's widgets.
type loginForm struct {
	who    *widget.SelectEntry
	button *widget.Button
	status *widget.Label
}

// AgentChoice is an agent the login screen offers.
type AgentChoice struct {
	Login, Name string
}

// SetLogin lets the agent log in again after logging out, as one of agents
// or any login typed in.
func (m *Main) SetLogin(agents []AgentChoice, login LoginFunc) {
	m.agents, m.login = agents, login
}

// OnLoggedIn runs fn on the UI thread with the client of each new login
// from the login screen (main moves the tray over to it).
func (m *Main) OnLoggedIn(fn func(*core.Client)) { m.onLoggedIn = fn }

// LogOut sets the agent Offline and ends the session, then shows the login
// screen. On a contact, Offline waits for the contact to end and the header
// says the agent will be logged out after it.
func (m *Main) LogOut() {
	if m.loggedOut {
		return
	}
	m.loggingOut = true
	agent := m.agent
	m.act(func(ctx context.Context) error {
		err := agent.Logout(ctx)
		if err != nil {
			m.do(func() { m.loggingOut = false })
		}
		return err
	})
	m.refreshAgent()
}

// checkLoggedOut shows the login screen once a log out has gone through:
// the agent is Offline with no contacts left.
func (m *Main) checkLoggedOut() {
	if !m.loggingOut || m.loggedOut {
		return
	}
	if m.agent.State().Type != core.AgentStateTypeOffline || len(m.agent.Contacts()) > 0 {
		return
	}
	m.showLogin("")
}

// showLogin replaces the window's content with the login screen.
func (m *Main) showLogin(problem string) {
	if !m.loggedOut {
		m.close()
		m.unsubs = nil
		m.loggedOut, m.loggingOut = true, false
		if m.settings != nil {
			m.settings.Close()
		}
	}
	m.win.SetMainMenu(nil)
	m.removeShortcuts()
	m.cards = map[string]*contactCard{}
	m.win.SetTitle("AgentDesk")
	m.win.SetContent(withMinSize(m.loginView(problem)))
}

func (m *Main) loginView(problem string) fyne.CanvasObject {
	var options []string
	byOption := map[string]string{}
	for _, a := range m.agents {
		opt := a.Login
		if a.Name != "" {
			opt = a.Name + " (" + a.Login + ")"
		}
		options = append(options, opt)
		byOption[opt] = a.Login
	}
	who := widget.NewSelectEntry(options)
	who.SetPlaceHolder(lang.L("Agent login"))
	if m.agent != nil {
		who.SetText(m.agent.Configuration().Username)
	}
	status := widget.NewLabel(problem)
	status.Wrapping = fyne.TextWrapWord
	status.Importance = widget.DangerImportance
	showIfText(status)
	var login *widget.Button
	submit := func() {
		name := strings.TrimSpace(who.Text)
		if l, ok := byOption[name]; ok {
			name = l
		}
		if name == "" || m.login == nil {
			return
		}
		login.Disable()
		status.SetText("")
		showIfText(status)
		fn := m.login
		go func() {
			ctx, cancel := context.WithTimeout(context.Background(), actionTimeout)
			defer cancel()
			client, err := fn(ctx, name)
			var agent *core.Agent
			if err == nil {
				agent, err = client.Agent()
			}
			m.do(func() {
				if err != nil {
					login.Enable()
					status.SetText(i18n.Failed(lang.L("Could not log in"), err))
					showIfText(status)
					return
				}
				m.bind(client, agent)
			})
		}()
	}
	who.OnSubmitted = func(string) { submit() }
	login = widget.NewButton(lang.L("Log in"), submit)
	login.Importance = widget.HighImportance
	m.loginForm = loginForm{who: who, button: login, status: status}
	if m.login == nil {
		login.Disable()
	}
	title := widget.NewLabelWithStyle("AgentDesk", fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	out := widget.NewLabel(lang.L("You are logged out."))
	out.Alignment = fyne.TextAlignCenter
	form := container.NewVBox(title, out, widget.NewLabel(lang.L("Log in as")), who, login, status)
	return container.NewPadded(container.NewVBox(form))
}

// bind shows the window for a newly logged-in client.
func (m *Main) bind(client *core.Client, agent *core.Agent) {
	m.client, m.agent = client, agent
	m.loggedOut, m.loggingOut = false, false
	m.locale = agent.Configuration().AgentPreferences.Locale
	m.profileLanguage()
	m.win.SetTitle("AgentDesk — " + agent.Name())
	m.rebuild()
	m.subscribe()
	if m.onLoggedIn != nil {
		m.onLoggedIn(client)
	}
}
