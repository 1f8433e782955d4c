package ui

import (
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/agentdesk/agentdesk/core"
	"github.com/agentdesk/agentdesk/core/centertest"
	"github.com/agentdesk/agentdesk/ui/callquality"
)

// fakeQuality stands in for the softphone's per-second call stats.
type fakeQuality struct {
	mu      sync.Mutex
	samples map[string][]callquality.Sample
	reads   int
	levels  int     // level reads
	out     float64 // speaker level in dBFS; 0 reads as -25
}

func (f *fakeQuality) Quality(id string, n int) []callquality.Sample {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.reads++
	s := f.samples[id]
	return append([]callquality.Sample(nil), s[max(len(s)-n, 0):]...)
}

func (f *fakeQuality) InputLevel() float64 { return -20 }
func (f *fakeQuality) OutputLevel() float64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.levels++
	if f.out == 0 {
		return -25
	}
	return f.out
}

func (f *fakeQuality) setOut(dbfs float64) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.out = dbfs
}

func (f *fakeQuality) add(id string, jitter time.Duration, oneWay bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.samples[id] = append(f.samples[id], callquality.Sample{Jitter: jitter, RTT: 50 * time.Millisecond, OneWay: oneWay,
		PacketsReceived: uint64(50 * (len(f.samples[id]) + 1))})
}

func (f *fakeQuality) readCount() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.reads
}

func (f *fakeQuality) levelReads() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.levels
}

func TestCallQualityOnTheActiveCall(t *testing.T) {
	h := newHarness(t, "alice")
	src := &fakeQuality{samples: map[string][]callquality.Sample{}}
	h.UI(func() { h.m.SetCallQuality(src) })
	c := h.acceptedCall()
	for i := range 5 {
		src.add(c.ContactID(), time.Duration(10+i)*time.Millisecond, false)
	}
	h.UI(h.m.Tick) // the window's one-second timer
	h.WaitUI("the quality panel on the card", func() bool {
		h.m.Tick()
		p := h.m.cards[c.ContactID()].quality
		return p.box.Visible() && p.view != nil
	})
	h.UI(func() {
		v := h.m.cards[c.ContactID()].quality.view
		if v.Open() || v.Details.Visible() {
			t.Error("the details of a first call are open: they start folded")
		}
		if v.Warning.Visible() {
			t.Error("one-way warning while audio flows")
		}
	})

	// Folded, the panel still warns of one-way audio.
	src.add(c.ContactID(), 14*time.Millisecond, true)
	h.UI(h.m.Tick)
	h.UI(func() {
		w := h.m.cards[c.ContactID()].quality.view.Warning
		if !w.Visible() || !strings.Contains(w.Text, "One-way audio") {
			t.Errorf("warning visible=%v %q after a one-way second", w.Visible(), w.Text)
		}
	})
	src.add(c.ContactID(), 14*time.Millisecond, false)
	h.UI(h.m.Tick)
	h.UI(func() {
		if h.m.cards[c.ContactID()].quality.view.Warning.Visible() {
			t.Error("the one-way warning stayed after audio came back")
		}
	})

	// The agent opens the details: the graphs show the call so far at once.
	h.UI(func() {
		v := h.m.cards[c.ContactID()].quality.view
		test.Tap(v.Toggle)
		if !v.Details.Visible() || len(v.Jitter.Values()) != 6 {
			t.Errorf("after Call quality: details shown %v with %d jitter points, want 6", v.Details.Visible(), len(v.Jitter.Values()))
		}
		if got := v.JitterText.Text; got != "Jitter 14 ms" {
			t.Errorf("jitter figure %q, want Jitter 14 ms", got)
		}
	})

	h.UI(func() { test.Tap(h.m.cards[c.ContactID()].end) })
	if !centertest.Eventually(func() bool { return c.State().Type == core.ContactStateEnded }) {
		t.Fatal("the call did not end")
	}
	h.WaitUI("the panel to go in after-contact work", func() bool {
		h.m.Tick()
		return !h.m.cards[c.ContactID()].quality.box.Visible()
	})
	before := src.readCount()
	for range 3 {
		h.UI(h.m.Tick)
	}
	if n := src.readCount() - before; n != 0 {
		t.Fatalf("the panel read the softphone %d times after the call ended; want no redraw between calls", n)
	}
}

