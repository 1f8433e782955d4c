package inorder

import (
	"io"
	"log/slog"
	"slices"
	"testing"
	"time"
)

func TestRunsInOrderAndSurvivesPanics(t *testing.T) {
	q := New(slog.New(slog.NewTextHandler(io.Discard, nil)))
	got := make(chan int, 100)
	for i := range 50 {
		if i == 10 {
			q.Push(func() { panic("a broken handler") })
		}
		q.Push(func() { got <- i })
	}
	done := make(chan struct{})
	q.Push(func() { close(done) })
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("the queue stopped after a panic")
	}
	q.Close()
	var order []int
	for len(got) > 0 {
		order = append(order, <-got)
	}
	want := make([]int, 50)
	for i := range want {
		want[i] = i
	}
	if !slices.Equal(order, want) {
		t.Fatalf("ran %v, want 0..49 in order", order)
	}
}

func TestPushAfterCloseIsDropped(t *testing.T) {
	q := New(slog.New(slog.NewTextHandler(io.Discard, nil)))
	q.Close()
	ran := make(chan struct{}, 1)
	q.Push(func() { ran <- struct{}{} })
	select {
	case <-ran:
		t.Fatal("a function pushed after Close ran")
	case <-time.After(100 * time.Millisecond):
	}
}
