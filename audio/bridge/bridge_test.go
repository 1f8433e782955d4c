package bridge

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/agentdesk/agentdesk/audio/rtc"
	"github.com/agentdesk/agentdesk/audio/tone"
	"github.com/agentdesk/agentdesk/core/center"
)

const (
	present = -30.0 // dBFS at a tone's frequency when it is heard (sent at -15)
	absent  = -45.0 // dBFS at a tone's frequency when it must not be heard
)

// toneSource says a sine, or silence until start if it was made quiet.
type toneSource struct {
	mu      sync.Mutex
	gen     *tone.Generator
	on      bool
	started time.Time // when the first frame of tone went out
}

func newTone(hz float64) *toneSource {
	return &toneSource{gen: tone.Sine(hz, 0.25, sampleRate), on: true}
}

func (s *toneSource) ReadFrame(pcm []int16) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.on {
		clear(pcm)
		return
	}
	if s.started.IsZero() {
		s.started = time.Now()
	}
	s.gen.Read(pcm)
}

func (s *toneSource) start() { s.mu.Lock(); s.on = true; s.mu.Unlock() }

func (s *toneSource) startedAt() time.Time { s.mu.Lock(); defer s.mu.Unlock(); return s.started }

// earpiece keeps everything a test softphone played, with when.
type earpiece struct {
	mu     sync.Mutex
	frames [][]int16
	at     []time.Time
}

func (e *earpiece) WriteFrame(pcm []int16) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.frames = append(e.frames, slices.Clone(pcm))
	e.at = append(e.at, time.Now())
}

func (e *earpiece) count() int { e.mu.Lock(); defer e.mu.Unlock(); return len(e.frames) }

// last returns the last second played.
func (e *earpiece) last() []int16 { return e.lastFrames(50) }

func (e *earpiece) lastFrames(n int) []int16 {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []int16
	for _, f := range e.frames[max(0, len(e.frames)-n):] {
		out = append(out, f...)
	}
	return out
}

// firstTone is when a frame with hz in it was first played.
func (e *earpiece) firstTone(hz float64) (time.Time, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	for i, f := range e.frames {
		if tone.ToneDBFS(f, sampleRate, hz) > present {
			return e.at[i], true
		}
	}
	return time.Time{}, false
}

// phone is a test agent softphone connected to the bridge.
type phone struct {
	peer  *rtc.Peer
	voice *toneSource
	ear   *earpiece
}

func dial(t *testing.T, s *Server, contactID, login string, voice *toneSource) *phone {
	t.Helper()
	ph := &phone{voice: voice, ear: &earpiece{}}
	var err error
	ph.peer, err = rtc.NewPeer(rtc.Config{}, voice, ph.ear)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ph.peer.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	offer, err := ph.peer.Offer(ctx)
	if err != nil {
		t.Fatal(err)
	}
	answer, err := s.AnswerAgent(ctx, contactID, login, offer)
	if err != nil {
		t.Fatal(err)
	}
	if err := ph.peer.Accept(answer); err != nil {
		t.Fatal(err)
	}
	if err := ph.peer.WaitConnected(ctx); err != nil {
		t.Fatal(err)
	}
	return ph
}

// newServer makes a bridge whose simulated people say the tones given by
// party ID.
func newServer(t *testing.T, voices map[string]float64) *Server {
	t.Helper()
	s := New(Config{Log: testLog(t), CustomerVoice: func(_ string, p center.MediaParty) rtc.Source {
		hz, ok := voices[p.ID]
		if !ok {
			t.Errorf("no voice for party %s", p.ID)
		}
		return newTone(hz)
	}})
	t.Cleanup(s.Close)
	return s
}

// testLog shows warnings and errors in the test's output.
func testLog(t *testing.T) *slog.Logger {
	return slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn}))
}

// waitFor polls cond until it holds, failing after 10 s with its last word.
func waitFor(t *testing.T, what string, cond func() (bool, string)) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		ok, detail := cond()
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within 10 s (%s)", what, detail)
		}
		time.Sleep(25 * time.Millisecond)
	}
}

// levels describes the tones in a second of audio.
func levels(pcm []int16, freqs ...float64) string {
	s := fmt.Sprintf("%d samples, RMS %.1f dBFS", len(pcm), tone.RMSdBFS(pcm))
	for _, f := range freqs {
		s += fmt.Sprintf(", %v Hz %.1f dBFS", f, tone.ToneDBFS(pcm, sampleRate, f))
	}
	return s
}

