// Package g711 holds G.711 μ-law (PCMU) and its filtered conversion between
// 48 kHz PCM frames and 8 kHz μ-law payloads. It imports no Fyne.
package g711
