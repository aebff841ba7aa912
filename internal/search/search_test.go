package search_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/kaidian/kaidian/internal/audit"
	"github.com/kaidian/kaidian/internal/catalog"
	"github.com/kaidian/kaidian/internal/clock"
	"github.com/kaidian/kaidian/internal/database"
	"github.com/kaidian/kaidian/internal/database/dbtest"
	"github.com/kaidian/kaidian/internal/inventory"
	"github.com/kaidian/kaidian/internal/search"
	"github.com/kaidian/kaidian/internal/testkit"
)

type fixture struct {
	svc *search.Service
	clk *clock.Clock
	ctx context.Context
}

func newFixture(t *testing.T) (*fixture, *database.DB) {
	t.Helper()
	db := dbtest.Open(t)
	clk := clock.New()
	cat := catalog.New(db, inventory.New(db, clk), clk)
	return &fixture{svc: search.New(db, cat, audit.New(db, clk), clk), clk: clk, ctx: context.Background()}, db
}

// TestRecordConcurrentWithFlush: 16 goroutines search while another
// flushes again and again; every search is counted exactly once, and each
// shopper's history holds their distinct words.
func TestRecordConcurrentWithFlush(t *testing.T) {
	f, db := newFixture(t)
	shoppers := []int64{testkit.Shopper(t, db, "a"), testkit.Shopper(t, db, "b")}
	const goroutines, each = 16, 50
	done := make(chan struct{})
	var flushErr error
	var flusher sync.WaitGroup
	flusher.Go(func() {
		for {
			select {
			case <-done:
				return
			default:
			}
			if err := f.svc.Flush(f.ctx); err != nil {
				flushErr = err
				return
			}
			time.Sleep(time.Millisecond)
		}
	})
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Go(func() {
			for i := range each {
				// "T恤" and "ｔ恤" are one word; "袜子" another.
				words := []string{"T恤", "ｔ恤", "袜子"}
				f.svc.Record(shoppers[g%2], words[(g+i)%3])
			}
		})
	}
	wg.Wait()
	close(done)
	flusher.Wait()
	if flushErr != nil {
		t.Fatal(flushErr)
	}
	testkit.Must(t, f.svc.Flush(f.ctx))
	top, err := f.svc.Top(f.ctx, 10)
	testkit.Must(t, err)
	var total int64
	for _, w := range top {
		total += w.Count
	}
	if len(top) != 2 || total != goroutines*each {
		t.Fatalf("top = %+v (total %d, want %d)", top, total, goroutines*each)
	}
	for _, id := range shoppers {
		h, err := f.svc.History(f.ctx, id)
		testkit.Must(t, err)
		if len(h) != 2 {
			t.Fatalf("shopper %d history = %+v", id, h)
		}
	}
}

// TestHotWindowAndPins: counts older than the window drop out of the hot
// words, pinned words come first in their order, and a pinned word is not
// listed twice.
func TestHotWindowAndPins(t *testing.T) {
	f, _ := newFixture(t)
	now := time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC)
	at := func(t time.Time) func() time.Time { return func() time.Time { return t } }
	f.clk.Set(at(now.AddDate(0, 0, -7))) // 8 days ago counting today: outside
	for range 5 {
		f.svc.Record(0, "旧词")
	}
	f.clk.Set(at(now.AddDate(0, 0, -6))) // the window's first day
	f.svc.Record(0, "毛衣")
	f.svc.Record(0, "毛衣")
	f.clk.Set(at(now))
	f.svc.Record(0, "T恤")
	f.svc.Record(0, "袜子")
	f.svc.Record(0, "袜子")
	f.svc.Record(0, "袜子")
	testkit.Must(t, f.svc.Flush(f.ctx))
	_, err := f.svc.AddPin(f.ctx, "新品", "test")
	testkit.Must(t, err)
	_, err = f.svc.AddPin(f.ctx, "ｔ恤", "test")
	testkit.Must(t, err)
	hot, err := f.svc.Hot(f.ctx)
	testkit.Must(t, err)
	if got := fmt.Sprint(hot); got != "[{新品 true 0} {ｔ恤 true 0} {袜子 false 3} {毛衣 false 2}]" {
		t.Fatalf("hot = %s", got)
	}
	testkit.Must(t, f.svc.PruneCounts(f.ctx))
	f.clk.Set(at(now.AddDate(0, 0, search.KeepDays)))
	testkit.Must(t, f.svc.PruneCounts(f.ctx))
	if top, _ := f.svc.Top(f.ctx, 10); len(top) != 0 {
		t.Fatalf("after the prune: %+v", top)
	}
}

// TestPinLimitAndErrors: at most MaxPins pins; moving the first up or
// the last down changes nothing; unknown pins are not found.
func TestPinLimitAndErrors(t *testing.T) {
	f, _ := newFixture(t)
	var first, last search.Pin
	for i := range search.MaxPins {
		p, err := f.svc.AddPin(f.ctx, fmt.Sprintf("词%d", i), "test")
		testkit.Must(t, err)
		if i == 0 {
			first = p
		}
		last = p
	}
	_, err := f.svc.AddPin(f.ctx, "多一个", "test")
	testkit.WantCode(t, err, "search_pins_full")
	_, err = f.svc.AddPin(f.ctx, "  ", "test")
	testkit.WantField(t, err, "word")
	testkit.Must(t, f.svc.MovePin(f.ctx, first.ID, true, "test"))
	testkit.Must(t, f.svc.MovePin(f.ctx, last.ID, false, "test"))
	pins, _ := f.svc.Pins(f.ctx)
	if pins[0].ID != first.ID || pins[len(pins)-1].ID != last.ID {
		t.Fatalf("pins moved at the ends: %+v", pins)
	}
	testkit.WantCode(t, f.svc.MovePin(f.ctx, 424242, true, "test"), "search_pin_not_found")
	testkit.WantCode(t, f.svc.RemovePin(f.ctx, 424242, "test"), "search_pin_not_found")
}

// TestFlushLargeBatch writes a batch larger than one statement may carry
// (SQLite binds at most 32,766 values): every word counted.
func TestFlushLargeBatch(t *testing.T) {
	f, db := newFixture(t)
	shopper := testkit.Shopper(t, db, "busy")
	for i := range 9000 { // 36,000 values in one statement would be too many
		f.svc.Record(shopper, fmt.Sprintf("词%d", i))
	}
	testkit.Must(t, f.svc.Flush(f.ctx))
	var n int64
	testkit.Must(t, db.Conn(f.ctx).Table("search_counts").Count(&n).Error)
	h, err := f.svc.History(f.ctx, shopper)
	testkit.Must(t, err)
	if n != 9000 || len(h) != search.HistoryLen {
		t.Fatalf("%d words counted, history %d", n, len(h))
	}
}
