package desktop

import (
	"errors"
	"io"

	"github.com/agentdesk/agentdesk/core/applog"
)

// Controls are the desktop settings the settings view drives
// (settings.DesktopControls): start at login, whether there is a tray, and
// the log bundle.
type Controls struct {
	Autostart *Autostart   // nil: start at login is not offered
	Tray      bool         // a system tray is showing
	Logs      *applog.Logs // nil: no log directory, Save logs… fails
	Version   string
	// Settings are the stored settings for the bundle; secrets are redacted
	// by key there.
	Settings func() map[string]any
	// Calls is the recent calls' quality for the bundle (JSON-able).
	Calls func() any
}

// StartAtLogin reports whether the OS starts AgentDesk at login.
func (c *Controls) StartAtLogin() (bool, error) {
	if c.Autostart == nil {
		return false, nil
	}
	return c.Autostart.Enabled()
}

// SetStartAtLogin adds or removes the OS's start-at-login entry.
func (c *Controls) SetStartAtLogin(on bool) error {
	if c.Autostart == nil {
		return errors.New("start at login is not available on this system")
	}
	return c.Autostart.SetEnabled(on)
}

// HasTray reports whether closing to the tray is possible.
func (c *Controls) HasTray() bool { return c.Tray }

// LogsName is a file name for a bundle saved now.
func (c *Controls) LogsName() string { return applog.BundleName() }

// SaveLogs writes the log bundle to w.
func (c *Controls) SaveLogs(w io.Writer) error {
	if c.Logs == nil {
		return errors.New("logs are not being written to a file (see the warning at start-up)")
	}
	b := applog.Bundle{Version: c.Version}
	if c.Settings != nil {
		b.Settings = c.Settings()
	}
	if c.Calls != nil {
		b.Calls = c.Calls()
	}
	return c.Logs.WriteBundle(w, b)
}
