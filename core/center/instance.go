package center

import (
	_ "embed"
	"errors"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/agentdesk/agentdesk/core"
)

//go:embed default_instance.toml
var defaultInstance []byte

// Instance is a contact center's configuration, read from a TOML file.
type Instance struct {
	Name              string             `toml:"name"`
	DefaultAgent      string             `toml:"default_agent"`
	DialableCountries []string           `toml:"dialable_countries"`
	Timing            Timing             `toml:"timing"`
	States            []StateConfig      `toml:"states"`
	Queues            []QueueConfig      `toml:"queues"`
	RoutingProfiles   []ProfileConfig    `toml:"routing_profiles"`
	QuickConnects     []QuickConnectConf `toml:"quick_connects"`
	Agents            []AgentConfig      `toml:"agents"`
}

// Duration is a time.Duration written as "20s" in TOML.
type Duration struct{ time.Duration }

// UnmarshalText parses a Go duration string.
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(string(b))
	if err != nil {
		return fmt.Errorf("duration %q: %w", b, err)
	}
	d.Duration = v
	return nil
}

// Timing sets how long the center's simulated parties take.
type Timing struct {
	RingTimeout     Duration `toml:"ring_timeout"`     // unanswered inbound contact becomes missed
	CustomerAnswer  Duration `toml:"customer_answer"`  // a dialled customer picks up
	DeskphoneAnswer Duration `toml:"deskphone_answer"` // the agent's deskphone picks up
	ErrorClear      Duration `toml:"error_clear"`      // a failed outbound call is cleared
	MonitorJoin     Duration `toml:"monitor_join"`     // a supervisor joins a contact
	ChatReply       Duration `toml:"chat_reply"`       // a chat customer types a reply
}

// StateConfig is one agent state agents may choose.
type StateConfig struct {
	Name string `toml:"name"`
	Type string `toml:"type"`
}

// QueueConfig is a queue; Traffic weights the channels of simulated arrivals.
type QueueConfig struct {
	Name    string         `toml:"name"`
	Traffic map[string]int `toml:"traffic"`
}

// ProfileQueue is one queue of a routing profile.
type ProfileQueue struct {
	Queue    string `toml:"queue"`
	Priority int    `toml:"priority"`
}

// ProfileConfig is a routing profile.
type ProfileConfig struct {
	Name                 string         `toml:"name"`
	DefaultOutboundQueue string         `toml:"default_outbound_queue"`
	Concurrency          map[string]int `toml:"concurrency"`
	Queues               []ProfileQueue `toml:"queues"`
}

// QuickConnectConf is a quick connect, attached to the queues it lists.
type QuickConnectConf struct {
	Name        string   `toml:"name"`
	Type        string   `toml:"type"`
	PhoneNumber string   `toml:"phone_number"`
	Agent       string   `toml:"agent"`
	Queue       string   `toml:"queue"`
	Queues      []string `toml:"queues"`
}

// AgentConfig is an agent of the instance.
type AgentConfig struct {
	Login          string   `toml:"login"`
	Name           string   `toml:"name"`
	RoutingProfile string   `toml:"routing_profile"`
	ACWTimeout     Duration `toml:"acw_timeout"`
	AutoAccept     bool     `toml:"auto_accept"`
	Softphone      *bool    `toml:"softphone"` // default true; false is a deskphone on Extension
	Extension      string   `toml:"extension"`
	Locale         string   `toml:"locale"`
	Permissions    []string `toml:"permissions"`
	InitialState   string   `toml:"initial_state"`
}

// DefaultInstance returns the built-in instance.
func DefaultInstance() *Instance {
	inst, err := ParseInstance(defaultInstance)
	if err != nil {
		panic("built-in instance is invalid: " + err.Error())
	}
	return inst
}

// LoadInstance reads and checks an instance file.
func LoadInstance(path string) (*Instance, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read instance file: %w", err)
	}
	inst, err := ParseInstance(b)
	if err != nil {
		return nil, fmt.Errorf("instance file %s: %w", path, err)
	}
	return inst, nil
}

// ParseInstance parses and checks TOML instance text. Missing timings take
// their defaults.
func ParseInstance(b []byte) (*Instance, error) {
	var inst Instance
	md, err := toml.Decode(string(b), &inst)
	if err != nil {
		return nil, err
	}
	if und := md.Undecoded(); len(und) > 0 {
		return nil, fmt.Errorf("unknown key %q", und[0].String())
	}
	inst.Timing.fillDefaults()
	if err := inst.check(); err != nil {
		return nil, err
	}
	return &inst, nil
}

func (t *Timing) fillDefaults() {
	def := func(d *Duration, v time.Duration) {
		if d.Duration == 0 {
			d.Duration = v
		}
	}
	def(&t.RingTimeout, 20*time.Second)
	def(&t.CustomerAnswer, 4*time.Second)
	def(&t.DeskphoneAnswer, 3*time.Second)
	def(&t.ErrorClear, 3*time.Second)
	def(&t.MonitorJoin, time.Second)
	def(&t.ChatReply, 5*time.Second)
}

var channelNames = []string{string(core.ContactTypeVoice), string(core.ContactTypeChat),
	string(core.ContactTypeTask), string(core.ContactTypeQueueCallback)}

