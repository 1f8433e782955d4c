package dialpad

import (
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

type calls struct{ got []string }

func (c *calls) add(n string) { c.got = append(c.got, n) }

func newPad(t *testing.T, countries []string, canCall bool) (*Pad, *calls) {
	t.Helper()
	test.NewTempApp(t)
	c := &calls{}
	p := New(Options{Countries: countries, CanCall: canCall, OnCall: c.add})
	w := test.NewWindow(p.Content())
	t.Cleanup(w.Close)
	return p, c
}

func TestTypedUSNumberCallsE164(t *testing.T) {
	p, c := newPad(t, []string{"US", "GB"}, true)
	if p.Country.Selected != "US +1" {
		t.Fatalf("picked %q, want the first dialable country, US +1", p.Country.Selected)
	}
	test.Type(p.Entry, "2025550123")
	if p.Call.Disabled() {
		t.Fatalf("Call disabled for a valid US number; status %q", p.Status.Text)
	}
	if p.Status.Text != "+1 202-555-0123" {
		t.Errorf("status %q, want the number in international format", p.Status.Text)
	}
	test.Tap(p.Call)
	if !slices.Equal(c.got, []string{"+12025550123"}) {
		t.Fatalf("calls %v, want [+12025550123]", c.got)
	}
	p.Entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if len(c.got) != 2 {
		t.Fatalf("Enter in the entry placed %d calls in all, want 2", len(c.got))
	}
}

func TestLettersBecomeDigits(t *testing.T) {
	p, c := newPad(t, []string{"US"}, true)
	test.Type(p.Entry, "1-800-EXAMPLE")
	if p.Entry.Text != "1-800-3926753" {
		t.Fatalf("entry shows %q, want the letters as keypad digits", p.Entry.Text)
	}
	test.Tap(p.Call)
	if !slices.Equal(c.got, []string{"+18003926753"}) {
		t.Fatalf("calls %v, want [+18003926753]", c.got)
	}
}

func TestPasteAndKeypad(t *testing.T) {
	p, c := newPad(t, []string{"US", "GB"}, true)
	p.Entry.SetText("+44 20 7946 0") // pasted, E.164 whatever the picker says
	for _, k := range "958" {
		test.Tap(p.Keypad.Button(string(k)))
	}
	test.Tap(p.Call)
	if !slices.Equal(c.got, []string{"+442079460958"}) {
		t.Fatalf("calls %v (status %q), want [+442079460958]", c.got, p.Status.Text)
	}
}

func TestInvalidNumbersSayWhy(t *testing.T) {
	for _, tc := range []struct{ typed, want string }{
		{"202555", "too short"},
		{"1234567890", "not a valid number for US"},
		{"+999 123", "country code"},
		{"+33 1 23 45 67 89", "calls to FR are not allowed"},
	} {
		t.Run(tc.typed, func(t *testing.T) {
			p, c := newPad(t, []string{"US", "GB"}, true)
			test.Type(p.Entry, tc.typed)
			if !strings.Contains(p.Status.Text, tc.want) {
				t.Errorf("status %q, want it to say %q", p.Status.Text, tc.want)
			}
			if !p.Call.Disabled() {
				t.Error("Call enabled for an invalid number")
			}
			test.Tap(p.Call)
			p.Entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
			if len(c.got) != 0 {
				t.Fatalf("invalid number placed calls %v", c.got)
			}
		})
	}
}

func TestOnlyDialableCountriesOffered(t *testing.T) {
	p, _ := newPad(t, []string{"US", "CA", "XX"}, true)
	if !slices.Equal(p.Country.Options, []string{"US +1", "CA +1"}) {
		t.Fatalf("picker offers %v, want [US +1 CA +1]", p.Country.Options)
	}
}

func TestNoPermissionNoCall(t *testing.T) {
	p, c := newPad(t, []string{"US"}, false)
	if !p.Denied.Visible() {
		t.Error("no label says calls are not allowed")
	}
	test.Type(p.Entry, "2025550123")
	if !p.Call.Disabled() {
		t.Error("Call enabled without the outboundCall permission")
	}
	test.Tap(p.Call)
	p.Entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if len(c.got) != 0 {
		t.Fatalf("placed calls %v without permission", c.got)
	}
	p.SetCanCall(true)
	if p.Call.Disabled() || p.Denied.Visible() {
		t.Fatal("granting the permission did not enable Call")
	}
}
