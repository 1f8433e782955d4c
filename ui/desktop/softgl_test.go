package desktop

import (
	"os"
	"testing"
)

func TestLeanSoftwareGLKeepsTheUsersChoice(t *testing.T) {
	t.Setenv("LP_NUM_THREADS", "3")
	LeanSoftwareGL()
	if got := os.Getenv("LP_NUM_THREADS"); got != "3" {
		t.Errorf("LP_NUM_THREADS = %q after the user set 3", got)
	}

	t.Setenv("LP_NUM_THREADS", "")
	os.Unsetenv("LP_NUM_THREADS")
	LeanSoftwareGL()
	if got, ok := os.LookupEnv("LP_NUM_THREADS"); !ok || got != "0" {
		t.Errorf("LP_NUM_THREADS = %q (set %v), want llvmpipe drawing on the caller's thread (0)", got, ok)
	}
}
