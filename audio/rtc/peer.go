// Package rtc is one end of a WebRTC voice call on pion: an Opus (or PCMU)
// track paced by a ticker, a latency-bounded jitter buffer with FEC and PLC,
// RFC 4733 DTMF both ways, hold, statistics and one-way-audio detection.
// The agent's softphone and the center's simulated customers both use it.
// It imports no Fyne and no malgo: audio comes and goes through Source and Sink.
package rtc

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pion/ice/v4"
	"github.com/pion/interceptor"
	"github.com/pion/interceptor/pkg/stats"
	"github.com/pion/transport/v5"
	"github.com/pion/webrtc/v4"

	"github.com/agentdesk/agentdesk/audio/dtmf"
	"github.com/agentdesk/agentdesk/audio/g711"
	"github.com/agentdesk/agentdesk/audio/jitter"
	"github.com/agentdesk/agentdesk/audio/opus"
)

// FrameSamples is one 20 ms frame at 48 kHz.
const FrameSamples = 960

// FrameDuration is the packet time.
const FrameDuration = 20 * time.Millisecond

// Payload types we offer. The answerer's choice wins for what it sends.
const (
	ptOpus    = 111
	ptPCMU    = 0
	ptDTMF48k = 101
	ptDTMF8k  = 126
)

// Source gives the audio to send: it fills pcm (FrameSamples) each 20 ms.
type Source interface {
	ReadFrame(pcm []int16)
}

// WidebandFrameSamples is one 20 ms frame at 16 kHz.
const WidebandFrameSamples = opus.WidebandFrameSamples

// WidebandSource is a Source whose audio is wideband already, as an echo
// canceller running at 16 kHz leaves it. While the call sends Opus the
// peer reads it with ReadWideband, 20 ms at 16 kHz (WidebandFrameSamples),
// and the encoder takes that as it is: the frame is neither resampled up
// to 48 kHz nor back down inside the encoder. A PCMU call reads
// ReadFrame. Either call takes the same 20 ms of audio.
type WidebandSource interface {
	Source
	ReadWideband(pcm []int16)
}

// Sink takes the audio received, one frame each 20 ms.
type Sink interface {
	WriteFrame(pcm []int16)
}

// Config sets up a Peer.
type Config struct {
	// Net replaces the network, e.g. a pion vnet for loss and delay in tests.
	Net transport.Net
	// PCMUOnly offers only G.711 µ-law, to exercise the fallback.
	PCMUOnly bool
	// MinDelay and MaxDelay bound the jitter buffer (default 20 ms and 200 ms).
	MinDelay, MaxDelay time.Duration
	// OneWayAfter is how long without incoming audio counts as one-way audio
	// (default 3 s).
	OneWayAfter time.Duration
	Log         *slog.Logger
}

// Peer is one end of a call.
type Peer struct {
	cfg  Config
	log  *slog.Logger
	pc   *webrtc.PeerConnection
	src  Source
	sink Sink
	out  *outTrack
	// rtcpStats reads the RTCP statistics of this peer's streams.
	rtcpStats *statsGetter
	inSSRC    atomic.Uint32 // the incoming audio stream's, once it arrived

	sending atomic.Bool
	reflect atomic.Bool
	digits  chan string

	mu        sync.Mutex
	onDigit   func(rune)
	onState   func(State)
	onOneWay  func(bool)
	stats     Stats
	lastRx    time.Time
	oneWay    bool
	closed    bool
	started   bool
	done      chan struct{}
	connected chan struct{}
	connOnce  sync.Once
	wg        sync.WaitGroup
	player    atomic.Pointer[player] // set once the far end's track arrives
}

// State is the peer's connection state.
type State string

// Peer states.
const (
	StateConnecting   State = "connecting"
	StateConnected    State = "connected"
	StateDisconnected State = "disconnected"
	StateFailed       State = "failed"
	StateClosed       State = "closed"
)

