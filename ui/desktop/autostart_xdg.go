//go:build !windows && !darwin

package desktop

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// defaultLocation is $XDG_CONFIG_HOME/autostart/io.agentdesk.app.desktop.
func defaultLocation() string {
	base := os.Getenv("XDG_CONFIG_HOME")
	if !filepath.IsAbs(base) {
		home, _ := os.UserHomeDir()
		base = filepath.Join(home, ".config")
	}
	return filepath.Join(base, "autostart", AppID+".desktop")
}

// Enabled reports whether the autostart file is there and not hidden.
func (a *Autostart) Enabled() (bool, error) {
	data, err := os.ReadFile(a.loc)
	if errors.Is(err, os.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("read the autostart entry: %w", err)
	}
	for _, line := range strings.Split(string(data), "\n") {
		if strings.TrimSpace(line) == "Hidden=true" {
			return false, nil
		}
	}
	return true, nil
}

// SetEnabled writes or removes the autostart file.
func (a *Autostart) SetEnabled(on bool) error {
	if !on {
		if err := os.Remove(a.loc); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("remove the autostart entry: %w", err)
		}
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(a.loc), 0o755); err != nil {
		return fmt.Errorf("write the autostart entry: %w", err)
	}
	return writeFileAtomic(a.loc, []byte(a.desktopEntry()))
}

func (a *Autostart) desktopEntry() string {
	return "[Desktop Entry]\n" +
		"Type=Application\n" +
		"Name=AgentDesk\n" +
		"Comment=Contact control panel\n" +
		"Exec=" + ExecLine(append([]string{a.exe}, a.args...)) + "\n" +
		"Icon=" + AppID + "\n" +
		"Terminal=false\n" +
		"X-GNOME-Autostart-enabled=true\n"
}

// ExecLine quotes args for a desktop entry's Exec key: arguments with
// reserved characters in double quotes, with ", `, $ and \ escaped, and
// then every \ doubled as the entry's string escaping wants.
func ExecLine(args []string) string {
	quoted := make([]string, len(args))
	for i, arg := range args {
		if arg != "" && !strings.ContainsAny(arg, " \t\n\"'\\><~|&;$*?#()`%=") {
			quoted[i] = arg
			continue
		}
		var b strings.Builder
		b.WriteByte('"')
		for _, r := range arg {
			switch r {
			case '"', '`', '$', '\\':
				b.WriteByte('\\')
			case '%':
				b.WriteByte('%') // field codes: %% is a literal %
			}
			b.WriteRune(r)
		}
		b.WriteByte('"')
		quoted[i] = b.String()
	}
	return strings.ReplaceAll(strings.Join(quoted, " "), `\`, `\\`)
}
