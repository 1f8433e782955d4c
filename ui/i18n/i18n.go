// Package i18n holds the window's translations, one embedded JSON file per
// language of core.Locales, and switches Fyne's lang package between them.
// It imports no core or audio package.
package i18n

import (
	"embed"
	"errors"
	"fmt"
	"os"
	"regexp"
	"strings"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"github.com/jeandeaual/go-locale"
	"golang.org/x/text/language"
)

// Dir is the directory of the embedded translation files.
const Dir = "translations"

//go:embed translations
var files embed.FS

// Files are the embedded translation files, for tests.
func Files() embed.FS { return files }

// english is the file every other language falls back to, string by string.
const english = "agentdesk.en.json"

var (
	mu      sync.Mutex
	current string
	// localePattern is a POSIX or BCP 47 locale: de_DE, pt-BR, zh_TW.
	localePattern = regexp.MustCompile(`^[a-z]{2,3}([_-][A-Za-z0-9]{2,8})*$`)
)

// Load gives Fyne's lang English and the translation closest to the
// system's language (LANGUAGE, LC_ALL, LC_MESSAGES, LANG), and Fyne then
// picks that language. The other languages stay unparsed until Apply picks
// one: Fyne keeps every language it is given, as message templates, about
// 180 kB a language. (A language given again replaces its messages, and
// Fyne reads the environment anew only when it is given a file.)
func Load() error {
	mu.Lock()
	defer mu.Unlock()
	return load()
}

// load is Load with mu held.
func load() error {
	locales, err := locale.GetLocales()
	if err != nil {
		locales = nil // English alone, as Fyne does when it cannot read them
	}
	names := []string{english}
	if f := closest(locales); f != "" && f != english {
		names = append(names, f)
	}
	var errs []error
	for _, name := range names {
		data, err := files.ReadFile(Dir + "/" + name)
		if err == nil {
			err = lang.AddTranslations(fyne.NewStaticResource(name, data))
		}
		if err != nil {
			errs = append(errs, err)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("load translations: %w", err)
	}
	return nil
}

// closest is the translation file nearest the first of locales that one
// is near ("de_AT" finds German, "zh_HK" traditional Chinese), or "" when
// none is: the window is then in English.
func closest(locales []string) string {
	entries, err := files.ReadDir(Dir)
	if err != nil {
		return ""
	}
	names := make([]string, len(entries))
	codes := make([]string, len(entries))
	for i, e := range entries {
		names[i] = e.Name()
		codes[i] = strings.TrimSuffix(strings.TrimPrefix(e.Name(), "agentdesk."), ".json")
	}
	var want []language.Tag
	for _, l := range locales {
		l, _, _ = strings.Cut(l, ".") // de_DE.UTF-8
		if tag, err := language.Parse(strings.ReplaceAll(l, "_", "-")); err == nil {
			want = append(want, tag)
		}
	}
	if i, conf := nearest(codes, want...); conf != language.No {
		return names[i]
	}
	return ""
}

// nearest is the index of the one of supported (locales such as "de_DE"
// or "pt_BR") closest to the first of want that one is near, and how
// sure the match is (language.No when none is, or want is empty).
func nearest(supported []string, want ...language.Tag) (int, language.Confidence) {
	if len(supported) == 0 || len(want) == 0 {
		return 0, language.No
	}
	tags := make([]language.Tag, len(supported))
	for i, l := range supported {
		tags[i] = language.Make(strings.ReplaceAll(l, "_", "-"))
	}
	_, i, conf := language.NewMatcher(tags).Match(want...)
	return i, conf
}

// Apply makes lang.L translate into locale, one of core.Locales such as
// "de_DE"; the empty string goes back to the system's language. Fyne picks
// its language from the environment only, so Apply sets LANGUAGE (which
// gettext-style lookups read first) and loads as Load does.
// Strings already on screen keep their language: rebuild the views.
func Apply(locale string) error {
	mu.Lock()
	defer mu.Unlock()
	if locale != "" && !localePattern.MatchString(locale) {
		return fmt.Errorf("language %q: want a locale such as de_DE", locale)
	}
	var err error
	if locale == "" {
		err = os.Unsetenv("LANGUAGE")
	} else {
		err = os.Setenv("LANGUAGE", locale)
	}
	if err != nil {
		return fmt.Errorf("use language %s: %w", locale, err)
	}
	current = locale
	return load()
}

// Current is the locale Apply last set; empty for the system's language.
func Current() string {
	mu.Lock()
	defer mu.Unlock()
	return current
}

// StateLabel is how an agent state shows: the usual state names and the
// spec's system and error states as short phrases in the agent's language,
// others (an instance's own) under their own names. The names stay as they
// are in core; only what the agent reads changes.
func StateLabel(name string) string {
	switch name {
	case "Init":
		return lang.L("Starting")
	case "AfterCallWork":
		return lang.L("After contact work")
	case "CallingCustomer":
		return lang.L("Calling customer")
	case "Dialing":
		return lang.L("Dialing")
	case "Joining":
		return lang.L("Joining")
	case "PendingAvailable":
		return lang.L("Available next")
	case "PendingBusy":
		return lang.L("Incoming contact")
	case "Error", "Default":
		return lang.L("Error")
	case "AgentHungUp":
		return lang.L("You hung up")
	case "BadAddressAgent":
		return lang.L("Your number is invalid")
	case "BadAddressCustomer":
		return lang.L("Invalid number")
	case "FailedConnectAgent":
		return lang.L("Could not reach you")
	case "FailedConnectCustomer":
		return lang.L("Call failed")
	case "InvalidLocale":
		return lang.L("Unsupported language")
	case "LineEngagedAgent":
		return lang.L("Your line is busy")
	case "LineEngagedCustomer":
		return lang.L("Line busy")
	case "MissedCallAgent":
		return lang.L("Missed contact")
	case "MissedCallCustomer":
		return lang.L("Customer did not answer")
	case "MultipleCcpWindows":
		return lang.L("Open in another window")
	case "RealtimeCommunicationError":
		return lang.L("Softphone error")
	case "Available":
		return lang.L("Available")
	case "Offline":
		return lang.L("Offline")
	case "Busy":
		return lang.L("Busy")
	case "Break":
		return lang.L("Break")
	case "Lunch":
		return lang.L("Lunch")
	case "Training":
		return lang.L("Training")
	}
	return name
}

// SystemLocale is the one of supported (locales such as "de_DE") that
// the system's language (LANGUAGE, LC_ALL, LC_MESSAGES, LANG) asks for, or
// "" when it asks for none of them: the language the window shows when
// the agent has chosen none.
func SystemLocale(supported []string) string {
	i, conf := nearest(supported, language.Make(lang.SystemLocale().String()))
	if conf < language.High {
		return ""
	}
	return supported[i]
}
