// Command agentdesk is the AgentDesk contact control panel: it wires the
// embedded contact center, the agent model and the window together.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"runtime"
	"runtime/debug"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"

	"github.com/agentdesk/agentdesk/assets"
	"github.com/agentdesk/agentdesk/audio/bridge"
	"github.com/agentdesk/agentdesk/audio/device"
	"github.com/agentdesk/agentdesk/audio/softphone"
	"github.com/agentdesk/agentdesk/audio/timerslack" // linked, it sets the process's timer slack before Go starts
	"github.com/agentdesk/agentdesk/core"
	"github.com/agentdesk/agentdesk/core/applog"
	"github.com/agentdesk/agentdesk/core/center"
	"github.com/agentdesk/agentdesk/core/remote"
	"github.com/agentdesk/agentdesk/ui"
	"github.com/agentdesk/agentdesk/ui/desktop"
	"github.com/agentdesk/agentdesk/ui/settings"
	"github.com/agentdesk/agentdesk/ui/tray"
	"github.com/agentdesk/agentdesk/ui/window"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

type config struct {
	instance string
	agent    string
	traffic  float64
	version  bool
	noAudio  bool
	center   string // URL of a center run by `agentdesk serve`; empty for the embedded one
	seed     uint64
}

func parseFlags(args []string) (config, error) {
	var cfg config
	fs := flag.NewFlagSet("agentdesk", flag.ContinueOnError)
	fs.StringVar(&cfg.instance, "instance", "", "contact center instance `file` (TOML, see docs/instance.md); the built-in demo center when empty")
	fs.StringVar(&cfg.agent, "agent", "", "log in as this agent `login` (default: the instance's default_agent)")
	trafficFlag(fs, &cfg.traffic)
	fs.BoolVar(&cfg.version, "version", false, "print the version and exit")
	fs.BoolVar(&cfg.noAudio, "no-audio", false, "run without the softphone's audio engine")
	fs.Uint64Var(&cfg.seed, "seed", 0, "seed of the simulated customers: the same `N` brings the same customers in the same order (0: a new seed each run)")
	fs.StringVar(&cfg.center, "center", "", "`URL` of a team's contact center (agentdesk serve); the team token comes from AGENTDESK_TOKEN once, then from the OS keyring")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), `AgentDesk %s — a contact control panel for contact-center agents.

Usage: agentdesk [flags]
       agentdesk serve [flags]     (the contact center for a team; see agentdesk serve -h)

With no flags it opens the window on the built-in demo contact center,
logged in as its default agent, with simulated customers calling, chatting
and sending tasks.

Flags:
`, version)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return cfg, err
	}
	return cfg, checkTraffic(cfg.traffic)
}

// openSoftphone starts the audio engine and the softphone; without a sound
// system the app still runs, and calls carry no audio.
func openSoftphone(log *slog.Logger, disabled bool) (*softphone.Softphone, func()) {
	if disabled {
		return nil, func() {}
	}
	eng, err := device.NewEngine(device.Config{Logger: log})
	if err != nil {
		log.Warn("no audio engine: calls will carry no sound", "err", err)
		return nil, func() {}
	}
	phone, err := softphone.New(softphone.Config{Engine: eng, Log: log})
	if err != nil {
		log.Warn("no softphone: calls will carry no sound", "err", err)
		eng.Close()
		return nil, func() {}
	}
	return phone, func() {
		phone.Close()
		eng.Close()
	}
}

// startClient opens a session for login on the center and starts a client
// on it, with the softphone as its media when there is one.
func startClient(ctx context.Context, cc *centerLink, login string, phone *softphone.Softphone, log *slog.Logger) (*core.Client, error) {
	session, err := cc.open(ctx, login)
	if err != nil {
		return nil, fmt.Errorf("log in as %s: %w", login, err)
	}
	opts := []core.Option{core.WithLogger(log)}
	if phone != nil {
		opts = append(opts, core.WithMedia(phone))
	}
	client := core.NewClient(session, opts...)
	if err := client.Start(ctx); err != nil {
		client.Close()
		return nil, fmt.Errorf("log in as %s: %w", login, err)
	}
	if phone != nil {
		if err := phone.Attach(client); err != nil {
			client.Close()
			return nil, err
		}
	}
	return client, nil
}

