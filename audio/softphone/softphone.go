// Package softphone is the agent's phone: it binds the agent's voice
// contacts to pion peers (built while a contact rings, so Accept only
// bridges), the microphone and speaker through the echo canceller, RFC 4733
// digits, mute, and the ringer. It implements core.Media. It imports no Fyne.
package softphone

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/agentdesk/agentdesk/audio/aec"
	"github.com/agentdesk/agentdesk/audio/device"
	"github.com/agentdesk/agentdesk/audio/drift"
	"github.com/agentdesk/agentdesk/audio/ring"
	"github.com/agentdesk/agentdesk/audio/rtc"
	"github.com/agentdesk/agentdesk/audio/tone"
	"github.com/agentdesk/agentdesk/core"
)

// Config sets up a Softphone.
type Config struct {
	Engine *device.Engine
	Log    *slog.Logger
	// Peer configures each call's WebRTC peer (tests pass a vnet).
	Peer rtc.Config
	// NoEchoCancel turns the echo canceller off (it is on by default).
	NoEchoCancel bool
	// SetupTimeout bounds building a call's media (default 10 s).
	SetupTimeout time.Duration
}

// Softphone is the agent's audio side of every voice contact.
type Softphone struct {
	cfg Config
	eng *device.Engine
	log *slog.Logger

	mu            sync.Mutex
	agent         *core.Agent
	micID, spkID  string
	mic, spk      *device.Stream
	calls         map[string]*call
	active        string // the contact whose call has the mic and speaker
	echo          *aec.Canceller
	ref           *ring.Ring // what the speaker played, for the echo canceller
	ringer        *Ringer
	unsubs        []func()
	closed        bool
	onOneWay      func(contactID string, oneWay bool)
	firstAudioAt  map[string]time.Time
	acceptedAt    map[string]time.Time
	muted         atomic.Bool
	echoOn        atomic.Bool
	wg            sync.WaitGroup // calls being set up
	samplers      sync.WaitGroup // per-call stats samplers, stopped by endCall
	refBuf, scrap []int16
	micBuf        []int16                // the 48 kHz frame ReadWideband takes from the mic
	spkBuf        []int16                // a speaker frame after drift correction
	spkQueue      drift.Queue            // the speaker's drift correction
	history       map[string][]rtc.Stats // per call, one entry a second
	historyOrder  []string               // oldest first
}

type call struct {
	contactID string
	peer      *rtc.Peer
	stop      chan struct{}
}

// keepHistories is how many ended calls keep their quality history.
const keepHistories = 20

// New makes a softphone on an audio engine. Attach binds it to a client.
func New(cfg Config) (*Softphone, error) {
	if cfg.Engine == nil {
		return nil, errors.New("softphone: no audio engine")
	}
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	if cfg.SetupTimeout == 0 {
		cfg.SetupTimeout = 10 * time.Second
	}
	if cfg.Peer.Log == nil {
		cfg.Peer.Log = cfg.Log
	}
	echo, err := aec.New(aec.DefaultConfig())
	if err != nil {
		return nil, fmt.Errorf("softphone: echo canceller: %w", err)
	}
	s := &Softphone{cfg: cfg, eng: cfg.Engine, log: cfg.Log, calls: map[string]*call{}, echo: echo,
		ref: ring.New(48000), firstAudioAt: map[string]time.Time{}, acceptedAt: map[string]time.Time{},
		refBuf: make([]int16, aec.DefaultFrameSamples), scrap: make([]int16, 4800), micBuf: make([]int16, rtc.FrameSamples),
		spkBuf: make([]int16, rtc.FrameSamples+drift.MaxStep), spkQueue: drift.Queue{Band: drift.Speaker},
		history: map[string][]rtc.Stats{}}
	s.echoOn.Store(!cfg.NoEchoCancel)
	echo.SetEnabled(!cfg.NoEchoCancel)
	s.ringer, err = NewRinger(cfg.Engine, cfg.Log)
	if err != nil {
		echo.Close()
		return nil, err
	}
	return s, nil
}

// Devices lists the audio devices.
func (s *Softphone) Devices() ([]core.MediaDevice, error) { return s.eng.Devices() }

func (s *Softphone) checkDevice(id, kind string) error {
	if id == "" {
		return nil
	}
	devs, err := s.eng.Devices()
	if err != nil {
		return err
	}
	for _, d := range devs {
		if d.ID == id && d.Kind == kind {
			return nil
		}
	}
	return fmt.Errorf("no %s device %q: %w", kind, id, device.NotConnected())
}

