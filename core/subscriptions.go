package core

import (
	"strings"
	"sync"
)

type eventKey string

const (
	keyAgentInit     eventKey = "agent"
	keyContactNew    eventKey = "contact"
	keyConnStatus    eventKey = "connectionStatus"
	keyAgentRefresh  eventKey = "agent.refresh"
	keyStateChange   eventKey = "agent.stateChange"
	keyRoutable      eventKey = "agent.routable"
	keyNotRoutable   eventKey = "agent.notRoutable"
	keyOffline       eventKey = "agent.offline"
	keyAgentError    eventKey = "agent.error"
	keyAfterCallWork eventKey = "agent.afterCallWork"
	keyEnqueued      eventKey = "agent.enqueuedNextState"
	keyCleared       eventKey = "agent.clearedNextState"
	keySoftphoneErr  eventKey = "agent.softphoneError"
	keyMute          eventKey = "agent.muteToggle"
	keyLocalMedia    eventKey = "agent.localMediaStreamCreated"
	keySpeaker       eventKey = "agent.speakerDeviceChanged"
	keyMicrophone    eventKey = "agent.microphoneDeviceChanged"
	keyRinger        eventKey = "agent.ringerDeviceChanged"
)

// Contact event names, combined with a contact ID by contactKey.
const (
	evRefresh    = "refresh"
	evIncoming   = "incoming"
	evPending    = "pending"
	evConnecting = "connecting"
	evConnected  = "connected"
	evAccepted   = "accepted"
	evMissed     = "missed"
	evEnded      = "ended"
	evACW        = "acw"
	evDestroy    = "destroy"
	evError      = "error"
	evMessage    = "message"
)

func contactKey(id, ev string) eventKey { return eventKey("contact/" + id + "/" + ev) }

type subscription struct {
	id int64
	fn any
}

// subscriptions holds handlers by event key. Unsubscribing twice is harmless.
type subscriptions struct {
	mu     sync.Mutex
	nextID int64
	byKey  map[eventKey][]subscription
}

func (s *subscriptions) add(k eventKey, fn any) func() {
	_, unsub := s.addID(k, fn)
	return unsub
}

func (s *subscriptions) addID(k eventKey, fn any) (int64, func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.byKey == nil {
		s.byKey = map[eventKey][]subscription{}
	}
	s.nextID++
	id := s.nextID
	s.byKey[k] = append(s.byKey[k], subscription{id: id, fn: fn})
	var once sync.Once
	return id, func() {
		once.Do(func() {
			s.mu.Lock()
			defer s.mu.Unlock()
			list := s.byKey[k]
			for i, sub := range list {
				if sub.id == id {
					s.byKey[k] = append(list[:i:i], list[i+1:]...)
					break
				}
			}
		})
	}
}

// has reports whether subscription id is still subscribed to k.
func (s *subscriptions) has(k eventKey, id int64) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, sub := range s.byKey[k] {
		if sub.id == id {
			return true
		}
	}
	return false
}

// dropContact forgets the handlers of a destroyed contact.
func (s *subscriptions) dropContact(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	prefix := "contact/" + id + "/"
	for k := range s.byKey {
		if strings.HasPrefix(string(k), prefix) {
			delete(s.byKey, k)
		}
	}
}

// subsOf returns a copy of the handlers of k that have type F.
func subsOf[F any](s *subscriptions, k eventKey) []F {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]F, 0, len(s.byKey[k]))
	for _, sub := range s.byKey[k] {
		if fn, ok := sub.fn.(F); ok {
			out = append(out, fn)
		}
	}
	return out
}