func main() {
	if len(os.Args) > 1 && os.Args[1] == "serve" {
		cfg, err := parseServeFlags(os.Args[2:])
		if errors.Is(err, flag.ErrHelp) {
			return
		}
		if err == nil {
			err = serve(cfg, slog.New(slog.NewTextHandler(os.Stderr, nil)))
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "agentdesk serve:", err)
			os.Exit(1)
		}
		return
	}
	cfg, err := parseFlags(os.Args[1:])
	if errors.Is(err, flag.ErrHelp) {
		return
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "agentdesk:", err)
		os.Exit(2)
	}
	if cfg.version {
		fmt.Println("agentdesk", version)
		return
	}
	// One softphone per agent: a second launch shows the first one's window
	// and ends here, before any audio or center starts.
	single, err := desktop.Claim("")
	switch {
	case errors.Is(err, desktop.ErrAlreadyRunning):
		fmt.Println("agentdesk:", err)
		return
	case errors.Is(err, desktop.ErrNotAnswering):
		fmt.Fprintln(os.Stderr, "agentdesk:", err)
		os.Exit(1)
	case err != nil: // a broken runtime dir must not keep the agent from working
		fmt.Fprintln(os.Stderr, "agentdesk: running without the single-instance check:", err)
	}
	err = run(cfg, single)
	single.Close()
	if err != nil {
		fmt.Fprintln(os.Stderr, "agentdesk:", err)
		os.Exit(1)
	}
}

// openLogs logs to the user's log directory and stderr, or to stderr only
// when the directory cannot be used.
func openLogs() (*applog.Logs, *slog.Logger) {
	logs, err := applog.Open(applog.Config{})
	if err != nil {
		log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
		log.Warn("logging to stderr only", "err", err)
		return nil, log
	}
	if err := logs.CatchCrashes(); err != nil {
		logs.Logger().Warn("crashes will not be kept in the log directory", "err", err)
	}
	return logs, logs.Logger()
}

// gcPercent is the window's GOGC unless the environment sets one. The app
// stays open all day and allocates little once its window is built, so a
// collection now and then costs nothing measurable, while the default (100)
// lets the heap grow to twice what it holds between collections, and 25 to
// a quarter more. In a call, against 50: a collection every 6 s instead
// of 12 s, about 0.05 % of a core more, and 1.1 MB less PSS.
const gcPercent = 25

func run(cfg config, single *desktop.Instance) error {
	if _, set := os.LookupEnv("GOGC"); !set {
		debug.SetGCPercent(gcPercent)
	}
	logs, log := openLogs()
	if logs != nil {
		defer logs.Close()
	}
	log.Info("AgentDesk starting", "version", version, "timer_slack", timerslack.Current())
	if err := timerslack.Err(); err != nil {
		log.Warn("timer slack", "err", err)
	}
	cc, err := openCenter(cfg, log)
	if err != nil {
		return err
	}
	defer cc.close()
	phone, closeAudio := openSoftphone(log, cfg.noAudio)
	defer closeAudio()
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	client, err := startClient(ctx, cc, cc.login, phone, log)
	if err != nil {
		return err
	}
	defer func() { client.Close() }()

	desktop.LeanSoftwareGL()
	a := app.NewWithID("io.agentdesk.app")
	a.SetIcon(fyne.NewStaticResource("icon.png", assets.Icon))
	w, err := ui.NewMain(a, client)
	if err != nil {
		return err
	}
	if phone != nil {
		w.SetAudio(phone)
		w.SetCallQuality(phoneQuality{phone})
	}
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
		defer cancel()
		if err := w.RestoreSettings(ctx); err != nil {
			log.Warn("some saved settings could not be applied", "err", err)
		}
	}()
	// Without a StatusNotifierWatcher a Linux tray would not show: the
	// window then raises itself when a contact rings.
	trayOpts := tray.Options{Logger: log, NoTray: runtime.GOOS == "linux" && !tray.HasStatusNotifierWatcher()}
	t := tray.New(a, w.Window(), client, trayOpts)
	defer func() { t.Close() }()
	closeOpts := window.CloseOptions{Logger: log,
		ToTray: func() bool { return t.HasTray() && settings.CloseToTray(a.Preferences()) }}
	window.InterceptClose(a, w.Window(), client, closeOpts)
	show := window.ShowWindow(w.Window(), nil)
	single.OnShow(func() {
		log.Info("another launch asked for the window")
		show()
	})
	w.SetDesktop(desktopControls(logs, a.Preferences(), t.HasTray(), phone))

	// After a log out the window offers the center's agents; a new login
	// gets a new session, client, softphone attachment, tray and close guard.
	w.SetLogin(cc.agents, func(ctx context.Context, login string) (*core.Client, error) {
		return startClient(ctx, cc, login, phone, log)
	})
	w.OnLoggedIn(func(next *core.Client) {
		old := client
		client = next
		t.Close()
		t = tray.New(a, w.Window(), client, trayOpts)
		window.InterceptClose(a, w.Window(), client, closeOpts)
		go old.Close()
	})
	w.Run(a)
	return nil
}

