package ring

import (
	"sync"
	"testing"
)

func TestNewRoundsUpToPowerOfTwo(t *testing.T) {
	for _, tc := range []struct{ in, want int }{
		{1, 1}, {2, 2}, {3, 4}, {480, 512}, {960, 1024}, {16384, 16384}, {16385, 32768},
	} {
		if got := New(tc.in).Cap(); got != tc.want {
			t.Errorf("New(%d).Cap() = %d, want %d", tc.in, got, tc.want)
		}
	}
}

func TestNewPanicsOnBadCapacity(t *testing.T) {
	for _, c := range []int{0, -1, 1<<30 + 1} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("New(%d) did not panic", c)
				}
			}()
			New(c)
		}()
	}
}

func seq(from, n int) []int16 {
	s := make([]int16, n)
	for i := range s {
		s[i] = int16(from + i)
	}
	return s
}

func TestWriteReadWrapsAround(t *testing.T) {
	r := New(8)
	out := make([]int16, 8)
	next := 0 // next value expected out
	written := 0
	// Odd chunk sizes walk the indices over the wrap point many times.
	for round := 0; round < 50; round++ {
		w := 1 + round%7
		if n := r.Write(seq(written, w)); n != w {
			t.Fatalf("round %d: Write(%d) = %d with Len %d", round, w, n, r.Len()-n)
		}
		written += w
		if r.Len()+r.Free() != r.Cap() {
			t.Fatalf("Len %d + Free %d != Cap %d", r.Len(), r.Free(), r.Cap())
		}
		n := r.Read(out[:w])
		if n != w {
			t.Fatalf("round %d: Read = %d, want %d", round, n, w)
		}
		for i := 0; i < n; i++ {
			if out[i] != int16(next) {
				t.Fatalf("round %d: sample %d = %d, want %d", round, i, out[i], next)
			}
			next++
		}
	}
	if r.Overflows() != 0 || r.Underruns() != 0 {
		t.Fatalf("counters = %d/%d, want 0/0", r.Overflows(), r.Underruns())
	}
}

func TestOverflowDropsNewestAndCounts(t *testing.T) {
	r := New(8)
	if n := r.Write(seq(0, 5)); n != 5 {
		t.Fatalf("Write = %d", n)
	}
	if n := r.Write(seq(5, 6)); n != 3 {
		t.Fatalf("Write into 3 free = %d, want 3", n)
	}
	if r.Overflows() != 3 {
		t.Fatalf("Overflows = %d, want 3", r.Overflows())
	}
	if r.Free() != 0 || r.Len() != 8 {
		t.Fatalf("Len/Free = %d/%d", r.Len(), r.Free())
	}
	if n := r.Write(seq(0, 2)); n != 0 || r.Overflows() != 5 {
		t.Fatalf("Write into full ring = %d, Overflows %d", n, r.Overflows())
	}
	out := make([]int16, 8)
	r.Read(out)
	for i, v := range out {
		if v != int16(i) {
			t.Fatalf("out = %v: the oldest samples must survive an overflow", out)
		}
	}
}

func TestUnderrunReadsWhatIsThereAndCounts(t *testing.T) {
	r := New(16)
	r.Write(seq(1, 3))
	out := make([]int16, 10)
	if n := r.Read(out); n != 3 {
		t.Fatalf("Read = %d, want 3", n)
	}
	if r.Underruns() != 7 {
		t.Fatalf("Underruns = %d, want 7", r.Underruns())
	}
	if n := r.Read(out); n != 0 || r.Underruns() != 17 {
		t.Fatalf("Read on empty = %d, Underruns %d", n, r.Underruns())
	}
	if n := r.Read(nil); n != 0 || r.Underruns() != 17 {
		t.Fatalf("Read(nil) = %d, Underruns %d", n, r.Underruns())
	}
}

func TestDiscard(t *testing.T) {
	r := New(8)
	r.Write(seq(0, 6))
	if n := r.Discard(4); n != 4 {
		t.Fatalf("Discard(4) = %d", n)
	}
	if n := r.Discard(10); n != 2 {
		t.Fatalf("Discard(10) with 2 left = %d", n)
	}
	if n := r.Discard(-1); n != 0 {
		t.Fatalf("Discard(-1) = %d", n)
	}
	r.Write(seq(100, 3))
	out := make([]int16, 3)
	r.Read(out)
	if out[0] != 100 || out[2] != 102 {
		t.Fatalf("after Discard read %v", out)
	}
}

func TestNoAllocation(t *testing.T) {
	r := New(1024)
	in, out := seq(0, 480), make([]int16, 480)
	allocs := testing.AllocsPerRun(1000, func() {
		r.Write(in)
		r.Read(out)
		_ = r.Len() + r.Free()
	})
	if allocs != 0 {
		t.Fatalf("Write+Read allocate %v times per run", allocs)
	}
}

// TestConcurrentProducerConsumer streams a counting sequence through a small
// ring from one goroutine to another with different chunk sizes; run it with
// -race. Every sample must arrive once, in order.
func TestConcurrentProducerConsumer(t *testing.T) {
	const total = 1 << 20
	r := New(1024)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		chunk := make([]int16, 480)
		sent := 0
		for sent < total {
			n := min(len(chunk), total-sent, r.Free())
			if n == 0 {
				continue
			}
			for i := 0; i < n; i++ {
				chunk[i] = int16(sent + i)
			}
			if w := r.Write(chunk[:n]); w != n {
				t.Errorf("Write(%d) with Free >= %d returned %d", n, n, w)
				return
			}
			sent += n
		}
	}()
	out := make([]int16, 333)
	got := 0
	for got < total {
		n := r.Read(out[:min(len(out), r.Len())])
		for i := 0; i < n; i++ {
			if out[i] != int16(got+i) {
				t.Fatalf("sample %d = %d, want %d", got+i, out[i], int16(got+i))
			}
		}
		got += n
	}
	wg.Wait()
	if r.Overflows() != 0 {
		t.Fatalf("Overflows = %d although the producer respected Free", r.Overflows())
	}
}

func BenchmarkWriteRead480(b *testing.B) {
	r := New(16384)
	in, out := seq(0, 480), make([]int16, 480)
	b.SetBytes(480 * 2)
	b.ReportAllocs()
	for b.Loop() {
		r.Write(in)
		r.Read(out)
	}
}

func BenchmarkConcurrent(b *testing.B) {
	r := New(16384)
	b.SetBytes(480 * 2)
	b.ReportAllocs()
	done := make(chan struct{})
	go func() {
		out := make([]int16, 480)
		for {
			select {
			case <-done:
				return
			default:
				r.Read(out[:min(480, r.Len())])
			}
		}
	}()
	in := seq(0, 480)
	for b.Loop() {
		for r.Free() < len(in) {
		}
		r.Write(in)
	}
	close(done)
}
