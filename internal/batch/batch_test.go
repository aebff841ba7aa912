package batch_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/kaidian/kaidian/internal/batch"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// With Retry, a batch whose save fails stays pending and is saved on a
// later flush; while Capacity rows wait, the buffer fills and Offer
// refuses, so a caller never answers "recorded" for an item it will lose.
func TestRetryKeepsFailedBatches(t *testing.T) {
	var mu sync.Mutex
	down := true
	var saved []int
	b := batch.New(func(_ context.Context, rows []int) error {
		mu.Lock()
		defer mu.Unlock()
		if down {
			return errors.New("database down")
		}
		saved = append(saved, rows...)
		return nil
	}, (*batch.Fold[int, struct{}])(nil), quiet, batch.Config{Name: "test", Capacity: 4, BatchSize: 2, FlushEvery: time.Hour, Retry: true})
	b.Start()
	ctx := context.Background()
	taken := 0
	for i := range 20 {
		if b.Offer(i) {
			taken++
		}
		if i%3 == 0 {
			_ = b.Sync(ctx) // a flush that fails: the rows stay pending
		}
	}
	if taken == 20 || b.Dropped() != int64(20-taken) {
		t.Fatalf("took %d of 20 with the database down, dropped %d", taken, b.Dropped())
	}
	mu.Lock()
	down = false
	mu.Unlock()
	if err := b.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	if len(saved) != taken || b.Saved() != int64(taken) || b.Failed() != 0 {
		t.Fatalf("saved %d rows (%d counted), failed %d; %d were taken", len(saved), b.Saved(), b.Failed(), taken)
	}
	for i := 1; i < len(saved); i++ {
		if saved[i] <= saved[i-1] {
			t.Fatalf("saved out of order: %v", saved)
		}
	}
}
