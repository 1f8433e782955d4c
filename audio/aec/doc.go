// Package aec holds the softphone's acoustic echo canceller: speexdsp's
// adaptive echo filter followed by its preprocessor for residual echo and
// noise suppression, run on 10 ms mono frames via cgo. It imports no Fyne.
package aec
