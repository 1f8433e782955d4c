// Package ui holds AgentDesk's Fyne views, bound to the core agent model. It
// is the only package that calls fyne.Do; core and audio never import Fyne.
package ui

import (
	"context"
	"fmt"
	"image/color"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/agentdesk/agentdesk/core"
	"github.com/agentdesk/agentdesk/ui/callquality"
	"github.com/agentdesk/agentdesk/ui/conference"
	"github.com/agentdesk/agentdesk/ui/dialpad"
	"github.com/agentdesk/agentdesk/ui/i18n"
	"github.com/agentdesk/agentdesk/ui/namenumber"
	"github.com/agentdesk/agentdesk/ui/quickconnect"
	"github.com/agentdesk/agentdesk/ui/settings"
)

// actionTimeout bounds how long a button waits for the center.
const actionTimeout = 15 * time.Second

// Main is the agent's main window: status header and contact cards.
type Main struct {
	client *core.Client
	agent  *core.Agent
	win    fyne.Window

	dot        *canvas.Circle
	states     *widget.Select
	stateTimer *widget.Label
	next       *widget.Label
	status     *widget.Label
	statusRow  *fyne.Container // status, and the contact count on the right
	problem    *widget.Label
	cardsBox   *fyne.Container
	empty      *widget.Label
	cards      map[string]*contactCard
	dial       *widget.Button
	pad        *dialpad.Pad
	padBox     *fyne.Container
	quick      *widget.Button // toggles the quick connect list
	qc         *quickconnect.List
	qcBox      *fyne.Container
	history    historyPanel   // recent contacts, toggled from the header
	link       *linkIndicator // how the link to the center is doing

	updatingSelect bool
	// ordered holds actions that must reach the center in the order tapped
	// (DTMF digits); orderedRunning is whether a goroutine is draining it.
	orderedMu      sync.Mutex
	ordered        []func(context.Context) error
	orderedRunning bool
	// problemGen counts the problems shown; an action that succeeds clears
	// the problem only if none was shown since it started, so that it
	// never hides a newer one (a softphone failure during an Accept).
	problemGen atomic.Uint64
	unsubs     []func()
	// do runs UI work from other goroutines: fyne.Do, or a serialiser in tests.
	do func(func())

	app     fyne.App
	audio   settings.AudioControls // nil without a softphone
	quality callquality.Source     // nil without a softphone
	// metering is whether a call-quality panel shows, so that its level
	// meters need reading between the one-second ticks.
	metering atomic.Bool
	settings fyne.Window // open settings window, if any

	desktop settings.DesktopControls // nil: no desktop settings
	// settingsView is the view in the settings window.
	settingsView *settings.View

	// locale is the center's language setting the window last followed.
	locale string
	// login starts a new session after a log out; nil when there is none.
	login      LoginFunc
	agents     []AgentChoice
	loggingOut bool
	loggedOut  bool
	count      *widget.Label // how many contacts, when more than one
	loginForm  loginForm
	onLoggedIn func(*core.Client)
}

// NewMain builds the main window for a started client and subscribes it to
// the agent's events.
func NewMain(app fyne.App, client *core.Client) (*Main, error) {
	agent, err := client.Agent()
	if err != nil {
		return nil, err
	}
	m := &Main{client: client, agent: agent, cards: map[string]*contactCard{}, do: fyne.Do, app: app}
	m.locale = agent.Configuration().AgentPreferences.Locale
	startLanguageAndTheme(app)
	m.profileLanguage()
	m.win = app.NewWindow("AgentDesk — " + agent.Name())
	m.build()
	m.subscribe()
	m.win.Resize(fyne.NewSize(420, 560))
	m.win.SetOnClosed(m.close)
	return m, nil
}

// Window is the Fyne window.
func (m *Main) Window() fyne.Window { return m.win }

// SetAudio gives the settings view the softphone's audio controls; leave it
// unset (nil) when there is no softphone.
func (m *Main) SetAudio(a settings.AudioControls) { m.audio = a }

// SetDesktop gives the settings view start at login, close to the tray and
// Save logs….
func (m *Main) SetDesktop(d settings.DesktopControls) { m.desktop = d }

// RestoreSettings applies the settings saved last time (devices, echo
// cancellation, phone and language). Call it off the UI thread.
func (m *Main) RestoreSettings(ctx context.Context) error {
	v := settings.New(m.client, m.app.Preferences(), settings.Options{Do: m.do, Audio: m.audio})
	defer v.Close()
	return v.Restore(ctx)
}

// ShowSettings opens the settings window, or brings it forward.
func (m *Main) ShowSettings() {
	if m.settings != nil {
		m.settings.RequestFocus()
		return
	}
	w := m.app.NewWindow("")
	m.settings = w
	m.fillSettings()
	w.Resize(settingsSize(m.settingsView))
	stop := make(chan struct{})
	go func() {
		t := time.NewTicker(100 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				m.do(func() {
					if m.settingsView != nil {
						m.settingsView.Tick()
					}
				})
			case <-stop:
				return
			}
		}
	}()
	w.SetOnClosed(func() {
		close(stop)
		m.settingsView.Close()
		m.settingsView = nil
		m.settings = nil
	})
	w.Show()
}

