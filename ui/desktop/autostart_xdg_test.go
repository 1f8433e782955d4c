//go:build !windows && !darwin

package desktop

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestAutostartFileAppearsAndGoes(t *testing.T) {
	cfg := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", cfg)
	a := NewAutostart("/opt/Agent Desk/agentdesk", "--instance", "/srv/center.toml")
	want := filepath.Join(cfg, "autostart", "io.agentdesk.app.desktop")
	if a.Location() != want {
		t.Fatalf("entry at %s, want %s", a.Location(), want)
	}
	if on, err := a.Enabled(); on || err != nil {
		t.Fatalf("Enabled() = %v, %v before anything was written", on, err)
	}

	if err := a.SetEnabled(true); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(want)
	if err != nil {
		t.Fatalf("no autostart file: %v", err)
	}
	entry := string(data)
	for _, line := range []string{
		"[Desktop Entry]",
		"Type=Application",
		`Exec="/opt/Agent Desk/agentdesk" --instance /srv/center.toml`,
		"Icon=io.agentdesk.app",
	} {
		if !strings.Contains(entry, line+"\n") {
			t.Errorf("the entry lacks %q:\n%s", line, entry)
		}
	}
	if on, err := a.Enabled(); !on || err != nil {
		t.Errorf("Enabled() = %v, %v after enabling", on, err)
	}

	if err := a.SetEnabled(false); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(want); !os.IsNotExist(err) {
		t.Errorf("the autostart file is still there after disabling (%v)", err)
	}
	if on, _ := a.Enabled(); on {
		t.Error("Enabled() after disabling")
	}
	if err := a.SetEnabled(false); err != nil {
		t.Errorf("disabling twice: %v", err)
	}
}

func TestAutostartHiddenByTheDesktopIsOff(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	a := NewAutostart("/usr/bin/agentdesk")
	if err := a.SetEnabled(true); err != nil {
		t.Fatal(err)
	}
	// GNOME's "Startup Applications" switches an entry off this way.
	data, _ := os.ReadFile(a.Location())
	if err := os.WriteFile(a.Location(), append(data, "Hidden=true\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	if on, _ := a.Enabled(); on {
		t.Error("an entry with Hidden=true counts as enabled")
	}
}

func TestExecLineQuoting(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"/usr/bin/agentdesk"}, "/usr/bin/agentdesk"},
		{[]string{"/home/a b/agentdesk"}, `"/home/a b/agentdesk"`},
		{[]string{"/x/agentdesk", "--traffic=2"}, `/x/agentdesk "--traffic=2"`},
		{[]string{`/we$ird/"q"`}, `"/we\\$ird/\\"q\\""`},
		{[]string{"/100%/agentdesk"}, `"/100%%/agentdesk"`},
	} {
		if got := ExecLine(c.args); got != c.want {
			t.Errorf("ExecLine(%q) = %s, want %s", c.args, got, c.want)
		}
	}
}
