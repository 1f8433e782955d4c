package settings

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/test"
)

// fakeDesktop keeps start-at-login in memory and writes a fixed bundle.
type fakeDesktop struct {
	mu       sync.Mutex
	atLogin  bool
	setErr   error
	tray     bool
	saveErr  error
	bundle   string
	setCalls []bool
}

func (f *fakeDesktop) StartAtLogin() (bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.atLogin, nil
}

func (f *fakeDesktop) SetStartAtLogin(on bool) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.setCalls = append(f.setCalls, on)
	if f.setErr != nil {
		return f.setErr
	}
	f.atLogin = on
	return nil
}

func (f *fakeDesktop) HasTray() bool    { return f.tray }
func (f *fakeDesktop) LogsName() string { return "agentdesk-logs-test.zip" }
func (f *fakeDesktop) SaveLogs(w io.Writer) error {
	if f.saveErr != nil {
		return f.saveErr
	}
	_, err := io.WriteString(w, f.bundle)
	return err
}

func (f *fakeDesktop) loginState() (bool, []bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.atLogin, append([]bool(nil), f.setCalls...)
}

func newDesktopHarness(t *testing.T, desk *fakeDesktop) *harness {
	h := newHarness(t)
	h.desk = desk
	h.login(h.media, h.audio)
	return h
}

func TestNoDesktopSectionWithoutControls(t *testing.T) {
	h := newHarness(t)
	h.UI(func() {
		if h.v.startAtLogin != nil || h.v.saveLogs != nil {
			t.Error("a desktop section without desktop controls")
		}
	})
}

func TestStartAtLoginFollowsTheOS(t *testing.T) {
	desk := &fakeDesktop{atLogin: true, tray: true}
	h := newDesktopHarness(t, desk)
	h.UI(func() {
		if !h.v.startAtLogin.Checked {
			t.Fatal("the check is off while the OS starts AgentDesk at login")
		}
		test.Tap(h.v.startAtLogin)
	})
	h.wait("start at login switched off", func() bool { on, _ := desk.loginState(); return !on })
	h.WaitUI("the check enabled again", func() bool { return !h.v.startAtLogin.Disabled() && !h.v.startAtLogin.Checked })

	desk.mu.Lock()
	desk.setErr = errors.New("permission denied")
	desk.mu.Unlock()
	h.UI(func() { test.Tap(h.v.startAtLogin) })
	h.WaitUI("the problem shown and the check back off", func() bool {
		return h.v.desktopProblem.Visible() && strings.Contains(h.v.desktopProblem.Text, "permission denied") &&
			!h.v.startAtLogin.Checked && !h.v.startAtLogin.Disabled()
	})
	if on, calls := desk.loginState(); on || len(calls) != 2 {
		t.Errorf("OS entry %v after calls %v", on, calls)
	}
}

func TestCloseToTrayIsStored(t *testing.T) {
	h := newDesktopHarness(t, &fakeDesktop{tray: true})
	if CloseToTray(h.prefs) {
		t.Fatal("close to tray on by default")
	}
	h.UI(func() { test.Tap(h.v.closeToTray) })
	if !CloseToTray(h.prefs) {
		t.Error("checking close to tray did not store it")
	}
	if v := Values(h.prefs); v[KeyCloseToTray] != true {
		t.Errorf("Values() = %v, want close to tray in it", v)
	}
}

func TestCloseToTrayNeedsATray(t *testing.T) {
	h := newDesktopHarness(t, &fakeDesktop{tray: false})
	h.UI(func() {
		if !h.v.closeToTray.Disabled() {
			t.Error("close to tray can be checked on a desktop without a tray")
		}
	})
}

func TestSaveLogsWritesTheBundle(t *testing.T) {
	desk := &fakeDesktop{tray: true, bundle: "PK-zip-bytes"}
	h := newDesktopHarness(t, desk)
	path := filepath.Join(t.TempDir(), "logs.zip")
	w, err := storage.Writer(storage.NewFileURI(path))
	if err != nil {
		t.Fatal(err)
	}
	h.UI(func() { h.v.SaveLogsTo(w) })
	h.WaitUI("the saved message", func() bool {
		return strings.Contains(h.v.desktopStatus.Text, "Logs saved to "+path) && !h.v.saveLogs.Disabled()
	})
	if data, _ := os.ReadFile(path); string(data) != "PK-zip-bytes" {
		t.Errorf("the file has %q", data)
	}

	desk.saveErr = errors.New("disk full")
	w, _ = storage.Writer(storage.NewFileURI(path))
	h.UI(func() { h.v.SaveLogsTo(w) })
	h.WaitUI("the failure", func() bool {
		return h.v.desktopProblem.Visible() && strings.Contains(h.v.desktopProblem.Text, "The logs were not saved: disk full")
	})
}

func TestSaveLogsButtonAsksWhere(t *testing.T) {
	h := newDesktopHarness(t, &fakeDesktop{tray: true})
	h.UI(func() {
		test.Tap(h.v.saveLogs)
		w := h.v.window()
		if w == nil || w.Canvas().Overlays().Top() == nil {
			t.Error("Save logs… opened no file dialog")
		}
	})
}