// maxSettingsHeight keeps the settings window on a 768-pixel-high screen;
// what does not fit scrolls.
const maxSettingsHeight = 720

// settingsSize is tall enough to show every setting without scrolling,
// within maxSettingsHeight.
func settingsSize(v *settings.View) fyne.Size {
	h := float32(560)
	if s, ok := v.Content().(*container.Scroll); ok {
		h = max(h, s.Content.MinSize().Height)
	}
	return fyne.NewSize(420, min(h, maxSettingsHeight))
}

// fillSettings puts a new settings view in the open settings window, in
// the current language.
func (m *Main) fillSettings() {
	if m.settingsView != nil {
		m.settingsView.Close()
	}
	m.settingsView = settings.New(m.client, m.app.Preferences(),
		settings.Options{Do: m.do, Audio: m.audio, Desktop: m.desktop, Settings: m.app.Settings()})
	m.settings.SetTitle("AgentDesk — " + lang.L("Settings"))
	m.settings.SetContent(withMinSize(m.settingsView.Content()))
}

func (m *Main) build() {
	m.dot = canvas.NewCircle(stateColor(m.agent.State()))
	m.dot.Resize(fyne.NewSize(12, 12))
	var names []string
	for _, s := range m.agent.AgentStates() {
		names = append(names, i18n.StateLabel(s.Name))
	}
	m.states = widget.NewSelect(names, m.chooseState)
	m.stateTimer = widget.NewLabel("")
	m.link = newLinkIndicator()
	m.link.show(m.client.ConnectionStatus())
	// The status and next-state lines wrap: a system state's explanation
	// or the logging-out warning is a sentence, wider than the narrowest
	// window in English and more so in German.
	m.next = widget.NewLabel("")
	m.next.Importance = widget.WarningImportance
	m.next.Wrapping = fyne.TextWrapWord
	m.status = widget.NewLabel("")
	m.status.TextStyle.Bold = true
	m.status.Wrapping = fyne.TextWrapWord
	m.problem = widget.NewLabel("")
	m.problem.Importance = widget.DangerImportance
	m.problem.Wrapping = fyne.TextWrapWord
	m.empty = widget.NewLabel(emptyText(m.agent.State()))
	m.empty.Wrapping = fyne.TextWrapWord
	m.empty.Alignment = fyne.TextAlignCenter
	m.cardsBox = container.New(&cardsLayout{}, m.empty)
	m.count = widget.NewLabel("")
	m.statusRow = container.NewBorder(nil, nil, nil, m.count, m.status)

	cfg := m.agent.Configuration()
	m.pad = dialpad.New(dialpad.Options{
		Countries: cfg.DialableCountries,
		CanCall:   m.agent.HasPermission(core.PermissionOutboundCall),
		OnCall:    m.call,
	})
	m.padBox = container.NewVBox(m.pad.Content())
	m.padBox.Hide()
	m.dial = widget.NewButtonWithIcon(lang.L("Dial"), theme.ContentAddIcon(), m.toggleDialPad)
	m.qc = quickconnect.New(quickconnect.Options{OnPick: m.callQuickConnect})
	m.qcBox = container.NewVBox(m.qc.Content())
	m.qcBox.Hide()
	m.quick = widget.NewButtonWithIcon("", theme.ListIcon(), m.toggleQuickConnects) // quick connects
	m.history.build(m)

	dot := container.NewGridWrap(fyne.NewSize(14, 14), m.dot)
	gear := widget.NewButtonWithIcon("", theme.SettingsIcon(), m.ShowSettings)
	// Long state names (German, or an error state's) truncate rather than
	// widen the window.
	header := container.New(&headerLayout{dial: m.dial, label: m.dial.Text, stateMin: 120},
		container.NewCenter(dot), m.states, m.dial, m.quick, m.history.button, gear)
	name := widget.NewLabelWithStyle(m.agent.Name(), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	name.Truncation = fyne.TextTruncateEllipsis
	top := container.NewVBox(
		container.NewBorder(nil, nil, nil, container.NewHBox(m.link.content(), m.stateTimer), name),
		header,
		m.statusRow,
		m.next,
		m.problem,
		widget.NewSeparator(),
	)
	panel := container.NewVBox(m.padBox, m.history.box, m.qcBox)
	body := container.New(&sidePanelLayout{}, panel, container.NewVScroll(m.cardsBox))
	m.win.SetContent(withMinSize(container.NewBorder(top, nil, nil, nil, body)))
	m.addShortcuts()
	m.refreshAgent()
}

// rebuild makes the window's widgets again, in the current language and
// theme, with a card for each of the agent's contacts.
func (m *Main) rebuild() {
	if m.loggedOut {
		m.showLogin("")
		return
	}
	m.cards = map[string]*contactCard{}
	m.build()
	for _, c := range m.agent.Contacts() {
		m.addCard(c)
	}
}

func (m *Main) subscribe() {
	a := m.agent
	m.unsubs = append(m.unsubs,
		a.OnRefresh(func(*core.Agent) { m.do(m.refreshAgent) }),
		a.OnConnectionStatus(func(st core.ConnectionStatus) { m.do(func() { m.link.show(st) }) }),
		a.OnSoftphoneError(func(e core.SoftphoneError) {
			m.do(func() { m.showProblem(softphoneProblem(e)) })
		}),
		a.OnMuteToggle(func(muted bool) {
			m.do(func() {
				for _, card := range m.cards {
					card.showMuted(muted)
				}
			})
		}),
		m.client.OnContact(func(c *core.Contact) {
			m.do(func() { m.addCard(c) })
			c.OnRefresh(func(c *core.Contact) {
				m.do(func() {
					if card := m.cards[c.ContactID()]; card != nil {
						card.refresh()
					}
				})
			})
			c.OnDestroy(func(c *core.Contact) { m.do(func() { m.removeCard(c.ContactID()) }) })
		}),
	)
}

// Tick updates the timers; Run calls it every second.
func (m *Main) Tick() {
	m.stateTimer.SetText(i18n.Duration(m.agent.StateDuration()))
	for _, card := range m.cards {
		card.tick()
	}
}

// Run shows the window, keeps the timers going and runs the app.
func (m *Main) Run(app fyne.App) {
	stop := make(chan struct{})
	go m.clock(stop)
	m.win.ShowAndRun()
	close(stop)
}

func (m *Main) close() {
	m.history.close()
	for _, u := range m.unsubs {
		u()
	}
}

func (m *Main) refreshAgent() {
	if m.loggedOut {
		return
	}
	if m.followLocale() {
		return // rebuilt, refreshed
	}
	st := m.agent.State()
	m.dot.FillColor = stateColor(st)
	m.dot.Refresh()
	m.updatingSelect = true
	if st.Type == core.AgentStateTypeRoutable || st.Type == core.AgentStateTypeNotRoutable || st.Type == core.AgentStateTypeOffline {
		m.states.PlaceHolder = i18n.StateLabel(st.Name)
		m.states.SetSelected(i18n.StateLabel(st.Name))
		m.status.SetText("")
	} else {
		// System and error states are shown under their own names.
		m.states.ClearSelected()
		m.states.PlaceHolder = i18n.StateLabel(st.Name)
		m.states.Refresh()
		// The status line explains what the short label does not.
		if h := humanState(st.Name); h != i18n.StateLabel(st.Name) {
			m.status.SetText(h)
		} else {
			m.status.SetText("")
		}
	}
	m.empty.SetText(emptyText(st))
	m.updatingSelect = false
	if ns, ok := m.agent.NextState(); ok && m.loggingOut && ns.Type == core.AgentStateTypeOffline {
		m.next.SetText(lang.L("You will be logged out after this contact."))
	} else if ok {
		m.next.SetText(lang.L("Next: {{.State}}", map[string]any{"State": i18n.StateLabel(ns.Name)}))
	} else {
		m.next.SetText("")
	}
	m.stateTimer.SetText(i18n.Duration(m.agent.StateDuration()))
	m.pad.SetCanCall(m.agent.HasPermission(core.PermissionOutboundCall))
	m.refreshCount()
	showIfText(m.status, m.next, m.problem)
	m.showStatusRow()
	m.checkLoggedOut()
}

func (m *Main) toggleDialPad() {
	if m.padBox.Visible() {
		m.padBox.Hide()
		highlight(m.dial, false)
		return
	}
	m.qcBox.Hide() // one panel at a time keeps the window small
	highlight(m.quick, false)
	m.padBox.Show()
	highlight(m.dial, true)
	m.win.Canvas().Focus(m.pad.Entry)
}

// highlight marks a header button whose panel is open.
func highlight(b *widget.Button, open bool) {
	if open {
		b.Importance = widget.HighImportance
	} else {
		b.Importance = widget.MediumImportance
	}
	b.Refresh()
}

// toggleQuickConnects shows or hides the quick connect list, loading the
// quick connects of the agent's queues each time it opens.
func (m *Main) toggleQuickConnects() {
	if m.qcBox.Visible() {
		m.qcBox.Hide()
		highlight(m.quick, false)
		return
	}
	m.padBox.Hide()
	highlight(m.dial, false)
	m.qcBox.Show()
	highlight(m.quick, true)
	m.qc.Set(nil, false)
	m.qc.SetStatus(lang.L("Loading…"))
	arns := append(m.agent.AllQueueARNs(), m.agent.RoutingProfile().DefaultOutboundQueue.QueueARN)
	m.act(func(ctx context.Context) error {
		eps, err := m.agent.Endpoints(ctx, arns...)
		m.do(func() {
			if err != nil {
				m.qc.SetStatus(lang.L("Could not load quick connects."))
				return
			}
			m.qc.Set(eps, false)
			m.qc.SetStatus(noneText(m.qc))
		})
		return err
	})
	m.win.Canvas().Focus(m.qc.Search)
}

// callQuickConnect places an outbound call to a picked phone quick connect.
func (m *Main) callQuickConnect(e core.Endpoint) {
	m.qcBox.Hide()
	highlight(m.quick, false)
	m.act(func(ctx context.Context) error {
		_, err := m.agent.Connect(ctx, e)
		return err
	})
}

// noneText says so when a loaded list has nothing to show.
func noneText(l *quickconnect.List) string {
	if len(l.Shown()) == 0 {
		return lang.L("No quick connects.")
	}
	return ""
}

// call places an outbound call to a number the dial pad checked.
func (m *Main) call(e164 string) {
	m.padBox.Hide()
	highlight(m.dial, false)
	m.act(func(ctx context.Context) error {
		_, err := m.agent.Connect(ctx, core.EndpointByPhoneNumber(e164))
		return err
	})
}

// showIfText hides labels with nothing to say, so they take no room.
func showIfText(labels ...*widget.Label) {
	for _, l := range labels {
		if l.Text == "" {
			l.Hide()
		} else {
			l.Show()
		}
	}
}

func (m *Main) chooseState(name string) {
	if m.updatingSelect || name == "" {
		return
	}
	var target core.AgentState
	for _, s := range m.agent.AgentStates() {
		if i18n.StateLabel(s.Name) == name {
			target = s
		}
	}
	var opts []core.SetStateOption
	for _, c := range m.agent.Contacts() {
		if c.State().Type.Active() {
			opts = append(opts, core.EnqueueNextState())
			break
		}
	}
	m.act(func(ctx context.Context) error { return m.agent.SetState(ctx, target, opts...) })
}

// act runs a center call off the UI thread and shows its error in place.
func (m *Main) act(fn func(ctx context.Context) error) {
	go m.runAct(fn, m.problemGen.Load())
}

// runAct runs fn and shows its error; if it succeeds, it clears the
// problem shown when it started (gen), and no newer one.
func (m *Main) runAct(fn func(ctx context.Context) error, gen uint64) {
	ctx, cancel := context.WithTimeout(context.Background(), actionTimeout)
	defer cancel()
	err := fn(ctx)
	m.do(func() {
		switch {
		case err != nil:
			m.showProblem(i18n.Error(err))
		case m.problemGen.Load() == gen:
			m.problem.SetText("")
		}
		m.refreshAgent()
	})
}

// showProblem shows text in place, above the contacts. UI thread only.
func (m *Main) showProblem(text string) {
	m.problemGen.Add(1)
	m.problem.SetText(text)
	showIfText(m.problem)
}

// actInOrder is act for actions whose order matters, such as DTMF digits:
// they run one after another, in the order they were asked for.
func (m *Main) actInOrder(fn func(ctx context.Context) error) {
	m.orderedMu.Lock()
	defer m.orderedMu.Unlock()
	m.ordered = append(m.ordered, fn)
	if m.orderedRunning {
		return
	}
	m.orderedRunning = true
	go func() {
		for {
			m.orderedMu.Lock()
			if len(m.ordered) == 0 {
				m.orderedRunning = false
				m.orderedMu.Unlock()
				return
			}
			next := m.ordered[0]
			m.ordered = m.ordered[1:]
			m.orderedMu.Unlock()
			m.runAct(next, m.problemGen.Load())
		}
	}()
}

func (m *Main) addCard(c *core.Contact) {
	if _, ok := m.cards[c.ContactID()]; ok {
		return
	}
	card := newContactCard(m, c)
	m.cards[c.ContactID()] = card
	m.layoutCards()
}

func (m *Main) removeCard(id string) {
	delete(m.cards, id)
	m.layoutCards()
}

// orderedCards are the cards in the order they show.
func (m *Main) orderedCards() []*contactCard {
	ids := make([]string, 0, len(m.cards))
	for id := range m.cards {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	out := make([]*contactCard, 0, len(ids))
	for _, id := range ids {
		out = append(out, m.cards[id])
	}
	return out
}

func (m *Main) layoutCards() {
	var objs []fyne.CanvasObject
	for _, k := range m.orderedCards() {
		objs = append(objs, k.box)
	}
	if len(objs) == 0 {
		objs = append(objs, m.empty)
	}
	m.cardsBox.Objects = objs
	m.cardsBox.Refresh()
	m.refreshCount()
}

// refreshCount says how many contacts there are, when more than one.
func (m *Main) refreshCount() {
	m.count.SetText("")
	if n := len(m.cards); n > 1 {
		m.count.SetText(lang.N("{{.Count}} contacts", n, map[string]any{"Count": n}))
	}
	showIfText(m.count)
	m.showStatusRow()
}

// showStatusRow hides the status and count's row when both are empty, so
// that it leaves no gap under the header.
func (m *Main) showStatusRow() {
	if m.status.Visible() || m.count.Visible() {
		m.statusRow.Show()
	} else {
		m.statusRow.Hide()
	}
}

// contactCard shows one contact and its buttons.
type contactCard struct {
	m       *Main
	c       *core.Contact
	box     *fyne.Container
	heading *fyne.Container // the channel and the customer's name, then their number (namenumber)
	queue   *widget.Label
	detail  *widget.Label
	timer   *widget.Label
	handed  *widget.Label // whom the agent handed the contact to, in ACW
	attrs   *widget.Label
	accept  *widget.Button
	reject  *widget.Button
	end     *widget.Button
	clear   *widget.Button
	buttons *fyne.Container

	// Second row: transfer and consult.
	transfer *widget.Button
	addParty *widget.Button
	join     *widget.Button
	swap     *widget.Button
	buttons2 *fyne.Container
	conf     *conference.Controls // Hold all and Leave
	quality  qualityPanel         // jitter, loss, RTT and levels of the call
	qc       *quickconnect.List
	qcBox    *fyne.Container
	qcMode   qcMode // what a pick in qc does; qcClosed while hidden

	mute       *widget.Button
	hold       *widget.Button
	keypadBtn  *widget.Button
	keypad     *dialpad.Keypad
	keypadBox  *fyne.Container
	keypadOpen bool

	transcript *widget.RichText // chat: the conversation so far
	reply      *widget.Entry    // chat: the agent's next message
	send       *widget.Button
	chatBox    *fyne.Container
}

// qcMode is what picking a quick connect on a card does.
type qcMode int

const (
	qcClosed qcMode = iota
	qcTransfer
	qcAddParty
)

func newContactCard(m *Main, c *core.Contact) *contactCard {
	k := &contactCard{m: m, c: c}
	k.detail = widget.NewLabel("")
	k.timer = widget.NewLabel("")
	k.handed = widget.NewLabel("")
	k.handed.Wrapping = fyne.TextWrapWord
	k.attrs = widget.NewLabel("")
	k.attrs.Wrapping = fyne.TextWrapWord
	k.accept = widget.NewButtonWithIcon(lang.L("Accept"), theme.ConfirmIcon(), func() { k.run(k.c.Accept) })
	k.accept.Importance = widget.SuccessImportance
	k.reject = widget.NewButtonWithIcon(lang.L("Reject"), theme.CancelIcon(), func() { k.run(k.c.Reject) })
	k.end = widget.NewButtonWithIcon(lang.L("End"), theme.CancelIcon(), func() {
		k.run(func(ctx context.Context) error {
			ac := k.c.AgentConnection()
			if ac == nil {
				return fmt.Errorf("%s (%s)", lang.L("You are not on this contact"), k.c.ContactID())
			}
			return ac.Destroy(ctx)
		})
	})
	k.end.Importance = widget.DangerImportance
	k.clear = widget.NewButtonWithIcon(lang.L("Clear"), theme.DeleteIcon(), func() { k.run(k.c.Clear) })
	k.mute = widget.NewButtonWithIcon(lang.L("Mute"), theme.VolumeMuteIcon(), func() {
		a := k.m.agent
		k.run(func(context.Context) error {
			if a.IsMuted() {
				a.Unmute()
			} else {
				a.Mute()
			}
			return nil
		})
	})
	k.hold = widget.NewButtonWithIcon(lang.L("Hold"), theme.MediaPauseIcon(), func() {
		k.run(func(ctx context.Context) error {
			ic := k.c.InitialConnection()
			if ic == nil {
				return fmt.Errorf("%s (%s)", lang.L("The customer is no longer on this contact"), k.c.ContactID())
			}
			if ic.IsOnHold() {
				return ic.Resume(ctx)
			}
			return ic.Hold(ctx)
		})
	})
	k.keypad = dialpad.NewKeypad(k.sendDigit)
	k.keypadBox = container.NewVBox(k.keypad.Content())
	k.keypadBox.Hide()
	k.keypadBtn = widget.NewButtonWithIcon(lang.L("Keypad"), theme.GridIcon(), func() {
		k.keypadOpen = !k.keypadOpen
		k.refresh()
	})
	k.transcript = widget.NewRichText()
	k.transcript.Wrapping = fyne.TextWrapWord
	k.reply = widget.NewEntry()
	k.reply.SetPlaceHolder(lang.L("Type a reply"))
	k.reply.OnSubmitted = func(string) { k.sendReply() }
	k.send = widget.NewButtonWithIcon(lang.L("Send"), theme.MailSendIcon(), k.sendReply)
	k.chatBox = container.NewVBox(k.transcript, container.NewBorder(nil, nil, nil, k.send, k.reply))
	k.chatBox.Hide()
	k.buttons = container.New(layout.NewRowWrapLayout())
	k.transfer = widget.NewButtonWithIcon(lang.L("Transfer"), theme.MailForwardIcon(), func() { k.openQuickConnects(qcTransfer) })
	k.addParty = widget.NewButtonWithIcon(lang.L("Add party"), theme.ContentAddIcon(), func() { k.openQuickConnects(qcAddParty) })
	k.join = widget.NewButtonWithIcon(lang.L("Join"), theme.MediaRecordIcon(), func() { k.run(k.c.ConferenceConnections) })
	k.swap = widget.NewButtonWithIcon(lang.L("Swap"), theme.ViewRefreshIcon(), func() { k.run(k.c.ToggleActiveConnections) })
	k.buttons2 = container.New(layout.NewRowWrapLayout())
	k.qc = quickconnect.New(quickconnect.Options{OnPick: k.pickQuickConnect})
	k.qcBox = container.NewVBox(k.qc.Content())
	k.qcBox.Hide()
	k.conf = conference.New(c, k.run)
	k.quality.build()
	k.heading = namenumber.New()
	k.queue = widget.NewLabel("")
	bg := newCardBackground()
	body := container.NewVBox(
		container.NewBorder(nil, nil, nil, k.timer, k.heading),
		container.NewBorder(nil, nil, nil, k.detail, k.queue),
		k.handed, k.attrs, k.chatBox, k.buttons, k.buttons2, k.conf.Content(), k.qcBox, k.keypadBox, k.quality.box)
	k.box = container.NewStack(bg, container.NewPadded(body))
	k.showMuted(m.agent.IsMuted())
	k.refresh()
	return k
}

func (k *contactCard) run(fn func(context.Context) error) {
	k.m.act(fn)
}

// openQuickConnects shows the card's quick connect list for a transfer or a
// consult, loading the quick connects of the contact's queue and of the
// default outbound queue; tapping the open mode's button again closes it.
func (k *contactCard) openQuickConnects(mode qcMode) {
	if k.qcMode == mode {
		k.qcMode = qcClosed
		k.refresh()
		return
	}
	k.qcMode = mode
	k.qc.Set(nil, true)
	k.qc.SetStatus(lang.L("Loading…"))
	k.refresh()
	a, c := k.m.agent, k.c
	arns := []string{c.Queue().QueueARN, a.RoutingProfile().DefaultOutboundQueue.QueueARN}
	k.m.act(func(ctx context.Context) error {
		eps, err := a.Endpoints(ctx, arns...)
		k.m.do(func() {
			if k.qcMode != mode {
				return // closed or switched meanwhile
			}
			if err != nil {
				k.qc.SetStatus(lang.L("Could not load quick connects."))
				return
			}
			k.qc.Set(eps, true)
			k.qc.SetStatus(noneText(k.qc))
		})
		return err
	})
}

// pickQuickConnect transfers to, or consults, the picked quick connect.
func (k *contactCard) pickQuickConnect(e core.Endpoint) {
	mode := k.qcMode
	k.qcMode = qcClosed
	k.refresh()
	switch mode {
	case qcTransfer:
		k.run(func(ctx context.Context) error { return k.c.Transfer(ctx, e) })
	case qcAddParty:
		k.run(func(ctx context.Context) error { return k.c.AddConnection(ctx, e) })
	}
}

// sendDigit sends one DTMF key to whoever the agent is talking to.
func (k *contactCard) sendDigit(key string) {
	k.m.actInOrder(func(ctx context.Context) error {
		ac := k.c.AgentConnection()
		if ac == nil {
			return fmt.Errorf("%s (%s)", lang.L("You are not on this contact"), k.c.ContactID())
		}
		return ac.SendDigits(ctx, key)
	})
}

func (k *contactCard) showMuted(muted bool) {
	if muted {
		k.mute.SetText(lang.L("Unmute"))
		k.mute.SetIcon(theme.VolumeUpIcon())
	} else {
		k.mute.SetText(lang.L("Mute"))
		k.mute.SetIcon(theme.VolumeMuteIcon())
	}
}

func (k *contactCard) refresh() {
	c := k.c
	title := i18n.Channel(c.Type())
	who, number := "", ""
	if ic := c.InitialConnection(); ic != nil {
		e := ic.Endpoint()
		who = e.Name
		// A chat has no phone number to show, whatever the endpoint holds.
		if e.PhoneNumber != "" && e.PhoneNumber != e.Name && c.Type() != core.ContactTypeChat {
			number = i18n.PhoneNumber(e.PhoneNumber)
		}
	}
	if c.Type() == core.ContactTypeTask {
		who, number = c.Name(), ""
	}
	if who != "" {
		title += " · " + who
	}
	namenumber.Set(k.heading, title, number)
	k.queue.SetText(c.Queue().Name)
	k.detail.SetText(humanContactState(c))
	k.handed.SetText("")
	if to := c.TransferredTo(); to != "" && c.State().Type == core.ContactStateEnded {
		k.handed.SetText(lang.L("Transferred to {{.Name}}", map[string]any{"Name": to}))
	}
	showIfText(k.handed)
	attrs := c.Attributes()
	keys := make([]string, 0, len(attrs))
	for key := range attrs {
		keys = append(keys, key)
	}
	sort.Strings(keys)
	text := ""
	for _, key := range keys {
		text += key + ": " + attrs[key] + "\n"
	}
	if c.Type() == core.ContactTypeTask {
		if c.Description() != "" {
			text += c.Description() + "\n"
		}
		for _, r := range c.References() {
			text += r.Name + ": " + r.Value + "\n"
		}
	}
	k.attrs.SetText(trimNL(text))
	showIfText(k.attrs)
	k.refreshChat()
	var objs []fyne.CanvasObject
	st := c.State().Type
	switch {
	case core.ShouldShowAcceptButton(c):
		objs = append(objs, k.accept, k.reject)
	case st.Active():
		objs = append(objs, k.end)
	default:
		objs = append(objs, k.clear)
	}
	inCall := c.Type() == core.ContactTypeVoice && st == core.ContactStateConnected
	if inCall {
		objs = append(objs, k.mute, k.hold, k.keypadBtn)
		if ic := c.InitialConnection(); ic != nil && ic.IsOnHold() {
			k.hold.SetText(lang.L("Resume"))
			k.hold.SetIcon(theme.MediaPlayIcon())
		} else {
			k.hold.SetText(lang.L("Hold"))
			k.hold.SetIcon(theme.MediaPauseIcon())
		}
	}
	if inCall && k.keypadOpen {
		k.keypadBox.Show()
	} else {
		k.keypadBox.Hide()
	}
	// Off a call, Transfer is the only other button: it shares End's row.
	second := k.secondRow(inCall)
	if !inCall {
		objs = append(objs, second...)
		second = nil
	}
	k.buttons.Objects = objs
	k.buttons.Refresh()
	k.showSecondRow(second)
	k.conf.Refresh()
	k.tick()
}

// secondRow is Transfer on a connected call, chat or task and, on a call,
// Add party, then Join and Swap once a third party is on it; it also
// closes or highlights the quick connect list these buttons open.
func (k *contactCard) secondRow(inCall bool) []fyne.CanvasObject {
	c := k.c
	var objs []fyne.CanvasObject
	connected := c.State().Type == core.ContactStateConnected
	switch c.Type() {
	case core.ContactTypeVoice, core.ContactTypeChat, core.ContactTypeTask:
		if connected {
			objs = append(objs, k.transfer)
		}
	}
	if inCall {
		objs = append(objs, k.addParty)
		if len(c.ThirdPartyConnections()) > 0 {
			objs = append(objs, k.join, k.swap)
		}
	}
	if len(objs) == 0 {
		k.qcMode = qcClosed
	}
	if k.qcMode == qcAddParty && !inCall {
		k.qcMode = qcClosed
	}
	if k.qcMode == qcClosed {
		k.qcBox.Hide()
	} else {
		k.qcBox.Show()
	}
	k.transfer.Importance = widget.MediumImportance
	k.addParty.Importance = widget.MediumImportance
	switch k.qcMode {
	case qcTransfer:
		k.transfer.Importance = widget.HighImportance
	case qcAddParty:
		k.addParty.Importance = widget.HighImportance
	}
	k.transfer.Refresh()
	k.addParty.Refresh()
	return objs
}

// showSecondRow puts objs on the card's second row, hidden when empty.
func (k *contactCard) showSecondRow(objs []fyne.CanvasObject) {
	k.buttons2.Objects = objs
	k.buttons2.Refresh()
	if len(objs) == 0 {
		k.buttons2.Hide()
	} else {
		k.buttons2.Show()
	}
}

// refreshChat shows a chat's transcript, and the reply box while connected.
func (k *contactCard) refreshChat() {
	if k.c.Type() != core.ContactTypeChat {
		return
	}
	var segs []widget.RichTextSegment
	for _, msg := range k.c.Messages() {
		if msg.Participant == core.ParticipantSystem {
			// Events ("Chris Lee joined the chat") have no sender.
			style := widget.RichTextStyleParagraph
			style.TextStyle.Italic = true
			style.ColorName = theme.ColorNamePlaceHolder
			segs = append(segs, &widget.TextSegment{Text: msg.Content, Style: style})
			continue
		}
		segs = append(segs, &widget.TextSegment{Text: msg.DisplayName + ": " + msg.Content, Style: widget.RichTextStyleParagraph})
	}
	k.transcript.Segments = segs
	k.transcript.Refresh()
	k.chatBox.Show()
	if k.c.State().Type == core.ContactStateConnected {
		k.reply.Enable()
		k.send.Enable()
	} else {
		k.reply.Disable()
		k.send.Disable()
	}
}

// sendReply sends the typed reply; the box empties once the center has it.
func (k *contactCard) sendReply() {
	text := strings.TrimSpace(k.reply.Text)
	if text == "" {
		return
	}
	k.reply.SetText("")
	k.m.act(func(ctx context.Context) error {
		if err := k.c.SendMessage(ctx, text); err != nil {
			k.m.do(func() { k.reply.SetText(text) }) // nothing is lost
			return err
		}
		return nil
	})
}

func (k *contactCard) tick() {
	k.tickQuality()
	d := k.c.StateDuration()
	if dl := k.c.ACWDeadline(); !dl.IsZero() && k.c.State().Type == core.ContactStateEnded {
		left := time.Until(dl).Round(time.Second)
		k.timer.SetText(i18n.Duration(d) + " " + lang.L("(ACW {{.Left}} left)", map[string]any{"Left": i18n.Duration(max(left, 0))}))
		return
	}
	k.timer.SetText(i18n.Duration(d))
}

func trimNL(s string) string {
	for len(s) > 0 && s[len(s)-1] == '\n' {
		s = s[:len(s)-1]
	}
	return s
}

func humanContactState(c *core.Contact) string {
	st := c.State().Type
	switch st {
	case core.ContactStateConnecting:
		if c.IsInbound() {
			return lang.L("Incoming")
		}
		return lang.L("Calling…")
	case core.ContactStateIncoming:
		return lang.L("Incoming callback")
	case core.ContactStateConnected:
		return lang.L("Connected")
	case core.ContactStateEnded:
		return lang.L("After contact work")
	case core.ContactStateMissed:
		return lang.L("Missed")
	case core.ContactStateRejected:
		return lang.L("Rejected")
	case core.ContactStateError:
		return lang.L("Failed")
	}
	return string(st)
}

func humanState(name string) string {
	switch name {
	case core.StatePendingBusy:
		return lang.L("Incoming contact")
	case core.StateBusy:
		return lang.L("On contact")
	case core.StateAfterCallWork:
		return lang.L("After contact work")
	case core.StateCallingCustomer:
		return lang.L("Calling customer")
	case core.StateDialing:
		return lang.L("Dialing")
	case core.StateJoining:
		return lang.L("Joining")
	case core.StatePendingAvailable:
		return lang.L("Available after this contact")
	case core.StateMissedCallAgent:
		return lang.L("Missed contact: clear it to take the next one")
	case core.StateFailedConnectAgent, core.StateFailedConnectCustomer:
		return lang.L("The call could not be connected")
	case core.StateLineEngagedCustomer:
		return lang.L("The customer's line is busy")
	case core.StateBadAddressCustomer:
		return lang.L("The number could not be reached")
	case core.StateAgentHungUp:
		return lang.L("You ended the call")
	case core.StateMultipleCcpWindows:
		return lang.L("Logged in from another window")
	case core.StateRealtimeCommunicationError:
		return lang.L("Softphone connection failed")
	}
	return i18n.StateLabel(name)
}

// softphoneProblem says why the softphone failed a call, and what the agent
// can do about it, with the softphone's own words as the details.
func softphoneProblem(e core.SoftphoneError) string {
	var why string
	switch e.ErrorType {
	case core.SoftphoneMicrophoneNotShared:
		why = lang.L("The microphone could not be opened, so the call was not connected. Check the microphone in Settings.")
	case core.SoftphoneSignallingHandshakeFailure, core.SoftphoneSignallingConnectionFailure, core.SoftphoneICECollectionTimeout:
		why = lang.L("The softphone could not reach the contact center's media server, so the call was not connected.")
	case core.SoftphoneRealtimeCommunicationError:
		why = lang.L("The call's audio connection failed.")
	default:
		why = lang.L("The softphone failed the call.")
	}
	if e.ErrorMessage == "" {
		return why
	}
	return why + "\n" + lang.L("Details: {{.Text}}", map[string]any{"Text": e.ErrorMessage})
}

// emptyText is what the window says while there are no contacts: that
// contacts will come while routable, how to get some otherwise.
func emptyText(st core.AgentState) string {
	switch st.Type {
	case core.AgentStateTypeRoutable:
		return lang.L("Waiting for contacts…")
	case core.AgentStateTypeNotRoutable, core.AgentStateTypeOffline:
		return lang.L("No contacts. Set yourself Available to take calls, chats and tasks.")
	}
	return lang.L("No contacts.")
}

// stateColor is the status dot's colour.
func stateColor(s core.AgentState) color.Color {
	switch s.Type {
	case core.AgentStateTypeRoutable:
		return color.NRGBA{R: 0x2e, G: 0xa0, B: 0x43, A: 0xff}
	case core.AgentStateTypeNotRoutable:
		return color.NRGBA{R: 0xe0, G: 0x9b, B: 0x00, A: 0xff}
	case core.AgentStateTypeError:
		return color.NRGBA{R: 0xd1, G: 0x24, B: 0x2f, A: 0xff}
	case core.AgentStateTypeSystem:
		return color.NRGBA{R: 0x1f, G: 0x6f, B: 0xeb, A: 0xff}
	}
	return color.NRGBA{R: 0x8c, G: 0x95, B: 0x9f, A: 0xff}
}
