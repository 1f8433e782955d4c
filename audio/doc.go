// Package audio holds the softphone's media: the malgo audio engine, codecs,
// the jitter buffer, DTMF, echo cancellation, the pion softphone and the
// ringer, each in its own subpackage. It imports no Fyne.
package audio
