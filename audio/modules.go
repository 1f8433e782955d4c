//go:build modules

// This file only pins the media modules in go.mod until the packages that
// use them land; it is never built.
package audio

import (
	_ "github.com/gen2brain/malgo"
	_ "github.com/pion/interceptor"
	_ "github.com/pion/rtp"
	_ "github.com/pion/webrtc/v4"
	_ "gopkg.in/hraban/opus.v2"
)
