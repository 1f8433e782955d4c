package center

import (
	"strings"

	"github.com/nyaruka/phonenumbers"

	"github.com/agentdesk/agentdesk/core"
)

// dialOutcome is what happens when the center dials a number.
type dialOutcome int

const (
	outcomeAnswer      dialOutcome = iota
	outcomeNoAnswer                // rings out: MissedCallCustomer / missed agent
	outcomeBusy                    // LineEngagedCustomer / LineEngagedAgent
	outcomeUnreachable             // FailedConnectCustomer / FailedConnectAgent
	outcomeBadAddress              // BadAddressCustomer / BadAddressAgent
)

// Test numbers: any number whose last four digits are one of these behaves
// so when dialled, e.g. +1 202 555 0198 is always busy. docs/instance.md
// lists them.
var testSuffixes = map[string]dialOutcome{
	"0197": outcomeNoAnswer,
	"0198": outcomeBusy,
	"0199": outcomeUnreachable,
}

// parseNumber checks that s is an E.164 number (a + and the country code)
// and returns it normalised with its region. It does not judge whether the
// number exists: dial does.
func parseNumber(s string) (e164, region string, err *core.CenterError) {
	s = strings.TrimSpace(s)
	if !strings.HasPrefix(s, "+") {
		return "", "", core.Errorf(core.ErrTypeBadEndpoint, "%q is not an E.164 number: it must start with + and the country code", s)
	}
	num, perr := phonenumbers.Parse(s, "")
	if perr != nil {
		return "", "", core.Errorf(core.ErrTypeBadEndpoint, "%q is not a phone number: %v", s, perr)
	}
	return phonenumbers.Format(num, phonenumbers.E164), phonenumbers.GetRegionCodeForNumber(num), nil
}

// dial says what happens when the center calls number.
func dial(number string) dialOutcome {
	num, err := phonenumbers.Parse(number, "")
	if err != nil || !phonenumbers.IsValidNumber(num) {
		return outcomeBadAddress
	}
	if len(number) >= 4 {
		if o, ok := testSuffixes[number[len(number)-4:]]; ok {
			return o
		}
	}
	return outcomeAnswer
}

// checkDialable returns a BadEndpointException unless number is E.164 and
// its country is one the agent may dial.
func checkDialable(number string, countries []string) (string, error) {
	e164, region, perr := parseNumber(number)
	if perr != nil {
		return "", perr
	}
	if region == "" {
		// A valid country code without a known region: let dial decide.
		return e164, nil
	}
	for _, c := range countries {
		if c == region {
			return e164, nil
		}
	}
	return "", core.Errorf(core.ErrTypeBadEndpoint, "calls to %s (%s) are not allowed: dialable countries are %s",
		e164, region, strings.Join(countries, ", "))
}

// validExtension reports whether a deskphone number is acceptable.
func validExtension(s string) error {
	num, err := phonenumbers.Parse(strings.TrimSpace(s), "")
	if err != nil || !strings.HasPrefix(strings.TrimSpace(s), "+") || !phonenumbers.IsValidNumber(num) {
		return core.Errorf(core.ErrTypeInvalidConfig, "deskphone number %q is not a valid E.164 number such as +12025550123", s)
	}
	return nil
}