func loadInstance(path string) (*center.Instance, error) {
	if path == "" {
		return center.DefaultInstance(), nil
	}
	return center.LoadInstance(path)
}

// centerLink is the contact center the app logs in to: the team's, or an
// embedded one with simulated customers.
type centerLink struct {
	login  string           // who logs in at start
	agents []ui.AgentChoice // offered on the login screen; empty when unknown
	open   func(ctx context.Context, login string) (core.Backend, error)
	close  func()
}

// openCenter reaches the team's center when --center is given, otherwise it
// starts an embedded one.
func openCenter(cfg config, log *slog.Logger) (*centerLink, error) {
	if cfg.center != "" {
		if cfg.agent == "" {
			return nil, errors.New("--agent is needed with --center")
		}
		// A token given in the environment is kept in the OS keyring, so
		// later starts need no secret on the command line or in a file.
		token := os.Getenv("AGENTDESK_TOKEN")
		if token != "" {
			if err := remote.SaveToken(cfg.center, token); err != nil {
				log.Warn("the team token is not remembered", "err", err)
			}
		} else {
			token = remote.SavedToken(cfg.center)
		}
		return &centerLink{login: cfg.agent, close: func() {},
			open: func(ctx context.Context, login string) (core.Backend, error) {
				return remote.Dial(ctx, remote.Config{URL: cfg.center, Login: login, Token: token, Log: log})
			}}, nil
	}
	inst, err := loadInstance(cfg.instance)
	if err != nil {
		return nil, err
	}
	login := cfg.agent
	if login == "" {
		login = inst.DefaultAgent
	}
	if login == "" {
		login = inst.Agents[0].Login
	}
	media := bridge.New(bridge.Config{Log: log})
	seed := cfg.seed
	if seed == 0 {
		seed = uint64(time.Now().UnixNano())
	}
	cc := center.New(inst, center.WithLogger(log), center.WithMedia(media), center.WithSeed(seed))
	cc.StartTraffic(cfg.traffic)
	var agents []ui.AgentChoice
	for _, ag := range inst.Agents {
		agents = append(agents, ui.AgentChoice{Login: ag.Login, Name: ag.Name})
	}
	return &centerLink{login: login, agents: agents,
		open: func(_ context.Context, login string) (core.Backend, error) {
			s, err := cc.Session(login)
			if err != nil {
				return nil, err
			}
			return s, nil
		},
		close: func() {
			cc.Close()
			media.Close()
		}}, nil
}

func desktopControls(logs *applog.Logs, prefs fyne.Preferences, hasTray bool, phone *softphone.Softphone) *desktop.Controls {
	c := &desktop.Controls{Tray: hasTray, Logs: logs, Version: version,
		Settings: func() map[string]any { return settings.Values(prefs) }}
	if exe, err := os.Executable(); err == nil {
		c.Autostart = desktop.NewAutostart(exe)
	}
	if phone != nil {
		c.Calls = func() any { return phone.Histories() }
	}
	return c
}
