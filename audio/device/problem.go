package device

import (
	"fmt"

	"github.com/agentdesk/agentdesk/core"
)

// Problem is an audio failure as the agent should read it: what went wrong
// and what to do, with its format kept (as core.CenterError keeps a
// refusal's) so that the window can show it in the agent's language. It
// wraps the error it explains, so errors.Is(err, ErrNoDevice) and the like
// still hold; the messages around it (which stream, which operation) are
// for the log.
type Problem struct {
	Template string   // the message's format with each argument as %s
	Args     []string // the arguments, as the message prints them
	Err      error
}

// Problemf explains err with a message built from format and args. The
// format must be a string literal with plain verbs, one for each argument:
// ui/i18n's tests read every call to find what to translate.
func Problemf(err error, format string, args ...any) *Problem {
	p := &Problem{Err: err}
	p.Template, p.Args = core.SplitFormat(format, args...)
	if p.Template == "" { // not splittable: shown as it is, untranslated
		p.Template = "%s"
		p.Args = []string{fmt.Sprintf(format, args...)}
	}
	return p
}

func (p *Problem) Error() string { return core.FillTemplate(p.Template, p.Args) }

func (p *Problem) Unwrap() error { return p.Err }

// MessageTemplate returns the message's template and its arguments.
func (p *Problem) MessageTemplate() (string, []string) { return p.Template, p.Args }

// NotConnected is the problem of a device that is not (or no longer)
// there: unplugged, or gone from the sound server.
func NotConnected() error {
	return Problemf(ErrNoDevice, "this device is not connected (it may have been unplugged); choose another from the list")
}

// closed is the problem of an operation on a closed engine.
func closed(what string) error {
	return fmt.Errorf("device: %s: %w", what, Problemf(ErrClosed, "the audio engine has stopped; restart AgentDesk to use your devices"))
}

// refused is the problem of a device the sound system would not open or
// start; err is the sound system's own reason.
func refused(what string, err error) error {
	return fmt.Errorf("device: %s: %w", what, Problemf(err, "the sound system would not open this device (%s); choose another, or check it in the system's sound settings", err.Error()))
}
