// Command pecheck inspects a Windows executable built by `make package` and
// fails unless it is a valid 64-bit GUI PE that imports only Windows system
// DLLs (libopus, speexdsp, miniaudio and the C runtime helpers must be linked
// in statically, so there is nothing to ship beside it), and carries an icon
// and a version resource.
//
//	go run ./scripts/package/pecheck [-version 1.2.3] [-signed] agentdesk.exe
//
// It prints the imported DLLs and a `name: value unit` size line.
package main

import (
	"bytes"
	"debug/pe"
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"unicode/utf16"
)

// systemDLLs are the DLLs every supported Windows (10 and later) has in
// System32. The C runtime is msvcrt.dll, which mingw-w64 targets by default.
var systemDLLs = map[string]bool{
	"advapi32.dll": true, "avrt.dll": true, "bcrypt.dll": true, "comctl32.dll": true,
	"comdlg32.dll": true, "crypt32.dll": true, "d3d11.dll": true, "dnsapi.dll": true,
	"dwmapi.dll": true, "dxgi.dll": true, "gdi32.dll": true, "hid.dll": true,
	"imm32.dll": true, "iphlpapi.dll": true, "kernel32.dll": true, "msvcrt.dll": true,
	"mswsock.dll": true, "netapi32.dll": true, "ntdll.dll": true, "ole32.dll": true,
	"oleaut32.dll": true, "opengl32.dll": true, "powrprof.dll": true, "secur32.dll": true,
	"setupapi.dll": true, "shcore.dll": true, "shell32.dll": true, "shlwapi.dll": true,
	"user32.dll": true, "userenv.dll": true, "uxtheme.dll": true, "version.dll": true,
	"winmm.dll": true, "winspool.drv": true, "ws2_32.dll": true, "wtsapi32.dll": true,
	"xinput1_4.dll": true,
}

// isSystemDLL reports whether a DLL import name is a Windows system DLL.
func isSystemDLL(name string) bool {
	n := strings.ToLower(name)
	// API sets (api-ms-win-core-synch-l1-2-0.dll, ...) are resolved by the
	// loader to system DLLs.
	if strings.HasPrefix(n, "api-ms-win-") || strings.HasPrefix(n, "ext-ms-win-") {
		return true
	}
	return systemDLLs[n]
}

// Resource types (winuser.h RT_*).
const (
	rtIcon      = 3
	rtGroupIcon = 14
	rtVersion   = 16
	rtManifest  = 24
)

// report is what pecheck found in one executable.
type report struct {
	Machine   uint16
	GUI       bool
	DLLs      []string // imported DLLs, lower case, sorted
	Resources []uint32 // top-level resource type IDs
	rsrc      []byte
	Signed    bool
}

func inspect(r io.ReaderAt) (*report, error) {
	f, err := pe.NewFile(r)
	if err != nil {
		return nil, fmt.Errorf("not a valid PE file: %w", err)
	}
	defer f.Close()
	rep := &report{Machine: f.FileHeader.Machine}
	oh, ok := f.OptionalHeader.(*pe.OptionalHeader64)
	if !ok {
		return nil, errors.New("not a 64-bit PE (PE32+ optional header missing)")
	}
	rep.GUI = oh.Subsystem == pe.IMAGE_SUBSYSTEM_WINDOWS_GUI
	if int(pe.IMAGE_DIRECTORY_ENTRY_SECURITY) < len(oh.DataDirectory) {
		rep.Signed = oh.DataDirectory[pe.IMAGE_DIRECTORY_ENTRY_SECURITY].Size > 0
	}
	// debug/pe's ImportedLibraries is a stub; ImportedSymbols reads the
	// import directory and names each symbol's DLL ("Sleep:KERNEL32.dll").
	syms, err := f.ImportedSymbols()
	if err != nil {
		return nil, fmt.Errorf("reading the import table: %w", err)
	}
	for _, s := range syms {
		_, l, ok := strings.Cut(s, ":")
		if !ok {
			continue
		}
		l = strings.ToLower(l)
		if !slices.Contains(rep.DLLs, l) {
			rep.DLLs = append(rep.DLLs, l)
		}
	}
	slices.Sort(rep.DLLs)
	if s := f.Section(".rsrc"); s != nil {
		if rep.rsrc, err = s.Data(); err != nil {
			return nil, fmt.Errorf("reading .rsrc: %w", err)
		}
		rep.Resources = resourceTypes(rep.rsrc)
	}
	return rep, nil
}

