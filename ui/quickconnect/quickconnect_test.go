package quickconnect

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/agentdesk/agentdesk/core"
)

var endpoints = []core.Endpoint{
	{Type: core.EndpointPhoneNumber, Name: "Escalations desk", PhoneNumber: "+12025550142"},
	{Type: core.EndpointPhoneNumber, Name: "Echo test", PhoneNumber: "+12025550100"},
	{Type: core.EndpointQueue, Name: "Sales queue", Queue: "Sales"},
	{Type: core.EndpointAgent, Name: "Bob Okafor", AgentLogin: "bob"},
}

func names(l *List) []string {
	var out []string
	for _, e := range l.Shown() {
		out = append(out, e.Name)
	}
	return out
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestNotTransferringListsPhonesOnly(t *testing.T) {
	test.NewTempApp(t)
	l := New(Options{})
	l.Set(endpoints, false)
	if got, want := names(l), []string{"Escalations desk", "Echo test"}; !equal(got, want) {
		t.Fatalf("listed %q, want %q", got, want)
	}
	l.Set(endpoints, true)
	if got := names(l); len(got) != 4 {
		t.Fatalf("transferring listed %q, want all four", got)
	}
}

func TestSearchFiltersByName(t *testing.T) {
	test.NewTempApp(t)
	l := New(Options{})
	l.Set(endpoints, true)
	test.Type(l.Search, "ES")
	if got, want := names(l), []string{"Escalations desk", "Echo test", "Sales queue"}; !equal(got, want) {
		t.Fatalf("search ES listed %q, want %q", got, want)
	}
	l.Search.SetText("bob")
	if got, want := names(l), []string{"Bob Okafor"}; !equal(got, want) {
		t.Fatalf("search bob listed %q, want %q", got, want)
	}
	l.Set(endpoints, false) // agents stay hidden whatever the search
	if got := names(l); len(got) != 0 {
		t.Fatalf("search bob while not transferring listed %q", got)
	}
	l.Search.SetText("")
	if got := names(l); len(got) != 2 {
		t.Fatalf("empty search listed %q, want both phones", got)
	}
}

func TestRowsShowNameTypeAndNumber(t *testing.T) {
	test.NewTempApp(t)
	l := New(Options{})
	w := test.NewTempWindow(t, l.Content())
	w.Resize(fyne.NewSize(400, 300))
	l.Set(endpoints, true)
	var rows [][2]string
	for i := range endpoints {
		row := l.List.CreateItem()
		l.List.UpdateItem(i, row)
		name, kind := rowLabels(row)
		rows = append(rows, [2]string{name.Text, kind.Text})
	}
	want := [][2]string{
		{"Escalations desk", "phone +1 202-555-0142"},
		{"Echo test", "phone +1 202-555-0100"},
		{"Sales queue", "queue"},
		{"Bob Okafor", "agent"},
	}
	for i := range want {
		if rows[i] != want[i] {
			t.Errorf("row %d shows %q, want %q", i, rows[i], want[i])
		}
	}
}

func TestTapCallsOnPick(t *testing.T) {
	test.NewTempApp(t)
	var picked []core.Endpoint
	l := New(Options{OnPick: func(e core.Endpoint) { picked = append(picked, e) }})
	test.NewTempWindow(t, l.Content())
	l.Set(endpoints, false)
	test.Type(l.Search, "echo")
	l.Pick(0)
	if len(picked) != 1 || picked[0].PhoneNumber != "+12025550100" {
		t.Fatalf("picked %+v, want Echo test", picked)
	}
	// Tapping the same row again picks it again.
	l.Pick(0)
	if len(picked) != 2 {
		t.Fatalf("a second tap picked %d times in all, want 2", len(picked))
	}
	if !l.PickName("Echo test") || len(picked) != 3 {
		t.Fatal("PickName did not pick Echo test")
	}
}
