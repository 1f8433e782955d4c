// Package applog keeps AgentDesk's logs: structured slog records in a
// rotating file in the user's log directory (and on stderr), the stack of a
// crash in a file beside them, and the "Save logs…" bundle. Keys that look
// secret never reach the file. It imports nothing of the app and no Fyne.
package applog

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"time"

	"gopkg.in/natefinch/lumberjack.v2"
)

// File names in the log directory.
const (
	LogFile       = "agentdesk.log"
	CrashFile     = "crash.log"
	crashPrefix   = "crash-"
	keepCrashes   = 5
	crashStampFmt = "20060102T150405"
)

// Dir is the user's log directory for AgentDesk: $XDG_STATE_HOME/agentdesk
// (~/.local/state/agentdesk) on Linux and other Unixes,
// %LOCALAPPDATA%\AgentDesk\logs on Windows, ~/Library/Logs/AgentDesk on
// macOS.
func Dir() (string, error) {
	switch runtime.GOOS {
	case "windows":
		base := os.Getenv("LOCALAPPDATA")
		if base == "" {
			return "", errors.New("log directory: %LOCALAPPDATA% is not set")
		}
		return filepath.Join(base, "AgentDesk", "logs"), nil
	case "darwin":
		home, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("log directory: %w", err)
		}
		return filepath.Join(home, "Library", "Logs", "AgentDesk"), nil
	}
	if s := os.Getenv("XDG_STATE_HOME"); filepath.IsAbs(s) {
		return filepath.Join(s, "agentdesk"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("log directory: %w", err)
	}
	return filepath.Join(home, ".local", "state", "agentdesk"), nil
}

// Config says where logs go and how much is kept; the zero value is the
// user's log directory, Info level, stderr too, 10 MB files, 5 old ones.
type Config struct {
	Dir        string       // default Dir()
	Level      slog.Leveler // default slog.LevelInfo
	Stderr     io.Writer    // also written here; default os.Stderr, io.Discard for none
	MaxSizeMB  int          // a file is rotated when it would pass this; default 10
	MaxBackups int          // rotated files kept; default 5
	MaxAgeDays int          // rotated files older than this are removed; default 30
}

// Logs is the open log directory.
type Logs struct {
	dir    string
	file   *lumberjack.Logger
	crash  *os.File
	logger *slog.Logger
}

// Open creates the log directory if needed and starts logging to it. A crash
// file left by the previous run is kept under a dated name and reported in
// the log.
func Open(cfg Config) (*Logs, error) {
	if cfg.Dir == "" {
		d, err := Dir()
		if err != nil {
			return nil, err
		}
		cfg.Dir = d
	}
	if cfg.Level == nil {
		cfg.Level = slog.LevelInfo
	}
	if cfg.Stderr == nil {
		cfg.Stderr = os.Stderr
	}
	if cfg.MaxSizeMB <= 0 {
		cfg.MaxSizeMB = 10
	}
	if cfg.MaxBackups <= 0 {
		cfg.MaxBackups = 5
	}
	if cfg.MaxAgeDays <= 0 {
		cfg.MaxAgeDays = 30
	}
	if err := os.MkdirAll(cfg.Dir, 0o700); err != nil {
		return nil, fmt.Errorf("create the log directory: %w", err)
	}
	l := &Logs{dir: cfg.Dir, file: &lumberjack.Logger{
		Filename:   filepath.Join(cfg.Dir, LogFile),
		MaxSize:    cfg.MaxSizeMB,
		MaxBackups: cfg.MaxBackups,
		MaxAge:     cfg.MaxAgeDays,
		LocalTime:  true,
	}}
	// Fail now, with the path, rather than on the first record.
	if _, err := l.file.Write(nil); err != nil {
		return nil, fmt.Errorf("open the log file: %w", err)
	}
	opts := &slog.HandlerOptions{Level: cfg.Level, ReplaceAttr: redactAttr}
	l.logger = slog.New(slog.NewMultiHandler(
		slog.NewTextHandler(l.file, opts),
		slog.NewTextHandler(cfg.Stderr, opts),
	))
	if old, err := keepLastCrash(cfg.Dir); err != nil {
		l.logger.Warn("could not keep the last crash report", "err", err)
	} else if old != "" {
		l.logger.Warn("the last run crashed; its report is kept", "file", old)
	}
	return l, nil
}

// Logger writes to the log file and stderr.
func (l *Logs) Logger() *slog.Logger { return l.logger }

// Dir is the log directory.
func (l *Logs) Dir() string { return l.dir }

// CatchCrashes makes an unrecovered panic or fatal error write its stack
// to crash.log in the log directory, as well as to stderr.
func (l *Logs) CatchCrashes() error {
	f, err := os.OpenFile(filepath.Join(l.dir, CrashFile), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return fmt.Errorf("open the crash file: %w", err)
	}
	defer f.Close() // SetCrashOutput keeps its own descriptor
	if err := debug.SetCrashOutput(f, debug.CrashOptions{}); err != nil {
		return fmt.Errorf("set the crash output: %w", err)
	}
	l.crash = f
	return nil
}

// Close stops crash output to the directory and closes the log file.
func (l *Logs) Close() error {
	if l.crash != nil {
		_ = debug.SetCrashOutput(nil, debug.CrashOptions{})
		l.crash = nil
	}
	return l.file.Close()
}

// keepLastCrash renames a non-empty crash.log to crash-<time>.log, keeping
// the newest few, and returns the new name.
func keepLastCrash(dir string) (string, error) {
	path := filepath.Join(dir, CrashFile)
	st, err := os.Stat(path)
	if errors.Is(err, os.ErrNotExist) || (err == nil && st.Size() == 0) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	old := filepath.Join(dir, crashPrefix+st.ModTime().Format(crashStampFmt)+".log")
	if err := os.Rename(path, old); err != nil {
		return "", err
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return old, err
	}
	var crashes []string
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), crashPrefix) && strings.HasSuffix(e.Name(), ".log") {
			crashes = append(crashes, e.Name())
		}
	}
	slices.Sort(crashes) // the stamp sorts by time
	for len(crashes) > keepCrashes {
		_ = os.Remove(filepath.Join(dir, crashes[0]))
		crashes = crashes[1:]
	}
	return old, nil
}

// now is the bundle's clock.
var now = time.Now
