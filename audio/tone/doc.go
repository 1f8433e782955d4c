// Package tone generates tones (test sines, DTMF, ringtone, call waiting) as
// int16 PCM and measures them by spectral peak and level. It imports no Fyne.
package tone
