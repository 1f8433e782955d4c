//go:build !linux

package timerslack

import "time"

// Current returns 0: only Linux has a timer slack to set.
func Current() time.Duration { return 0 }

// Err is always nil off Linux.
func Err() error { return nil }
