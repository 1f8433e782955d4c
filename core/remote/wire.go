package remote

import (
	"errors"

	"github.com/agentdesk/agentdesk/core"
)

type openRequest struct {
	Login string `json:"login"`
}

type openResponse struct {
	Session string `json:"session"`
}

type commandRequest struct {
	ID      string       `json:"id"`
	Command core.Command `json:"command"`
}

type commandResponse struct {
	Result *core.Result `json:"result,omitempty"`
	Error  *wireError   `json:"error,omitempty"`
}

type wireError struct {
	Type     string   `json:"type"`
	Message  string   `json:"message"`
	Template string   `json:"template,omitempty"`
	Args     []string `json:"args,omitempty"`
}

// errTypeSessionEnded names core.ErrSessionEnded on the wire.
const errTypeSessionEnded = "SessionEnded"

func toWire(err error) *wireError {
	var ce *core.CenterError
	switch {
	case errors.As(err, &ce):
		return &wireError{Type: ce.Type, Message: ce.Message, Template: ce.Template, Args: ce.Args}
	case errors.Is(err, core.ErrSessionEnded):
		return &wireError{Type: errTypeSessionEnded, Message: err.Error()}
	default:
		return &wireError{Type: core.ErrTypeUnavailable, Message: err.Error()}
	}
}

func (w *wireError) err() error {
	if w.Type == errTypeSessionEnded {
		return core.ErrSessionEnded
	}
	return &core.CenterError{Type: w.Type, Message: w.Message, Template: w.Template, Args: w.Args}
}