// Stats are the call-quality figures of one peer.
type Stats struct {
	Codec            string        // "opus" or "PCMU"
	PacketsSent      uint64        // audio packets sent
	PacketsReceived  uint64        // audio packets received
	PacketsLost      int64         // reported by RTCP for the incoming stream
	Jitter           time.Duration // interarrival jitter of the incoming stream
	RTT              time.Duration // from RTCP receiver reports
	JitterDelay      time.Duration // current playout delay of the jitter buffer
	Concealed        uint64        // frames made up by FEC or PLC
	Late             uint64        // packets that came after their playout time
	Lost             uint64        // playout slots with no packet (concealed)
	Underruns        uint64        // of those, how many found the buffer empty
	Resyncs          uint64        // jitter buffer restarts
	InputLevelDBFS   float64       // level of what is sent
	OutputLevelDBFS  float64       // level of what is played
	OneWay           bool          // connected but nothing heard for OneWayAfter
	LastPacketAt     time.Time
	SecondsConnected float64
	// FECLossPercent is the loss the Opus encoder's in-band FEC protects
	// against, following the far end's reports: 0 while they show none,
	// and for PCMU, which has no FEC.
	FECLossPercent int
}

// NewPeer makes a peer that sends what src gives and plays into sink.
func NewPeer(cfg Config, src Source, sink Sink) (*Peer, error) {
	if cfg.MinDelay == 0 {
		cfg.MinDelay = 20 * time.Millisecond
	}
	if cfg.MaxDelay == 0 {
		cfg.MaxDelay = 200 * time.Millisecond
	}
	if cfg.OneWayAfter == 0 {
		cfg.OneWayAfter = 3 * time.Second
	}
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	rtcpStats := &statsGetter{}
	api, err := newAPI(cfg, rtcpStats)
	if err != nil {
		return nil, err
	}
	pc, err := api.NewPeerConnection(webrtc.Configuration{})
	if err != nil {
		return nil, fmt.Errorf("create peer connection: %w", err)
	}
	p := &Peer{cfg: cfg, log: cfg.Log, pc: pc, src: src, sink: sink, rtcpStats: rtcpStats,
		digits: make(chan string, 16), done: make(chan struct{}), connected: make(chan struct{})}
	p.sending.Store(true)
	p.out = &outTrack{}
	sender, err := pc.AddTrack(p.out)
	if err != nil {
		pc.Close()
		return nil, fmt.Errorf("add audio track: %w", err)
	}
	p.wg.Add(1)
	go func() { // RTCP must be read for the interceptors to work.
		defer p.wg.Done()
		buf := make([]byte, 1500)
		for {
			if _, _, err := sender.Read(buf); err != nil {
				return
			}
		}
	}()
	pc.OnTrack(p.receive)
	pc.OnConnectionStateChange(p.stateChanged)
	return p, nil
}