// SetMicrophone switches the microphone, mid-call too.
func (s *Softphone) SetMicrophone(id string) error {
	if err := s.checkDevice(id, core.MediaKindInput); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.micID = id
	if s.mic != nil {
		return s.mic.SwitchDevice(id)
	}
	return nil
}

// SetSpeaker switches the speaker, mid-call too.
func (s *Softphone) SetSpeaker(id string) error {
	if err := s.checkDevice(id, core.MediaKindOutput); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.spkID = id
	if s.spk != nil {
		return s.spk.SwitchDevice(id)
	}
	return nil
}

// SetRinger switches the device the ringtone plays on.
func (s *Softphone) SetRinger(id string) error {
	if err := s.checkDevice(id, core.MediaKindOutput); err != nil {
		return err
	}
	return s.ringer.SetDevice(id)
}

// SetMuted mutes the microphone on every call.
func (s *Softphone) SetMuted(m bool) { s.muted.Store(m) }

// SetEchoCancellation turns the echo canceller on or off.
func (s *Softphone) SetEchoCancellation(on bool) {
	s.echoOn.Store(on)
	s.echo.SetEnabled(on)
}

// OnOneWay calls fn when a call stops hearing the far end (true) or hears it again.
func (s *Softphone) OnOneWay(fn func(contactID string, oneWay bool)) {
	s.mu.Lock()
	s.onOneWay = fn
	s.mu.Unlock()
}

// Ringer is the softphone's ringer.
func (s *Softphone) Ringer() *Ringer { return s.ringer }

// Stats returns the call-quality figures of a contact's call.
func (s *Softphone) Stats(contactID string) (rtc.Stats, bool) {
	s.mu.Lock()
	c := s.calls[contactID]
	s.mu.Unlock()
	if c == nil {
		return rtc.Stats{}, false
	}
	return c.peer.Stats(), true
}

// InputLevel and OutputLevel are the microphone and speaker meters in dBFS.
func (s *Softphone) InputLevel() float64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.mic == nil {
		return device.MinDBFS
	}
	return s.mic.TakePeak()
}

// OutputLevel is the speaker meter in dBFS.
func (s *Softphone) OutputLevel() float64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.spk == nil {
		return device.MinDBFS
	}
	return s.spk.TakePeak()
}

// SpeakerDelay is how much of the far end's voice waits in the speaker's
// queue: delay the agent hears on top of the jitter buffer's. The drift
// correction keeps it within 20-40 ms besides the frame being played.
func (s *Softphone) SpeakerDelay() time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return queued(s.spk)
}

// MicrophoneDelay is how much of the agent's voice waits in the
// microphone's queue before it is sent.
func (s *Softphone) MicrophoneDelay() time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return queued(s.mic)
}

// queued is the audio in st's ring, or 0 with no stream open.
func queued(st *device.Stream) time.Duration {
	if st == nil {
		return 0
	}
	return time.Duration(st.Len()) * rtc.FrameDuration / rtc.FrameSamples
}

// Attach follows a started client's contacts: every softphone voice contact
// gets a call, and ringing contacts ring.
func (s *Softphone) Attach(client *core.Client) error {
	a, err := client.Agent()
	if err != nil {
		return err
	}
	s.mu.Lock()
	s.agent = a
	s.mu.Unlock()
	unsub := client.OnContact(func(c *core.Contact) {
		first := true
		refresh := func(c *core.Contact) {
			s.ringer.Update(a)
			if first && c.IsInbound() && c.Type() == core.ContactTypeVoice && c.State().Type == core.ContactStateConnected {
				s.ringer.Beep() // auto-accepted: a short tone says a caller is there
			}
			first = false
			s.follow(c)
		}
		c.OnRefresh(refresh)
		c.OnDestroy(func(c *core.Contact) {
			s.ringer.Update(a)
			s.endCall(c.ContactID())
		})
		// A contact the client had before Attach (the app started while
		// the agent was on a call, or an auto-accepted call was waiting
		// at login) has had its refreshes already: follow it as it is.
		// For a new one its first refresh comes next and finds the call
		// under way.
		refresh(c)
	})
	s.mu.Lock()
	s.unsubs = append(s.unsubs, unsub)
	s.mu.Unlock()
	return nil
}

