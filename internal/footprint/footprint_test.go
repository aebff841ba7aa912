package footprint_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/kaidian/kaidian/internal/catalog"
	"github.com/kaidian/kaidian/internal/clock"
	"github.com/kaidian/kaidian/internal/database"
	"github.com/kaidian/kaidian/internal/database/dbtest"
	"github.com/kaidian/kaidian/internal/footprint"
	"github.com/kaidian/kaidian/internal/inventory"
	"github.com/kaidian/kaidian/internal/testkit"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// saverFunc adapts a function to what the Recorder saves through.
type saverFunc func(ctx context.Context, views []footprint.View) error

func (f saverFunc) Save(ctx context.Context, views []footprint.View) error { return f(ctx, views) }

// A full buffer drops views, counted, and never blocks Record.
func TestRecorderDropsWhenFull(t *testing.T) {
	var got []footprint.View
	rec := footprint.NewRecorder(saverFunc(func(_ context.Context, v []footprint.View) error {
		got = append(got, v...)
		return nil
	}), clock.New(), quiet, footprint.RecorderConfig{Capacity: 2, FlushEvery: time.Hour})
	for p := range int64(5) { // not started: nothing drains the buffer
		rec.Record(1, p+1)
	}
	if rec.Dropped() != 3 {
		t.Fatalf("dropped %d, want 3", rec.Dropped())
	}
	rec.Start()
	if err := rec.Sync(context.Background()); err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || rec.Recorded() != 2 {
		t.Fatalf("saved %v, recorded %d", got, rec.Recorded())
	}
	if err := rec.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// Views of one footprint between flushes fold into one, the latest; a
// batch that fails is counted and the next one still goes.
func TestRecorderFoldsAndCountsFailures(t *testing.T) {
	clk := clock.New()
	start := time.Date(2026, 12, 6, 1, 0, 0, 0, time.UTC)
	var mu sync.Mutex
	var batches [][]footprint.View
	fail := true
	rec := footprint.NewRecorder(saverFunc(func(_ context.Context, v []footprint.View) error {
		mu.Lock()
		defer mu.Unlock()
		if fail {
			fail = false
			return errors.New("database down")
		}
		batches = append(batches, v)
		return nil
	}), clk, quiet, footprint.RecorderConfig{FlushEvery: time.Hour})
	rec.Start()
	defer rec.Stop(context.Background())
	rec.Record(1, 1)
	if err := rec.Sync(context.Background()); err != nil || rec.Failed() != 1 {
		t.Fatalf("failed %d (%v)", rec.Failed(), err)
	}
	for i := range 100 {
		clk.Set(func() time.Time { return start.Add(time.Duration(i) * time.Second) })
		rec.Record(1, 1)
	}
	rec.Record(2, 1)
	if err := rec.Sync(context.Background()); err != nil {
		t.Fatal(err)
	}
	if len(batches) != 1 || len(batches[0]) != 2 || rec.Recorded() != 101 {
		t.Fatalf("batches %v, recorded %d", batches, rec.Recorded())
	}
	for _, v := range batches[0] {
		if v.ShopperID == 1 && !v.At.Equal(start.Add(99*time.Second)) {
			t.Fatalf("folded to %v, want the latest view", v.At)
		}
	}
}

type fixture struct {
	db       *database.DB
	store    *footprint.Store
	clk      *clock.Clock
	shopper  int64
	products []int64
}

func newFixture(t *testing.T, products int) fixture {
	t.Helper()
	db := dbtest.Open(t)
	clk := clock.New()
	inv := inventory.New(db, clk)
	cat := catalog.New(db, inv, clk)
	f := fixture{db: db, store: footprint.NewStore(db, cat, clk), clk: clk, shopper: testkit.Shopper(t, db, "fp")}
	for range products {
		sku := testkit.SKU(t, db, inv, 100, 1)
		skus, err := cat.SKUsByID(context.Background(), []int64{sku}, false)
		testkit.Must(t, err)
		f.products = append(f.products, skus[sku].ProductID)
	}
	return f
}

// Batches written out of order never move a footprint back in time, and a
// batch bigger than one statement holds is split.
func TestStoreSave(t *testing.T) {
	f := newFixture(t, 2)
	ctx := context.Background()
	now := f.clk.Now()
	later, earlier := now.Add(-time.Minute), now.Add(-time.Hour)
	testkit.Must(t, f.store.Save(ctx, []footprint.View{{ShopperID: f.shopper, ProductID: f.products[0], At: later}}))
	testkit.Must(t, f.store.Save(ctx, []footprint.View{{ShopperID: f.shopper, ProductID: f.products[0], At: earlier},
		{ShopperID: f.shopper, ProductID: f.products[1], At: earlier}}))
	got, next, err := f.store.List(ctx, f.shopper, "", 10)
	testkit.Must(t, err)
	if len(got) != 2 || next != "" || got[0].Product.ID != f.products[0] || !got[0].ViewedAt.Equal(later.Truncate(time.Microsecond)) {
		t.Fatalf("list %+v", got)
	}

	// 1,200 shoppers viewing one product: three statements' worth.
	views := make([]footprint.View, 1200)
	for i := range views {
		views[i] = footprint.View{ShopperID: testkit.Shopper(t, f.db, "many-"+strconv.Itoa(i)), ProductID: f.products[1], At: now}
	}
	testkit.Must(t, f.store.Save(ctx, views))
	var n int64
	testkit.Must(t, f.db.Conn(ctx).Raw("SELECT COUNT(*) FROM footprints").Scan(&n).Error)
	if n != 1202 {
		t.Fatalf("%d footprints, want 1202", n)
	}
}

// Many handlers recording at once while the recorder flushes end with one
// row per footprint, nothing lost and nothing dropped (run with -race, on
// both databases).
func TestRecorderConcurrent(t *testing.T) {
	f := newFixture(t, 20)
	ctx := context.Background()
	rec := footprint.NewRecorder(f.store, f.clk, quiet, footprint.RecorderConfig{Capacity: 100_000, BatchSize: 7, FlushEvery: time.Millisecond})
	rec.Start()
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 500 {
				rec.Record(f.shopper, f.products[(g+i)%len(f.products)])
			}
		}()
	}
	wg.Wait()
	testkit.Must(t, rec.Stop(ctx))
	if rec.Recorded() != 4000 || rec.Dropped() != 0 || rec.Failed() != 0 {
		t.Fatalf("recorded %d, dropped %d, failed %d", rec.Recorded(), rec.Dropped(), rec.Failed())
	}
	got, _, err := f.store.List(ctx, f.shopper, "", 100)
	testkit.Must(t, err)
	if len(got) != 20 {
		t.Fatalf("%d footprints, want one per product (20)", len(got))
	}
}
