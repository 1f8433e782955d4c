package device

import (
	"bytes"
	"unicode/utf8"

	"github.com/gen2brain/malgo"
)

// idString turns a backend device ID into a stable string: the name itself
// when the backend's ID is a readable name (PulseAudio sink/source names,
// ALSA "hw:1,0", CoreAudio UIDs), else the hex of its bytes (WASAPI's UTF-16
// IDs, the null backend's 0). Never a list index, so a device keeps its ID
// when others come and go.
func idString(id malgo.DeviceID) string {
	b := bytes.TrimRight(id[:], "\x00")
	if len(b) > 0 && readable(b) {
		return string(b)
	}
	return id.String()
}

func readable(b []byte) bool {
	if !utf8.Valid(b) {
		return false
	}
	for _, r := range string(b) {
		if r < 0x20 || r == 0x7f {
			return false
		}
	}
	return true
}
