package bridge_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/agentdesk/agentdesk/audio/bridge"
	"github.com/agentdesk/agentdesk/audio/rtc"
	"github.com/agentdesk/agentdesk/audio/tone"
	"github.com/agentdesk/agentdesk/core/center"

	// The app links it (main.go): measure with the app's timer slack.
	_ "github.com/agentdesk/agentdesk/audio/timerslack"
)

// clicker sends silence, and a 20 ms 1 kHz click when asked, noting when.
// Like the softphone's microphone it gives 16 kHz frames to an Opus call
// (rtc.WidebandSource).
type clicker struct {
	mu        sync.Mutex
	pending   bool
	sentAt    time.Time
	gen, wide *tone.Generator // at 48 and 16 kHz
}

func (c *clicker) ReadFrame(pcm []int16) { c.read(c.gen, pcm) }

func (c *clicker) ReadWideband(pcm []int16) { c.read(c.wide, pcm) }

func (c *clicker) read(gen *tone.Generator, pcm []int16) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.pending {
		gen.Read(pcm)
		c.pending, c.sentAt = false, time.Now()
		return
	}
	clear(pcm)
}

// listener notes when the first loud frame comes back.
type listener struct {
	mu    sync.Mutex
	heard chan time.Time
}

func (l *listener) WriteFrame(pcm []int16) {
	if tone.RMSdBFS(pcm) > -30 {
		select {
		case l.heard <- time.Now():
		default:
		}
	}
}

// BenchmarkEchoRoundTrip: the agent's softphone peer calls the echo test;
// a click leaves the agent's peer and its echo comes back through the
// center (two network hops each way over loopback, two jitter buffers, the
// mixer). Sound-card buffers (about 3×10 ms each side) are not included.
func BenchmarkEchoRoundTrip(b *testing.B) {
	s := bridge.New(bridge.Config{})
	defer s.Close()
	click := &clicker{gen: tone.Sine(1000, 0.5, 48000), wide: tone.Sine(1000, 0.5, 16000)}
	back := &listener{heard: make(chan time.Time, 1)}
	agent, err := rtc.NewPeer(rtc.Config{}, click, back)
	if err != nil {
		b.Fatal(err)
	}
	defer agent.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	offer, err := agent.Offer(ctx)
	if err != nil {
		b.Fatal(err)
	}
	answer, err := s.AnswerAgent(ctx, "c1", "alice", offer)
	if err != nil {
		b.Fatal(err)
	}
	if err := agent.Accept(answer); err != nil {
		b.Fatal(err)
	}
	if err := agent.WaitConnected(ctx); err != nil {
		b.Fatal(err)
	}
	s.Update("c1", []center.MediaParty{
		{ID: "echo", Role: center.RoleThirdParty, Number: center.EchoTestNumber, Talking: true},
		{ID: "alice", Role: center.RoleAgent, Talking: true},
	})
	// Wait until the echo party is up: a click comes back.
	deadline := time.Now().Add(15 * time.Second)
	for ok := false; !ok; {
		if time.Now().After(deadline) {
			b.Fatal("the echo test never echoed")
		}
		click.mu.Lock()
		click.pending = true
		click.mu.Unlock()
		select {
		case <-back.heard:
			ok = true
		case <-time.After(time.Second):
		}
	}
	time.Sleep(500 * time.Millisecond)
	drain(back.heard)
	var rtt []time.Duration
	b.ResetTimer()
	for range b.N {
		click.mu.Lock()
		click.pending = true
		click.mu.Unlock()
		select {
		case at := <-back.heard:
			click.mu.Lock()
			rtt = append(rtt, at.Sub(click.sentAt))
			click.mu.Unlock()
		case <-time.After(3 * time.Second):
			b.Fatal("a click did not come back")
		}
		time.Sleep(400 * time.Millisecond) // let the echo die away
		drain(back.heard)
	}
	b.StopTimer()
	slices.Sort(rtt)
	med, worst := float64(rtt[len(rtt)/2].Microseconds())/1000, float64(rtt[len(rtt)-1].Microseconds())/1000
	b.ReportMetric(med, "ms-median")
	b.ReportMetric(worst, "ms-max")
	fmt.Printf("echo-round-trip-median: %.1f ms\necho-round-trip-max: %.1f ms\n", med, worst)
}

func drain(ch chan time.Time) {
	for {
		select {
		case <-ch:
		default:
			return
		}
	}
}
