package i18n

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"fyne.io/fyne/v2/lang"

	"github.com/agentdesk/agentdesk/core"
)

// fileFor maps core.Locales to their translation files.
var fileFor = map[string]string{
	"en_US": "agentdesk.en.json",
	"de_DE": "agentdesk.de.json",
	"es_ES": "agentdesk.es.json",
	"fr_FR": "agentdesk.fr.json",
	"ja_JP": "agentdesk.ja.json",
	"it_IT": "agentdesk.it.json",
	"ko_KR": "agentdesk.ko.json",
	"pt_BR": "agentdesk.pt_BR.json",
	"zh_CN": "agentdesk.zh_CN.json",
	"zh_TW": "agentdesk.zh_TW.json",
}

// eachCall calls fn for every call in the Go sources under root, tests
// and testdata excluded.
func eachCall(t *testing.T, root string, fn func(fset *token.FileSet, f *ast.File, call *ast.CallExpr)) {
	t.Helper()
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && d.Name() == "testdata" {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if call, ok := n.(*ast.CallExpr); ok {
				fn(fset, f, call)
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// usedKeys are the message keys of every lang.L, lang.N, lang.X and lang.XN
// call in the ui packages' sources (tests excluded).
func usedKeys(t *testing.T) map[string]string {
	t.Helper()
	keys := map[string]string{} // key → where first used
	eachCall(t, "..", func(fset *token.FileSet, _ *ast.File, call *ast.CallExpr) {
		sel, ok := call.Fun.(*ast.SelectorExpr)
		if !ok || len(call.Args) == 0 {
			return
		}
		if pkg, ok := sel.X.(*ast.Ident); !ok || pkg.Name != "lang" {
			return
		}
		switch sel.Sel.Name {
		case "L", "N", "X", "XN", "Localize", "LocalizePlural", "LocalizeKey", "LocalizePluralKey":
		default:
			return
		}
		lit, ok := call.Args[0].(*ast.BasicLit)
		if !ok || lit.Kind != token.STRING {
			t.Errorf("%s: lang.%s needs a string literal key so that it can be translated", fset.Position(call.Pos()), sel.Sel.Name)
			return
		}
		key, err := strconv.Unquote(lit.Value)
		if err != nil {
			t.Fatal(err)
		}
		if _, seen := keys[key]; !seen {
			keys[key] = fset.Position(call.Pos()).String()
		}
	})
	if len(keys) < 50 {
		t.Fatalf("found only %d keys: is the walk reading ui/?", len(keys))
	}
	return keys
}

func readLocale(t *testing.T, name string) map[string]any {
	t.Helper()
	data, err := files.ReadFile(Dir + "/" + name)
	if err != nil {
		t.Fatalf("no translation file: %v", err)
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return m
}

var placeholder = regexp.MustCompile(`{{\s*\.(\w+)\s*}}`)

func placeholders(s string) []string {
	var out []string
	for _, m := range placeholder.FindAllStringSubmatch(s, -1) {
		out = append(out, m[1])
	}
	sort.Strings(out)
	return slices.Compact(out)
}

// TestEveryLocaleTranslatesEveryString fails when a string wrapped in
// lang.L (by anyone, in any ui package) has no translation in one of the
// languages the agent can choose, or when a translation drops or invents a
// template placeholder.
func TestEveryLocaleTranslatesEveryString(t *testing.T) {
	keys, refusals := usedKeys(t), refusalTemplates(t)
	var sorted []string
	for k := range keys {
		sorted = append(sorted, k)
	}
	sort.Strings(sorted)
	for _, loc := range core.Locales {
		name, ok := fileFor[loc]
		if !ok {
			t.Errorf("locale %s has no translation file", loc)
			continue
		}
		m := readLocale(t, name)
		var missing []string
		for _, k := range sorted {
			v, ok := m[k]
			if !ok {
				missing = append(missing, strconv.Quote(k)+" ("+keys[k]+")")
				continue
			}
			forms := map[string]string{}
			switch v := v.(type) {
			case string:
				forms["other"] = v
			case map[string]any:
				for f, s := range v {
					forms[f], _ = s.(string)
				}
			}
			want := placeholders(k)
			for f, s := range forms {
				if s == "" {
					t.Errorf("%s: %q has an empty %s form", name, k, f)
				}
				if got := placeholders(s); !slices.Equal(got, want) && !(f == "one" && len(got) < len(want)) {
					t.Errorf("%s: %q (%s) has placeholders %v, want %v", name, k, f, got, want)
				}
			}
		}
		if len(missing) > 0 {
			t.Errorf("%s lacks %d strings:\n%s", name, len(missing), strings.Join(missing, "\n"))
		}
		for k := range m {
			if _, used := keys[k]; !used && refusals[k] == "" {
				t.Logf("%s: %q is not used any more", name, k)
			}
		}
	}
}

// TestApplySwitchesLanguage picks each language and sees a string change
// to it (and back to English).
func TestApplySwitchesLanguage(t *testing.T) {
	t.Cleanup(func() { _ = Apply("en_US") })
	want := map[string]string{"en_US": "Accept", "de_DE": "Annehmen", "fr_FR": "Accepter", "ja_JP": "応答", "zh_TW": "接聽", "zh_CN": "接听"}
	for _, loc := range []string{"de_DE", "fr_FR", "ja_JP", "zh_TW", "zh_CN", "en_US"} {
		if err := Apply(loc); err != nil {
			t.Fatal(err)
		}
		if got := lang.L("Accept"); got != want[loc] {
			t.Errorf("in %s Accept reads %q, want %q", loc, got, want[loc])
		}
		if Current() != loc {
			t.Errorf("Current() = %q after Apply(%q)", Current(), loc)
		}
	}
}

// TestFyneWidgetStringsTranslated: the entry's menu (Copy, Paste, ...) is
// Fyne's, which translates it only for some languages; the others get it
// from our files.
func TestFyneWidgetStringsTranslated(t *testing.T) {
	t.Cleanup(func() { _ = Apply("en_US") })
	for _, loc := range core.Locales {
		if loc == "en_US" {
			continue
		}
		if err := Apply(loc); err != nil {
			t.Fatal(err)
		}
		for _, s := range []string{"Copy", "Cut", "Paste", "Select all", "Undo", "Quit"} {
			if got := lang.L(s); got == s {
				t.Errorf("%s: %q is not translated", loc, s)
			}
		}
	}
}

func TestApplyRefusesANonLocale(t *testing.T) {
	t.Cleanup(func() { _ = Apply("en_US") })
	for _, bad := range []string{"German", "de DE", "../de", "DE"} {
		if err := Apply(bad); err == nil {
			t.Errorf("Apply(%q) took it", bad)
		}
	}
}

// The spec's system and error states are shown in words, never as the
// CamelCase names core keeps.
func TestStateLabelsAreReadable(t *testing.T) {
	names := []string{core.StateInit, core.StateBusy, core.StateAfterCallWork, core.StateCallingCustomer,
		core.StateDialing, core.StateJoining, core.StatePendingAvailable, core.StatePendingBusy,
		core.StateError, core.StateAgentHungUp, core.StateBadAddressAgent, core.StateBadAddressCustomer,
		core.StateDefault, core.StateFailedConnectAgent, core.StateFailedConnectCustomer, core.StateInvalidLocale,
		core.StateLineEngagedAgent, core.StateLineEngagedCustomer, core.StateMissedCallAgent,
		core.StateMissedCallCustomer, core.StateMultipleCcpWindows, core.StateRealtimeCommunicationError}
	camel := regexp.MustCompile(`[a-z][A-Z]`)
	for _, n := range names {
		if l := StateLabel(n); camel.MatchString(l) || l == "" {
			t.Errorf("state %s shows as %q, want words", n, l)
		}
	}
	for name, want := range map[string]string{core.StatePendingBusy: "Incoming contact",
		core.StateMissedCallAgent: "Missed contact", core.StateFailedConnectAgent: "Could not reach you"} {
		if got := StateLabel(name); got != want {
			t.Errorf("StateLabel(%s) = %q, want %q", name, got, want)
		}
	}
	if got := StateLabel("Coaching"); got != "Coaching" {
		t.Errorf("an instance's own state shows as %q, want its name", got)
	}
}

// TestClosestTranslation: Load parses English and the one translation the
// system's locales come closest to, so that one must be the language the
// agent reads.
func TestClosestTranslation(t *testing.T) {
	for _, c := range []struct {
		locales []string
		want    string
	}{
		{[]string{"de-DE"}, "agentdesk.de.json"},
		{[]string{"de_AT.UTF-8"}, "agentdesk.de.json"},
		{[]string{"fr-CA", "de-DE"}, "agentdesk.fr.json"},
		{[]string{"pt-BR"}, "agentdesk.pt_BR.json"},
		{[]string{"zh-TW"}, "agentdesk.zh_TW.json"},
		{[]string{"zh-HK"}, "agentdesk.zh_TW.json"},
		{[]string{"zh-CN"}, "agentdesk.zh_CN.json"},
		{[]string{"ko"}, "agentdesk.ko.json"},
		{[]string{"en-GB"}, "agentdesk.en.json"},
		{[]string{"ru-RU"}, ""}, // no Russian: English
		{[]string{"C"}, ""},
		{nil, ""},
	} {
		if got := closest(c.locales); got != c.want {
			t.Errorf("closest(%q) = %q, want %q", c.locales, got, c.want)
		}
	}
	// Every language an agent can pick is found from its own locale.
	for loc, file := range fileFor {
		if got := closest([]string{loc}); got != file {
			t.Errorf("closest(%q) = %q, want %q", loc, got, file)
		}
	}
}

// TestLoadFollowsTheSystemLanguage: with no language chosen, the window
// opens in the system's (LANGUAGE first, as gettext reads it).
func TestLoadFollowsTheSystemLanguage(t *testing.T) {
	t.Cleanup(func() { _ = Apply("en_US") })
	t.Setenv("LC_ALL", "")
	t.Setenv("LC_MESSAGES", "")
	t.Setenv("LANG", "it_IT.UTF-8")
	t.Setenv("LANGUAGE", "")
	if err := Apply(""); err != nil {
		t.Fatal(err)
	}
	if got := lang.L("Accept"); got != "Accetta" {
		t.Errorf("with LANG=it_IT.UTF-8, Accept reads %q, want the Italian %q", got, "Accetta")
	}
}
