//go:build windows

package desktop

import (
	"errors"
	"fmt"
	"strings"
	"syscall"

	"golang.org/x/sys/windows/registry"
)

const (
	runKey   = `Software\Microsoft\Windows\CurrentVersion\Run`
	runValue = "AgentDesk"
)

func defaultLocation() string { return `HKCU\` + runKey + `\` + runValue }

// Enabled reports whether the Run key has AgentDesk's value.
func (a *Autostart) Enabled() (bool, error) {
	k, err := registry.OpenKey(registry.CURRENT_USER, runKey, registry.QUERY_VALUE)
	if errors.Is(err, syscall.ERROR_FILE_NOT_FOUND) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("read the Run key: %w", err)
	}
	defer k.Close()
	_, _, err = k.GetStringValue(runValue)
	if errors.Is(err, syscall.ERROR_FILE_NOT_FOUND) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("read the Run key: %w", err)
	}
	return true, nil
}

// SetEnabled sets or deletes AgentDesk's value under the Run key.
func (a *Autostart) SetEnabled(on bool) error {
	k, _, err := registry.CreateKey(registry.CURRENT_USER, runKey, registry.SET_VALUE)
	if err != nil {
		return fmt.Errorf("open the Run key: %w", err)
	}
	defer k.Close()
	if !on {
		if err := k.DeleteValue(runValue); err != nil && !errors.Is(err, syscall.ERROR_FILE_NOT_FOUND) {
			return fmt.Errorf("remove AgentDesk from the Run key: %w", err)
		}
		return nil
	}
	if err := k.SetStringValue(runValue, commandLine(append([]string{a.exe}, a.args...))); err != nil {
		return fmt.Errorf("add AgentDesk to the Run key: %w", err)
	}
	return nil
}

// commandLine quotes each argument that needs it, as Windows parses them.
func commandLine(args []string) string {
	out := make([]string, len(args))
	for i, a := range args {
		out[i] = syscall.EscapeArg(a)
	}
	return strings.Join(out, " ")
}
