package desktop

// AppID is AgentDesk's application ID, as in FyneApp.toml.
const AppID = "io.agentdesk.app"

// Autostart is the OS's start-at-login entry for AgentDesk: an XDG
// autostart file on Linux, the HKCU Run key on Windows, a LaunchAgent on
// macOS. The entry itself is the setting: what the OS has is what shows.
type Autostart struct {
	exe  string
	args []string
	loc  string // where the entry lives, set per OS; tests point it elsewhere
}

// NewAutostart is the entry that starts exe with args at login.
func NewAutostart(exe string, args ...string) *Autostart {
	return &Autostart{exe: exe, args: args, loc: defaultLocation()}
}

// Location is where the entry is: a file, or the registry value.
func (a *Autostart) Location() string { return a.loc }
