package remote

import (
	"errors"
	"fmt"

	"github.com/zalando/go-keyring"
)

// keyringService names AgentDesk's entries in the OS keyring (Secret Service,
// Windows Credential Manager, macOS Keychain).
const keyringService = "AgentDesk team token"

// SavedToken returns the team token kept in the OS keyring for the center at
// url; "" when there is none or no keyring.
func SavedToken(url string) string {
	tok, err := keyring.Get(keyringService, url)
	if err != nil {
		return ""
	}
	return tok
}

// SaveToken keeps the team token for url in the OS keyring, so that it never
// sits in a settings file or a log bundle.
func SaveToken(url, token string) error {
	if token == "" {
		if err := keyring.Delete(keyringService, url); err != nil && !errors.Is(err, keyring.ErrNotFound) {
			return fmt.Errorf("remove the team token from the keyring: %w", err)
		}
		return nil
	}
	if err := keyring.Set(keyringService, url, token); err != nil {
		return fmt.Errorf("keep the team token in the keyring: %w", err)
	}
	return nil
}
