package core

import (
	"errors"
	"fmt"
	"strings"
)

// ErrNotInitialized is returned before the first agent snapshot arrived.
var ErrNotInitialized = errors.New("agent not initialized: no snapshot from the contact center yet")

// ErrSessionEnded is returned once the session was logged out or taken over.
var ErrSessionEnded = errors.New("agent session ended")

// ErrNoMedia is returned by device calls when no audio engine is attached.
var ErrNoMedia = errors.New("no audio engine attached: device selection needs the softphone")

// Center error types, named as the contact center names them.
const (
	ErrTypeInvalidState     = "InvalidStateException"
	ErrTypeBadEndpoint      = "BadEndpointException"
	ErrTypeInvalidLocale    = "InvalidLocale"
	ErrTypeInvalidConfig    = "InvalidConfigurationException"
	ErrTypeNotFound         = "ResourceNotFoundException"
	ErrTypeAccessDenied     = "AccessDeniedException"
	ErrTypeLimitExceeded    = "LimitExceededException"
	ErrTypeInvalidParameter = "InvalidParameterException"
	ErrTypeUnavailable      = "ServiceUnavailableException"
)

// CenterError is a refusal from the contact center. Type keeps the center's
// name for it so that callers can tell one refusal from another.
//
// Template and Args let a window show Message in the agent's language:
// Template is Message's format with each argument as %s, and Args are the
// arguments as Message shows them, so translate(Template) formatted with
// Args reads like Message. Both are empty when the message came without
// them (from an older center).
type CenterError struct {
	Type     string
	Message  string
	Template string
	Args     []string
}

// MessageTemplate returns Template and Args, or Message and no arguments
// when there is no Template.
func (e *CenterError) MessageTemplate() (string, []string) {
	if e.Template == "" {
		return e.Message, nil
	}
	return e.Template, e.Args
}

func (e *CenterError) Error() string {
	return fmt.Sprintf("%s: %s", e.Type, e.Message)
}

// Is lets errors.Is match on Type: errors.Is(err, &CenterError{Type: "InvalidLocale"}).
func (e *CenterError) Is(target error) bool {
	var t *CenterError
	if errors.As(target, &t) {
		return t.Type == e.Type && (t.Message == "" || t.Message == e.Message)
	}
	return false
}

// Errorf builds a *CenterError, with its Template and Args.
func Errorf(typ, format string, args ...any) *CenterError {
	e := &CenterError{Type: typ, Message: fmt.Sprintf(format, args...)}
	e.Template, e.Args = SplitFormat(format, args...)
	return e
}

// SplitFormat turns a format and its arguments into a template with each
// verb as %s and the arguments each formatted by its verb, so that
// fmt.Sprintf(template, args...) reads as fmt.Sprintf(format, args...). It
// returns "" and nil for a format it cannot split that way: one with
// argument indexes or * widths, or whose verbs and arguments do not pair up.
func SplitFormat(format string, args ...any) (string, []string) {
	var tpl strings.Builder
	out := make([]string, 0, len(args))
	for i := 0; i < len(format); i++ {
		c := format[i]
		if c != '%' {
			tpl.WriteByte(c)
			continue
		}
		j := i + 1
		for j < len(format) && strings.IndexByte("+-# 0123456789.", format[j]) >= 0 {
			j++
		}
		if j == len(format) || format[j] == '[' || format[j] == '*' {
			return "", nil
		}
		if format[j] == '%' && j == i+1 {
			tpl.WriteString("%%")
			i = j
			continue
		}
		if len(out) == len(args) {
			return "", nil
		}
		out = append(out, fmt.Sprintf(format[i:j+1], args[len(out)]))
		tpl.WriteString("%s")
		i = j
	}
	if len(out) != len(args) {
		return "", nil
	}
	return tpl.String(), out
}

// FillTemplate is the message a template from SplitFormat reads as with
// args, each in place of its %s: SplitFormat's inverse, for a template
// that may have been translated.
func FillTemplate(template string, args []string) string {
	anys := make([]any, len(args))
	for i, a := range args {
		anys[i] = a
	}
	return fmt.Sprintf(template, anys...)
}

// IsCenterError reports whether err is a *CenterError of the given type.
func IsCenterError(err error, typ string) bool {
	var ce *CenterError
	return errors.As(err, &ce) && ce.Type == typ
}
