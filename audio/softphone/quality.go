package softphone

import "github.com/agentdesk/agentdesk/audio/rtc"

// RecentHistory is the last n seconds of a call's quality, oldest first:
// what a live view needs each second without copying a long call's whole
// history.
func (s *Softphone) RecentHistory(contactID string, n int) []rtc.Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	h := s.history[contactID]
	if n < len(h) {
		h = h[len(h)-n:]
	}
	return append([]rtc.Stats(nil), h...)
}
