package applog

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/agentdesk/agentdesk/core/centertest"
)

func open(t *testing.T, cfg Config) *Logs {
	t.Helper()
	if cfg.Dir == "" {
		cfg.Dir = t.TempDir()
	}
	if cfg.Stderr == nil {
		cfg.Stderr = io.Discard
	}
	l, err := Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	return l
}

func TestDirFollowsXDGStateHome(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("Linux layout")
	}
	t.Setenv("XDG_STATE_HOME", "/tmp/state-here")
	if d, _ := Dir(); d != "/tmp/state-here/agentdesk" {
		t.Errorf("Dir() = %q with XDG_STATE_HOME set", d)
	}
	t.Setenv("XDG_STATE_HOME", "")
	t.Setenv("HOME", "/home/agent")
	if d, _ := Dir(); d != "/home/agent/.local/state/agentdesk" {
		t.Errorf("Dir() = %q without XDG_STATE_HOME", d)
	}
}

func TestRecordsGoToTheFileAndStderr(t *testing.T) {
	var stderr bytes.Buffer
	l := open(t, Config{Stderr: &stderr})
	l.Logger().Info("contact accepted", "contact_id", "c-17")
	data, err := os.ReadFile(filepath.Join(l.Dir(), LogFile))
	if err != nil {
		t.Fatal(err)
	}
	for where, got := range map[string]string{"file": string(data), "stderr": stderr.String()} {
		if !strings.Contains(got, `msg="contact accepted" contact_id=c-17`) {
			t.Errorf("%s has %q, want the record", where, got)
		}
	}
}

func TestLogRotatesAndKeepsOnlyMaxBackups(t *testing.T) {
	l := open(t, Config{MaxSizeMB: 1, MaxBackups: 2})
	line := strings.Repeat("x", 1000)
	// About 4.5 MB: four rotations of a 1 MB file.
	for i := range 4500 {
		l.Logger().Info("filler", "i", i, "text", line)
	}
	var backups []string
	// lumberjack removes old backups on a goroutine of its own.
	ok := centertest.Eventually(func() bool {
		backups = backups[:0]
		entries, err := os.ReadDir(l.Dir())
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			if e.Name() != LogFile && strings.HasPrefix(e.Name(), "agentdesk-") {
				backups = append(backups, e.Name())
			}
		}
		return len(backups) == 2
	})
	if !ok {
		t.Fatalf("rotated files %v: want the 2 newest kept", backups)
	}
	entries, _ := os.ReadDir(l.Dir())
	for _, e := range entries {
		info, _ := e.Info()
		if info.Size() > 1<<20 {
			t.Errorf("%s is %d bytes, more than the 1 MB limit", e.Name(), info.Size())
		}
	}
	if _, err := os.Stat(filepath.Join(l.Dir(), LogFile)); err != nil {
		t.Errorf("the current log file is gone: %v", err)
	}
}

func TestSecretKeys(t *testing.T) {
	for key, secret := range map[string]bool{
		"center.password":  true,
		"sip_password":     true,
		"center.apiKey":    true,
		"API_KEY":          true,
		"accessToken":      true,
		"client-secret":    true,
		"voicemail.pin":    true,
		"Authorization":    true,
		"device.speaker":   false,
		"phone.extension":  false,
		"ping":             false,
		"keyboard.layout":  false,
		"contact_id":       false,
		"passthrough":      false,
		"locale":           false,
		"desktop.autoKeep": false,
	} {
		if got := SecretKey(key); got != secret {
			t.Errorf("SecretKey(%q) = %v, want %v", key, got, secret)
		}
	}
}

func TestSecretsNeverReachTheLogFile(t *testing.T) {
	var stderr bytes.Buffer
	l := open(t, Config{Stderr: &stderr})
	l.Logger().Info("signing in", "agent", "alice", "password", "hunter2-S3CRET")
	data, _ := os.ReadFile(filepath.Join(l.Dir(), LogFile))
	for where, got := range map[string]string{"file": string(data), "stderr": stderr.String()} {
		if strings.Contains(got, "hunter2") || !strings.Contains(got, "password="+Redacted) || !strings.Contains(got, "agent=alice") {
			t.Errorf("%s: %q", where, got)
		}
	}
}

// readZip returns the bundle's files by name.
func readZip(t *testing.T, data []byte) map[string]string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatalf("the bundle is not a zip: %v", err)
	}
	files := map[string]string{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		files[f.Name] = string(b)
	}
	return files
}