func newAPI(cfg Config, rtcpStats *statsGetter) (*webrtc.API, error) {
	m := &webrtc.MediaEngine{}
	register := func(mime string, clock uint32, ch uint16, fmtp string, pt webrtc.PayloadType) error {
		return m.RegisterCodec(webrtc.RTPCodecParameters{
			RTPCodecCapability: webrtc.RTPCodecCapability{MimeType: mime, ClockRate: clock, Channels: ch, SDPFmtpLine: fmtp},
			PayloadType:        pt,
		}, webrtc.RTPCodecTypeAudio)
	}
	var errs []error
	if !cfg.PCMUOnly {
		errs = append(errs, register(webrtc.MimeTypeOpus, opus.ClockRate, opus.Channels, opus.SDPFmtpLine, ptOpus))
		errs = append(errs, register(mimeDTMF, 48000, 1, "0-15", ptDTMF48k))
	}
	errs = append(errs, register(webrtc.MimeTypePCMU, 8000, 1, "", ptPCMU))
	errs = append(errs, register(mimeDTMF, 8000, 1, "0-15", ptDTMF8k))
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("register codecs: %w", err)
	}
	// Of pion's default interceptors, a voice call uses the RTCP sender and
	// receiver reports and the statistics (NACK is for video; transport-wide
	// congestion control feedback would be sent and never read). The
	// statistics come first in the chain, so that the sender reports written
	// by the report interceptor pass through them: the round-trip time is
	// timed from the far end's receiver reports (their LSR and DLSR) against
	// those reports' NTP times. In pion's default order they do not, and the
	// round-trip time stays 0.
	reg := &interceptor.Registry{}
	sf, err := stats.NewInterceptor()
	if err != nil {
		return nil, fmt.Errorf("statistics interceptor: %w", err)
	}
	sf.OnNewPeerConnection(func(_ string, g stats.Getter) { rtcpStats.set(g) })
	reg.Add(sf)
	if err := webrtc.ConfigureRTCPReports(reg); err != nil {
		return nil, fmt.Errorf("register interceptors: %w", err)
	}
	se := webrtc.SettingEngine{}
	se.SetIncludeLoopbackCandidate(true)
	se.SetNetworkTypes([]webrtc.NetworkType{webrtc.NetworkTypeUDP4})
	se.SetICEMulticastDNSMode(ice.MulticastDNSModeDisabled)
	if cfg.Net != nil {
		se.SetNet(cfg.Net)
	}
	return webrtc.NewAPI(webrtc.WithMediaEngine(m), webrtc.WithInterceptorRegistry(reg), webrtc.WithSettingEngine(se)), nil
}

const mimeDTMF = "audio/telephone-event"

// Offer makes the SDP offer, with every ICE candidate in it.
func (p *Peer) Offer(ctx context.Context) (string, error) {
	offer, err := p.pc.CreateOffer(nil)
	if err != nil {
		return "", fmt.Errorf("create offer: %w", err)
	}
	return p.setLocal(ctx, offer)
}

// Answer takes the remote offer and returns the SDP answer.
func (p *Peer) Answer(ctx context.Context, offer string) (string, error) {
	if err := p.pc.SetRemoteDescription(webrtc.SessionDescription{Type: webrtc.SDPTypeOffer, SDP: offer}); err != nil {
		return "", fmt.Errorf("apply offer: %w", err)
	}
	ans, err := p.pc.CreateAnswer(nil)
	if err != nil {
		return "", fmt.Errorf("create answer: %w", err)
	}
	sdp, err := p.setLocal(ctx, ans)
	if err == nil {
		p.start()
	}
	return sdp, err
}

// Accept applies the remote answer to our offer.
func (p *Peer) Accept(answer string) error {
	if err := p.pc.SetRemoteDescription(webrtc.SessionDescription{Type: webrtc.SDPTypeAnswer, SDP: answer}); err != nil {
		return fmt.Errorf("apply answer: %w", err)
	}
	p.start()
	return nil
}

func (p *Peer) setLocal(ctx context.Context, d webrtc.SessionDescription) (string, error) {
	gathered := webrtc.GatheringCompletePromise(p.pc)
	if err := p.pc.SetLocalDescription(d); err != nil {
		return "", fmt.Errorf("set local description: %w", err)
	}
	select {
	case <-gathered:
	case <-ctx.Done():
		return "", fmt.Errorf("gathering ICE candidates: %w", ctx.Err())
	}
	return p.pc.LocalDescription().SDP, nil
}

// WaitConnected waits until media can flow.
func (p *Peer) WaitConnected(ctx context.Context) error {
	select {
	case <-p.connected:
		return nil
	case <-p.done:
		return errors.New("peer closed before it connected")
	case <-ctx.Done():
		return fmt.Errorf("waiting for the call to connect: %w", ctx.Err())
	}
}

func (p *Peer) start() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.started || p.closed {
		return
	}
	p.started = true
	p.wg.Add(1)
	go p.sendLoop()
}

