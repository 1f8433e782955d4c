package desktop

import (
	"archive/zip"
	"bytes"
	"io"
	"strings"
	"testing"

	"github.com/agentdesk/agentdesk/core/applog"
)

func TestControlsSaveABundleWithoutSecrets(t *testing.T) {
	logs, err := applog.Open(applog.Config{Dir: t.TempDir(), Stderr: io.Discard})
	if err != nil {
		t.Fatal(err)
	}
	defer logs.Close()
	logs.Logger().Info("softphone call ended", "contact_id", "c-9")
	c := &Controls{
		Logs:     logs,
		Version:  "v9",
		Settings: func() map[string]any { return map[string]any{"locale": "de_DE", "center.token": "tok-SECRET-77"} },
		Calls:    func() any { return map[string][]map[string]any{"c-9": {{"Codec": "opus"}}} },
	}
	var buf bytes.Buffer
	if err := c.SaveLogs(&buf); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	var all strings.Builder
	for _, f := range zr.File {
		rc, _ := f.Open()
		b, _ := io.ReadAll(rc)
		rc.Close()
		all.Write(b)
	}
	for _, want := range []string{`"locale": "de_DE"`, `"Codec": "opus"`, "contact_id=c-9", "AgentDesk v9"} {
		if !strings.Contains(all.String(), want) {
			t.Errorf("the bundle lacks %s", want)
		}
	}
	if strings.Contains(all.String(), "tok-SECRET-77") {
		t.Error("the bundle holds the planted token")
	}
}

func TestControlsWithoutLogsOrAutostartSayWhy(t *testing.T) {
	c := &Controls{}
	if err := c.SaveLogs(io.Discard); err == nil || !strings.Contains(err.Error(), "not being written") {
		t.Errorf("SaveLogs without logs: %v", err)
	}
	if err := c.SetStartAtLogin(true); err == nil {
		t.Error("SetStartAtLogin without an autostart entry succeeded")
	}
}