// follow starts, activates or ends the call of a contact as its state says.
func (s *Softphone) follow(c *core.Contact) {
	id := c.ContactID()
	mine := c.Type() == core.ContactTypeVoice && (c.IsSoftphoneCall() || isMonitor(c))
	active := c.State().Type.Active()
	s.mu.Lock()
	_, have := s.calls[id]
	closed := s.closed
	s.mu.Unlock()
	switch {
	case closed:
	case mine && active && !have:
		s.mu.Lock()
		s.calls[id] = nil // reserved while it is built
		s.mu.Unlock()
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			s.startCall(c)
		}()
	case have && !active:
		s.endCall(id)
	}
	if mine && c.State().Type == core.ContactStateConnected {
		s.activate(id)
	}
}

func isMonitor(c *core.Contact) bool {
	ac := c.AgentConnection()
	return ac != nil && ac.Type() == core.ConnectionTypeMonitoring
}

// startCall builds the peer and negotiates it with the center.
func (s *Softphone) startCall(c *core.Contact) {
	id := c.ContactID()
	ctx, cancel := context.WithTimeout(context.Background(), s.cfg.SetupTimeout)
	defer cancel()
	fail := func(typ core.SoftphoneErrorType, err error) {
		s.log.Error("softphone call setup failed", "contact_id", id, "err", err)
		s.mu.Lock()
		delete(s.calls, id)
		a := s.agent
		s.mu.Unlock()
		if a != nil && c.State().Type.Active() {
			_ = a.ReportSoftphoneError(context.Background(), core.SoftphoneError{ErrorType: typ, ErrorMessage: err.Error(), ContactID: id})
		}
	}
	if err := s.openDevices(); err != nil {
		fail(core.SoftphoneMicrophoneNotShared, err)
		return
	}
	peer, err := rtc.NewPeer(s.cfg.Peer, &micSource{s: s, id: id}, &speakerSink{s: s, id: id})
	if err != nil {
		fail(core.SoftphoneWebRTCError, err)
		return
	}
	offer, err := peer.Offer(ctx)
	if err != nil {
		peer.Close()
		fail(core.SoftphoneICECollectionTimeout, err)
		return
	}
	answer, err := c.NegotiateMedia(ctx, offer)
	if err != nil {
		peer.Close()
		if !c.State().Type.Active() {
			s.mu.Lock()
			delete(s.calls, id)
			s.mu.Unlock()
			return
		}
		fail(core.SoftphoneSignallingHandshakeFailure, err)
		return
	}
	if err := peer.Accept(answer); err != nil {
		peer.Close()
		fail(core.SoftphoneSignallingHandshakeFailure, err)
		return
	}
	peer.OnOneWay(func(on bool) {
		s.mu.Lock()
		fn := s.onOneWay
		s.mu.Unlock()
		if fn != nil {
			fn(id, on)
		}
	})
	peer.OnState(func(st rtc.State) {
		if st == rtc.StateFailed {
			fail(core.SoftphoneRealtimeCommunicationError, errors.New("the call's media connection failed"))
		}
	})
	s.mu.Lock()
	if _, still := s.calls[id]; !still || s.closed {
		s.mu.Unlock()
		peer.Close()
		return
	}
	cl := &call{contactID: id, peer: peer, stop: make(chan struct{})}
	s.calls[id] = cl
	a := s.agent
	s.mu.Unlock()
	s.samplers.Add(1)
	go s.sample(cl)
	if err := peer.WaitConnected(ctx); err != nil {
		s.endCall(id)
		fail(core.SoftphoneICECollectionTimeout, err)
		return
	}
	s.log.Info("softphone call ready", "contact_id", id)
	if ac := c.AgentConnection(); a != nil && ac != nil {
		a.NotifyLocalMediaStreamCreated(ac.ConnectionID())
	}
}

// activate gives the mic and speaker to a contact's call.
func (s *Softphone) activate(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.active != id {
		s.active = id
		s.acceptedAt[id] = time.Now()
		delete(s.firstAudioAt, id)
	}
}

func (s *Softphone) endCall(id string) {
	s.mu.Lock()
	c := s.calls[id]
	delete(s.calls, id)
	if s.active == id {
		s.active = ""
	}
	delete(s.acceptedAt, id)
	delete(s.firstAudioAt, id)
	idle := len(s.calls) == 0
	s.mu.Unlock()
	if c != nil {
		close(c.stop)
		c.peer.Close()
		s.log.Info("softphone call ended", "contact_id", id)
	}
	if idle {
		s.closeDevices()
	}
}

