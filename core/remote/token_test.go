package remote_test

import (
	"testing"

	"github.com/zalando/go-keyring"

	"github.com/agentdesk/agentdesk/core/remote"
)

func TestTokenKeptInKeyringPerCenter(t *testing.T) {
	keyring.MockInit()
	const a, b = "http://cc-a:7420", "http://cc-b:7420"
	if got := remote.SavedToken(a); got != "" {
		t.Fatalf("token before any was saved = %q", got)
	}
	if err := remote.SaveToken(a, "alpha"); err != nil {
		t.Fatal(err)
	}
	if err := remote.SaveToken(b, "bravo"); err != nil {
		t.Fatal(err)
	}
	if got := remote.SavedToken(a); got != "alpha" {
		t.Fatalf("token for %s = %q, want alpha", a, got)
	}
	if err := remote.SaveToken(a, ""); err != nil {
		t.Fatal(err)
	}
	if got := remote.SavedToken(a); got != "" {
		t.Fatalf("token after removal = %q", got)
	}
	if got := remote.SavedToken(b); got != "bravo" {
		t.Fatalf("removing one center's token touched another's: %q", got)
	}
}
