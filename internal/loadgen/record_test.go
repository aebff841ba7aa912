package loadgen

import (
	"testing"
	"time"
)

func TestLatencyPercentiles(t *testing.T) {
	ms := func(ns ...int) []time.Duration {
		out := make([]time.Duration, len(ns))
		for i, n := range ns {
			out[i] = time.Duration(n) * time.Millisecond
		}
		return out
	}
	hundred := make([]int, 100)
	for i := range hundred {
		hundred[99-i] = i + 1 // 100 … 1: unsorted on purpose
	}
	for _, c := range []struct {
		name string
		took []time.Duration
		want Latency
	}{
		{"none", nil, Latency{}},
		{"one", ms(7), Latency{7, 7, 7, 7}},
		{"nearest rank", ms(hundred...), Latency{P50: 50, P90: 90, P99: 99, Max: 100}},
		{"tail", ms(1, 1, 1, 1, 1, 1, 1, 1, 1, 500), Latency{P50: 1, P90: 1, P99: 500, Max: 500}},
	} {
		if got := latencyOf(c.took); got != c.want {
			t.Errorf("%s: %+v, want %+v", c.name, got, c.want)
		}
	}
}

// The budget hands out exactly the requests asked for, however many take.
func TestBudgetIsExact(t *testing.T) {
	l := &load{o: Options{Requests: 1000}}
	b := l.newBudget()
	taken := 0
	for range 2000 {
		if b.take(3) {
			taken += 3
		}
	}
	if taken != 999 || !b.take(1) || b.take(1) {
		t.Fatalf("took %d of 1000", taken)
	}
}

// Closing Stop ends the timed part like the deadline does.
func TestBudgetStop(t *testing.T) {
	stop := make(chan struct{})
	b := (&load{o: Options{Stop: stop}}).newBudget()
	if !b.take(1) {
		t.Fatal("refused before Stop was closed")
	}
	close(stop)
	if b.take(1) {
		t.Fatal("still handing out requests after Stop was closed")
	}
}