// sample records a call's quality once a second for as long as it lasts.
func (s *Softphone) sample(c *call) {
	defer s.samplers.Done()
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-c.stop:
			return
		case <-t.C:
			st := c.peer.Stats()
			s.mu.Lock()
			if _, ok := s.history[c.contactID]; !ok {
				s.historyOrder = append(s.historyOrder, c.contactID)
				if len(s.historyOrder) > keepHistories {
					delete(s.history, s.historyOrder[0])
					s.historyOrder = s.historyOrder[1:]
				}
			}
			s.history[c.contactID] = append(s.history[c.contactID], st)
			s.mu.Unlock()
		}
	}
}

// History is a call's quality, one entry per second, for the whole call;
// the last few ended calls keep theirs.
func (s *Softphone) History(contactID string) []rtc.Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]rtc.Stats(nil), s.history[contactID]...)
}

// Histories is History for every call that keeps one, by contact ID: the
// calls going on and the last few that ended, for a log bundle.
func (s *Softphone) Histories() map[string][]rtc.Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string][]rtc.Stats, len(s.history))
	for id, h := range s.history {
		out[id] = append([]rtc.Stats(nil), h...)
	}
	return out
}

// SendDigits sends RFC 4733 digits on a contact's call.
func (s *Softphone) SendDigits(contactID, digits string) error {
	s.mu.Lock()
	c := s.calls[contactID]
	s.mu.Unlock()
	if c == nil {
		return fmt.Errorf("contact %s has no softphone call", contactID)
	}
	return c.peer.SendDigits(digits)
}

// AcceptToFirstAudio is how long the active call took from being connected
// to its first audible frame reaching the speaker.
func (s *Softphone) AcceptToFirstAudio(contactID string) (time.Duration, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok1 := s.acceptedAt[contactID]
	f, ok2 := s.firstAudioAt[contactID]
	if !ok1 || !ok2 {
		return 0, false
	}
	return f.Sub(a), true
}

func (s *Softphone) openDevices() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.mic == nil {
		// One duplex device for both: half the sound server's cost of two.
		m, sp, err := s.eng.OpenCall(s.micID, s.spkID)
		if err != nil {
			return fmt.Errorf("open the microphone and speaker: %w", err)
		}
		s.mic, s.spk = m, sp
	}
	return nil
}

func (s *Softphone) closeDevices() {
	s.mu.Lock()
	mic, spk := s.mic, s.spk
	s.mic, s.spk = nil, nil
	s.mu.Unlock()
	if mic != nil {
		mic.Close()
	}
	if spk != nil {
		spk.Close()
	}
}

// Close hangs up every call's media and closes the devices.
func (s *Softphone) Close() error {
	s.mu.Lock()
	s.closed = true
	unsubs := s.unsubs
	s.unsubs = nil
	ids := make([]string, 0, len(s.calls))
	for id := range s.calls {
		ids = append(ids, id)
	}
	s.mu.Unlock()
	for _, u := range unsubs {
		u()
	}
	s.wg.Wait()
	s.mu.Lock()
	for id := range s.calls {
		ids = append(ids, id)
	}
	s.mu.Unlock()
	for _, id := range ids {
		s.endCall(id)
	}
	s.samplers.Wait()
	s.closeDevices()
	s.ringer.Close()
	return s.echo.Close()
}

// micSource feeds a call from the microphone, through the echo canceller.
// Only the active call hears the microphone; others send silence.
type micSource struct {
	s  *Softphone
	id string
}

var _ rtc.WidebandSource = (*micSource)(nil)

const maxMicBacklog = 4800 // 100 ms: more is dropped to keep latency down

func (m *micSource) ReadFrame(pcm []int16) {
	s := m.s
	if !m.take(pcm) {
		clear(pcm)
		return
	}
	if s.echoOn.Load() {
		frame := aec.DefaultFrameSamples
		for i := 0; i+frame <= len(pcm); i += frame {
			_ = s.echo.Process(pcm[i:i+frame], s.reference(), pcm[i:i+frame])
		}
	}
	if s.muted.Load() {
		clear(pcm)
	}
}

