package assets

import "embed"

// Prompts are what the center's simulated customers say: short phrases
// spoken by espeak-ng, 16 kHz mono 16-bit PCM WAV, played in name order.
//
//go:embed prompts/*.wav
var Prompts embed.FS