// resourceTypes lists the IDs of the root resource directory's entries.
func resourceTypes(rsrc []byte) []uint32 {
	if len(rsrc) < 16 {
		return nil
	}
	named := int(binary.LittleEndian.Uint16(rsrc[12:]))
	ids := int(binary.LittleEndian.Uint16(rsrc[14:]))
	var types []uint32
	for i := range named + ids {
		off := 16 + 8*i
		if off+8 > len(rsrc) {
			break
		}
		name := binary.LittleEndian.Uint32(rsrc[off:])
		if name&0x80000000 == 0 { // an ID, not a string name
			types = append(types, name)
		}
	}
	return types
}

// hasUTF16 reports whether s appears UTF-16LE encoded in b (how the version
// resource stores its strings).
func hasUTF16(b []byte, s string) bool {
	var enc []byte
	for _, u := range utf16.Encode([]rune(s)) {
		enc = binary.LittleEndian.AppendUint16(enc, u)
	}
	return bytes.Contains(b, enc)
}

// problems lists everything wrong with rep; empty when the executable is fine.
func (rep *report) problems(wantVersion string, wantSigned bool) []string {
	var p []string
	if rep.Machine != pe.IMAGE_FILE_MACHINE_AMD64 {
		p = append(p, fmt.Sprintf("machine is %#x, not AMD64", rep.Machine))
	}
	if !rep.GUI {
		p = append(p, "subsystem is not Windows GUI (a console window would open)")
	}
	if len(rep.DLLs) == 0 {
		p = append(p, "imports no DLLs at all")
	}
	for _, d := range rep.DLLs {
		if !isSystemDLL(d) {
			p = append(p, "imports "+d+", which is not a Windows system DLL (link it statically)")
		}
	}
	for _, t := range []struct {
		id   uint32
		name string
	}{{rtIcon, "icon"}, {rtGroupIcon, "icon group"}, {rtVersion, "version"}, {rtManifest, "manifest"}} {
		if !slices.Contains(rep.Resources, t.id) {
			p = append(p, "has no "+t.name+" resource")
		}
	}
	if wantVersion != "" && !hasUTF16(rep.rsrc, wantVersion) {
		p = append(p, fmt.Sprintf("version resource does not carry version %q", wantVersion))
	}
	if wantSigned && !rep.Signed {
		p = append(p, "has no Authenticode signature")
	}
	return p
}

func main() {
	version := flag.String("version", "", "fail unless the version resource carries this version string")
	signed := flag.Bool("signed", false, "fail unless the executable has an Authenticode signature")
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "usage: pecheck [-version V] [-signed] file.exe\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() != 1 {
		flag.Usage()
		os.Exit(2)
	}
	path := flag.Arg(0)
	if err := run(os.Stdout, path, *version, *signed); err != nil {
		fmt.Fprintf(os.Stderr, "pecheck: %s: %v\n", path, err)
		os.Exit(1)
	}
}

func run(w io.Writer, path, version string, signed bool) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	rep, err := inspect(f)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "%s: PE32+ AMD64, GUI=%v, signed=%v, imports %s\n", path, rep.GUI, rep.Signed, strings.Join(rep.DLLs, " "))
	fmt.Fprintf(w, "windows_exe_size: %.1f MiB\n", float64(st.Size())/(1<<20))
	if p := rep.problems(version, signed); len(p) > 0 {
		return errors.New(strings.Join(p, "; "))
	}
	return nil
}
