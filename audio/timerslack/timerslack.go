package timerslack

import "time"

// Env overrides the slack on Linux: a whole number of microseconds from 0
// to 100000, where 0 keeps the slack the app was started with. Elsewhere the
// OS coalesces timers itself.
const Env = "AGENTDESK_TIMER_SLACK_US"

// Default is the slack set on Linux when Env is unset.
const Default = time.Millisecond