func (p *Peer) stateChanged(s webrtc.PeerConnectionState) {
	var st State
	switch s {
	case webrtc.PeerConnectionStateConnected:
		st = StateConnected
		p.connOnce.Do(func() {
			p.mu.Lock()
			p.lastRx = time.Now()
			p.mu.Unlock()
			close(p.connected)
		})
	case webrtc.PeerConnectionStateDisconnected:
		st = StateDisconnected
	case webrtc.PeerConnectionStateFailed:
		st = StateFailed
	case webrtc.PeerConnectionStateClosed:
		st = StateClosed
	default:
		st = StateConnecting
	}
	p.log.Debug("peer state", "state", string(st))
	p.mu.Lock()
	fn := p.onState
	p.mu.Unlock()
	if fn != nil {
		fn(st)
	}
}

// OnState calls fn on connection state changes.
func (p *Peer) OnState(fn func(State)) { p.mu.Lock(); p.onState = fn; p.mu.Unlock() }

// OnDigit calls fn for each DTMF digit received.
func (p *Peer) OnDigit(fn func(rune)) { p.mu.Lock(); p.onDigit = fn; p.mu.Unlock() }

// OnOneWay calls fn when incoming audio stops (true) or comes back (false).
func (p *Peer) OnOneWay(fn func(bool)) { p.mu.Lock(); p.onOneWay = fn; p.mu.Unlock() }

// SetSending starts or stops sending audio; on hold nothing reaches the other side.
func (p *Peer) SetSending(on bool) { p.sending.Store(on) }

// SetReflect makes the peer an echo (on) or a talker again (off). An echo
// sends each audio packet it receives straight back as it arrives, with no
// jitter buffer, decoding or mixing on the way, in place of what its Source
// gives: the far end hears itself after one network round trip and its own
// jitter buffer. Received audio is still played into the Sink. Packets in
// another codec than the one this peer sends are not echoed.
func (p *Peer) SetReflect(on bool) {
	if p.reflect.Swap(on) != on {
		p.out.newTalkspurt(on)
	}
}

// SendDigits queues RFC 4733 DTMF events; ',' is a 500 ms pause.
func (p *Peer) SendDigits(digits string) error {
	if strings.Trim(digits, "0123456789*#ABCD,") != "" {
		return fmt.Errorf("%q holds characters that are not DTMF digits", digits)
	}
	select {
	case p.digits <- digits:
		return nil
	default:
		return errors.New("too many digit strings waiting to be sent")
	}
}

// Stats returns the latest call-quality figures.
func (p *Peer) Stats() Stats {
	p.mu.Lock()
	s := p.stats
	p.mu.Unlock()
	p.readRTCPStats(&s)
	return s
}

func (p *Peer) readRTCPStats(s *Stats) {
	g := p.rtcpStats.get()
	if g == nil {
		return
	}
	if ssrc := p.inSSRC.Load(); ssrc != 0 {
		if in := g.Get(ssrc); in != nil {
			s.PacketsLost = in.InboundRTPStreamStats.PacketsLost
			s.Jitter = time.Duration(in.InboundRTPStreamStats.Jitter * float64(time.Second))
		}
	}
	if ssrc := p.out.sendSSRC(); ssrc != 0 {
		if out := g.Get(ssrc); out != nil {
			s.RTT = out.RemoteInboundRTPStreamStats.RoundTripTime
		}
	}
}

// statsGetter holds the statistics interceptor of a peer's connection,
// which pion hands over while it makes the connection.
type statsGetter struct {
	mu sync.Mutex
	g  stats.Getter
}

func (s *statsGetter) set(g stats.Getter) { s.mu.Lock(); s.g = g; s.mu.Unlock() }

func (s *statsGetter) get() stats.Getter { s.mu.Lock(); defer s.mu.Unlock(); return s.g }

// Close hangs up and stops every goroutine.
func (p *Peer) Close() error {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return nil
	}
	p.closed = true
	close(p.done)
	p.mu.Unlock()
	err := p.pc.Close()
	p.wg.Wait()
	return err
}

