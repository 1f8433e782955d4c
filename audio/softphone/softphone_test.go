package softphone_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gen2brain/malgo"

	"github.com/agentdesk/agentdesk/audio/bridge"
	"github.com/agentdesk/agentdesk/audio/device"
	"github.com/agentdesk/agentdesk/audio/pulsetest"
	"github.com/agentdesk/agentdesk/audio/rtc"
	"github.com/agentdesk/agentdesk/audio/softphone"
	"github.com/agentdesk/agentdesk/audio/tone"
	"github.com/agentdesk/agentdesk/core"
	"github.com/agentdesk/agentdesk/core/center"
)

var (
	srv     *pulsetest.Server
	modules = map[string]int{}
	quiet   = slog.New(slog.NewTextHandler(io.Discard, nil))
)

// The agent's devices are null sinks on a private PulseAudio server: the
// speaker and the ringer are sinks whose monitors we record; the
// microphone is the monitor of a sink we play into.
func TestMain(m *testing.M) {
	if os.Getenv(mediaChildEnv) != "" {
		runMediaChild()
		return
	}
	var err error
	srv, err = pulsetest.Start()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	for _, name := range []string{"spare_speaker", "agent_speaker", "agent_mic", "agent_ringer", "bob_speaker", "bob_mic", "bob_ringer"} {
		id, err := srv.LoadNullSink(name)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			srv.Close()
			os.Exit(1)
		}
		modules[name] = id
	}
	_ = srv.SetDefaultSink("spare_speaker")
	code := m.Run()
	srv.Close()
	os.Exit(code)
}

type rig struct {
	t      testing.TB
	center *center.Center
	media  *bridge.Server
	phone  *softphone.Softphone
	client *core.Client
	agent  *core.Agent
}

// newRig is alice's softphone on a center whose simulated customers speak
// a voiceHz tone.
func newRig(t testing.TB, voiceHz float64) *rig {
	t.Helper()
	br := bridge.New(bridge.Config{Log: quiet, CustomerVoice: func(string, center.MediaParty) rtc.Source {
		return &sine{g: tone.Sine(voiceHz, 0.5, 48000)}
	}})
	t.Cleanup(br.Close)
	return rigOn(t, center.New(nil, center.WithMedia(br), center.WithLogger(quiet)), br)
}

// rigOn logs alice in on c with a softphone on the test server's devices;
// br is c's media server, or nil when c has none.
func rigOn(t testing.TB, c *center.Center, br *bridge.Server) *rig {
	t.Helper()
	t.Cleanup(c.Close)
	return loginRig(t, c, br, "alice", "agent")
}

// loginRig logs an agent in on c with a softphone on the devices named
// after prefix: prefix_speaker, prefix_mic's monitor and prefix_ringer.
func loginRig(t testing.TB, c *center.Center, br *bridge.Server, login, prefix string) *rig {
	t.Helper()
	s, err := c.Session(login)
	if err != nil {
		t.Fatal(err)
	}
	return attach(t, c, br, s, prefix)
}

// attach starts a client on backend, which reaches c, with a softphone on
// the devices named after prefix.
func attach(t testing.TB, c *center.Center, br *bridge.Server, backend core.Backend, prefix string) *rig {
	t.Helper()
	return attachAfter(t, c, br, backend, prefix, func(*core.Client) {})
}

// attachAfter is attach with started called between the client's start and
// the softphone's attaching to it.
func attachAfter(t testing.TB, c *center.Center, br *bridge.Server, backend core.Backend, prefix string, started func(*core.Client)) *rig {
	t.Helper()
	eng, err := device.NewEngine(device.Config{Backends: []malgo.Backend{device.PulseAudioBackend}, Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { eng.Close() })
	sp, err := softphone.New(softphone.Config{Engine: eng, Log: quiet})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sp.Close() })
	cl := core.NewClient(backend, core.WithMedia(sp), core.WithLogger(quiet))
	t.Cleanup(func() { cl.Close() })
	if err := cl.Start(ctx(t)); err != nil {
		t.Fatal(err)
	}
	started(cl)
	if err := sp.Attach(cl); err != nil {
		t.Fatal(err)
	}
	a, _ := cl.Agent()
	for _, set := range []struct {
		fn func(string) error
		id string
	}{{a.SetSpeakerDevice, prefix + "_speaker"}, {a.SetMicrophoneDevice, prefix + "_mic.monitor"}, {a.SetRingerDevice, prefix + "_ringer"}} {
		if err := set.fn(set.id); err != nil {
			t.Fatal(err)
		}
	}
	return &rig{t: t, center: c, media: br, phone: sp, client: cl, agent: a}
}