// hears waits until the audio from get has every tone of want and none of
// not, over a second.
func hears(t *testing.T, who string, get func() []int16, want, not []float64) {
	t.Helper()
	all := append(slices.Clone(want), not...)
	waitFor(t, fmt.Sprintf("%s hears %v and not %v", who, want, not), func() (bool, string) {
		pcm := get()
		if len(pcm) < sampleRate {
			return false, levels(pcm, all...)
		}
		pcm = pcm[len(pcm)-sampleRate:]
		for _, f := range want {
			if tone.ToneDBFS(pcm, sampleRate, f) < present {
				return false, levels(pcm, all...)
			}
		}
		for _, f := range not {
			if tone.ToneDBFS(pcm, sampleRate, f) > absent {
				return false, levels(pcm, all...)
			}
		}
		return true, ""
	})
}

// connected waits until the center's trunks to every party named are up and
// carrying audio in.
func connected(t *testing.T, s *Server, contactID string, ids ...string) {
	t.Helper()
	waitFor(t, fmt.Sprintf("parties %v connected", ids), func() (bool, string) {
		st := s.Stats(contactID)
		for _, id := range ids {
			i := slices.IndexFunc(st, func(p PartyStats) bool { return p.ID == id })
			if i < 0 || !st[i].Connected || st[i].Trunk.PacketsReceived < 10 {
				return false, fmt.Sprintf("stats %+v", st)
			}
		}
		return true, ""
	})
}

func customer(talking bool) center.MediaParty {
	return center.MediaParty{ID: "c1", Role: center.RoleCustomer, Name: "Pat Doe", Number: "+12025550111", Talking: talking}
}

func agent(talking bool) center.MediaParty {
	return center.MediaParty{ID: "ann", Role: center.RoleAgent, Name: "Ann", Talking: talking}
}

func TestAgentHearsCustomerOnlyOnceTalking(t *testing.T) {
	s := newServer(t, map[string]float64{"c1": 1000})
	s.Update("k1", []center.MediaParty{customer(true), agent(false)})
	ann := dial(t, s, "k1", "ann", newTone(440))
	connected(t, s, "k1", "c1", "ann")
	// A second of the ringing call, with the customer's audio arriving: nothing.
	from := ann.ear.count()
	waitFor(t, "a second played while ringing", func() (bool, string) { return ann.ear.count() >= from+50, "" })
	if got := ann.ear.last(); tone.ToneDBFS(got, sampleRate, 1000) > absent {
		t.Fatalf("the agent hears the customer while ringing: %s", levels(got, 1000))
	}
	if got := s.Heard("k1", "c1"); tone.ToneDBFS(got, sampleRate, 440) > absent {
		t.Fatalf("the customer hears the agent while ringing: %s", levels(got, 440))
	}
	s.Update("k1", []center.MediaParty{customer(true), agent(true)})
	waitFor(t, "the agent hears the customer clearly once talking", func() (bool, string) {
		f, snr := tone.DominantFrequency(ann.ear.last(), sampleRate, []float64{440, 1000, 1500})
		return f == 1000 && snr > 15, fmt.Sprintf("peak at %v Hz, SNR %.1f dB", f, snr)
	})
}

func TestCustomerHearsAgent(t *testing.T) {
	s := newServer(t, map[string]float64{"c1": 1000})
	s.Update("k1", []center.MediaParty{customer(true), agent(true)})
	voice := newTone(440)
	voice.on = false
	dial(t, s, "k1", "ann", voice)
	connected(t, s, "k1", "c1", "ann")
	voice.start()
	// The agent's first words reach the customer when the recording shows
	// them, that many samples before its end.
	var heardAt time.Time
	waitFor(t, "the agent's tone starts at the customer", func() (bool, string) {
		pcm, now := s.Heard("k1", "c1"), time.Now()
		for i := 0; i+480 <= len(pcm); i += 480 {
			if tone.ToneDBFS(pcm[i:i+480], sampleRate, 440) > present {
				heardAt = now.Add(-time.Duration(len(pcm)-i) * time.Second / sampleRate)
				return true, ""
			}
		}
		return false, levels(pcm, 440)
	})
	t.Logf("agent → customer latency about %v", heardAt.Sub(voice.startedAt()).Round(time.Millisecond))
	hears(t, "customer", func() []int16 { return s.Heard("k1", "c1") }, []float64{440}, []float64{1000})
}