// ReadWideband is ReadFrame leaving the frame at 16 kHz for the Opus
// encoder (rtc.WidebandSource): the echo canceller works at 16 kHz, so its
// output goes to the encoder as it is. With the canceller off the mic is
// only resampled.
func (m *micSource) ReadWideband(pcm []int16) {
	s := m.s
	mic := s.micBuf[:len(pcm)*aec.DefaultSampleRate/aec.DefaultProcessRate]
	if !m.take(mic) {
		clear(pcm)
		return
	}
	frame, low := aec.DefaultFrameSamples, s.echo.DownFrameSamples()
	for i := 0; (i+1)*frame <= len(mic); i++ {
		ref := s.refBuf // unread with the canceller off
		if s.echoOn.Load() {
			ref = s.reference()
		}
		_ = s.echo.ProcessDown(mic[i*frame:(i+1)*frame], ref, pcm[i*low:(i+1)*low])
	}
	if s.muted.Load() {
		clear(pcm)
	}
}

// take reads the next 48 kHz frame of the microphone into pcm, dropping
// any backlog over maxMicBacklog, or says false when this call does not
// have the microphone.
func (m *micSource) take(pcm []int16) bool {
	s := m.s
	s.mu.Lock()
	mic, active := s.mic, s.active == m.id
	s.mu.Unlock()
	if mic == nil || !active {
		return false
	}
	for mic.Len() > maxMicBacklog+len(pcm) {
		mic.Read(s.scrap[:min(len(s.scrap), mic.Len()-maxMicBacklog)])
	}
	n := mic.Read(pcm)
	clear(pcm[n:])
	return true
}

// reference is what the speaker played over the next frame of the
// microphone, for the echo canceller.
func (s *Softphone) reference() []int16 {
	got := s.ref.Read(s.refBuf)
	clear(s.refBuf[got:])
	return s.refBuf
}

// speakerSink plays the active call on the speaker and keeps a copy for the
// echo canceller.
type speakerSink struct {
	s  *Softphone
	id string
}

const maxSpeakerBacklog = 4800 // 100 ms

func (k *speakerSink) WriteFrame(pcm []int16) {
	s := k.s
	s.mu.Lock()
	spk, active := s.spk, s.active == k.id
	if active {
		if _, seen := s.firstAudioAt[k.id]; !seen && audible(pcm) {
			s.firstAudioAt[k.id] = time.Now()
		}
	}
	s.mu.Unlock()
	if spk == nil || !active {
		return
	}
	// The echo canceller's copy is the frame as the call made it, one a
	// tick as the microphone is read: the correction below changes only
	// how soon the speaker plays it, which the canceller's 200 ms tail
	// follows, and never the reference's own timeline.
	if s.echoOn.Load() && s.ref.Free() >= len(pcm) {
		s.ref.Write(pcm)
	}
	queued := spk.Len()
	if queued > maxSpeakerBacklog { // the device has stalled
		return
	}
	quiet := !audible(pcm)
	switch step := s.spkQueue.Step(queued); {
	case step == 0:
		spk.Write(pcm)
	case step > 0 && quiet && queued > drift.Speaker.High:
		// A quiet frame dropped while too much waits.
	case step < 0 && quiet && queued < drift.Speaker.Low:
		spk.Write(pcm) // a quiet frame played twice while too little waits
		spk.Write(pcm)
	default:
		out := s.spkBuf[:len(pcm)-step]
		drift.Resample(out, pcm)
		spk.Write(out)
	}
}

func audible(pcm []int16) bool {
	for _, v := range pcm {
		if v > 300 || v < -300 {
			return true
		}
	}
	return false
}

// TestSpeaker plays a short tone on an output device, so the agent can
// check they hear it there.
func (s *Softphone) TestSpeaker(id string) error {
	return s.playTest(id, tone.Sine(440, 0.3, 48000), 700*time.Millisecond)
}

// TestRinger plays one ring on an output device.
func (s *Softphone) TestRinger(id string) error {
	return s.playTest(id, tone.Ringtone(), 1200*time.Millisecond)
}

// testStall is how long a test tone waits for a device that has stopped
// taking samples (a new PulseAudio stream can stall about 2 s).
const testStall = 3 * time.Second

func (s *Softphone) playTest(id string, g *tone.Generator, d time.Duration) error {
	if err := s.checkDevice(id, core.MediaKindOutput); err != nil {
		return err
	}
	st, err := s.eng.OpenPlayback(id, device.WithName("test"))
	if err != nil {
		return err
	}
	frame := make([]int16, 960)
	for left := int(d / (20 * time.Millisecond)); left > 0; {
		for st.Free() >= len(frame) && left > 0 {
			g.Read(frame)
			st.Write(frame)
			left--
		}
		if !st.WaitPeriod(testStall) {
			break
		}
	}
	for st.Len() > 0 && st.WaitPeriod(testStall) {
	}
	return st.Close()
}
