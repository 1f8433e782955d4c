package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// buildWindowsExe cross-compiles a tiny pure-Go Windows program, as a
// stand-in for agentdesk.exe without its resources.
func buildWindowsExe(t *testing.T, gui bool) string {
	t.Helper()
	dir := t.TempDir()
	src := filepath.Join(dir, "main.go")
	if err := os.WriteFile(src, []byte("package main\n\nfunc main() { println(\"hi\") }\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	exe := filepath.Join(dir, "hello.exe")
	args := []string{"build", "-o", exe}
	if gui {
		args = append(args, "-ldflags=-H=windowsgui")
	}
	cmd := exec.Command("go", append(args, src)...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOOS=windows", "GOARCH=amd64", "CGO_ENABLED=0", "GO111MODULE=off", "GOFLAGS=")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("cross-compiling a Windows stand-in: %v\n%s", err, out)
	}
	return exe
}

func TestPlainGoExeIsFlaggedForMissingResourcesOnly(t *testing.T) {
	exe := buildWindowsExe(t, true)
	var out bytes.Buffer
	err := run(&out, exe, "", false)
	if err == nil {
		t.Fatal("an exe without icon and version resources passed")
	}
	msg := err.Error()
	for _, want := range []string{"no icon resource", "no version resource", "no manifest resource"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q does not say %q", msg, want)
		}
	}
	if strings.Contains(msg, "not a Windows system DLL") || strings.Contains(msg, "subsystem") {
		t.Errorf("a pure-Go GUI exe was flagged for its imports or subsystem: %s", msg)
	}
	if !strings.Contains(out.String(), "imports kernel32.dll") {
		t.Errorf("the report does not list kernel32.dll: %q", out.String())
	}
	if !strings.Contains(out.String(), "windows_exe_size: ") {
		t.Errorf("no size line in %q", out.String())
	}
}

func TestConsoleExeIsFlagged(t *testing.T) {
	rep := inspectFile(t, buildWindowsExe(t, false))
	if rep.GUI {
		t.Fatal("a console exe reads as GUI")
	}
	if p := rep.problems("", false); !slices.ContainsFunc(p, func(s string) bool { return strings.Contains(s, "subsystem") }) {
		t.Errorf("problems %q do not mention the console subsystem", p)
	}
}

func TestNonSystemDLLsAreNamed(t *testing.T) {
	rep := &report{Machine: 0x8664, GUI: true,
		DLLs:      []string{"kernel32.dll", "libopus-0.dll", "libwinpthread-1.dll", "api-ms-win-core-synch-l1-2-0.dll"},
		Resources: []uint32{rtIcon, rtGroupIcon, rtVersion, rtManifest}}
	p := rep.problems("", false)
	if len(p) != 2 || !strings.Contains(p[0], "libopus-0.dll") || !strings.Contains(p[1], "libwinpthread-1.dll") {
		t.Fatalf("problems = %q, want libopus-0.dll and libwinpthread-1.dll named", p)
	}
}

func TestVersionAndSignatureRequirements(t *testing.T) {
	rsrc := []byte("xx")
	for _, u := range "1.2.3" {
		rsrc = append(rsrc, byte(u), 0)
	}
	rep := &report{Machine: 0x8664, GUI: true, DLLs: []string{"kernel32.dll"},
		Resources: []uint32{rtIcon, rtGroupIcon, rtVersion, rtManifest}, rsrc: rsrc}
	if p := rep.problems("1.2.3", false); len(p) != 0 {
		t.Errorf("a matching version was flagged: %q", p)
	}
	if p := rep.problems("1.2.4", false); len(p) != 1 || !strings.Contains(p[0], `"1.2.4"`) {
		t.Errorf("a wrong version gave %q", p)
	}
	if p := rep.problems("", true); len(p) != 1 || !strings.Contains(p[0], "signature") {
		t.Errorf("an unsigned exe with -signed gave %q", p)
	}
}

func TestNotAPE(t *testing.T) {
	path := filepath.Join(t.TempDir(), "fake.exe")
	if err := os.WriteFile(path, []byte("#!/bin/sh\necho not windows\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	err := run(&bytes.Buffer{}, path, "", false)
	if err == nil || !strings.Contains(err.Error(), "not a valid PE") {
		t.Fatalf("err = %v, want 'not a valid PE'", err)
	}
}

func inspectFile(t *testing.T, path string) *report {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rep, err := inspect(f)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}
