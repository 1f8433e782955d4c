package main

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"github.com/gen2brain/malgo"

	"github.com/agentdesk/agentdesk/audio/bridge"
	"github.com/agentdesk/agentdesk/audio/device"
	"github.com/agentdesk/agentdesk/audio/pulsetest"
	"github.com/agentdesk/agentdesk/audio/rtc"
	"github.com/agentdesk/agentdesk/audio/softphone"
	"github.com/agentdesk/agentdesk/audio/tone"
	"github.com/agentdesk/agentdesk/core"
	"github.com/agentdesk/agentdesk/core/center"
	"github.com/agentdesk/agentdesk/ui/callquality"
)

type sine struct{ g *tone.Generator }

func (s *sine) ReadFrame(pcm []int16) { s.g.Read(pcm) }

// TestCallQualityFromARealCall has a simulated customer talk to alice's
// softphone through the bridge, on a private PulseAudio server, and reads
// the call's quality as the window's panel does.
func TestCallQualityFromARealCall(t *testing.T) {
	srv := pulsetest.StartServer(t)
	for _, sink := range []string{"agent_speaker", "agent_mic"} {
		if _, err := srv.LoadNullSink(sink); err != nil {
			t.Fatal(err)
		}
	}
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	br := bridge.New(bridge.Config{Log: quiet, CustomerVoice: func(string, center.MediaParty) rtc.Source {
		return &sine{g: tone.Sine(440, 0.5, 48000)}
	}})
	t.Cleanup(br.Close)
	cc := center.New(nil, center.WithMedia(br), center.WithLogger(quiet))
	t.Cleanup(cc.Close)
	eng, err := device.NewEngine(device.Config{Backends: []malgo.Backend{device.PulseAudioBackend}, Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { eng.Close() })
	phone, err := softphone.New(softphone.Config{Engine: eng, Log: quiet})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { phone.Close() })
	session, err := cc.Session("alice")
	if err != nil {
		t.Fatal(err)
	}
	client := core.NewClient(session, core.WithMedia(phone), core.WithLogger(quiet))
	t.Cleanup(func() { client.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := client.Start(ctx); err != nil {
		t.Fatal(err)
	}
	if err := phone.Attach(client); err != nil {
		t.Fatal(err)
	}
	agent, _ := client.Agent()
	if err := agent.SetSpeakerDevice("agent_speaker"); err != nil {
		t.Fatal(err)
	}
	if err := agent.SetMicrophoneDevice("agent_mic.monitor"); err != nil {
		t.Fatal(err)
	}
	if err := agent.SetState(ctx, agent.AgentStates()[0]); err != nil {
		t.Fatal(err)
	}
	id, err := cc.Arrive(center.Arrival{Queue: "Support", Type: core.ContactTypeVoice, Name: "Maria Garcia", Number: "+12025550123"})
	if err != nil {
		t.Fatal(err)
	}
	var c *core.Contact
	deadline := time.Now().Add(10 * time.Second)
	for c == nil || !core.ShouldShowAcceptButton(c) {
		if time.Now().After(deadline) {
			t.Fatal("the call did not ring")
		}
		c, _ = client.Contact(id)
		time.Sleep(10 * time.Millisecond)
	}
	if err := c.Accept(ctx); err != nil {
		t.Fatal(err)
	}

	src := phoneQuality{phone}
	var samples []callquality.Sample
	deadline = time.Now().Add(15 * time.Second)
	for {
		samples = src.Quality(id, callquality.Window+1)
		if n := len(samples); n >= 3 && samples[n-1].PacketsReceived > samples[n-2].PacketsReceived {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after 15 s the call's quality is %+v; want seconds with packets flowing", samples)
		}
		time.Sleep(100 * time.Millisecond)
	}
	if tail := src.Quality(id, 2); len(tail) != 2 {
		t.Fatalf("asked for the last 2 s, got %d samples", len(tail))
	}
	last := samples[len(samples)-1]
	if last.OneWay {
		t.Error("one-way audio on a call where the customer talks")
	}
	if got := last.PacketsReceived - samples[len(samples)-2].PacketsReceived; got < 30 || got > 70 {
		t.Errorf("%d packets in a second, want about 50 (20 ms frames)", got)
	}

	test.NewTempApp(t)
	v := callquality.New(src, id)
	w := test.NewTempWindow(t, v.Content())
	w.Resize(fyne.NewSize(400, 300))
	v.Update()
	if n := len(v.Jitter.Values()); n < 2 {
		t.Fatalf("the jitter sparkline shows %d points of a call %d s long", n, len(samples))
	}
	for _, pct := range v.Loss.Values() {
		if pct > 5 {
			t.Errorf("loss %.1f %% on a loopback call; want next to none", pct)
		}
	}
	if v.Warning.Visible() {
		t.Error("one-way warning on a call where the customer talks")
	}
}