// Details the agent opened stay open for the next call; folded again, they
// stay folded.
func TestOpenedCallQualityStaysOpenForTheNextCall(t *testing.T) {
	h := newHarness(t, "alice")
	src := &fakeQuality{samples: map[string][]callquality.Sample{}}
	h.UI(func() { h.m.SetCallQuality(src) })
	panel := func(c *core.Contact) *callquality.View {
		var v *callquality.View
		h.WaitUI("the quality panel", func() bool {
			h.m.Tick()
			v = h.m.cards[c.ContactID()].quality.view
			return v != nil
		})
		return v
	}
	finish := func(c *core.Contact) {
		h.UI(func() { test.Tap(h.m.cards[c.ContactID()].end) })
		if !centertest.Eventually(func() bool { return c.State().Type == core.ContactStateEnded }) {
			t.Fatal("the call did not end")
		}
		if err := c.Clear(centertest.Ctx()); err != nil {
			t.Fatal(err)
		}
		h.WaitUI("the card to go", func() bool { return h.m.cards[c.ContactID()] == nil })
	}
	first := h.acceptedCall()
	v := panel(first)
	h.UI(func() { test.Tap(v.Toggle) })
	finish(first)

	second := h.acceptedCall()
	v = panel(second)
	h.UI(func() {
		if !v.Details.Visible() {
			t.Fatal("the details the agent opened on the last call are folded on this one")
		}
		test.Tap(v.Toggle)
	})
	finish(second)

	third := h.acceptedCall()
	v = panel(third)
	h.UI(func() {
		if v.Details.Visible() {
			t.Error("the details the agent folded on the last call are open on this one")
		}
	})
}

func TestNoQualityPanelWithoutSoftphone(t *testing.T) {
	h := newHarness(t, "alice") // no SetCallQuality: --no-audio
	c := h.acceptedCall()
	h.UI(func() {
		h.m.Tick()
		if k := h.m.cards[c.ContactID()]; k.quality.box.Visible() || k.quality.view != nil {
			t.Error("a call-quality panel without a softphone")
		}
	})
}

// The level meters follow the customer's voice between the one-second
// ticks: the window's clock reads them four times a second while a panel's
// details are open, and not at all while they are folded.
func TestLevelMetersMoveBetweenTicks(t *testing.T) {
	h := newHarness(t, "alice")
	src := &fakeQuality{samples: map[string][]callquality.Sample{}}
	h.UI(func() { h.m.SetCallQuality(src) })
	c := h.acceptedCall()
	h.WaitUI("the quality panel", func() bool {
		h.m.Tick()
		return h.m.cards[c.ContactID()].quality.view != nil
	})
	stop := make(chan struct{})
	defer close(stop)
	go h.m.clock(stop)
	before := src.levelReads()
	time.Sleep(1500 * time.Millisecond) // the clock's one-second frame comes and goes
	if n := src.levelReads() - before; n != 0 {
		t.Fatalf("the meters were read %d times with the details folded; want no redraws for them", n)
	}
	h.UI(func() { test.Tap(h.m.cards[c.ContactID()].quality.view.Toggle) })
	src.setOut(-3.5) // the customer speaks up; no Tick from here on
	h.WaitUI("the speaker meter to rise", func() bool {
		return h.m.cards[c.ContactID()].quality.view.Speaker.Fill() > 0.9
	})
	src.setOut(-100) // a pause: the meter falls back to empty
	h.WaitUI("the speaker meter to empty", func() bool {
		return h.m.cards[c.ContactID()].quality.view.Speaker.Fill() == 0
	})
}
