package core

import (
	"context"
	"fmt"
)

// Connection is one party of a contact: the agent, the customer or a third party.
type Connection struct {
	c         *Client
	contactID string
	id        string
}

func (cn *Connection) data() ConnectionData {
	cd, _ := cn.c.contactData(cn.contactID)
	for _, d := range cd.Connections {
		if d.ConnectionID == cn.id {
			return d
		}
	}
	return ConnectionData{ConnectionID: cn.id, State: ConnectionState{Type: ConnectionStateDisconnected}}
}

// ConnectionID is the connection's ID.
func (cn *Connection) ConnectionID() string { return cn.id }

// ContactID is the ID of the contact the connection belongs to.
func (cn *Connection) ContactID() string { return cn.contactID }

// Type is the connection's role.
func (cn *Connection) Type() ConnectionType { return cn.data().Type }

// State is the connection's state.
func (cn *Connection) State() ConnectionState { return cn.data().State }

// Endpoint is who the connection reaches.
func (cn *Connection) Endpoint() Endpoint { return cn.data().Endpoint }

// IsInitialConnection reports whether this is the customer's first connection.
func (cn *Connection) IsInitialConnection() bool { return cn.data().Initial }

// IsActive reports whether the party is still on the contact.
func (cn *Connection) IsActive() bool {
	switch cn.State().Type {
	case ConnectionStateConnecting, ConnectionStateConnected, ConnectionStateHold,
		ConnectionStateSilentMonitor, ConnectionStateBarge:
		return true
	}
	return false
}

// IsConnected reports whether the party is connected.
func (cn *Connection) IsConnected() bool { return cn.State().Type == ConnectionStateConnected }

// IsOnHold reports whether the party is on hold.
func (cn *Connection) IsOnHold() bool { return cn.State().Type == ConnectionStateHold }

// MonitorStatus is the supervisor's monitoring mode, empty when not monitoring.
func (cn *Connection) MonitorStatus() MonitoringMode { return cn.data().MonitorStatus }

func (cn *Connection) do(ctx context.Context, what string, cmd Command) error {
	cmd.ContactID, cmd.ConnectionID = cn.contactID, cn.id
	if _, err := cn.c.do(ctx, cmd); err != nil {
		return fmt.Errorf("%s connection %s: %w", what, cn.id, err)
	}
	return nil
}

// Destroy hangs up this party. On the agent's own connection it ends the
// contact for the agent.
func (cn *Connection) Destroy(ctx context.Context) error {
	return cn.do(ctx, "hang up", Command{Kind: CmdDestroyConnection})
}

// Hold puts the party on hold.
func (cn *Connection) Hold(ctx context.Context) error {
	return cn.do(ctx, "hold", Command{Kind: CmdHold})
}

// Resume takes the party off hold.
func (cn *Connection) Resume(ctx context.Context) error {
	return cn.do(ctx, "resume", Command{Kind: CmdResume})
}

// SendDigits sends DTMF digits (0-9, *, #, A-D, and , for a pause).
func (cn *Connection) SendDigits(ctx context.Context, digits string) error {
	for _, r := range digits {
		if !isDTMF(r) {
			return fmt.Errorf("send digits: %w", Errorf(ErrTypeInvalidParameter, "%q is not a DTMF digit (use 0-9, *, #, A-D or ,)", r))
		}
	}
	if err := cn.do(ctx, "send digits on", Command{Kind: CmdSendDigits, Digits: digits}); err != nil {
		return err
	}
	// A softphone also sends them in band, as RFC 4733 events.
	cd, _ := cn.c.contactData(cn.contactID)
	if ds, ok := cn.c.media.(interface {
		SendDigits(contactID, digits string) error
	}); ok && cd.Softphone {
		if err := ds.SendDigits(cn.contactID, digits); err != nil {
			return fmt.Errorf("send digits on the softphone call: %w", err)
		}
	}
	return nil
}

func isDTMF(r rune) bool {
	return r >= '0' && r <= '9' || r == '*' || r == '#' || r >= 'A' && r <= 'D' || r == ','
}
