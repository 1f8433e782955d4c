package core

import (
	"context"
	"fmt"
)

// PartiesOnLine lists the parties other than the agent who are connected or
// on hold: the customer and any third parties of a consult or conference.
func (ct *Contact) PartiesOnLine() []*Connection {
	var out []*Connection
	for _, cn := range ct.data().Connections {
		if cn.Type == ConnectionTypeAgent || cn.Type == ConnectionTypeMonitoring {
			continue
		}
		switch cn.State.Type {
		case ConnectionStateConnected, ConnectionStateHold:
			out = append(out, &Connection{c: ct.c, contactID: ct.id, id: cn.ConnectionID})
		}
	}
	return out
}

// IsMultiParty reports whether two or more parties besides the agent are
// connected or on hold: a consult or a conference, where HoldAll and Leave
// apply.
func (ct *Contact) IsMultiParty() bool { return len(ct.PartiesOnLine()) >= 2 }

// HoldAll puts every connected party on hold, so that the agent talks to
// nobody; ConferenceConnections brings them all back. Parties already on
// hold stay so.
func (ct *Contact) HoldAll(ctx context.Context) error {
	held := 0
	for _, cn := range ct.PartiesOnLine() {
		if !cn.IsConnected() {
			continue
		}
		if err := cn.Hold(ctx); err != nil {
			return fmt.Errorf("hold all on contact %s: %w", ct.id, err)
		}
		held++
	}
	if held == 0 {
		return fmt.Errorf("hold all on contact %s: %w", ct.id, Errorf(ErrTypeInvalidState, "nobody is connected to put on hold"))
	}
	return nil
}

// Leave drops the agent out of a consult or conference: the customer and
// the third parties stay connected to each other, and the agent's part of
// the contact ends (after-contact work).
func (ct *Contact) Leave(ctx context.Context) error {
	if !ct.IsMultiParty() {
		return fmt.Errorf("leave contact %s: %w", ct.id, Errorf(ErrTypeInvalidState, "leaving needs two other parties on the call; use End to hang up"))
	}
	ac := ct.AgentConnection()
	if ac == nil {
		return fmt.Errorf("leave contact %s: %w", ct.id, Errorf(ErrTypeInvalidState, "you are not on this contact"))
	}
	if err := ac.Destroy(ctx); err != nil {
		return fmt.Errorf("leave: %w", err)
	}
	return nil
}