func TestHold(t *testing.T) {
	s := newServer(t, map[string]float64{"c1": 1000})
	s.Update("k1", []center.MediaParty{customer(true), agent(true)})
	ann := dial(t, s, "k1", "ann", newTone(440))
	heard := func() []int16 { return s.Heard("k1", "c1") }
	hears(t, "customer", heard, []float64{440}, nil)
	hears(t, "agent", ann.ear.last, []float64{1000}, nil)

	held := customer(false)
	held.OnHold = true
	s.Update("k1", []center.MediaParty{held, agent(true)})
	waitFor(t, "customer on hold hears music, not the agent", func() (bool, string) {
		pcm := heard()
		pcm = pcm[max(0, len(pcm)-sampleRate):]
		return len(pcm) == sampleRate && tone.RMSdBFS(pcm) > -30 && tone.ToneDBFS(pcm, sampleRate, 440) < absent, levels(pcm, 440)
	})
	waitFor(t, "agent hears silence from the held customer", func() (bool, string) {
		pcm := ann.ear.last()
		return tone.RMSdBFS(pcm) < -50, levels(pcm, 1000)
	})
	music := heard()
	if f, _ := tone.DominantFrequency(music, sampleRate, nil); f < 100 || f > 1400 {
		t.Errorf("hold music peaks at %.0f Hz, want a melody in 100-1400 Hz", f)
	}

	s.Update("k1", []center.MediaParty{customer(true), agent(true)})
	hears(t, "customer off hold", heard, []float64{440}, nil)
	hears(t, "agent, customer off hold", ann.ear.last, []float64{1000}, nil)
}

func TestConferenceMixMinus(t *testing.T) {
	s := newServer(t, map[string]float64{"c1": 1000, "t1": 1500})
	third := center.MediaParty{ID: "t1", Role: center.RoleThirdParty, Name: "Billing", Number: "+12025550122"}
	s.Update("k1", []center.MediaParty{customer(true), third, agent(true)}) // third party still ringing
	ann := dial(t, s, "k1", "ann", newTone(440))
	connected(t, s, "k1", "c1", "t1", "ann")
	hears(t, "agent, third party ringing", ann.ear.last, []float64{1000}, []float64{440, 1500})
	hears(t, "third party while ringing", func() []int16 { return s.Heard("k1", "t1") }, nil, []float64{440, 1000})

	third.Talking = true
	s.Update("k1", []center.MediaParty{customer(true), third, agent(true)})
	hears(t, "agent", ann.ear.last, []float64{1000, 1500}, []float64{440})
	hears(t, "customer", func() []int16 { return s.Heard("k1", "c1") }, []float64{440, 1500}, []float64{1000})
	hears(t, "third party", func() []int16 { return s.Heard("k1", "t1") }, []float64{440, 1000}, []float64{1500})

	// The third party hangs up: their peers close and the others go on.
	s.Update("k1", []center.MediaParty{customer(true), agent(true)})
	if st := s.Stats("k1"); len(st) != 2 {
		t.Fatalf("after the third party left, stats show %d parties, want 2", len(st))
	}
	if s.Heard("k1", "t1") != nil {
		t.Fatal("Heard still has the third party who left")
	}
	hears(t, "agent, third party gone", ann.ear.last, []float64{1000}, []float64{440, 1500})
}

func TestSilentMonitorAndBarge(t *testing.T) {
	s := newServer(t, map[string]float64{"c1": 1000})
	sup := center.MediaParty{ID: "sue", Role: center.RoleMonitor, Name: "Sue", Listening: true}
	s.Update("k1", []center.MediaParty{customer(true), agent(true), sup})
	ann := dial(t, s, "k1", "ann", newTone(440))
	sue := dial(t, s, "k1", "sue", newTone(1500))
	connected(t, s, "k1", "c1", "ann", "sue")
	hears(t, "silent monitor", sue.ear.last, []float64{440, 1000}, []float64{1500})
	hears(t, "customer, monitored", func() []int16 { return s.Heard("k1", "c1") }, []float64{440}, []float64{1500})
	hears(t, "agent, monitored", ann.ear.last, []float64{1000}, []float64{1500})

	sup.Listening, sup.Talking = false, true
	s.Update("k1", []center.MediaParty{customer(true), agent(true), sup})
	hears(t, "customer, barged", func() []int16 { return s.Heard("k1", "c1") }, []float64{440, 1500}, nil)
	hears(t, "agent, barged", ann.ear.last, []float64{1000, 1500}, nil)
	hears(t, "barging supervisor", sue.ear.last, []float64{440, 1000}, []float64{1500})
}

