package softphone_test

import (
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/agentdesk/agentdesk/core/center"

	// The app links it (main.go): measure with the app's timer slack.
	_ "github.com/agentdesk/agentdesk/audio/timerslack"
)

// BenchmarkAcceptToFirstAudio: a call rings (its media already built), the
// agent accepts, and the customer's first audible frame reaches the speaker.
func BenchmarkAcceptToFirstAudio(b *testing.B) {
	t := b
	r := newRig(t, 1000)
	var lat []time.Duration
	for range b.N {
		c := r.ring()
		time.Sleep(time.Second) // the call rings for a moment, as a person answers
		if err := c.Accept(ctx(t)); err != nil {
			b.Fatal(err)
		}
		deadline := time.Now().Add(5 * time.Second)
		var d time.Duration
		var ok bool
		for time.Now().Before(deadline) {
			if d, ok = r.phone.AcceptToFirstAudio(c.ContactID()); ok {
				break
			}
			time.Sleep(5 * time.Millisecond)
		}
		if !ok {
			b.Fatal("no audio after accepting")
		}
		lat = append(lat, d)
		_ = c.AgentConnection().Destroy(ctx(t))
		_ = c.Clear(ctx(t))
	}
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "ms-median")
	b.ReportMetric(float64(lat[len(lat)-1].Microseconds())/1000, "ms-max")
}

// BenchmarkCallFootprint holds a call for ten seconds and reports the CPU
// the whole process used (agent softphone, center media and the simulated
// customer, all in process) as a share of one core, and the RSS.
func BenchmarkCallFootprint(b *testing.B) {
	cpu, rss := holdCall(b, newRig(b, 1000))
	b.ReportMetric(cpu, "%core-whole-process")
	b.ReportMetric(rss, "MB-RSS")
}

// BenchmarkAgentCallCPU holds a call for ten seconds with the center's
// media side and the simulated customer in a child process, and reports the
// CPU this process used as a share of one core: the agent's softphone (its
// pion peer, Opus, the echo canceller, the microphone, speaker and ringer
// streams) plus the center's model, which does next to nothing during a call.
func BenchmarkAgentCallCPU(b *testing.B) {
	media := startMediaChild(b)
	cpu, rss := holdCall(b, rigOn(b, center.New(nil, center.WithMedia(media), center.WithLogger(quiet)), nil))
	b.ReportMetric(cpu, "%core-agent-call")
	b.ReportMetric(rss, "MB-RSS-agent")
	fmt.Printf("agent-call-cpu: %.1f %%core\n", cpu)
	fmt.Printf("agent-call-rss: %.1f MB\n", rss)
}

// holdCall accepts a call on r, waits for the customer's voice, then holds
// it ten seconds per b.N and returns the process's CPU over the last of them
// as a share of one core, and its RSS in MB.
func holdCall(b *testing.B, r *rig) (cpu, rssMB float64) {
	r.answer(1000)
	b.ResetTimer()
	for range b.N {
		cpu0, wall0 := cpuTime(), time.Now()
		time.Sleep(10 * time.Second)
		cpu = 100 * (cpuTime() - cpu0).Seconds() / time.Since(wall0).Seconds()
	}
	return cpu, float64(rssKB()) / 1024
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func rssKB() int {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "VmRSS:") {
			n, _ := strconv.Atoi(strings.Fields(line)[1])
			return n
		}
	}
	return 0
}
