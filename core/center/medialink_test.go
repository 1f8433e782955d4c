package center_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/agentdesk/agentdesk/core/center"
	ct "github.com/agentdesk/agentdesk/core/centertest"
	"github.com/agentdesk/agentdesk/core/clock"
)

// planRecorder is a media server that keeps the last plan of each contact.
type planRecorder struct {
	mu    sync.Mutex
	plans map[string][]center.MediaParty
}

func (r *planRecorder) AnswerAgent(context.Context, string, string, string) (string, error) {
	return "", errors.New("no softphone in this test")
}

func (r *planRecorder) Update(id string, parties []center.MediaParty) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.plans[id] = parties
}

func (r *planRecorder) End(id string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.plans, id)
}

// party finds a party of a contact's last plan.
func (r *planRecorder) party(contactID, partyID string) (center.MediaParty, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, p := range r.plans[contactID] {
		if p.ID == partyID {
			return p, true
		}
	}
	return center.MediaParty{}, false
}

// An agent-to-agent consult is two contacts. Once Bob answers, the media
// plans link Alice's third party for Bob with the caller on Bob's consult
// contact, both ways, so the two agents hear each other; when Bob hangs up
// the link goes with his contact.
func TestConsultLinksBothAgentsMedia(t *testing.T) {
	media := &planRecorder{plans: map[string][]center.MediaParty{}}
	clk := clock.NewFake(ct.Epoch)
	e := &ct.Env{Clock: clk, Center: center.New(nil, center.WithClock(clk), center.WithLogger(ct.Quiet), center.WithSeed(7), center.WithMedia(media))}
	e.Client, e.Agent = e.Login(t, "alice")
	e.Events = ct.Record(e.Client)
	t.Cleanup(e.Close)
	bob := loginPeer(t, e, "bob")
	choose(t, bob.a, "Break")
	c := onCall(t, e)
	choose(t, bob.a, "Available")
	if err := c.AddConnection(ct.Ctx(), quickConnect(t, e.Agent, "Bob Okafor")); err != nil {
		t.Fatal(err)
	}
	settle(t, e, bob)
	consult := theContact(t, "bob", bob.a)
	acceptContact(t, consult)
	settle(t, e, bob)
	wantConns(t, "bob answered", c, hold, connected)

	xID := c.ThirdPartyConnections()[0].ConnectionID()
	yID := consult.InitialConnection().ConnectionID()
	linked := func() error {
		x, ok := media.party(c.ContactID(), xID)
		if !ok || x.Link != (center.MediaLink{ContactID: consult.ContactID(), PartyID: yID}) {
			return fmt.Errorf("alice's party for bob: %+v (found %v)", x, ok)
		}
		y, ok := media.party(consult.ContactID(), yID)
		if !ok || y.Link != (center.MediaLink{ContactID: c.ContactID(), PartyID: xID}) {
			return fmt.Errorf("bob's party for alice: %+v (found %v)", y, ok)
		}
		return nil
	}
	var err error
	if !ct.Eventually(func() bool { err = linked(); return err == nil }) {
		t.Fatalf("consult not linked: %v", err)
	}

	if err := consult.AgentConnection().Destroy(ct.Ctx()); err != nil {
		t.Fatal(err)
	}
	settle(t, e, bob)
	if !ct.Eventually(func() bool { _, ok := media.party(c.ContactID(), xID); return !ok }) {
		t.Fatal("alice's party for bob is still in the plan after he hung up")
	}
}
