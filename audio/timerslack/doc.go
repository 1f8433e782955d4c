// Package timerslack sets the process's timer slack to 1 ms before the Go
// runtime starts, so that the kernel may coalesce the wake-ups of a call's
// media path. Linking it is what sets it: main imports it for that alone.
// It imports nothing of the project's.
package timerslack
