package core_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/agentdesk/agentdesk/core"
)

// A refusal carries its message as a template and arguments, so that a
// window can translate it; formatted back, they read as the message.
func TestRefusalTemplateReadsAsItsMessage(t *testing.T) {
	for _, c := range []struct {
		format   string
		args     []any
		template string
		want     []string
	}{
		{"no queue %q", []any{"Sales"}, "no queue %s", []string{`"Sales"`}},
		{"a conference has at most %d parties", []any{6}, "a conference has at most %s parties", []string{"6"}},
		{"%q is not a DTMF digit (use 0-9, *, #, A-D or ,)", []any{'x'}, "%s is not a DTMF digit (use 0-9, *, #, A-D or ,)", []string{"'x'"}},
		{"agents: %v; 100%% sure; %5.1f", []any{[]string{"a", "b"}, 2.25}, "agents: %s; 100%% sure; %s", []string{"[a b]", "  2.2"}},
		{"the contact center is shut down", nil, "the contact center is shut down", []string{}},
	} {
		e := core.Errorf(core.ErrTypeNotFound, c.format, c.args...)
		tpl, args := e.MessageTemplate()
		if tpl != c.template || !slices.Equal(args, c.want) {
			t.Errorf("%q: template %q args %q, want %q %q", c.format, tpl, args, c.template, c.want)
		}
		anys := make([]any, len(args))
		for i, a := range args {
			anys[i] = a
		}
		if got := fmt.Sprintf(tpl, anys...); got != e.Message {
			t.Errorf("%q: the template reads %q, the message %q", c.format, got, e.Message)
		}
	}
}

// A format the template cannot follow keeps its message, untranslated, and
// nothing is lost.
func TestRefusalWithoutTemplateKeepsItsMessage(t *testing.T) {
	for _, c := range []struct {
		format string
		args   []any
	}{
		{"%[2]s then %[1]s", []any{"a", "b"}},
		{"%*d", []any{3, 4}},
		{"too few %s %s", []any{"a"}},
		{"too many %s", []any{"a", "b"}},
	} {
		e := core.Errorf(core.ErrTypeInvalidParameter, c.format, c.args...)
		tpl, args := e.MessageTemplate()
		if tpl != e.Message || args != nil || e.Template != "" {
			t.Errorf("%q: template %q args %q, want the message %q alone", c.format, tpl, args, e.Message)
		}
	}
}
