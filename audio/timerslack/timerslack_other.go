//go:build !linux

package timerslack

import "time"

// Env overrides the slack on Linux; elsewhere the OS coalesces timers itself.
const Env = "AGENTDESK_TIMER_SLACK_US"

// Default is the slack set on Linux when Env is unset.
const Default = time.Millisecond

// Current returns 0: only Linux has a timer slack to set.
func Current() time.Duration { return 0 }

// Err is always nil off Linux.
func Err() error { return nil }
