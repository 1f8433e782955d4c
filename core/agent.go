package core

import (
	"context"
	"fmt"
	"slices"
	"time"
)

// Agent is the seed's connect.Agent: a live view of the logged-in agent.
// Getters read the latest snapshot.
type Agent struct{ c *Client }

// State is the agent's current state, which may be a system or error state.
func (a *Agent) State() AgentState { return a.c.agentData().State }

// AgentStates lists the states the agent may choose.
func (a *Agent) AgentStates() []AgentState {
	return slices.Clone(a.c.agentData().Configuration.AgentStates)
}

// StateDuration is how long the agent has been in the current state.
func (a *Agent) StateDuration() time.Duration {
	start := a.State().StartTimestamp
	if start.IsZero() {
		return 0
	}
	return max(a.c.centerNow().Sub(start), 0)
}

// NextState is the state enqueued to apply when the last contact is cleared.
func (a *Agent) NextState() (AgentState, bool) {
	ns := a.c.agentData().NextState
	if ns == nil {
		return AgentState{}, false
	}
	return *ns, true
}

// Name is the agent's display name.
func (a *Agent) Name() string { return a.c.agentData().Configuration.Name }

// RoutingProfile is the agent's routing profile.
func (a *Agent) RoutingProfile() RoutingProfile { return a.c.agentData().Configuration.RoutingProfile }

// AllQueueARNs lists the ARNs of every queue in the routing profile.
func (a *Agent) AllQueueARNs() []string {
	rp := a.RoutingProfile()
	arns := make([]string, 0, len(rp.Queues))
	for _, q := range rp.Queues {
		arns = append(arns, q.QueueARN)
	}
	return arns
}

// Configuration is the agent's configuration.
func (a *Agent) Configuration() Configuration { return a.c.agentData().Configuration }

// AfterContactWorkTimeout is how long ACW lasts before it ends by itself; 0 is unlimited.
func (a *Agent) AfterContactWorkTimeout() time.Duration {
	return a.c.agentData().AfterContactWorkTimeout
}

// HasPermission reports whether the agent holds permission p.
func (a *Agent) HasPermission(p string) bool {
	return slices.Contains(a.Configuration().Permissions, p)
}

// SetStateOption modifies SetState.
type SetStateOption func(*Command)

// EnqueueNextState makes SetState, while the agent is on a contact, apply the
// state only when the last contact is cleared.
func EnqueueNextState() SetStateOption { return func(c *Command) { c.Enqueue = true } }

// SetState chooses a state. With EnqueueNextState while on a contact, it is
// kept as the next state instead.
func (a *Agent) SetState(ctx context.Context, s AgentState, opts ...SetStateOption) error {
	cmd := Command{Kind: CmdSetState, State: &s}
	for _, o := range opts {
		o(&cmd)
	}
	if _, err := a.c.do(ctx, cmd); err != nil {
		return fmt.Errorf("set state %q: %w", s.Name, err)
	}
	return nil
}

// SetConfiguration changes the phone type, extension or locale.
func (a *Agent) SetConfiguration(ctx context.Context, cfg Configuration) error {
	if _, err := a.c.do(ctx, Command{Kind: CmdSetConfiguration, Configuration: &cfg}); err != nil {
		return fmt.Errorf("set configuration: %w", err)
	}
	return nil
}

// Endpoints returns the quick connects of the given queues.
func (a *Agent) Endpoints(ctx context.Context, queueARNs ...string) ([]Endpoint, error) {
	res, err := a.c.do(ctx, Command{Kind: CmdGetEndpoints, QueueARNs: queueARNs})
	if err != nil {
		return nil, fmt.Errorf("get quick connects: %w", err)
	}
	return res.Endpoints, nil
}

// ConnectOption modifies Connect.
type ConnectOption func(*Command)

// WithQueueARN places the outbound call through the given queue instead of
// the default outbound queue.
func WithQueueARN(arn string) ConnectOption { return func(c *Command) { c.QueueARN = arn } }

