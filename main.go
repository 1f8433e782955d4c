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
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"

	"github.com/agentdesk/agentdesk/assets"
	"github.com/agentdesk/agentdesk/audio/bridge"
	"github.com/agentdesk/agentdesk/audio/device"
	"github.com/agentdesk/agentdesk/audio/softphone"
	"github.com/agentdesk/agentdesk/core"
	"github.com/agentdesk/agentdesk/core/center"
	"github.com/agentdesk/agentdesk/core/remote"
	"github.com/agentdesk/agentdesk/ui"
	"github.com/agentdesk/agentdesk/ui/tray"
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
	fs.Float64Var(&cfg.traffic, "traffic", 1.5, "simulated customers arriving per minute across all queues (0 for none)")
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
	if cfg.traffic < 0 {
		return cfg, fmt.Errorf("--traffic must be 0 or more, not %g", cfg.traffic)
	}
	return cfg, nil
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
	if err := run(cfg); err != nil {
		fmt.Fprintln(os.Stderr, "agentdesk:", err)
		os.Exit(1)
	}
}

func run(cfg config) error {
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	backend, closeCenter, err := openCenter(cfg, log)
	if err != nil {
		return err
	}
	defer closeCenter()
	phone, closeAudio := openSoftphone(log, cfg.noAudio)
	defer closeAudio()
	opts := []core.Option{core.WithLogger(log)}
	if phone != nil {
		opts = append(opts, core.WithMedia(phone))
	}
	client := core.NewClient(backend, opts...)
	defer client.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := client.Start(ctx); err != nil {
		return fmt.Errorf("log in: %w", err)
	}
	if phone != nil {
		if err := phone.Attach(client); err != nil {
			return err
		}
	}

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
	t := tray.New(a, w.Window(), client, tray.Options{Logger: log,
		NoTray: runtime.GOOS == "linux" && !tray.HasStatusNotifierWatcher()})
	defer t.Close()
	w.Run(a)
	return nil
}

func loadInstance(path string) (*center.Instance, error) {
	if path == "" {
		return center.DefaultInstance(), nil
	}
	return center.LoadInstance(path)
}

// openCenter logs the agent in: on the team's center when --center is given,
// otherwise on an embedded center with simulated customers.
func openCenter(cfg config, log *slog.Logger) (core.Backend, func(), error) {
	if cfg.center != "" {
		ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
		defer cancel()
		if cfg.agent == "" {
			return nil, nil, errors.New("--agent is needed with --center")
		}
		// A token given in the environment is kept in the OS keyring, so
		// later starts need no secret on the command line or in a file.
		token := os.Getenv("AGENTDESK_TOKEN")
		if token == "" {
			token = remote.SavedToken(cfg.center)
		}
		b, err := remote.Dial(ctx, remote.Config{URL: cfg.center, Login: cfg.agent, Token: token, Log: log})
		if err != nil {
			return nil, nil, fmt.Errorf("log in as %s: %w", cfg.agent, err)
		}
		if env := os.Getenv("AGENTDESK_TOKEN"); env != "" {
			if err := remote.SaveToken(cfg.center, env); err != nil {
				log.Warn("the team token is not remembered", "err", err)
			}
		}
		return b, func() {}, nil
	}
	inst, err := loadInstance(cfg.instance)
	if err != nil {
		return nil, nil, err
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
	closeAll := func() {
		cc.Close()
		media.Close()
	}
	session, err := cc.Session(login)
	if err != nil {
		closeAll()
		return nil, nil, fmt.Errorf("log in as %s: %w", login, err)
	}
	return session, closeAll, nil
}