// sendLoop is the call's media clock: each 20 ms tick, paced by a ticker,
// it sends a frame and, once the far end's track is there, plays one. After
// a late tick it catches up on sending so the far end's clock stays right.
// One clock for both directions halves the call's timer wake-ups, and the
// encoder and decoder never queue behind each other's cgo calls.
func (p *Peer) sendLoop() {
	defer p.wg.Done()
	select {
	case <-p.connected:
	case <-p.done:
		return
	}
	wide, _ := p.src.(WidebandSource)
	encCfg := opus.Config{}
	if wide != nil {
		encCfg.SampleRate = opus.WidebandRate
	}
	enc, err := opus.NewEncoder(encCfg)
	if err != nil {
		p.log.Error("opus encoder", "err", err)
		return
	}
	fec := newFECLoss()
	p.setFECStat(enc.Config().PacketLossPercent)
	ulaw := g711.NewEncoder()
	pcm48 := make([]int16, FrameSamples)
	pcm16 := make([]int16, WidebandFrameSamples)
	payload := make([]byte, opus.MaxPacketBytes)
	var events []dtmf.Packet // the digits being sent, with their send times
	var eventsFrom int64     // the frame their At is counted from
	t := time.NewTicker(FrameDuration)
	defer t.Stop()
	start := time.Now()
	nextFEC := start.Add(time.Second)
	var sent int64
	for {
		select {
		case <-p.done:
			return
		case now := <-t.C:
			if now.After(nextFEC) {
				nextFEC = now.Add(time.Second)
				p.adaptFEC(enc, fec)
			}
			due := int64(now.Sub(start) / FrameDuration)
			for n := 0; sent < due && n < 5; n++ {
				sent++
				pcmu := p.out.isPCMU()
				pcm := pcm48
				if wide != nil && !pcmu {
					pcm = pcm16
					wide.ReadWideband(pcm)
				} else {
					p.src.ReadFrame(pcm)
				}
				p.noteLevel(pcm, true)
				if events == nil {
					select {
					case digits := <-p.digits:
						events = p.scheduleDigits(digits)
						eventsFrom = sent
					default:
					}
				}
				if events != nil {
					// Audio pauses while digits are sent, so no tone leaks in band.
					elapsed := time.Duration(sent-eventsFrom) * FrameDuration
					for len(events) > 0 && events[0].At <= elapsed {
						if err := p.out.writeEvent(events[0].Timestamp, events[0].Marker, events[0].Payload); err != nil {
							p.log.Warn("send DTMF", "err", err)
						}
						events = events[1:]
					}
					if len(events) == 0 {
						events = nil
					}
					p.out.advance()
					continue
				}
				if !p.sending.Load() || p.reflect.Load() || !p.out.bound() {
					p.out.advance()
					continue
				}
				var nb int
				if pcmu {
					nb, err = ulaw.EncodeFrame48k(payload, pcm)
				} else {
					nb, err = enc.Encode(pcm, payload)
				}
				if err != nil {
					p.log.Warn("encode", "err", err)
					p.out.advance()
					continue
				}
				if p.out.writeAudio(payload[:nb]) == nil {
					p.mu.Lock()
					p.stats.PacketsSent++
					p.mu.Unlock()
				}
				p.out.advance()
			}
			if sent < due {
				sent = due // more than 100 ms behind: skip rather than burst
			}
			if pl := p.player.Load(); pl != nil {
				pl.play(p, now)
			}
			p.checkOneWay(now)
		}
	}
}