// Connect starts an outbound contact to e and returns its contact ID.
func (a *Agent) Connect(ctx context.Context, e Endpoint, opts ...ConnectOption) (string, error) {
	cmd := Command{Kind: CmdConnect, Endpoint: &e}
	for _, o := range opts {
		o(&cmd)
	}
	res, err := a.c.do(ctx, cmd)
	if err != nil {
		return "", fmt.Errorf("call %s: %w", endpointLabel(e), err)
	}
	return res.ContactID, nil
}

// MonitorContact joins a contact as a supervisor, silently or barging in.
// Calling it again on the same contact switches the mode.
func (a *Agent) MonitorContact(ctx context.Context, contactID string, mode MonitoringMode) error {
	if _, err := a.c.do(ctx, Command{Kind: CmdMonitor, ContactID: contactID, Monitoring: mode}); err != nil {
		return fmt.Errorf("monitor contact %s: %w", contactID, err)
	}
	return nil
}

// Contacts lists the agent's contacts, of the given types if any are given.
func (a *Agent) Contacts(types ...ContactType) []*Contact {
	a.c.mu.Lock()
	defer a.c.mu.Unlock()
	if a.c.snap == nil {
		return nil
	}
	var out []*Contact
	for _, cd := range a.c.snap.Contacts {
		if len(types) == 0 || slices.Contains(types, cd.Type) {
			out = append(out, &Contact{c: a.c, id: cd.ContactID})
		}
	}
	return out
}

// Mute silences the agent's microphone on the softphone call.
func (a *Agent) Mute() { a.setMuted(true) }

// Unmute opens the microphone again.
func (a *Agent) Unmute() { a.setMuted(false) }

// IsMuted reports whether the microphone is muted.
func (a *Agent) IsMuted() bool {
	a.c.mu.Lock()
	defer a.c.mu.Unlock()
	return a.c.muted
}

func (a *Agent) setMuted(m bool) {
	a.c.mu.Lock()
	changed := a.c.muted != m
	a.c.muted = m
	a.c.mu.Unlock()
	if !changed {
		return
	}
	if a.c.media != nil {
		a.c.media.SetMuted(m)
	}
	a.c.pushMute(m)
}

// SetSpeakerDevice chooses the device the call is heard on.
func (a *Agent) SetSpeakerDevice(id string) error {
	return a.setDevice(id, MediaKindOutput, keySpeaker, func(m Media) error { return m.SetSpeaker(id) })
}

// SetMicrophoneDevice chooses the device the agent speaks into.
func (a *Agent) SetMicrophoneDevice(id string) error {
	return a.setDevice(id, MediaKindInput, keyMicrophone, func(m Media) error { return m.SetMicrophone(id) })
}

// SetRingerDevice chooses the device the ringtone plays on.
func (a *Agent) SetRingerDevice(id string) error {
	return a.setDevice(id, MediaKindOutput, keyRinger, func(m Media) error { return m.SetRinger(id) })
}

func (a *Agent) setDevice(id, kind string, k eventKey, set func(Media) error) error {
	m := a.c.media
	if m == nil {
		return ErrNoMedia
	}
	if err := set(m); err != nil {
		return fmt.Errorf("use %s device %q: %w", kind, id, err)
	}
	emit(a.c, k, func(fn func(string)) { fn(id) })
	return nil
}

// Logout sets the agent Offline (enqueued while on a contact) and ends the
// session once Offline applies.
func (a *Agent) Logout(ctx context.Context) error {
	if err := a.GoOffline(ctx); err != nil {
		return fmt.Errorf("log out: %w", err)
	}
	if _, err := a.c.do(ctx, Command{Kind: CmdLogout}); err != nil {
		return fmt.Errorf("log out: %w", err)
	}
	return nil
}

// GoOffline sets the agent Offline: at once when free, or as the next state
// while on a contact, so that nothing the agent is handling is cut off.
func (a *Agent) GoOffline(ctx context.Context) error {
	if a.State().Type == AgentStateTypeOffline {
		return nil
	}
	for _, s := range a.AgentStates() {
		if s.Type == AgentStateTypeOffline {
			return a.SetState(ctx, s, EnqueueNextState())
		}
	}
	return fmt.Errorf("set Offline: the instance has no Offline state")
}

