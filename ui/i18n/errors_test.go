package i18n

import (
	"context"
	"errors"
	"fmt"
	"go/ast"
	"go/token"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/agentdesk/agentdesk/core"
)

// verb is a fmt verb, as core.SplitFormat reads one.
var verb = regexp.MustCompile(`%[-+# 0-9.]*[a-zA-Z]`)

// refusalTemplates are the templates of every message the window may show
// in the agent's language, with the place it is made: each refusal the
// center and core can make (core.Errorf, Errorf inside core, and the
// center's invalidState) and each audio problem (device.Problemf, Problemf
// inside audio/device), in core's and audio's sources (tests excluded). A
// helper's own forwarding of its format is not one.
func refusalTemplates(t *testing.T) map[string]string {
	t.Helper()
	out := map[string]string{}
	found := map[string]int{}
	for _, root := range []string{"../../core", "../../audio"} {
		eachCall(t, root, func(fset *token.FileSet, f *ast.File, call *ast.CallExpr) {
			at := formatAt(f, call)
			if at < 0 || len(call.Args) <= at {
				return
			}
			if id, ok := call.Args[at].(*ast.Ident); ok && id.Name == "format" && call.Ellipsis.IsValid() {
				return // a helper forwarding its own format
			}
			where := fset.Position(call.Pos()).String()
			lit, ok := call.Args[at].(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				t.Errorf("%s: a refusal needs a string literal format so that it can be translated", where)
				return
			}
			format, err := strconv.Unquote(lit.Value)
			if err != nil {
				t.Fatal(err)
			}
			verbs := len(verb.FindAllString(strings.ReplaceAll(format, "%%", ""), -1))
			tpl, _ := core.SplitFormat(format, make([]any, verbs)...)
			if tpl == "" || verbs != len(call.Args)-at-1 {
				t.Errorf("%s: the format %q cannot be translated: use plain verbs, one for each argument", where, format)
				return
			}
			found[root]++
			if _, seen := out[tpl]; !seen {
				out[tpl] = where
			}
		})
	}
	if found["../../core"] < 30 || found["../../audio"] < 5 {
		t.Fatalf("found only %v messages: is the walk reading core/ and audio/?", found)
	}
	return out
}

// formatAt is where call's format is among its arguments when call makes a
// message the window translates, and -1 when it does not.
func formatAt(f *ast.File, call *ast.CallExpr) int {
	switch fn := call.Fun.(type) {
	case *ast.SelectorExpr:
		if pkg, ok := fn.X.(*ast.Ident); ok {
			switch {
			case pkg.Name == "core" && fn.Sel.Name == "Errorf",
				pkg.Name == "device" && fn.Sel.Name == "Problemf":
				return 1
			}
		}
	case *ast.Ident:
		switch {
		case fn.Name == "Errorf" && f.Name.Name == "core",
			fn.Name == "Problemf" && f.Name.Name == "device":
			return 1
		case fn.Name == "invalidState" && f.Name.Name == "center":
			return 0
		}
	}
	return -1
}

// TestEveryRefusalIsTranslated fails when a refusal the center or core can
// make has no translation in one of the agent's languages, or when a
// translation does not keep one %s for each argument.
func TestEveryRefusalIsTranslated(t *testing.T) {
	tpls := refusalTemplates(t)
	var sorted []string
	for k := range tpls {
		sorted = append(sorted, k)
	}
	sort.Strings(sorted)
	for _, loc := range core.Locales {
		name := fileFor[loc]
		m := readLocale(t, name)
		var missing []string
		for _, k := range sorted {
			v, ok := m[k].(string)
			if !ok {
				missing = append(missing, strconv.Quote(k)+" ("+tpls[k]+")")
				continue
			}
			if got, want := strings.Count(v, "%s"), strings.Count(k, "%s"); got != want || strings.Count(v, "%") != strings.Count(k, "%") {
				t.Errorf("%s: %q is translated as %q, with %d arguments, want %d and no other %%", name, k, v, got, want)
			}
		}
		if len(missing) > 0 {
			t.Errorf("%s lacks %d refusals:\n%s", name, len(missing), strings.Join(missing, "\n"))
		}
	}
}

// An agent reads a refusal in their language, without its type or the
// contact's ID, and with what it names kept.
func TestRefusalReadsInTheAgentsLanguage(t *testing.T) {
	t.Cleanup(func() { _ = Apply("en_US") })
	refusal := fmt.Errorf("clear contact c9: %w", core.Errorf(core.ErrTypeNotFound, "contact %q is not one of yours (it may have ended and been cleared)", "c9"))
	for _, c := range []struct{ locale, want string }{
		{"en_US", `Contact "c9" is not one of yours (it may have ended and been cleared).`},
		{"de_DE", `Kontakt "c9" gehört nicht zu Ihren Kontakten (er wurde vielleicht beendet und abgeschlossen).`},
	} {
		if err := Apply(c.locale); err != nil {
			t.Fatal(err)
		}
		if got := Error(refusal); got != c.want {
			t.Errorf("%s: %q, want %q", c.locale, got, c.want)
		}
	}
	if err := Apply("de_DE"); err != nil {
		t.Fatal(err)
	}
	late := fmt.Errorf("hold contact c9: %w", context.DeadlineExceeded)
	if got := Error(late); !strings.Contains(got, "Kontaktcenter") {
		t.Errorf("a center that did not answer reads %q, want a German sentence", got)
	}
	other := errors.New("no audio engine attached")
	if got := Error(other); got != "No audio engine attached." {
		t.Errorf("an error of no known kind reads %q, want it as it is, as a sentence", got)
	}
	if got, want := Failed("Die Sprache wurde nicht geändert", refusal), `Die Sprache wurde nicht geändert: Kontakt "c9" gehört nicht zu Ihren Kontakten (er wurde vielleicht beendet und abgeschlossen).`; got != want {
		t.Errorf("after what failed, the refusal reads %q, want %q", got, want)
	}
	if err := Apply("ja_JP"); err != nil {
		t.Fatal(err)
	}
	if got, want := Error(refusal), `問い合わせ "c9" はあなたの問い合わせではありません（終了してクリアされた可能性があります）`; got != want {
		t.Errorf("ja_JP: %q, want %q (no Latin full stop)", got, want)
	}
}
