package dialpad

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"fyne.io/fyne/v2/lang"
	"github.com/nyaruka/phonenumbers"
)

// Check is what the dial pad knows about a typed number.
type Check struct {
	E164      string // set only when Valid
	Formatted string // INTERNATIONAL format, set only when Valid
	Problem   string // why the number cannot be called; empty when Valid or nothing is typed
	Valid     bool
}

// CheckNumber validates input as dialled from region (an ISO code such as
// "US"). Letters become keypad digits; a number starting with + is read as
// E.164 whatever the region. The number's country must be in dialable.
func CheckNumber(input, region string, dialable []string) Check {
	s := strings.TrimSpace(phonenumbers.ConvertAlphaCharactersInNumber(input))
	if s == "" {
		return Check{}
	}
	if strings.HasPrefix(s, "+") {
		region = ""
	} else if region == "" {
		return Check{Problem: lang.L("pick a country, or start the number with + and the country code")}
	}
	num, err := phonenumbers.Parse(s, region)
	if err != nil {
		return Check{Problem: parseProblem(err)}
	}
	where := region
	if where == "" {
		where = phonenumbers.GetRegionCodeForCountryCode(int(num.GetCountryCode()))
	}
	switch phonenumbers.IsPossibleNumberWithReason(num) {
	case phonenumbers.TOO_SHORT:
		return Check{Problem: lang.L("too short")}
	case phonenumbers.TOO_LONG:
		return Check{Problem: lang.L("too long")}
	case phonenumbers.INVALID_COUNTRY_CODE:
		return Check{Problem: lang.L("+{{.Code}} is not a country code", map[string]any{"Code": num.GetCountryCode()})}
	case phonenumbers.IS_POSSIBLE_LOCAL_ONLY:
		return Check{Problem: lang.L("too short: add the area code")}
	case phonenumbers.INVALID_LENGTH:
		return Check{Problem: lang.L("wrong length for {{.Country}}", map[string]any{"Country": regionLabel(where)})}
	}
	if !phonenumbers.IsValidNumber(num) {
		return Check{Problem: lang.L("not a valid number for {{.Country}}", map[string]any{"Country": regionLabel(where)})}
	}
	e164 := phonenumbers.Format(num, phonenumbers.E164)
	if r := phonenumbers.GetRegionCodeForNumber(num); r != "" && !slices.Contains(dialable, r) {
		return Check{Problem: lang.L("calls to {{.Country}} are not allowed: you may dial {{.Allowed}}", map[string]any{"Country": r, "Allowed": strings.Join(dialable, ", ")})}
	}
	return Check{E164: e164, Formatted: phonenumbers.Format(num, phonenumbers.INTERNATIONAL), Valid: true}
}

func parseProblem(err error) string {
	switch {
	case errors.Is(err, phonenumbers.ErrInvalidCountryCode):
		return lang.L("unknown country code")
	case errors.Is(err, phonenumbers.ErrTooShortNSN), errors.Is(err, phonenumbers.ErrTooShortAfterIDD):
		return lang.L("too short")
	case errors.Is(err, phonenumbers.ErrNumTooLong):
		return lang.L("too long")
	case errors.Is(err, phonenumbers.ErrNotANumber):
		return lang.L("not a phone number")
	}
	return err.Error()
}

func regionLabel(r string) string {
	if r == "" || r == "ZZ" || r == "001" {
		return lang.L("that country code")
	}
	return r
}

// CountryOption is how a dialable country shows in the picker, e.g. "US +1";
// ok is false for a code phonenumbers does not know.
func CountryOption(iso string) (label string, ok bool) {
	cc := phonenumbers.GetCountryCodeForRegion(iso)
	if cc == 0 {
		return "", false
	}
	return fmt.Sprintf("%s +%d", iso, cc), true
}
