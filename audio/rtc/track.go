package rtc

import (
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"sync"

	"github.com/pion/rtp"
	"github.com/pion/webrtc/v4"
)

// outTrack is our sending track. pion's static tracks rewrite every packet's
// payload type to the negotiated codec's, which would turn DTMF events into
// audio; this track writes headers itself so both share one SSRC and
// timestamp line.
type outTrack struct {
	mu       sync.Mutex
	ctx      webrtc.TrackLocalContext
	writer   webrtc.TrackLocalWriter
	ssrc     uint32
	audioPT  uint8
	dtmfPT   uint8
	hasDTMF  bool
	pcmu     bool
	rate     uint32
	seq      uint16
	ts       uint32
	marker   bool
	ptToMime map[uint8]string
	isBound  bool
	// reflectFresh: the next reflected packet starts a new mapping of the
	// far end's timestamps onto ours (reflectOffset).
	reflectFresh  bool
	reflectOffset uint32
}

func (t *outTrack) ID() string                { return "audio" }
func (t *outTrack) RID() string               { return "" }
func (t *outTrack) StreamID() string          { return "agentdesk" }
func (t *outTrack) Kind() webrtc.RTPCodecType { return webrtc.RTPCodecTypeAudio }
func (t *outTrack) Unbind(webrtc.TrackLocalContext) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.isBound = false
	return nil
}

// Bind picks the first negotiated voice codec and the telephone-event of the
// same clock rate.
func (t *outTrack) Bind(ctx webrtc.TrackLocalContext) (webrtc.RTPCodecParameters, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	codecs := ctx.CodecParameters()
	t.ptToMime = map[uint8]string{}
	for _, c := range codecs {
		t.ptToMime[uint8(c.PayloadType)] = strings.ToLower(c.MimeType)
	}
	var chosen *webrtc.RTPCodecParameters
	for i, c := range codecs {
		if strings.EqualFold(c.MimeType, webrtc.MimeTypeOpus) || strings.EqualFold(c.MimeType, webrtc.MimeTypePCMU) {
			chosen = &codecs[i]
			break
		}
	}
	if chosen == nil {
		return webrtc.RTPCodecParameters{}, errors.New("the other side offers neither Opus nor PCMU")
	}
	t.ctx, t.writer, t.ssrc = ctx, ctx.WriteStream(), uint32(ctx.SSRC())
	t.audioPT, t.rate = uint8(chosen.PayloadType), chosen.ClockRate
	t.pcmu = strings.EqualFold(chosen.MimeType, webrtc.MimeTypePCMU)
	t.hasDTMF = false
	for _, c := range codecs {
		if strings.EqualFold(c.MimeType, mimeDTMF) && c.ClockRate == chosen.ClockRate {
			t.dtmfPT, t.hasDTMF = uint8(c.PayloadType), true
		}
	}
	if !t.isBound {
		t.seq = uint16(rand.N(math.MaxUint16))
		t.ts = rand.Uint32()
		t.marker = true
	}
	t.isBound = true
	return *chosen, nil
}

func (t *outTrack) bound() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.isBound
}

// sendSSRC is the SSRC we send with, or 0 before the track is bound.
func (t *outTrack) sendSSRC() uint32 {
	t.mu.Lock()
	defer t.mu.Unlock()
	if !t.isBound {
		return 0
	}
	return t.ssrc
}

func (t *outTrack) isPCMU() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.pcmu
}

func (t *outTrack) clockRate() uint32 {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.rate == 0 {
		return 48000
	}
	return t.rate
}

func (t *outTrack) mimeForPT(pt uint8) string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.ptToMime[pt]
}

// advance moves the timestamp on by one 20 ms frame, sent or not.
func (t *outTrack) advance() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.ts += t.rateOr48k() / 50
}

func (t *outTrack) rateOr48k() uint32 {
	if t.rate == 0 {
		return 48000
	}
	return t.rate
}

func (t *outTrack) writeAudio(payload []byte) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if !t.isBound {
		return errors.New("track not bound")
	}
	h := rtp.Header{Version: 2, PayloadType: t.audioPT, SequenceNumber: t.seq, Timestamp: t.ts, SSRC: t.ssrc, Marker: t.marker}
	t.seq++
	t.marker = false
	_, err := t.writer.WriteRTP(&h, payload)
	return err
}

// newTalkspurt marks the next packet as the start of a talkspurt, after
// reflecting starts or stops; once reflecting starts, the next reflected
// packet maps the far end's timestamps onto this track's current line.
func (t *outTrack) newTalkspurt(reflecting bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.reflectFresh = reflecting
	t.marker = true
}

// reflect sends a received audio packet straight back: its payload and
// timestamp (moved onto our timestamp line) with our SSRC, sequence and
// payload type. It reports false, sending nothing, when the packet's codec
// is not the one we send.
func (t *outTrack) reflect(pt uint8, ts uint32, marker bool, payload []byte) (bool, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if !t.isBound || t.ptToMime[pt] != t.ptToMime[t.audioPT] {
		return false, nil
	}
	if t.reflectFresh {
		t.reflectFresh = false
		t.reflectOffset = t.ts - ts
	}
	h := rtp.Header{Version: 2, PayloadType: t.audioPT, SequenceNumber: t.seq, Timestamp: ts + t.reflectOffset, SSRC: t.ssrc, Marker: marker || t.marker}
	t.seq++
	t.marker = false
	_, err := t.writer.WriteRTP(&h, payload)
	return true, err
}

// writeEvent sends one telephone-event packet. Its timestamp is the event's
// start, as RFC 4733 requires; the first packet of an event has the marker.
func (t *outTrack) writeEvent(ts uint32, marker bool, payload []byte) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if !t.isBound || !t.hasDTMF {
		return errors.New("the other side did not negotiate telephone-event")
	}
	h := rtp.Header{Version: 2, PayloadType: t.dtmfPT, SequenceNumber: t.seq, Timestamp: ts, SSRC: t.ssrc, Marker: marker}
	t.seq++
	t.marker = true // audio after an event starts a new talkspurt
	_, err := t.writer.WriteRTP(&h, payload)
	return err
}

func (t *outTrack) timestamp() uint32 {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.ts
}

func dbfs(peak int32) float64 {
	if peak <= 0 {
		return -120
	}
	return 20 * math.Log10(float64(peak)/32768)
}