// adaptFEC sets the loss the encoder's FEC protects against from the far
// end's latest receiver report.
func (p *Peer) adaptFEC(enc *opus.Encoder, f *fecLoss) {
	g, ssrc := p.rtcpStats.get(), p.out.sendSSRC()
	if g == nil || ssrc == 0 || p.out.isPCMU() {
		return
	}
	out := g.Get(ssrc)
	if out == nil {
		return
	}
	r := out.RemoteInboundRTPStreamStats
	pct := f.update(r.PacketsLost, int64(r.PacketsReceived)+r.PacketsLost)
	if pct == enc.Config().PacketLossPercent {
		return
	}
	if err := enc.SetPacketLossPercent(pct); err != nil {
		p.log.Warn("opus FEC", "err", err)
		return
	}
	p.log.Debug("opus FEC follows the far end's loss", "percent", pct)
	p.setFECStat(pct)
}

// setFECStat shows in Stats the loss the FEC protects against: pct, or 0
// while the call sends PCMU.
func (p *Peer) setFECStat(pct int) {
	if p.out.isPCMU() {
		pct = 0
	}
	p.mu.Lock()
	p.stats.FECLossPercent = pct
	p.mu.Unlock()
}

// scheduleDigits turns a digit string into RFC 4733 packets starting at the
// track's current timestamp.
func (p *Peer) scheduleDigits(digits string) []dtmf.Packet {
	enc, err := dtmf.NewEncoder(dtmf.Config{ClockRate: int(p.out.clockRate())})
	if err != nil {
		p.log.Warn("DTMF encoder", "err", err)
		return nil
	}
	pkts, err := enc.Sequence(digits, p.out.timestamp())
	if err != nil {
		p.log.Warn("DTMF digits", "err", err)
		return nil
	}
	return pkts
}

func (p *Peer) noteLevel(pcm []int16, in bool) {
	var peak int32
	for _, v := range pcm {
		a := int32(v)
		if a < 0 {
			a = -a
		}
		peak = max(peak, a)
	}
	db := dbfs(peak)
	p.mu.Lock()
	if in {
		p.stats.InputLevelDBFS = db
	} else {
		p.stats.OutputLevelDBFS = db
	}
	p.mu.Unlock()
}

// receive reads the remote track into the jitter buffer and the DTMF
// decoder, and runs the playout clock.
func (p *Peer) receive(track *webrtc.TrackRemote, receiver *webrtc.RTPReceiver) {
	if track.Kind() != webrtc.RTPCodecTypeAudio {
		return
	}
	p.inSSRC.Store(uint32(track.SSRC()))
	p.wg.Add(1)
	go func() { // the far end's sender reports reach the interceptors only when read
		defer p.wg.Done()
		buf := make([]byte, 1500)
		for {
			if _, _, err := receiver.Read(buf); err != nil {
				return
			}
		}
	}()
	codec := track.Codec()
	isPCMU := strings.EqualFold(codec.MimeType, webrtc.MimeTypePCMU)
	p.mu.Lock()
	if isPCMU {
		p.stats.Codec = "PCMU"
	} else {
		p.stats.Codec = "opus"
	}
	p.mu.Unlock()
	jb, err := jitter.New(jitter.Config{ClockRate: int(codec.ClockRate), FrameSamples: int(codec.ClockRate / 50),
		MinDelay: p.cfg.MinDelay, MaxDelay: p.cfg.MaxDelay})
	if err != nil {
		p.log.Error("jitter buffer", "err", err)
		return
	}
	pl, err := newPlayer(jb, isPCMU)
	if err != nil {
		p.log.Error("opus decoder", "err", err)
		return
	}
	p.player.Store(pl)
	jbMu := &pl.jbMu
	dec := dtmf.NewDecoder()
	for {
		pkt, _, err := track.ReadRTP()
		if err != nil {
			return
		}
		now := time.Now()
		if strings.EqualFold(p.out.mimeForPT(pkt.PayloadType), mimeDTMF) || pkt.PayloadType == ptDTMF48k || pkt.PayloadType == ptDTMF8k {
			if d, ok, err := dec.Decode(pkt.Timestamp, pkt.Payload); err == nil && ok {
				p.mu.Lock()
				fn := p.onDigit
				p.mu.Unlock()
				if fn != nil {
					fn(d)
				}
			}
			continue
		}
		if p.reflect.Load() && p.sending.Load() {
			if ok, err := p.out.reflect(pkt.PayloadType, pkt.Timestamp, pkt.Marker, pkt.Payload); ok && err == nil {
				p.mu.Lock()
				p.stats.PacketsSent++
				p.mu.Unlock()
			}
		}
		payload := append([]byte(nil), pkt.Payload...)
		jbMu.Lock()
		jb.Push(pkt.SequenceNumber, pkt.Timestamp, payload, now)
		jbMu.Unlock()
		p.mu.Lock()
		p.stats.PacketsReceived++
		p.stats.LastPacketAt = now
		p.lastRx = now
		p.mu.Unlock()
	}
}

