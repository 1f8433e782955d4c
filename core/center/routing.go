package center

import (
	"slices"

	"github.com/agentdesk/agentdesk/core"
)

// enqueue puts a contact in its queue, at the front when it is coming back
// from a missed offer, and offers it to an agent if one is free.
func (c *Center) enqueue(ct *contact, front bool) {
	q := ct.queue
	ct.queued = true
	if front {
		q.waiting = slices.Insert(q.waiting, 0, ct)
	} else {
		q.waiting = append(q.waiting, ct)
	}
	c.routeContact(ct)
}

func (c *Center) dequeue(ct *contact) {
	q := ct.queue
	if i := slices.Index(q.waiting, ct); i >= 0 {
		q.waiting = slices.Delete(q.waiting, i, i+1)
	}
	ct.queued = false
}

// routeContact offers a waiting contact to the routable agent who has been
// idle longest, holds its queue and has a free slot for its channel.
// It reports whether the contact was offered.
func (c *Center) routeContact(ct *contact) bool {
	var best *agent
	for _, a := range ct.queue.agents {
		if !a.routable() || !a.freeSlot(ct.typ) {
			continue
		}
		if best == nil || a.idleSince.Before(best.idleSince) {
			best = a
		}
	}
	if best == nil {
		return false
	}
	// The agent serves a higher-priority queue first if one has work.
	if next := c.bestFor(best, ct.typ); next != nil && next != ct {
		c.offer(best, next)
		return c.routeContact(ct)
	}
	c.offer(best, ct)
	return true
}

// bestFor is the waiting contact an agent should take next for channel ch's
// slot: the highest-priority queue first, then the oldest contact.
func (c *Center) bestFor(a *agent, t core.ContactType) *contact {
	ch := channel(t)
	var best *contact
	bestPri := 0
	for _, pq := range a.profile.queues {
		if best != nil && pq.priority > bestPri {
			break
		}
		for _, ct := range pq.q.waiting {
			if channel(ct.typ) != ch {
				continue
			}
			if best == nil || ct.enqueuedAt.Before(best.enqueuedAt) {
				best, bestPri = ct, pq.priority
			}
			break
		}
	}
	return best
}

// takeWork offers waiting contacts to a routable agent while they have free slots.
func (c *Center) takeWork(a *agent) {
	for _, ch := range []core.ContactType{core.ContactTypeVoice, core.ContactTypeChat, core.ContactTypeTask} {
		for a.routable() && a.freeSlot(ch) {
			ct := c.bestFor(a, ch)
			if ct == nil {
				break
			}
			c.offer(a, ct)
		}
	}
}

// QueueLength reports how many contacts wait in the named queue.
func (c *Center) QueueLength(name string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	if q, ok := c.byName[name]; ok {
		return len(q.waiting)
	}
	return 0
}
