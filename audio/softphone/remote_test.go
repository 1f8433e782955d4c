package softphone_test

import (
	"net/http/httptest"
	"testing"

	"github.com/agentdesk/agentdesk/audio/bridge"
	"github.com/agentdesk/agentdesk/audio/rtc"
	"github.com/agentdesk/agentdesk/audio/tone"
	"github.com/agentdesk/agentdesk/core"
	"github.com/agentdesk/agentdesk/core/center"
	"github.com/agentdesk/agentdesk/core/remote"
)

// A team's center (agentdesk serve) carries the call's signalling over HTTP
// while its audio flows over WebRTC: the customer is heard on the agent's
// speaker as with the embedded center.
func TestCallOverTeamCenter(t *testing.T) {
	br := bridge.New(bridge.Config{Log: quiet, CustomerVoice: func(string, center.MediaParty) rtc.Source {
		return &sine{g: tone.Sine(1000, 0.5, 48000)}
	}})
	t.Cleanup(br.Close)
	c := center.New(nil, center.WithMedia(br), center.WithLogger(quiet))
	t.Cleanup(c.Close)
	srv := remote.NewServer(remote.ServerConfig{Log: quiet, Open: func(login string) (core.Backend, error) {
		s, err := c.Session(login)
		if err != nil {
			return nil, err
		}
		return s, nil
	}})
	hs := httptest.NewServer(srv)
	t.Cleanup(func() {
		hs.CloseClientConnections()
		hs.Close()
		srv.Close()
	})
	backend, err := remote.Dial(ctx(t), remote.Config{URL: hs.URL, Login: "alice", Log: quiet})
	if err != nil {
		t.Fatal(err)
	}
	r := attach(t, c, br, backend, "agent")
	call := r.ring()
	if err := call.Accept(ctx(t)); err != nil {
		t.Fatal(err)
	}
	waitHeard(t, "agent_speaker", 1000)
}
