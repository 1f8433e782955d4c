package center

import (
	"reflect"

	"github.com/agentdesk/agentdesk/core"
)

// checkMediaOffer says whether an agent's softphone may set up audio for a
// contact. Called with c.mu held.
func (c *Center) checkMediaOffer(a *agent, contactID string) (string, error) {
	if c.media == nil {
		return "", core.Errorf(core.ErrTypeUnavailable, "this contact center has no media server: calls carry no audio")
	}
	l := a.legFor(contactID)
	if l == nil || !l.state.Type.Active() {
		return "", core.Errorf(core.ErrTypeNotFound, "contact %q is not a live contact of yours", contactID)
	}
	if channel(l.contact.typ) != core.ContactTypeVoice || !l.softphone && l.monitor == "" {
		return "", invalidState("contact %s is not a softphone call", contactID)
	}
	return a.cfg.Login, nil
}

// planMedia tells the media server who is on each voice contact of the
// agents that changed. Called with c.mu held, from flush.
func (c *Center) planMedia(agents []*agent) {
	if c.media == nil {
		return
	}
	seen := map[*contact]bool{}
	for _, a := range agents {
		for _, l := range a.legs {
			seen[l.contact] = true
		}
	}
	for id := range c.plans {
		if ct, ok := c.contacts[id]; ok {
			seen[ct] = true
		} else {
			delete(c.plans, id)
			c.mediaQ.Push(func() { c.media.End(id) })
		}
	}
	for ct := range seen {
		if channel(ct.typ) != core.ContactTypeVoice {
			continue
		}
		plan := c.mediaParties(ct)
		old, had := c.plans[ct.id]
		switch {
		case len(plan) == 0 && had:
			delete(c.plans, ct.id)
			id := ct.id
			c.mediaQ.Push(func() { c.media.End(id) })
		case len(plan) > 0 && !reflect.DeepEqual(plan, old):
			c.plans[ct.id] = plan
			id := ct.id
			c.mediaQ.Push(func() { c.media.Update(id, plan) })
		}
	}
}

// mediaParties is who is on a live voice contact and what each hears.
func (c *Center) mediaParties(ct *contact) []MediaParty {
	if ct.done {
		return nil
	}
	var agents []MediaParty
	for _, l := range ct.legs {
		if !l.state.Type.Active() || !l.softphone && l.monitor == "" {
			continue
		}
		p := MediaParty{ID: l.agent.cfg.Login, Role: RoleAgent, Name: l.agent.cfg.Name}
		talking := l.phase == phaseTalking
		switch {
		case l.monitor == core.MonitoringBarge:
			p.Role, p.Talking = RoleMonitor, talking
		case l.monitor == core.MonitoringSilentMonitor:
			p.Role, p.Listening = RoleMonitor, talking
		default:
			p.Talking = talking
		}
		agents = append(agents, p)
	}
	if len(agents) == 0 {
		return nil
	}
	var out []MediaParty
	for _, cn := range ct.conns {
		if cn.state.Type == core.ConnectionStateDisconnected || cn.state.Type == core.ConnectionStateInit {
			continue
		}
		p := MediaParty{ID: cn.id, Role: RoleThirdParty, Name: cn.endpoint.Name, Number: cn.endpoint.PhoneNumber}
		if cn.initial {
			p.Role = RoleCustomer
		}
		p.Link = c.mediaLink(ct, cn)
		switch cn.state.Type {
		case core.ConnectionStateConnected:
			p.Talking = true
		case core.ConnectionStateHold:
			p.OnHold = true
		}
		out = append(out, p)
	}
	return append(out, agents...)
}

// mediaLink is the party that stands for the same agent-to-agent consult on
// the other agent's contact, when both contacts carry audio: for the
// consulting agent's third party, the consult contact's caller; for the
// consult contact's caller, that third party.
func (c *Center) mediaLink(ct *contact, cn *conn) MediaLink {
	switch {
	case cn.linked != nil: // our third party is an agent or queue, answered on a consult contact
		other := cn.linked
		if other.done || len(other.conns) == 0 || !hasSoftphoneLeg(other) {
			return MediaLink{}
		}
		return MediaLink{ContactID: other.id, PartyID: other.conns[0].id}
	case cn.initial && ct.linked != nil: // we are the consult contact; our caller is the consulting agent
		owner := c.ownerOf(ct.linked)
		if owner == nil || owner.done || !hasSoftphoneLeg(owner) {
			return MediaLink{}
		}
		return MediaLink{ContactID: owner.id, PartyID: ct.linked.id}
	}
	return MediaLink{}
}

// hasSoftphoneLeg says whether a live agent is on the contact by softphone.
func hasSoftphoneLeg(ct *contact) bool {
	for _, l := range ct.legs {
		if l.state.Type.Active() && l.softphone && l.monitor == "" {
			return true
		}
	}
	return false
}
