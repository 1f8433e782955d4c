package core

import (
	"errors"
	"fmt"
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
type CenterError struct {
	Type    string
	Message string
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

// Errorf builds a *CenterError.
func Errorf(typ, format string, args ...any) *CenterError {
	return &CenterError{Type: typ, Message: fmt.Sprintf(format, args...)}
}

// IsCenterError reports whether err is a *CenterError of the given type.
func IsCenterError(err error, typ string) bool {
	var ce *CenterError
	return errors.As(err, &ce) && ce.Type == typ
}