func TestEchoTest(t *testing.T) {
	s := newServer(t, nil) // the echo party's voice is the echo: no voice asked for
	echo := center.MediaParty{ID: "t1", Role: center.RoleThirdParty, Name: "Echo test", Number: center.EchoTestNumber, Talking: true}
	s.Update("k1", []center.MediaParty{echo, agent(true)})
	voice := newTone(440)
	voice.on = false
	ann := dial(t, s, "k1", "ann", voice)
	connected(t, s, "k1", "ann") // the echo lives in the bridge: it has no trunk
	voice.start()
	hears(t, "agent on the echo test", ann.ear.last, []float64{440}, nil)
	if at, ok := ann.ear.firstTone(440); ok {
		t.Logf("echo round trip (agent → center's echo → agent): %v", at.Sub(voice.startedAt()).Round(time.Millisecond))
	}

	// A supervisor listening in hears the agent (and the echo) through the
	// mixer, while the agent's own echo comes straight back from the trunk.
	sup := center.MediaParty{ID: "sue", Role: center.RoleMonitor, Name: "Sue", Listening: true}
	s.Update("k1", []center.MediaParty{echo, agent(true), sup})
	sue := dial(t, s, "k1", "sue", newTone(1500))
	connected(t, s, "k1", "ann", "sue")
	hears(t, "supervisor monitoring the echo test", sue.ear.last, []float64{440}, []float64{1500})
	hears(t, "agent on the echo test, monitored", ann.ear.last, []float64{440}, []float64{1500})

	// On hold the agent hears hold music, not themselves.
	held := agent(false)
	held.OnHold = true
	s.Update("k1", []center.MediaParty{echo, held})
	waitFor(t, "agent on hold hears music, not their echo", func() (bool, string) {
		pcm := ann.ear.last()
		return len(pcm) == sampleRate && tone.RMSdBFS(pcm) > -30 && tone.ToneDBFS(pcm, sampleRate, 440) < absent, levels(pcm, 440)
	})
	s.Update("k1", []center.MediaParty{echo, agent(true)})
	hears(t, "agent back from hold on the echo test", ann.ear.last, []float64{440}, nil)
}

func TestDigitsFromAgentInOrder(t *testing.T) {
	s := newServer(t, map[string]float64{"c1": 1000})
	s.Update("k1", []center.MediaParty{customer(true), agent(true)})
	ann := dial(t, s, "k1", "ann", newTone(440))
	if err := ann.peer.SendDigits("12#*9"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "digits 12#*9 at the center", func() (bool, string) {
		d := s.Digits("k1")
		return d == "12#*9", fmt.Sprintf("got %q", d)
	})
}

func TestDefaultCustomerSpeaksPrompts(t *testing.T) {
	s := New(Config{Log: testLog(t)})
	t.Cleanup(s.Close)
	s.Update("k1", []center.MediaParty{customer(true), agent(true)})
	ann := dial(t, s, "k1", "ann", newTone(440))
	var loudest float64 = -200
	waitFor(t, "the customer's prompts reach the agent", func() (bool, string) {
		// Over 3 s there is always at least half a prompt.
		pcm := ann.ear.lastFrames(150)
		lvl := tone.RMSdBFS(pcm)
		loudest = max(loudest, lvl)
		return len(pcm) == 150*rtc.FrameSamples && lvl > -40, fmt.Sprintf("RMS over the last 3 s %.1f dBFS", lvl)
	})
	t.Logf("prompts heard by the agent at %.1f dBFS RMS over 3 s", loudest)
}

