// Package aec holds the softphone's acoustic echo canceller: speexdsp's
// adaptive echo filter followed by its preprocessor for residual echo and
// noise suppression, run via cgo on 20 ms mono frames that it
// resamples from 48 kHz to 16 kHz and back. It imports no Fyne.
package aec