func TestBundleHasLogsSettingsAndCallsButNoSecret(t *testing.T) {
	l := open(t, Config{})
	const (
		planted   = "hunter2-S3CRET"
		inNesting = "NESTED-PIN-4711"
		inOldLog  = "OLD-TOKEN-0xBEEF"
	)
	l.Logger().Info("contact accepted", "contact_id", "c-17")
	l.Logger().Info("signing in", "password", planted)
	// A line written by an older build, before the key was redacted.
	if err := os.WriteFile(filepath.Join(l.Dir(), "agentdesk-2026-11-20T10-00-00.000.log"),
		[]byte(`time=x level=INFO msg=hello access_token=`+inOldLog+" agent=alice\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(l.Dir(), CrashFile), []byte("panic: boom\n\ngoroutine 1 [running]:\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	type sample struct {
		Codec       string
		PacketsLost int64
	}
	var buf bytes.Buffer
	err := l.WriteBundle(&buf, Bundle{
		Version: "v1.2.3",
		Settings: map[string]any{
			"phone.extension": "+12025550123",
			"center.password": planted,
			"center.apiKey":   planted,
			"voicemail":       map[string]any{"pin": inNesting, "greeting": "default"},
		},
		Calls: map[string][]sample{"c-17": {{Codec: "opus", PacketsLost: 3}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	files := readZip(t, buf.Bytes())
	for _, name := range []string{BundleAbout, BundleSettings, BundleCalls, BundleLogs + LogFile,
		BundleLogs + "agentdesk-2026-11-20T10-00-00.000.log", BundleLogs + CrashFile} {
		if _, ok := files[name]; !ok {
			t.Errorf("the bundle has no %s (it has %d files)", name, len(files))
		}
	}
	for name, content := range files {
		for _, s := range []string{planted, inNesting, inOldLog} {
			if strings.Contains(content, s) {
				t.Errorf("%s contains the secret %q", name, s)
			}
		}
	}
	var settings map[string]any
	if err := json.Unmarshal([]byte(files[BundleSettings]), &settings); err != nil {
		t.Fatalf("settings.json: %v", err)
	}
	if settings["phone.extension"] != "+12025550123" || settings["center.password"] != Redacted ||
		settings["voicemail"].(map[string]any)["greeting"] != "default" {
		t.Errorf("settings.json = %v", settings)
	}
	var calls map[string][]sample
	if err := json.Unmarshal([]byte(files[BundleCalls]), &calls); err != nil || calls["c-17"][0].PacketsLost != 3 {
		t.Errorf("calls.json = %q (%v)", files[BundleCalls], err)
	}
	if !strings.Contains(files[BundleLogs+LogFile], `msg="contact accepted" contact_id=c-17`) {
		t.Errorf("the log in the bundle lacks its records: %q", files[BundleLogs+LogFile])
	}
	if !strings.Contains(files[BundleLogs+"agentdesk-2026-11-20T10-00-00.000.log"], "agent=alice") {
		t.Error("redacting the old log lost its other fields")
	}
	if !strings.Contains(files[BundleLogs+CrashFile], "panic: boom") {
		t.Error("the crash report is not in the bundle")
	}
	if !strings.Contains(files[BundleAbout], "AgentDesk v1.2.3") {
		t.Errorf("about.txt = %q", files[BundleAbout])
	}
}

const crashEnv = "AGENTDESK_APPLOG_CRASH_DIR"

// TestHelperCrash is run by TestCrashWritesItsStack in a child process.
func TestHelperCrash(t *testing.T) {
	dir := os.Getenv(crashEnv)
	if dir == "" {
		t.Skip("only as a child process")
	}
	l, err := Open(Config{Dir: dir, Stderr: io.Discard})
	if err != nil {
		t.Fatal(err)
	}
	if err := l.CatchCrashes(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		panic("softphone exploded on purpose")
	}()
	<-done
}

func TestCrashWritesItsStack(t *testing.T) {
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperCrash$")
	cmd.Env = append(os.Environ(), crashEnv+"="+dir)
	out, err := cmd.CombinedOutput()
	if err == nil {
		t.Fatalf("the crashing child exited 0: %s", out)
	}
	data, err := os.ReadFile(filepath.Join(dir, CrashFile))
	if err != nil {
		t.Fatalf("no crash file: %v", err)
	}
	for _, want := range []string{"panic: softphone exploded on purpose", "goroutine ", "applog.TestHelperCrash"} {
		if !strings.Contains(string(data), want) {
			t.Errorf("crash file lacks %q:\n%s", want, data)
		}
	}

	// The next start keeps the report under a dated name and says so.
	l := open(t, Config{Dir: dir})
	matches, _ := filepath.Glob(filepath.Join(dir, "crash-*.log"))
	if len(matches) != 1 {
		t.Fatalf("kept crash reports %v, want one", matches)
	}
	if _, err := os.Stat(filepath.Join(dir, CrashFile)); err == nil {
		t.Error("crash.log is still there after the next start")
	}
	log, _ := os.ReadFile(filepath.Join(l.Dir(), LogFile))
	if !strings.Contains(string(log), "the last run crashed") || !strings.Contains(string(log), filepath.Base(matches[0])) {
		t.Errorf("the log does not mention the last crash: %q", log)
	}
}
