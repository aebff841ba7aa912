package footprint

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/kaidian/kaidian/internal/clock"
)

// Recorder takes views from request handlers without touching the
// database: Record puts the view in a bounded buffer and returns at once;
// one goroutine drains the buffer, folds views of the same footprint
// together, and writes them with Store.Save every FlushEvery (sooner when
// BatchSize distinct footprints wait): one multi-row upsert a second
// however many views came in. When the buffer is full (the database slower
// than the views for a while), a view is dropped and counted, never waited
// for: a footprint is worth less than the page.
//
// What a crash can lose: the views not yet written, at most about
// FlushEvery's worth (and at most Capacity plus BatchSize footprints); a
// clean shutdown (Stop) writes them.
type Recorder struct {
	store      saver
	clock      *clock.Clock
	log        *slog.Logger
	views      chan View
	batchSize  int
	flushEvery time.Duration

	recorded, dropped, failed atomic.Int64
	stop                      chan struct{}
	sync                      chan chan struct{}
	done                      chan struct{}
	startOnce, stopOnce       sync.Once
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
	if cfg.Capacity <= 0 {
		cfg.Capacity = 8192
	}
	if cfg.BatchSize <= 0 {
		cfg.BatchSize = 1000
	}
	if cfg.FlushEvery <= 0 {
		cfg.FlushEvery = time.Second
	}
	return &Recorder{store: store, clock: clk, log: log, views: make(chan View, cfg.Capacity), batchSize: cfg.BatchSize,
		flushEvery: cfg.FlushEvery, stop: make(chan struct{}), sync: make(chan chan struct{}), done: make(chan struct{})}
}

// Record queues the shopper's view of the product, now; it never blocks. A
// nil Recorder records nothing (footprints turned off).
func (r *Recorder) Record(shopperID, productID int64) {
	if r == nil {
		return
	}
	select {
	case r.views <- View{ShopperID: shopperID, ProductID: productID, At: r.clock.Now()}:
	default:
		r.dropped.Add(1)
	}
}

// Start runs the flushing goroutine until Stop.
func (r *Recorder) Start() {
	if r == nil {
		return
	}
	r.startOnce.Do(func() { go r.run() })
}

// Stop flushes what is buffered and ends the goroutine, waiting at most
// until ctx ends. Views recorded after Stop stay in the buffer, unsaved.
func (r *Recorder) Stop(ctx context.Context) error {
	if r == nil {
		return nil
	}
	r.Start() // a recorder never started still flushes what it holds
	r.stopOnce.Do(func() { close(r.stop) })
	select {
	case <-r.done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Sync saves every view recorded before it was called, and returns once
// they are saved (or failed), or when ctx ends: for tests, and for a
// caller that must read its own footprints at once.
func (r *Recorder) Sync(ctx context.Context) error {
	if r == nil {
		return nil
	}
	flushed := make(chan struct{})
	select {
	case r.sync <- flushed:
	case <-r.done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case <-flushed:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Recorded counts views saved.
func (r *Recorder) Recorded() int64 { return r.recorded.Load() }

// Dropped counts views dropped because the buffer was full.
func (r *Recorder) Dropped() int64 { return r.dropped.Load() }

// Failed counts views lost because their batch could not be saved.
func (r *Recorder) Failed() int64 { return r.failed.Load() }

func (r *Recorder) run() {
	defer close(r.done)
	p := pending{latest: make(map[viewKey]View, r.batchSize)}
	tick := time.NewTicker(r.flushEvery)
	defer tick.Stop()
	for {
		select {
		case v := <-r.views:
			r.add(&p, v)
		case <-tick.C:
			r.flush(&p)
		case flushed := <-r.sync:
			r.drain(&p)
			r.flush(&p)
			close(flushed)
		case <-r.stop:
			r.drain(&p)
			r.flush(&p)
			return
		}
	}
}

// viewKey is what one footprint row stands for; views with the same key
// between two flushes fold into one, the latest, before they reach the
// database. A shopper scrolling back and forth over a few products costs
// one row each per flush, not one per view.
type viewKey struct {
	shopper, product, day int64 // day: days since 1970-01-01 in Beijing time
}

// chinaOffset is Beijing time's offset from UTC in seconds (no daylight saving).
const chinaOffset = 8 * 3600

// pending is the views waiting for the next flush, folded by key, and how
// many views they stand for (to count them as saved or lost).
type pending struct {
	latest map[viewKey]View
	views  int64
}

// add folds v in, flushing when BatchSize distinct footprints wait.
func (r *Recorder) add(p *pending, v View) {
	// Arithmetic, not day()'s formatting: this runs for every view.
	k := viewKey{v.ShopperID, v.ProductID, (v.At.Unix() + chinaOffset) / 86400}
	if old, ok := p.latest[k]; !ok || v.At.After(old.At) {
		p.latest[k] = v
	}
	if p.views++; len(p.latest) >= r.batchSize {
		r.flush(p)
	}
}

// drain takes every view waiting in the buffer now.
func (r *Recorder) drain(p *pending) {
	for {
		select {
		case v := <-r.views:
			r.add(p, v)
		default:
			return
		}
	}
}

// flush saves what is pending and empties it. A failed batch is logged
// and counted, not retried: retrying would hold back the next views.
func (r *Recorder) flush(p *pending) {
	if len(p.latest) == 0 {
		return
	}
	batch := make([]View, 0, len(p.latest))
	for _, v := range p.latest {
		batch = append(batch, v)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := r.store.Save(ctx, batch); err != nil {
		r.failed.Add(p.views)
		r.log.Error("footprints not saved", "footprints", len(batch), "views", p.views, "error", err.Error())
	} else {
		r.recorded.Add(p.views)
	}
	clear(p.latest)
	p.views = 0
}
