package i18n

import (
	"context"
	"errors"
	"strings"
	"unicode"
	"unicode/utf8"

	"fyne.io/fyne/v2/lang"

	"github.com/agentdesk/agentdesk/core"
)

// templated is an error whose message a window can translate: the
// contact center's refusals (core.CenterError) are. MessageTemplate returns
// the message's format with each argument as %s, and the arguments.
type templated interface {
	error
	MessageTemplate() (string, []string)
}

// translateTemplate translates a refusal's template. Its keys are not
// string literals, so the check that every lang.L is translated does not
// see them; TestEveryRefusalIsTranslated checks them instead, from the
// center's sources.
var translateTemplate = lang.L

// Error is err as the agent reads it, as a sentence in the window's
// language: a refusal from the contact center as its message alone (not
// its type, nor the call that failed), translated; a center that did not
// answer in time as a sentence that says so. Any other error reads as it is.
func Error(err error) string {
	if err == nil {
		return ""
	}
	return sentence(capitalised(detail(err)))
}

// Failed is what failed (already translated) and why, as one sentence:
// "The language was not changed: the phone type cannot change during a call."
func Failed(what string, err error) string {
	return sentence(what + ": " + detail(err))
}

func detail(err error) string {
	var te templated
	switch {
	case errors.As(err, &te):
		tpl, args := te.MessageTemplate()
		tr := translateTemplate(tpl)
		if strings.Count(tr, "%s") != len(args) {
			tr = tpl // a translation that lost an argument must not lose it on screen
		}
		return core.FillTemplate(tr, args)
	case errors.Is(err, context.DeadlineExceeded):
		return lang.L("The contact center did not answer in time. Try again.")
	}
	return err.Error()
}

// capitalised is s with its first letter in upper case.
func capitalised(s string) string {
	if s == "" {
		return s
	}
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}

// sentence ends s with a full stop, unless it ends in a mark of its own or
// in Chinese, Japanese or Korean, whose messages go without one.
func sentence(s string) string {
	switch r, _ := utf8.DecodeLastRuneInString(s); {
	case r == utf8.RuneError, r == '.', r == '!', r == '?', r >= 0x2E80:
		return s
	}
	return s + "."
}
