package applog

import (
	"archive/zip"
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"
)

// Bundle is what "Save logs…" adds to the log files.
type Bundle struct {
	// Version is the app's version.
	Version string
	// Settings are the user's settings by key; secret ones are redacted.
	Settings map[string]any
	// Calls is the quality of recent calls, anything encoding/json takes.
	Calls any
}

// Names in the bundle zip.
const (
	BundleLogs     = "logs/"
	BundleSettings = "settings.json"
	BundleCalls    = "calls.json"
	BundleAbout    = "about.txt"
)

// BundleName is a file name for a bundle saved now.
func BundleName() string {
	return "agentdesk-logs-" + now().Format("20060102-150405") + ".zip"
}

// WriteBundle writes a zip of the log directory's files (the log, its
// rotated files and crash reports), the settings with secrets redacted and
// the calls' quality. Secret key=value pairs in the logs are redacted too.
func (l *Logs) WriteBundle(w io.Writer, b Bundle) error {
	return WriteBundle(w, l.dir, b)
}

// WriteBundle is Logs.WriteBundle for the log directory dir.
func WriteBundle(w io.Writer, dir string, b Bundle) error {
	zw := zip.NewWriter(w)
	about := fmt.Sprintf("AgentDesk %s\nsaved: %s\nos: %s/%s\ngo: %s\nlog directory: %s\n",
		b.Version, now().Format(time.RFC3339), runtime.GOOS, runtime.GOARCH, runtime.Version(), dir)
	if err := addFile(zw, BundleAbout, strings.NewReader(about)); err != nil {
		return err
	}
	settings := b.Settings
	if settings == nil {
		settings = map[string]any{}
	}
	if err := addJSON(zw, BundleSettings, RedactValues(settings)); err != nil {
		return err
	}
	if err := addJSON(zw, BundleCalls, b.Calls); err != nil {
		return err
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("read the log directory: %w", err)
	}
	var names []string
	for _, e := range entries {
		if e.Type().IsRegular() && strings.HasSuffix(e.Name(), ".log") {
			names = append(names, e.Name())
		}
	}
	slices.Sort(names)
	for _, name := range names {
		if err := addLog(zw, dir, name); err != nil {
			return err
		}
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("write the bundle: %w", err)
	}
	return nil
}

func addFile(zw *zip.Writer, name string, r io.Reader) error {
	f, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: now()})
	if err != nil {
		return fmt.Errorf("write %s to the bundle: %w", name, err)
	}
	if _, err := io.Copy(f, r); err != nil {
		return fmt.Errorf("write %s to the bundle: %w", name, err)
	}
	return nil
}

func addJSON(zw *zip.Writer, name string, v any) error {
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return fmt.Errorf("encode %s: %w", name, err)
	}
	return addFile(zw, name, strings.NewReader(string(data)+"\n"))
}

// addLog copies a log file line by line through RedactText.
func addLog(zw *zip.Writer, dir, name string) error {
	in, err := os.Open(filepath.Join(dir, name))
	if err != nil {
		return fmt.Errorf("read %s: %w", name, err)
	}
	defer in.Close()
	f, err := zw.CreateHeader(&zip.FileHeader{Name: BundleLogs + name, Method: zip.Deflate, Modified: now()})
	if err != nil {
		return fmt.Errorf("write %s to the bundle: %w", name, err)
	}
	r := bufio.NewReader(in)
	for {
		line, err := r.ReadString('\n')
		if line != "" {
			if _, werr := io.WriteString(f, RedactText(line)); werr != nil {
				return fmt.Errorf("write %s to the bundle: %w", name, werr)
			}
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("read %s: %w", name, err)
		}
	}
}
