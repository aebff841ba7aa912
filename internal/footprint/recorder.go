package footprint

import (
	"context"
	"log/slog"
	"time"

	"github.com/kaidian/kaidian/internal/batch"
	"github.com/kaidian/kaidian/internal/clock"
)

// Recorder takes views from request handlers without touching the
// database (a batch.Batcher): Record puts the view in a bounded buffer and
// returns at once; one goroutine drains the buffer, folds views of the same
// footprint together, and writes them with Store.Save every FlushEvery
// (sooner when BatchSize distinct footprints wait): one multi-row upsert a
// second however many views came in. When the buffer is full (the database
// slower than the views for a while), a view is dropped and counted, never
// waited for: a footprint is worth less than the page.
//
// What a crash can lose: the views not yet written, at most about
// FlushEvery's worth (and at most Capacity plus BatchSize footprints); a
// clean shutdown (Stop) writes them.
type Recorder struct {
	b     *batch.Batcher[View, viewKey]
	clock *clock.Clock
}

type saver interface {
	Save(ctx context.Context, views []View) error
}

// RecorderConfig sizes a Recorder.
type RecorderConfig struct {
	Capacity   int           // views the buffer holds (default 8,192)
	BatchSize  int           // distinct footprints per flush at most (default 1,000)
	FlushEvery time.Duration // longest a view waits for its flush (default 1 s)
}

// NewRecorder builds a recorder that saves through store, timing views by
// clk; call Start.
func NewRecorder(store saver, clk *clock.Clock, log *slog.Logger, cfg RecorderConfig) *Recorder {
	fold := &batch.Fold[View, viewKey]{
		// Arithmetic, not day()'s formatting: this runs for every view.
		Key: func(v View) viewKey { return viewKey{v.ShopperID, v.ProductID, (v.At.Unix() + chinaOffset) / 86400} },
		Merge: func(old, v View) View {
			if v.At.After(old.At) {
				return v
			}
			return old
		},
	}
	return &Recorder{clock: clk, b: batch.New(store.Save, fold, log, batch.Config{Name: "footprints",
		Capacity: cfg.Capacity, BatchSize: cfg.BatchSize, FlushEvery: cfg.FlushEvery})}
}

// Record queues the shopper's view of the product, now; it never blocks. A
// nil Recorder records nothing (footprints turned off).
func (r *Recorder) Record(shopperID, productID int64) {
	if r == nil {
		return
	}
	r.b.Offer(View{ShopperID: shopperID, ProductID: productID, At: r.clock.Now()})
}

// Start runs the flushing goroutine until Stop.
func (r *Recorder) Start() {
	if r != nil {
		r.b.Start()
	}
}

// Stop flushes what is buffered and ends the goroutine, waiting at most
// until ctx ends. Views recorded after Stop stay in the buffer, unsaved.
func (r *Recorder) Stop(ctx context.Context) error {
	if r == nil {
		return nil
	}
	return r.b.Stop(ctx)
}

// Sync saves every view recorded before it was called, and returns once
// they are saved (or failed), or when ctx ends: for tests, and for a
// caller that must read its own footprints at once.
func (r *Recorder) Sync(ctx context.Context) error {
	if r == nil {
		return nil
	}
	return r.b.Sync(ctx)
}

// Recorded counts views saved.
func (r *Recorder) Recorded() int64 { return r.b.Saved() }

// Dropped counts views dropped because the buffer was full.
func (r *Recorder) Dropped() int64 { return r.b.Dropped() }

// Failed counts views lost because their batch could not be saved.
func (r *Recorder) Failed() int64 { return r.b.Failed() }

// viewKey is what one footprint row stands for; views with the same key
// between two flushes fold into one, the latest, before they reach the
// database. A shopper scrolling back and forth over a few products costs
// one row each per flush, not one per view.
type viewKey struct {
	shopper, product, day int64 // day: days since 1970-01-01 in Beijing time
}

// chinaOffset is Beijing time's offset from UTC in seconds (no daylight saving).
const chinaOffset = 8 * 3600
