package main

import (
	"github.com/agentdesk/agentdesk/audio/softphone"
	"github.com/agentdesk/agentdesk/ui/callquality"
)

// phoneQuality lets the window's call-quality panel read the softphone's
// per-second call stats without the ui importing the audio packages.
type phoneQuality struct{ *softphone.Softphone }

var _ callquality.Source = phoneQuality{}

func (p phoneQuality) Quality(contactID string, n int) []callquality.Sample {
	hist := p.RecentHistory(contactID, n)
	out := make([]callquality.Sample, len(hist))
	for i, st := range hist {
		out[i] = callquality.Sample{Jitter: st.Jitter, RTT: st.RTT, PacketsReceived: st.PacketsReceived,
			PacketsLost: st.PacketsLost, OneWay: st.OneWay}
	}
	return out
}
