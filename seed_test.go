package main

import "testing"

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
