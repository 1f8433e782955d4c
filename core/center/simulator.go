package center

import (
	"fmt"
	"time"

	"github.com/agentdesk/agentdesk/core"
)

var (
	firstNames = []string{"Maria", "James", "Aiko", "Liam", "Sofia", "Noah", "Chen", "Fatima", "Lucas", "Priya",
		"Olga", "Mateo", "Emma", "Kwame", "Hannah", "Diego", "Yuki", "Omar", "Ines", "Tomas"}
	lastNames = []string{"Garcia", "Smith", "Tanaka", "Murphy", "Rossi", "Müller", "Wang", "Haddad", "Silva", "Sharma",
		"Ivanova", "Lopez", "Dubois", "Mensah", "Schmidt", "Fernandez", "Sato", "Nasser", "Costa", "Novak"}
	areaCodes = []string{"202", "212", "312", "415", "617", "713", "206", "303"}
	reasons   = map[string][]string{
		"Support": {"Router keeps dropping", "Password reset", "App crashes on start", "Setup help"},
		"Sales":   {"Upgrade plan", "New line", "Business pricing", "Trade-in offer"},
		"Billing": {"Double charge", "Refund status", "Change card", "Invoice copy"},
	}
	tiers       = []string{"Gold", "Silver", "Bronze"}
	chatScripts = [][]string{
		{"Hi, my internet keeps dropping every few minutes.", "It's the white router, model X200.", "I restarted it twice already.", "OK, that light is blinking orange now."},
		{"Hello! I was charged twice this month.", "The charges are both from the 3rd.", "Yes, the card ending 4242."},
		{"Hey, can I upgrade to the unlimited plan?", "What would it cost per month?", "Great, let's do it."},
	}
)

// randomArrival invents the next simulated customer. Called with c.mu held.
func (c *Center) randomArrival() (Arrival, bool) {
	var pool []*queue
	total := 0
	for _, q := range c.queueSeq {
		for _, w := range q.traffic {
			total += w
		}
		pool = append(pool, q)
	}
	if total == 0 {
		return Arrival{}, false
	}
	pick := c.rng.IntN(total)
	var q *queue
	var typ core.ContactType
	for _, cand := range pool {
		for _, ch := range []core.ContactType{core.ContactTypeVoice, core.ContactTypeChat, core.ContactTypeTask, core.ContactTypeQueueCallback} {
			w := cand.traffic[ch]
			if pick < w {
				q, typ = cand, ch
				goto found
			}
			pick -= w
		}
	}
	return Arrival{}, false
found:
	name := firstNames[c.rng.IntN(len(firstNames))] + " " + lastNames[c.rng.IntN(len(lastNames))]
	number := fmt.Sprintf("+1%s55501%02d", areaCodes[c.rng.IntN(len(areaCodes))], c.rng.IntN(90))
	reasonList := reasons[q.Name]
	if len(reasonList) == 0 {
		reasonList = []string{"General enquiry"}
	}
	reason := reasonList[c.rng.IntN(len(reasonList))]
	ar := Arrival{
		Queue: q.Name, Type: typ, Name: name, Number: number,
		Attributes: map[string]string{
			"Account": fmt.Sprintf("AC-%06d", c.rng.IntN(1000000)),
			"Tier":    tiers[c.rng.IntN(len(tiers))],
			"Reason":  reason,
		},
		TalkTime: time.Duration(40+c.rng.IntN(110)) * time.Second,
	}
	switch typ {
	case core.ContactTypeChat:
		ar.Chat = chatScripts[c.rng.IntN(len(chatScripts))]
	case core.ContactTypeTask:
		ar.Name = reason + " — follow up"
		ar.Description = fmt.Sprintf("%s (%s customer) asked about: %s. Review the case and reply by email.", name, ar.Attributes["Tier"], reason)
		ar.References = []core.Reference{
			{Name: "Case", Type: "URL", Value: fmt.Sprintf("https://crm.example.com/cases/%d", 10000+c.rng.IntN(90000))},
			{Name: "Account", Type: "STRING", Value: ar.Attributes["Account"]},
		}
	}
	return ar, true
}
