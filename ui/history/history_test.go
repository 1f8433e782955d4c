package history

import (
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/agentdesk/agentdesk/core"
	"github.com/agentdesk/agentdesk/core/recent"
)

func TestRowOf(t *testing.T) {
	test.NewTempApp(t)
	cases := []struct {
		e    recent.Entry
		want Row
	}{
		{recent.Entry{Channel: core.ContactTypeTask, Customer: "Refund #88", Queue: "Back office", Outcome: recent.Handled, Duration: 75 * time.Minute},
			Row{Who: "Refund #88", Detail: "Task · Back office", Outcome: "Handled", Duration: "1:15:00"}},
		{recent.Entry{Channel: core.ContactTypeVoice, Number: "+12025550199", Queue: "Outbound", Outcome: recent.Failed, Duration: 9 * time.Second},
			Row{Who: "+1 202-555-0199", Detail: "Outbound call · Outbound", Outcome: "Failed", Duration: "00:09", Bad: true}},
		{recent.Entry{Channel: core.ContactTypeQueueCallback, Customer: "Lee", Number: "+12025550111", Outcome: recent.Abandoned},
			Row{Who: "Lee", Number: "+1 202-555-0111", Detail: "Callback", Outcome: "Caller hung up", Duration: "00:00", Bad: true}},
		{recent.Entry{Channel: core.ContactTypeChat, Customer: "Lucas Nasser", Number: "+17135550123", Outcome: recent.Handled, Duration: 20 * time.Second},
			Row{Who: "Lucas Nasser", Detail: "Chat", Outcome: "Handled", Duration: "00:20"}},
		{recent.Entry{Channel: core.ContactTypeChat, Outcome: recent.Missed, Duration: 20 * time.Second},
			Row{Who: "Unknown", Detail: "Chat", Outcome: "Missed", Duration: "00:20", Bad: true}},
		{recent.Entry{Channel: core.ContactTypeVoice, Inbound: true, Customer: "Maria Garcia", Queue: "Support", Outcome: recent.Transferred, TransferredTo: "Sales queue", Duration: 12 * time.Second},
			Row{Who: "Maria Garcia", Detail: "Inbound call · Support", Outcome: "Transferred to Sales queue", Duration: "00:12"}},
	}
	for _, c := range cases {
		if got := RowOf(c.e); got != c.want {
			t.Errorf("RowOf(%+v) = %+v, want %+v", c.e, got, c.want)
		}
	}
}
