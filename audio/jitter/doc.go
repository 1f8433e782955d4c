// Package jitter holds a latency-bounded adaptive jitter buffer for RTP audio
// that plays 20 ms frames on a playout clock. It imports no Fyne.
package jitter