// player turns the far end's packets into the frames the sink plays: the
// jitter buffer (filled by receive) and the decoders, run by sendLoop's
// clock.
type player struct {
	jbMu   sync.Mutex // receive pushes while the clock pops
	jb     *jitter.Buffer
	isPCMU bool
	dec    *opus.Decoder
	ulaw   *g711.Decoder
	pcm    []int16
	fec    []byte
	start  time.Time
}

func newPlayer(jb *jitter.Buffer, isPCMU bool) (*player, error) {
	dec, err := opus.NewDecoder()
	if err != nil {
		return nil, err
	}
	return &player{jb: jb, isPCMU: isPCMU, dec: dec, ulaw: g711.NewDecoder(),
		pcm: make([]int16, opus.MaxFrameSamples), fec: make([]byte, 0, opus.MaxPacketBytes), start: time.Now()}, nil
}

// play decodes (or conceals) the frame due at now and hands it to the sink.
func (pl *player) play(p *Peer, now time.Time) {
	pl.jbMu.Lock()
	f := pl.jb.Pop(now)
	var next []byte
	if f.Kind == jitter.Lost {
		if n, ok := pl.jb.PeekNext(); ok {
			next = append(pl.fec[:0], n...)
		}
	}
	st := pl.jb.Stats()
	pl.jbMu.Unlock()
	frame := pl.pcm[:FrameSamples]
	var err error
	switch {
	case f.Kind == jitter.Normal && pl.isPCMU:
		_, err = pl.ulaw.DecodeFrame48k(frame, f.Payload)
	case f.Kind == jitter.Normal:
		var n int
		n, err = pl.dec.Decode(f.Payload, pl.pcm)
		if err == nil && n != FrameSamples {
			err = fmt.Errorf("the far end sends %d-sample frames; only 20 ms frames are played", n)
		}
	case f.Kind == jitter.Lost && !pl.isPCMU && next != nil:
		err = pl.dec.DecodeFEC(next, frame)
	case (f.Kind == jitter.Lost || f.Kind == jitter.Inserted) && !pl.isPCMU:
		err = pl.dec.Conceal(frame)
	default:
		clear(frame)
	}
	if err != nil {
		clear(frame)
	}
	p.sink.WriteFrame(frame)
	p.noteLevel(frame, false)
	p.mu.Lock()
	p.stats.JitterDelay = st.Delay
	p.stats.Concealed = st.Lost + st.Concealed
	p.stats.Late = st.Late
	p.stats.Lost = st.Lost
	p.stats.Underruns = st.Underruns
	p.stats.Resyncs = st.Resyncs
	p.stats.SecondsConnected = now.Sub(pl.start).Seconds()
	p.mu.Unlock()
}

// checkOneWay raises OnOneWay when nothing has arrived for OneWayAfter while
// connected, and again when audio comes back.
func (p *Peer) checkOneWay(now time.Time) {
	p.mu.Lock()
	silent := now.Sub(p.lastRx) > p.cfg.OneWayAfter
	changed := silent != p.oneWay
	p.oneWay = silent
	p.stats.OneWay = silent
	fn := p.onOneWay
	p.mu.Unlock()
	if changed {
		p.log.Warn("one-way audio", "silent", silent)
		if fn != nil {
			fn(silent)
		}
	}
}
