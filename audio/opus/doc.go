// Package opus holds the softphone's Opus codec: a thin, allocation-free
// wrapper over libopus (gopkg.in/hraban/opus.v2) fixed to 48 kHz mono 20 ms
// VoIP frames with in-band FEC, plus the SDP facts for negotiating it.
// It imports no Fyne.
//
// Build with -tags nolibopusfile: the softphone needs no Ogg file support.
package opus