type sine struct{ g *tone.Generator }

func (s *sine) ReadFrame(pcm []int16) { s.g.Read(pcm) }

func ctx(t testing.TB) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return c
}

// record returns the peak frequency among candidates heard on a sink's
// monitor over half a second, and its level.
func record(t testing.TB, sink string) (float64, float64) {
	t.Helper()
	pcm, err := srv.Record(sink+".monitor", 500*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	f, _ := tone.DominantFrequency(pcm, 48000, []float64{400, 440, 450, 1000, 1500})
	return f, tone.RMSdBFS(pcm)
}

// waitHeard waits until sink carries freq clearly.
func waitHeard(t testing.TB, sink string, freq float64) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	var f, lvl float64
	for time.Now().Before(deadline) {
		f, lvl = record(t, sink)
		if f == freq && lvl > -40 {
			return
		}
	}
	t.Fatalf("%s: heard %v Hz at %.1f dBFS, want %v Hz", sink, f, lvl, freq)
}

// answer rings a call on r, accepts it and waits until the customer's
// voice, hz, is heard on the agent's speaker.
func (r *rig) answer(hz float64) *core.Contact {
	r.t.Helper()
	c := r.ring()
	if err := c.Accept(ctx(r.t)); err != nil {
		r.t.Fatal(err)
	}
	waitHeard(r.t, "agent_speaker", hz)
	return c
}

func waitSilent(t testing.TB, sink string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	var lvl float64
	for time.Now().Before(deadline) {
		if _, lvl = record(t, sink); lvl < -60 {
			return
		}
	}
	t.Fatalf("%s still carries sound at %.1f dBFS", sink, lvl)
}

func (r *rig) ring() *core.Contact {
	r.t.Helper()
	avail := r.agent.AgentStates()[0]
	if err := r.agent.SetState(ctx(r.t), avail); err != nil {
		r.t.Fatal(err)
	}
	if _, err := r.center.Arrive(center.Arrival{Queue: "Support", Type: core.ContactTypeVoice, Name: "Maria Garcia", Number: "+12025550123"}); err != nil {
		r.t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if cs := r.agent.Contacts(); len(cs) == 1 {
			return cs[0]
		}
		time.Sleep(10 * time.Millisecond)
	}
	r.t.Fatal("no contact rang")
	return nil
}

// TestEchoCancellationOffStillSendsTheMic: the agent turns echo
// cancellation off mid-call, as the setting does; the customer still hears
// the agent's microphone, at its level, and still once it is back on.
func TestEchoCancellationOffStillSendsTheMic(t *testing.T) {
	r := newRig(t, 1000)
	c := r.answer(1000)
	player, err := srv.Play("agent_mic", pulsetest.Sine(440, 0.5, 48000*40))
	if err != nil {
		t.Fatal(err)
	}
	defer player.Stop()
	cust := c.InitialConnection().ConnectionID()
	for _, tc := range []struct {
		on       bool
		min, max float64 // the 440 Hz the customer hears, dBFS
	}{
		{false, -11, -7}, // the mic's -9 dBFS tone, give or take what Opus does
		{true, -40, 0},   // the preprocessor may lower a steady tone it learns as noise
	} {
		r.phone.SetEchoCancellation(tc.on)
		switched := time.Now()
		deadline := switched.Add(15 * time.Second)
		var f, lvl float64
		for {
			time.Sleep(100 * time.Millisecond)
			heard := r.media.Heard(c.ContactID(), cust)
			if time.Since(switched) > time.Second && len(heard) >= 24000 {
				last := heard[len(heard)-24000:]
				f, _ = tone.DominantFrequency(last, 48000, []float64{440, 1000, 1500})
				lvl = tone.ToneDBFS(last, 48000, 440)
				if f == 440 && lvl >= tc.min && lvl <= tc.max {
					t.Logf("echo cancellation %v: the customer hears 440 Hz at %.1f dBFS", tc.on, lvl)
					break
				}
			}
			if time.Now().After(deadline) {
				t.Fatalf("echo cancellation %v: the customer hears %v Hz, 440 Hz at %.1f dBFS; want 440 Hz at %.0f..%.0f",
					tc.on, f, lvl, tc.min, tc.max)
			}
		}
	}
}

