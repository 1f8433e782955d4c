//go:build darwin

package desktop

import (
	"encoding/xml"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// defaultLocation is ~/Library/LaunchAgents/io.agentdesk.app.plist.
func defaultLocation() string {
	home, _ := os.UserHomeDir()
	return filepath.Join(home, "Library", "LaunchAgents", AppID+".plist")
}

// Enabled reports whether the LaunchAgent is there.
func (a *Autostart) Enabled() (bool, error) {
	_, err := os.Stat(a.loc)
	if errors.Is(err, os.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("read the LaunchAgent: %w", err)
	}
	return true, nil
}

// SetEnabled writes or removes the LaunchAgent, run at load (login).
func (a *Autostart) SetEnabled(on bool) error {
	if !on {
		if err := os.Remove(a.loc); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("remove the LaunchAgent: %w", err)
		}
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(a.loc), 0o755); err != nil {
		return fmt.Errorf("write the LaunchAgent: %w", err)
	}
	var args strings.Builder
	for _, s := range append([]string{a.exe}, a.args...) {
		args.WriteString("\t\t<string>")
		_ = xml.EscapeText(&args, []byte(s))
		args.WriteString("</string>\n")
	}
	plist := `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
	<key>Label</key>
	<string>` + AppID + `</string>
	<key>ProgramArguments</key>
	<array>
` + args.String() + `	</array>
	<key>RunAtLoad</key>
	<true/>
</dict>
</plist>
`
	return writeFileAtomic(a.loc, []byte(plist))
}