func TestAgentReofferReplacesTrunkAndEndCloses(t *testing.T) {
	s := newServer(t, map[string]float64{"c1": 1000})
	s.Update("k1", []center.MediaParty{customer(true), agent(true)})
	first := dial(t, s, "k1", "ann", newTone(440))
	hears(t, "first softphone", first.ear.last, []float64{1000}, nil)
	second := dial(t, s, "k1", "ann", newTone(1500))
	hears(t, "second softphone", second.ear.last, []float64{1000}, nil)
	hears(t, "customer after the re-offer", func() []int16 { return s.Heard("k1", "c1") }, []float64{1500}, []float64{440})
	c := s.contact("k1", false)
	closed := make(chan struct{}, 8)
	var peers int
	c.mu.Lock()
	for _, p := range c.parties {
		for _, pr := range []*rtc.Peer{p.trunk, p.person} {
			if pr != nil {
				peers++
				pr.OnState(func(st rtc.State) {
					if st == rtc.StateClosed {
						closed <- struct{}{}
					}
				})
			}
		}
	}
	c.mu.Unlock()
	s.End("k1")
	if st := s.Stats("k1"); st != nil {
		t.Fatalf("stats after End: %+v", st)
	}
	if s.Digits("k1") != "" || s.Heard("k1", "c1") != nil {
		t.Fatal("an ended contact still answers Digits or Heard")
	}
	timeout := time.After(10 * time.Second)
	for n := range peers {
		select {
		case <-closed:
		case <-timeout:
			t.Fatalf("%d of the contact's %d peers closed within 10 s of End", n, peers)
		}
	}
}

// An agent-to-agent consult is two contacts: on Ann's, a third party stands
// for Bob; on Bob's, the caller stands for Ann. Linked, the two agents hear
// each other; on hold, Bob hears Ann's hold music instead.
func TestConsultLinksTwoAgents(t *testing.T) {
	s := newServer(t, map[string]float64{"c1": 1000})
	toBob := center.MediaParty{ID: "x1", Role: center.RoleThirdParty, Name: "Bob", Talking: true, Link: center.MediaLink{ContactID: "k2", PartyID: "y1"}}
	fromAnn := center.MediaParty{ID: "y1", Role: center.RoleCustomer, Name: "Ann", Talking: true, Link: center.MediaLink{ContactID: "k1", PartyID: "x1"}}
	bob := center.MediaParty{ID: "bob", Role: center.RoleAgent, Name: "Bob", Talking: true}
	held := customer(false)
	held.OnHold = true
	s.Update("k1", []center.MediaParty{held, toBob, agent(true)})
	s.Update("k2", []center.MediaParty{fromAnn, bob})
	ann := dial(t, s, "k1", "ann", newTone(440))
	bobPhone := dial(t, s, "k2", "bob", newTone(1500))
	hears(t, "Ann consulting Bob", ann.ear.last, []float64{1500}, []float64{440, 1000})
	hears(t, "Bob consulted by Ann", bobPhone.ear.last, []float64{440}, []float64{1500, 1000})
	if p := s.Heard("k1", "x1"); p != nil {
		t.Error("a simulated person stands in for Bob although he is linked")
	}

	// Ann puts Bob on hold: he hears hold music, not Ann.
	toBob.Talking, toBob.OnHold = false, true
	s.Update("k1", []center.MediaParty{held, toBob, agent(true)})
	waitFor(t, "Bob on hold hears music, not Ann", func() (bool, string) {
		pcm := bobPhone.ear.last()
		return len(pcm) == sampleRate && tone.RMSdBFS(pcm) > -30 && tone.ToneDBFS(pcm, sampleRate, 440) < absent, levels(pcm, 440)
	})
}

// A consult to a queue rings no agent at first, so a simulated voice stands
// in; once an agent answers, their voice replaces it.
func TestConsultLinkReplacesStandIn(t *testing.T) {
	s := newServer(t, map[string]float64{"c1": 1000, "x1": 2000})
	standIn := center.MediaParty{ID: "x1", Role: center.RoleThirdParty, Name: "Support", Talking: true}
	held := customer(false)
	held.OnHold = true
	s.Update("k1", []center.MediaParty{held, standIn, agent(true)})
	ann := dial(t, s, "k1", "ann", newTone(440))
	hears(t, "Ann with the stand-in", ann.ear.last, []float64{2000}, nil)

	linked := standIn
	linked.Link = center.MediaLink{ContactID: "k2", PartyID: "y1"}
	s.Update("k1", []center.MediaParty{held, linked, agent(true)})
	s.Update("k2", []center.MediaParty{{ID: "y1", Role: center.RoleCustomer, Talking: true, Link: center.MediaLink{ContactID: "k1", PartyID: "x1"}},
		{ID: "bob", Role: center.RoleAgent, Talking: true}})
	bob := dial(t, s, "k2", "bob", newTone(1500))
	hears(t, "Ann once Bob answered", ann.ear.last, []float64{1500}, []float64{2000})
	hears(t, "Bob", bob.ear.last, []float64{440}, []float64{2000})
}
