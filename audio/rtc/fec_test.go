package rtc

import (
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/pion/transport/v5/vnet"

	"github.com/agentdesk/agentdesk/audio/opus"
)

func TestFECLossFollowsReports(t *testing.T) {
	f := newFECLoss()
	if got := f.percent(); got != opus.DefaultPacketLossPercent {
		t.Fatalf("before any report: %d %%, want the default %d %%", got, opus.DefaultPacketLossPercent)
	}
	steps := []struct {
		what           string
		lost, expected int64 // the far end's running totals
		want           int
	}{
		{"a clean report halves it", 0, 50, 5},
		{"no new report changes nothing", 0, 50, 5},
		{"another clean one", 0, 100, 3}, // 2.5 % rounded up
		{"and another", 0, 150, 2},       // 1.25 %
		{"below 1 % it is off", 0, 200, 0},
		{"a loss of 4 in 50 sets 8 % at once", 4, 250, 8},
		{"more loss than that raises it", 14, 300, 20},
		{"less loss lets it fall by half", 15, 350, 10},
		{"a duplicate lowers the lost total: no loss counted", 14, 400, 5},
		{"a report of every packet lost", 64, 450, 100},
	}
	for _, s := range steps {
		if got := f.update(s.lost, s.expected); got != s.want {
			t.Errorf("%s: update(%d, %d) = %d %%, want %d %%", s.what, s.lost, s.expected, got, s.want)
		}
	}
}

// Over a clean network the sender stops coding redundancy within a few
// receiver reports; when the network starts losing packets it codes it
// again.
func TestFECFollowsTheNetwork(t *testing.T) {
	var mu sync.Mutex
	rng := rand.New(rand.NewPCG(5, 6))
	lossy := false
	netA, netB := vnetPair(t, &vnet.RouterConfig{MinDelay: 10 * time.Millisecond}, func(c vnet.Chunk) bool {
		mu.Lock()
		defer mu.Unlock()
		return !lossy || c.Network() != "udp" || rng.Float64() >= 0.10
	})
	recB := &recorder{}
	a, _ := pair(t, Config{Net: netA}, Config{Net: netB}, newTone(1000), newTone(440), &recorder{}, recB)
	recB.waitTone(t, 1000)
	waitFEC := func(what string, within time.Duration, ok func(int) bool) {
		t.Helper()
		start := time.Now()
		for time.Since(start) < within {
			if pct := a.Stats().FECLossPercent; ok(pct) {
				t.Logf("%s: FEC protects against %d %% loss after %v", what, pct, time.Since(start).Round(100*time.Millisecond))
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
		t.Fatalf("%s: after %v the sender's FEC protects against %d %% loss", what, within, a.Stats().FECLossPercent)
	}
	waitFEC("clean network", 10*time.Second, func(pct int) bool { return pct == 0 })
	mu.Lock()
	lossy = true
	mu.Unlock()
	waitFEC("10 % loss", 6*time.Second, func(pct int) bool { return pct >= 3 })
}
