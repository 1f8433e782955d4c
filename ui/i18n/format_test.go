package i18n

import "testing"

func TestPhoneNumberReadsAsTheCountryWritesIt(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"+12025550123", "+1 202-555-0123"},
		{"+442079460958", "+44 20 7946 0958"},
		{"+4930901820", "+49 30 901820"},
		{"+33142685300", "+33 1 42 68 53 00"},
		{"4711", "4711"},                                 // an extension
		{"sip:dana@example.com", "sip:dana@example.com"}, // not a phone number
		{"+", "+"}, // nothing to read
		{"", ""},
	} {
		if got := PhoneNumber(tc.in); got != tc.want {
			t.Errorf("PhoneNumber(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
