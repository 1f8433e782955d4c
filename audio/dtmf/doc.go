// Package dtmf holds RFC 4733 telephone-events: the payload, an Encoder that
// schedules a dialled string's packets, and a Decoder. It imports no Fyne.
package dtmf
