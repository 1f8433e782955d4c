package main

import (
	"os"
	"testing"
	"time"
)

// The process's own CPU time reads as a count of ticks that grows as it works.
func TestCPUTicksOfThisProcess(t *testing.T) {
	before, err := cpuTicks(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	for end := time.Now().Add(150 * time.Millisecond); time.Now().Before(end); {
	}
	after, err := cpuTicks(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	if after <= before {
		t.Fatalf("CPU ticks went from %d to %d over 150 ms of busy work", before, after)
	}
	if pss, err := pssMB(os.Getpid()); err != nil || pss <= 0 {
		t.Fatalf("PSS = %v MB, %v", pss, err)
	}
}

// dbus-monitor's line for a Notify call gives the time it was sent.
func TestNotifyTime(t *testing.T) {
	l := "method call time=1795471884.458382 sender=:1.6 -> destination=org.freedesktop.Notifications serial=2 path=/org/freedesktop/Notifications; interface=org.freedesktop.Notifications; member=Notify"
	m := dbusTimeRE.FindStringSubmatch(l)
	if m == nil || m[1] != "1795471884" || m[2] != "458382" {
		t.Fatalf("match = %q", m)
	}
}

func TestMedian(t *testing.T) {
	if m := median([]float64{5, 1, 3}); m != 3 {
		t.Errorf("median of 5 1 3 = %v", m)
	}
	if m := median([]float64{4, 1, 3, 2}); m != 2.5 {
		t.Errorf("median of 4 1 3 2 = %v", m)
	}
}
