package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/agentdesk/agentdesk/audio/bridge"
	"github.com/agentdesk/agentdesk/core"
	"github.com/agentdesk/agentdesk/core/center"
	"github.com/agentdesk/agentdesk/core/remote"
)

// serveConfig is what `agentdesk serve` is told.
type serveConfig struct {
	listen   string
	instance string
	traffic  float64
	token    string
}

func parseServeFlags(args []string) (serveConfig, error) {
	cfg := serveConfig{token: os.Getenv("AGENTDESK_TOKEN")}
	fs := flag.NewFlagSet("agentdesk serve", flag.ContinueOnError)
	fs.StringVar(&cfg.listen, "listen", ":7420", "`address` to serve the agents on")
	fs.StringVar(&cfg.instance, "instance", "", "contact center instance `file` (TOML, see docs/instance.md); the built-in demo center when empty")
	trafficFlag(fs, &cfg.traffic)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), `Usage: agentdesk serve [flags]

Runs the contact center over the network for a team: each agent starts
AgentDesk with --center http://THIS-HOST:7420 --agent LOGIN. When the
AGENTDESK_TOKEN environment variable is set, agents must give the same token.

Flags:
`)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return cfg, err
	}
	return cfg, checkTraffic(cfg.traffic)
}

// serve runs the center and its media until SIGINT or SIGTERM.
func serve(cfg serveConfig, log *slog.Logger) error {
	inst, err := loadInstance(cfg.instance)
	if err != nil {
		return err
	}
	media := bridge.New(bridge.Config{Log: log})
	defer media.Close()
	cc := center.New(inst, center.WithLogger(log), center.WithMedia(media), center.WithSeed(uint64(time.Now().UnixNano())))
	defer cc.Close()
	cc.StartTraffic(cfg.traffic)
	srv := remote.NewServer(remote.ServerConfig{Token: cfg.token, Log: log,
		Open: func(login string) (core.Backend, error) {
			s, err := cc.Session(login)
			if err != nil {
				return nil, err
			}
			return s, nil
		}})
	defer srv.Close()

	l, err := net.Listen("tcp", cfg.listen)
	if err != nil {
		return fmt.Errorf("serve on %s: %w", cfg.listen, err)
	}
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = hs.Shutdown(shut)
	}()
	log.Info("contact center serving agents", "addr", l.Addr().String(), "agents", cc.Logins(), "token", cfg.token != "")
	if err := hs.Serve(l); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// trafficFlag is --traffic, for the app and for serve alike.
func trafficFlag(fs *flag.FlagSet, rate *float64) {
	fs.Float64Var(rate, "traffic", 1.5, "simulated customers arriving per minute across all queues (0 for none)")
}

func checkTraffic(rate float64) error {
	if rate < 0 {
		return fmt.Errorf("--traffic must be 0 or more, not %g", rate)
	}
	return nil
}