func TestCallAudioBothWaysRingerAndDigits(t *testing.T) {
	r := newRig(t, 1000)
	streams := make(chan string, 4)
	r.agent.OnLocalMediaStreamCreated(func(connID string) { streams <- connID })
	c := r.ring()
	select {
	case id := <-streams:
		if id != c.AgentConnection().ConnectionID() {
			t.Fatalf("local media stream for connection %q, want the agent's %q", id, c.AgentConnection().ConnectionID())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("OnLocalMediaStreamCreated did not fire while the call rang")
	}

	// Ringing: the ringtone (400+450 Hz) on the ringer only, nothing on the speaker.
	deadline := time.Now().Add(10 * time.Second)
	for {
		f, lvl := record(t, "agent_ringer")
		if (f == 400 || f == 450) && lvl > -40 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("ringer sink: %v Hz at %.1f dBFS, want the ringtone", f, lvl)
		}
	}
	if _, lvl := record(t, "agent_speaker"); lvl > -60 {
		t.Fatalf("the speaker plays %.1f dBFS while the call only rings", lvl)
	}

	if err := c.Accept(ctx(t)); err != nil {
		t.Fatal(err)
	}
	// The customer's 1 kHz voice reaches the agent's speaker; the ring stops.
	waitHeard(t, "agent_speaker", 1000)
	waitSilent(t, "agent_ringer")
	// The speaker meter shows the customer's -6 dBFS voice, give or take
	// what Opus does to it. The window reads it ten times a second; the
	// median of five such reads is what the agent sees (a single period
	// can peak higher: Opus once overshot to -1.9 dBFS in CI).
	var reads []float64
	for range 5 {
		time.Sleep(100 * time.Millisecond)
		reads = append(reads, r.phone.OutputLevel())
	}
	slices.Sort(reads)
	if lvl := reads[2]; lvl < -9 || lvl > -3 {
		t.Errorf("speaker meter reads %.1f dBFS (median of %.1f) while the customer's voice plays at -6", lvl, reads)
	}
	if d, ok := r.phone.AcceptToFirstAudio(c.ContactID()); ok {
		t.Logf("accept to first audio: %v", d)
	}

	// 440 Hz into the agent's microphone reaches the customer.
	player, err := srv.Play("agent_mic", pulsetest.Sine(440, 0.5, 48000*20))
	if err != nil {
		t.Fatal(err)
	}
	defer player.Stop()
	cust := c.InitialConnection().ConnectionID()
	deadline = time.Now().Add(15 * time.Second)
	for {
		heard := r.media.Heard(c.ContactID(), cust)
		if len(heard) >= 24000 {
			f, _ := tone.DominantFrequency(heard[len(heard)-24000:], 48000, []float64{440, 1000, 1500})
			if f == 440 && tone.ToneDBFS(heard[len(heard)-24000:], 48000, 440) > -40 {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatal("the customer never heard the agent's 440 Hz")
		}
		time.Sleep(50 * time.Millisecond)
	}
	// The microphone meter shows the agent's -6 dBFS tone.
	r.phone.InputLevel()
	time.Sleep(100 * time.Millisecond)
	if lvl := r.phone.InputLevel(); lvl < -7 || lvl > -5 {
		t.Errorf("microphone meter reads %.1f dBFS while the agent's -6 dBFS tone plays", lvl)
	}

	// Digits reach the center in order, as RFC 4733 events.
	if err := c.AgentConnection().SendDigits(ctx(t), "1#59"); err != nil {
		t.Fatal(err)
	}
	deadline = time.Now().Add(10 * time.Second)
	for r.media.Digits(c.ContactID()) != "1#59" {
		if time.Now().After(deadline) {
			t.Fatalf("center received digits %q, want 1#59", r.media.Digits(c.ContactID()))
		}
		time.Sleep(20 * time.Millisecond)
	}

	// The call's quality is kept second by second.
	hist := r.phone.History(c.ContactID())
	if len(hist) < 2 || hist[len(hist)-1].Codec != "opus" || hist[len(hist)-1].PacketsReceived <= hist[0].PacketsReceived {
		t.Fatalf("quality history %d entries, last %+v: want one a second with packets flowing", len(hist), hist[len(hist)-1])
	}
	if all := r.phone.Histories(); len(all[c.ContactID()]) < len(hist) {
		t.Fatalf("Histories() has %d entries for the call, History %d", len(all[c.ContactID()]), len(hist))
	}
	if last := hist[len(hist)-1]; last.RTT <= 0 || last.RTT > 100*time.Millisecond {
		t.Fatalf("quality history's last RTT %v: want the loopback's round trip from RTCP", last.RTT)
	}

	// A chat offered during the call rings with the call-waiting tone
	// (440 Hz), not the ringtone; rejecting it stops the ring.
	if _, err := r.center.Arrive(center.Arrival{Queue: "Support", Type: core.ContactTypeChat, Name: "Li", Chat: []string{"hi"}}); err != nil {
		t.Fatal(err)
	}
	var chat *core.Contact
	deadline = time.Now().Add(10 * time.Second)
	for chat == nil {
		for _, x := range r.agent.Contacts(core.ContactTypeChat) {
			chat = x
		}
		if time.Now().After(deadline) {
			t.Fatal("the chat was not offered")
		}
		time.Sleep(10 * time.Millisecond)
	}
	deadline = time.Now().Add(10 * time.Second)
	for {
		f, lvl := record(t, "agent_ringer")
		if f == 440 && lvl > -50 && r.phone.Ringer().Playing() == softphone.CallWaiting {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("ringer: %v Hz at %.1f dBFS, tone %v; want the call-waiting tone", f, lvl, r.phone.Ringer().Playing())
		}
	}
	if err := chat.Reject(ctx(t)); err != nil {
		t.Fatal(err)
	}
	waitSilent(t, "agent_ringer")
	if r.phone.Ringer().Playing() != softphone.Silent {
		t.Fatal("the ringer still rings after the chat was rejected")
	}
}

// Pulling the speaker out mid-call moves the call to another output and
// the customer is heard there.
func TestSpeakerUnpluggedMidCallFallsBack(t *testing.T) {
	r := newRig(t, 1500)
	c := r.answer(1500)
	if err := srv.Unload(modules["agent_speaker"]); err != nil {
		t.Fatal(err)
	}
	defer func() {
		id, err := srv.LoadNullSink("agent_speaker")
		if err == nil {
			modules["agent_speaker"] = id
		}
	}()
	waitHeard(t, "spare_speaker", 1500)
	if !c.IsConnected() {
		t.Fatal("the call dropped when the speaker went away")
	}
}

// The app started while its agent was already on a call: here alice is
// auto-accepted at login into a call that waited in the queue, so the
// client's first snapshot has it connected before the softphone attaches.
// The agent hears the caller all the same.
func TestCallConnectedBeforeTheSoftphoneAttachesIsHeard(t *testing.T) {
	inst := center.DefaultInstance()
	for i := range inst.Agents {
		if inst.Agents[i].Login == "alice" {
			inst.Agents[i].AutoAccept = true
			inst.Agents[i].InitialState = "Available"
		}
	}
	br := bridge.New(bridge.Config{Log: quiet, CustomerVoice: func(string, center.MediaParty) rtc.Source {
		return &sine{g: tone.Sine(1500, 0.5, 48000)}
	}})
	t.Cleanup(br.Close)
	c := center.New(inst, center.WithMedia(br), center.WithLogger(quiet))
	t.Cleanup(c.Close)
	if _, err := c.Arrive(center.Arrival{Queue: "Support", Type: core.ContactTypeVoice, Name: "Maria Garcia", Number: "+12025550123"}); err != nil {
		t.Fatal(err)
	}
	s, err := c.Session("alice")
	if err != nil {
		t.Fatal(err)
	}
	r := attachAfter(t, c, br, s, "agent", func(cl *core.Client) {
		// Let the client deliver the events its first snapshots brought,
		// as it may before the app gets to attach: this subscription's
		// replay of the existing contact is queued behind them.
		delivered := make(chan *core.Contact, 1)
		unsub := cl.OnContact(func(c *core.Contact) {
			select {
			case delivered <- c:
			default:
			}
		})
		defer unsub()
		select {
		case c := <-delivered:
			if c.Type() != core.ContactTypeVoice || !c.IsConnected() {
				t.Fatalf("alice starts with a %s contact in state %s, want the auto-accepted call connected", c.Type(), c.State().Type)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("alice had no contact at start")
		}
	})
	if cs := r.agent.Contacts(); len(cs) != 1 {
		t.Fatalf("alice has %d contacts, want 1", len(cs))
	}
	waitHeard(t, "agent_speaker", 1500)
}

// A center that cannot set up the call's audio: the agent is told why, in
// the seed's terms, and the caller goes back to the queue for someone else.
func TestNoMediaServerIsASoftphoneError(t *testing.T) {
	r := rigOn(t, center.New(nil, center.WithLogger(quiet)), nil) // no media server
	c, a := r.center, r.agent
	errs := make(chan core.SoftphoneError, 4)
	a.OnSoftphoneError(func(e core.SoftphoneError) { errs <- e })
	ringing := r.ring()
	select {
	case e := <-errs:
		if e.ErrorType != core.SoftphoneSignallingHandshakeFailure || e.ContactID != ringing.ContactID() {
			t.Fatalf("softphone error %+v, want a signalling handshake failure for the ringing contact", e)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("no softphone error although the center has no media server")
	}
	deadline := time.Now().Add(10 * time.Second)
	for a.State().Name != core.StateFailedConnectAgent {
		if time.Now().After(deadline) {
			t.Fatalf("agent state %q, want FailedConnectAgent", a.State().Name)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if q, ok := c.Waiting(ringing.ContactID()); !ok || q != "Support" {
		t.Fatalf("the caller is not back in the Support queue (%q, %v)", q, ok)
	}
}

func TestTestToneOnTheChosenDevice(t *testing.T) {
	r := newRig(t, 1000)
	done := make(chan error, 1)
	go func() { done <- r.phone.TestRinger("agent_ringer") }()
	deadline := time.Now().Add(10 * time.Second)
	for {
		f, lvl := record(t, "agent_ringer")
		if (f == 400 || f == 450) && lvl > -40 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("test ring: %v Hz at %.1f dBFS on the ringer sink", f, lvl)
		}
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	err := r.phone.TestSpeaker("no_such_sink")
	var p *device.Problem
	if !errors.As(err, &p) || !errors.Is(err, device.ErrNoDevice) {
		t.Fatalf("a test tone on a missing device: %v, want a Problem the settings can translate", err)
	}
	if msg := p.Error(); !strings.Contains(msg, "not connected") || strings.Contains(msg, "no_such_sink") {
		t.Errorf("the settings would read %q, want it to say the device is not connected, without its ID", msg)
	}
}

// Alice consults Bob, both on softphones: each hears the other through the
// center (Alice's third party and Bob's caller are linked), and when Alice
// joins the three, Bob hears the customer too.
func TestConsultBetweenTwoSoftphones(t *testing.T) {
	r := newRig(t, 1000)
	bob := loginRig(t, r.center, r.media, "bob", "bob")
	breakState := func(a *core.Agent, name string) core.AgentState {
		for _, st := range a.AgentStates() {
			if st.Name == name {
				return st
			}
		}
		t.Fatalf("no agent state %q", name)
		return core.AgentState{}
	}
	if err := bob.agent.SetState(ctx(t), breakState(bob.agent, "Break")); err != nil {
		t.Fatal(err)
	}
	c := r.answer(1000)
	if err := bob.agent.SetState(ctx(t), breakState(bob.agent, "Available")); err != nil {
		t.Fatal(err)
	}
	eps, err := r.agent.Endpoints(ctx(t), r.agent.AllQueueARNs()...)
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(eps, func(e core.Endpoint) bool { return e.Name == "Bob Okafor" })
	if i < 0 {
		t.Fatalf("no quick connect for Bob in %v", eps)
	}
	if err := c.AddConnection(ctx(t), eps[i]); err != nil {
		t.Fatal(err)
	}
	var consult *core.Contact
	deadline := time.Now().Add(10 * time.Second)
	for consult == nil {
		if cs := bob.agent.Contacts(); len(cs) == 1 {
			consult = cs[0]
		}
		if time.Now().After(deadline) {
			t.Fatal("the consult never reached Bob")
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err := consult.Accept(ctx(t)); err != nil {
		t.Fatal(err)
	}
	alice, err := srv.Play("agent_mic", pulsetest.Sine(440, 0.5, 48000*30))
	if err != nil {
		t.Fatal(err)
	}
	defer alice.Stop()
	bobVoice, err := srv.Play("bob_mic", pulsetest.Sine(1500, 0.5, 48000*30))
	if err != nil {
		t.Fatal(err)
	}
	defer bobVoice.Stop()
	waitHeard(t, "bob_speaker", 440)    // Bob hears Alice, not the held customer
	waitHeard(t, "agent_speaker", 1500) // Alice hears Bob

	if err := c.ConferenceConnections(ctx(t)); err != nil {
		t.Fatal(err)
	}
	// In the conference Bob hears the customer (1 kHz) as well as Alice.
	deadline = time.Now().Add(15 * time.Second)
	for {
		pcm, err := srv.Record("bob_speaker.monitor", 500*time.Millisecond)
		if err != nil {
			t.Fatal(err)
		}
		if tone.ToneDBFS(pcm, 48000, 1000) > -40 && tone.ToneDBFS(pcm, 48000, 440) > -40 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("Bob in the conference: 1 kHz %.1f dBFS, 440 Hz %.1f dBFS; want both", tone.ToneDBFS(pcm, 48000, 1000), tone.ToneDBFS(pcm, 48000, 440))
		}
	}
}
