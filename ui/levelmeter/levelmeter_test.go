package levelmeter

import (
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
)

func TestFallHoldsPeaksBetweenReads(t *testing.T) {
	test.NewTempApp(t)
	m := New()
	if m.Fill() != 0 {
		t.Fatalf("a new meter fills %.2f, want 0", m.Fill())
	}
	m.Fall(-6, 100*time.Millisecond) // a syllable
	if got := m.Fill(); got != 0.9 {
		t.Fatalf("fill %.2f at -6 dBFS, want 0.90", got)
	}
	m.Fall(-100, 100*time.Millisecond) // the gap before the next one
	if got := m.Level(); got != -10 {
		t.Fatalf("level %.1f dBFS 100 ms after a -6 dBFS peak, want -10 (40 dB/s)", got)
	}
	m.Fall(-100, 2*time.Second)
	if m.Fill() != 0 {
		t.Fatalf("fill %.2f after two silent seconds, want 0", m.Fill())
	}
	m.SetLevel(12)
	if m.Fill() != 1 {
		t.Fatalf("fill %.2f above full scale, want 1", m.Fill())
	}
}