func (inst *Instance) check() error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	states := map[string]bool{}
	var haveRoutable, haveOffline bool
	for _, s := range inst.States {
		switch core.AgentStateType(s.Type) {
		case core.AgentStateTypeRoutable:
			haveRoutable = true
		case core.AgentStateTypeOffline:
			haveOffline = true
		case core.AgentStateTypeNotRoutable:
		default:
			bad("state %q: type must be routable, not_routable or offline, not %q", s.Name, s.Type)
		}
		if s.Name == "" || states[s.Name] {
			bad("state %q: names must be present and unique", s.Name)
		}
		if slices.Contains(core.SystemStates, s.Name) || slices.Contains(core.ErrorStates, s.Name) {
			bad("state %q: that name is a system or error state", s.Name)
		}
		states[s.Name] = true
	}
	if !haveRoutable || !haveOffline {
		bad("states: at least one routable and one offline state are needed")
	}
	queues := map[string]bool{}
	for _, q := range inst.Queues {
		if q.Name == "" || queues[q.Name] {
			bad("queue %q: names must be present and unique", q.Name)
		}
		queues[q.Name] = true
		for ch, w := range q.Traffic {
			if !slices.Contains(channelNames, ch) || w < 0 {
				bad("queue %q: traffic channel %q=%d: channels are %s with weights >= 0", q.Name, ch, w, strings.Join(channelNames, ", "))
			}
		}
	}
	profiles := map[string]bool{}
	for _, p := range inst.RoutingProfiles {
		profiles[p.Name] = true
		if !queues[p.DefaultOutboundQueue] {
			bad("routing profile %q: default outbound queue %q is not a queue", p.Name, p.DefaultOutboundQueue)
		}
		for _, pq := range p.Queues {
			if !queues[pq.Queue] {
				bad("routing profile %q: queue %q is not a queue", p.Name, pq.Queue)
			}
			if pq.Priority < 1 {
				bad("routing profile %q: queue %q needs a priority of 1 or more", p.Name, pq.Queue)
			}
		}
		for ch, n := range p.Concurrency {
			if ch != "voice" && ch != "chat" && ch != "task" || n < 0 || n > 10 {
				bad("routing profile %q: concurrency %s=%d: channels are voice, chat and task, 0 to 10", p.Name, ch, n)
			}
		}
		if p.Concurrency["voice"] > 1 {
			bad("routing profile %q: voice concurrency is at most 1", p.Name)
		}
	}
	logins := map[string]bool{}
	for _, a := range inst.Agents {
		if !validLogin.MatchString(a.Login) || logins[a.Login] {
			bad("agent %q: logins must be unique and made of letters, digits, . _ -", a.Login)
		}
		logins[a.Login] = true
		if !profiles[a.RoutingProfile] {
			bad("agent %q: routing profile %q is not defined", a.Login, a.RoutingProfile)
		}
		if a.InitialState != "" && !states[a.InitialState] {
			bad("agent %q: initial state %q is not a state", a.Login, a.InitialState)
		}
		if a.ACWTimeout.Duration < 0 {
			bad("agent %q: acw_timeout must not be negative", a.Login)
		}
	}
	if len(inst.Agents) == 0 {
		bad("agents: at least one agent is needed")
	}
	if inst.DefaultAgent != "" && !logins[inst.DefaultAgent] {
		bad("default_agent %q is not an agent", inst.DefaultAgent)
	}
	for _, qc := range inst.QuickConnects {
		switch core.EndpointType(qc.Type) {
		case core.EndpointPhoneNumber:
			if _, _, err := parseNumber(qc.PhoneNumber); err != nil {
				bad("quick connect %q: %s", qc.Name, err.Message)
			}
		case core.EndpointAgent:
			if !logins[qc.Agent] {
				bad("quick connect %q: agent %q is not an agent", qc.Name, qc.Agent)
			}
		case core.EndpointQueue:
			if !queues[qc.Queue] {
				bad("quick connect %q: queue %q is not a queue", qc.Name, qc.Queue)
			}
		default:
			bad("quick connect %q: type must be phone_number, agent or queue", qc.Name)
		}
		for _, q := range qc.Queues {
			if !queues[q] {
				bad("quick connect %q: attached to %q, which is not a queue", qc.Name, q)
			}
		}
	}
	for _, cc := range inst.DialableCountries {
		if len(cc) != 2 || strings.ToUpper(cc) != cc {
			bad("dialable country %q: use ISO 3166 two-letter codes such as US", cc)
		}
	}
	return errors.Join(errs...)
}

var validLogin = regexp.MustCompile(`^[A-Za-z0-9._-]+$`)

// ARNs of the instance's resources.
const arnPrefix = "arn:aws:connect:local:000000000000:instance/agentdesk"

func slug(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
		case b.Len() > 0 && !strings.HasSuffix(b.String(), "-"):
			b.WriteByte('-')
		}
	}
	return strings.Trim(b.String(), "-")
}

func queueOf(name string) core.Queue {
	id := slug(name)
	return core.Queue{Name: name, QueueID: id, QueueARN: arnPrefix + "/queue/" + id}
}

func stateARN(name string) string { return arnPrefix + "/agent-state/" + slug(name) }
