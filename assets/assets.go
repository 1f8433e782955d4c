// Package assets holds the files AgentDesk ships inside its binary: the app
// icon now, and the ringtones and prompts with the softphone.
package assets

import _ "embed"

// Icon is the application icon, 512×512 PNG.
//
//go:embed icon.png
var Icon []byte
