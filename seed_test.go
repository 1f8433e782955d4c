package main

import (
	"strings"
	"testing"
)

// --seed is read as given; without it the seed is 0, which run replaces by
// a new one each start. A bad value is refused with the flag's name.
func TestSeedFlag(t *testing.T) {
	cfg, err := parseFlags([]string{"--seed", "42"})
	if err != nil || cfg.seed != 42 {
		t.Fatalf("--seed 42: seed %d, err %v", cfg.seed, err)
	}
	if cfg, err := parseFlags(nil); err != nil || cfg.seed != 0 {
		t.Fatalf("no --seed: seed %d, err %v", cfg.seed, err)
	}
	if _, err := parseFlags([]string{"--seed", "-1"}); err == nil {
		t.Fatal("--seed -1 was accepted")
	}
}

func TestNegativeTrafficIsRefusedByAppAndServe(t *testing.T) {
	if _, err := parseFlags([]string{"--traffic", "-1"}); err == nil || !strings.Contains(err.Error(), "--traffic must be 0 or more") {
		t.Errorf("app --traffic -1: %v", err)
	}
	if _, err := parseServeFlags([]string{"--traffic", "-1"}); err == nil || !strings.Contains(err.Error(), "--traffic must be 0 or more") {
		t.Errorf("serve --traffic -1: %v", err)
	}
	if cfg, err := parseServeFlags([]string{"--traffic", "0"}); err != nil || cfg.traffic != 0 {
		t.Errorf("serve --traffic 0: %+v, %v", cfg, err)
	}
}
