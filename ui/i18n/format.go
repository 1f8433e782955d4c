package i18n

import (
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2/lang"
	"github.com/nyaruka/phonenumbers"

	"github.com/agentdesk/agentdesk/core"
)

// PhoneNumber is a number as the agent reads it back to a customer: an
// E.164 number in its country's international format ("+1 202-555-0123"),
// anything else (an extension, a SIP address) as it is.
func PhoneNumber(n string) string {
	if !strings.HasPrefix(n, "+") {
		return n
	}
	num, err := phonenumbers.Parse(n, "")
	if err != nil {
		return n
	}
	return phonenumbers.Format(num, phonenumbers.INTERNATIONAL)
}

// Duration is a timer as the window shows it: 04:07, or 1:02:03 past an hour.
func Duration(d time.Duration) string {
	d = d.Round(time.Second)
	h, m, s := int(d.Hours()), int(d.Minutes())%60, int(d.Seconds())%60
	if h > 0 {
		return fmt.Sprintf("%d:%02d:%02d", h, m, s)
	}
	return fmt.Sprintf("%02d:%02d", m, s)
}

// Channel is a contact's channel as the agent reads it: Call, Callback,
// Chat or Task.
func Channel(t core.ContactType) string {
	switch t {
	case core.ContactTypeVoice:
		return lang.L("Call")
	case core.ContactTypeQueueCallback:
		return lang.L("Callback")
	case core.ContactTypeChat:
		return lang.L("Chat")
	case core.ContactTypeTask:
		return lang.L("Task")
	}
	return string(t)
}
