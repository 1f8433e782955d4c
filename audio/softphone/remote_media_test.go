package softphone_test

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"sync"
	"testing"

	"github.com/agentdesk/agentdesk/audio/bridge"
	"github.com/agentdesk/agentdesk/audio/rtc"
	"github.com/agentdesk/agentdesk/audio/tone"
	"github.com/agentdesk/agentdesk/core/center"
)

// mediaChildEnv makes this test binary a media server child (runMediaChild)
// instead of running tests: the center's media side and the simulated
// customer then use another process's CPU, and the benchmark process's
// CPU is the agent's alone.
const mediaChildEnv = "AGENTDESK_MEDIA_CHILD"

// mediaMsg is one line between the benchmark and its media child.
type mediaMsg struct {
	Op      string              `json:"op"` // answer, update, end; the child answers "answer" with Answer or Err
	ID      int                 `json:"id,omitempty"`
	Contact string              `json:"contact,omitempty"`
	Login   string              `json:"login,omitempty"`
	SDP     string              `json:"sdp,omitempty"`
	Parties []center.MediaParty `json:"parties,omitempty"`
	Err     string              `json:"err,omitempty"`
}

// runMediaChild serves a bridge whose customers say 1 kHz, reading
// requests from stdin and answering on stdout, until stdin closes.
func runMediaChild() {
	br := bridge.New(bridge.Config{Log: quiet, CustomerVoice: func(string, center.MediaParty) rtc.Source {
		return &sine{g: tone.Sine(1000, 0.5, 48000)}
	}})
	defer br.Close()
	out := json.NewEncoder(os.Stdout)
	var outMu sync.Mutex
	var wg sync.WaitGroup
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 1<<20)
	for in.Scan() {
		var m mediaMsg
		if err := json.Unmarshal(in.Bytes(), &m); err != nil {
			fmt.Fprintln(os.Stderr, "media child:", err)
			continue
		}
		switch m.Op {
		case "answer":
			wg.Go(func() {
				ans, err := br.AnswerAgent(context.Background(), m.Contact, m.Login, m.SDP)
				reply := mediaMsg{Op: "answer", ID: m.ID, SDP: ans}
				if err != nil {
					reply.Err = err.Error()
				}
				outMu.Lock()
				_ = out.Encode(reply)
				outMu.Unlock()
			})
		case "update":
			br.Update(m.Contact, m.Parties)
		case "end":
			br.End(m.Contact)
		}
	}
	wg.Wait()
}

// remoteMedia is a center.MediaServer in a child process.
type remoteMedia struct {
	cmd *exec.Cmd
	in  io.WriteCloser

	mu      sync.Mutex
	enc     *json.Encoder
	next    int
	waiting map[int]chan mediaMsg
}

// startMediaChild starts this test binary as a media server child; the
// test's cleanup stops it.
func startMediaChild(t testing.TB) *remoteMedia {
	t.Helper()
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), mediaChildEnv+"=1")
	cmd.Stderr = os.Stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	outPipe, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	m := &remoteMedia{cmd: cmd, in: in, enc: json.NewEncoder(in), waiting: map[int]chan mediaMsg{}}
	go func() {
		dec := json.NewDecoder(outPipe)
		for {
			var msg mediaMsg
			if dec.Decode(&msg) != nil {
				return
			}
			m.mu.Lock()
			ch := m.waiting[msg.ID]
			delete(m.waiting, msg.ID)
			m.mu.Unlock()
			if ch != nil {
				ch <- msg
			}
		}
	}()
	t.Cleanup(func() {
		in.Close()
		_ = cmd.Wait()
	})
	return m
}

func (m *remoteMedia) send(msg mediaMsg) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.enc.Encode(msg)
}

func (m *remoteMedia) AnswerAgent(ctx context.Context, contactID, login, offer string) (string, error) {
	ch := make(chan mediaMsg, 1)
	m.mu.Lock()
	m.next++
	id := m.next
	m.waiting[id] = ch
	m.mu.Unlock()
	if err := m.send(mediaMsg{Op: "answer", ID: id, Contact: contactID, Login: login, SDP: offer}); err != nil {
		return "", err
	}
	select {
	case r := <-ch:
		if r.Err != "" {
			return "", errors.New(r.Err)
		}
		return r.SDP, nil
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

func (m *remoteMedia) Update(contactID string, parties []center.MediaParty) {
	_ = m.send(mediaMsg{Op: "update", Contact: contactID, Parties: parties})
}

func (m *remoteMedia) End(contactID string) { _ = m.send(mediaMsg{Op: "end", Contact: contactID}) }