// ReportSoftphoneError raises OnSoftphoneError and tells the center, which
// puts the agent and the contact into the matching error state.
func (a *Agent) ReportSoftphoneError(ctx context.Context, e SoftphoneError) error {
	emit(a.c, keySoftphoneErr, func(fn func(SoftphoneError)) { fn(e) })
	if _, err := a.c.do(ctx, Command{Kind: CmdSoftphoneError, ContactID: e.ContactID, SoftphoneErr: e.ErrorType, Text: e.ErrorMessage}); err != nil {
		return fmt.Errorf("report softphone error: %w", err)
	}
	return nil
}

// NotifyLocalMediaStreamCreated is called by the audio engine when the
// microphone stream of a call starts.
func (a *Agent) NotifyLocalMediaStreamCreated(connectionID string) {
	emit(a.c, keyLocalMedia, func(fn func(string)) { fn(connectionID) })
}

// Agent events.

// OnRefresh fires whenever the agent's data changes.
func (a *Agent) OnRefresh(fn func(*Agent)) func() { return a.c.subs.add(keyAgentRefresh, fn) }

// OnStateChange fires when the state's name changes.
func (a *Agent) OnStateChange(fn func(StateChange)) func() { return a.c.subs.add(keyStateChange, fn) }

// OnRoutable fires when the agent becomes routable.
func (a *Agent) OnRoutable(fn func(*Agent)) func() { return a.c.subs.add(keyRoutable, fn) }

// OnNotRoutable fires when the agent becomes not routable.
func (a *Agent) OnNotRoutable(fn func(*Agent)) func() { return a.c.subs.add(keyNotRoutable, fn) }

// OnOffline fires when the agent goes offline.
func (a *Agent) OnOffline(fn func(*Agent)) func() { return a.c.subs.add(keyOffline, fn) }

// OnError fires when the agent enters an error state.
func (a *Agent) OnError(fn func(*Agent)) func() { return a.c.subs.add(keyAgentError, fn) }

// OnAfterCallWork fires when the agent enters AfterCallWork.
func (a *Agent) OnAfterCallWork(fn func(*Agent)) func() { return a.c.subs.add(keyAfterCallWork, fn) }

// OnEnqueuedNextState fires when a next state is enqueued.
func (a *Agent) OnEnqueuedNextState(fn func(*Agent)) func() { return a.c.subs.add(keyEnqueued, fn) }

// OnClearedNextState fires when the enqueued next state is cleared.
func (a *Agent) OnClearedNextState(fn func(*Agent)) func() { return a.c.subs.add(keyCleared, fn) }

// OnSoftphoneError fires when the softphone fails.
func (a *Agent) OnSoftphoneError(fn func(SoftphoneError)) func() {
	return a.c.subs.add(keySoftphoneErr, fn)
}

// OnMuteToggle fires when the microphone is muted or unmuted.
func (a *Agent) OnMuteToggle(fn func(muted bool)) func() { return a.c.subs.add(keyMute, fn) }

// OnLocalMediaStreamCreated fires when a call's microphone stream starts.
func (a *Agent) OnLocalMediaStreamCreated(fn func(connectionID string)) func() {
	return a.c.subs.add(keyLocalMedia, fn)
}

// OnSpeakerDeviceChanged fires when the speaker device changes.
func (a *Agent) OnSpeakerDeviceChanged(fn func(deviceID string)) func() {
	return a.c.subs.add(keySpeaker, fn)
}

// OnMicrophoneDeviceChanged fires when the microphone device changes.
func (a *Agent) OnMicrophoneDeviceChanged(fn func(deviceID string)) func() {
	return a.c.subs.add(keyMicrophone, fn)
}

// OnRingerDeviceChanged fires when the ringer device changes.
func (a *Agent) OnRingerDeviceChanged(fn func(deviceID string)) func() {
	return a.c.subs.add(keyRinger, fn)
}

// OnConnectionStatus fires when the link to the center changes.
func (a *Agent) OnConnectionStatus(fn func(ConnectionStatus)) func() {
	return a.c.subs.add(keyConnStatus, fn)
}

func endpointLabel(e Endpoint) string {
	switch {
	case e.PhoneNumber != "":
		return e.PhoneNumber
	case e.Name != "":
		return e.Name
	}
	return string(e.Type)
}
