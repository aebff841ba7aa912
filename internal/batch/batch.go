// Package batch takes small writes from request handlers without touching
// the database and saves them together off the request's path: Offer puts
// an item in a bounded buffer and returns at once; one goroutine drains the
// buffer, optionally folds items that stand for the same row, and saves
// them every FlushEvery (sooner when BatchSize rows wait) with one call.
// Footprints (product views) and visits are recorded this way.
package batch

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"
)

// Config sizes a Batcher.
type Config struct {
	Name       string        // what the items are, for the log ("footprints", "visits")
	Capacity   int           // items the buffer holds (default 8,192)
	BatchSize  int           // rows per save at most (default 1,000)
	FlushEvery time.Duration // longest an item waits for its save (default 1 s)
	// Retry keeps a batch whose save failed and saves it again on the next
	// tick, so nothing accepted is lost but in a crash. While Capacity rows
	// wait for a retry the buffer is no longer drained: it fills and Offer
	// refuses, which the caller answers as "try again later". Without Retry
	// a failed batch is counted (Failed) and dropped, so a database outage
	// never holds back what comes next.
	Retry bool
}

// Fold merges items that stand for the same row between two saves: Key
// names the row, Merge keeps what the row should say (the later of two
// views, say). Rows are counted against BatchSize after folding.
type Fold[T any, K comparable] struct {
	Key   func(T) K
	Merge func(old, new T) T
}

// Batcher buffers items of type T and saves them in batches; K is the key
// items fold by (struct{} when they do not fold).
type Batcher[T any, K comparable] struct {
	save       func(ctx context.Context, rows []T) error
	fold       *Fold[T, K]
	log        *slog.Logger
	cfg        Config
	items      chan T
	flushEvery time.Duration

	saved, dropped, failed atomic.Int64
	stop                   chan struct{}
	sync                   chan chan struct{}
	done                   chan struct{}
	startOnce, stopOnce    sync.Once
}

// New builds a batcher that saves through save; fold may be nil. Call Start.
func New[T any, K comparable](save func(ctx context.Context, rows []T) error, fold *Fold[T, K], log *slog.Logger, cfg Config) *Batcher[T, K] {
	if cfg.Capacity <= 0 {
		cfg.Capacity = 8192
	}
	if cfg.BatchSize <= 0 {
		cfg.BatchSize = 1000
	}
	if cfg.FlushEvery <= 0 {
		cfg.FlushEvery = time.Second
	}
	return &Batcher[T, K]{save: save, fold: fold, log: log, cfg: cfg, items: make(chan T, cfg.Capacity),
		flushEvery: cfg.FlushEvery, stop: make(chan struct{}), sync: make(chan chan struct{}), done: make(chan struct{})}
}

// Offer queues v and reports whether it was taken; it never blocks. A full
// buffer refuses v and counts it as dropped.
func (b *Batcher[T, K]) Offer(v T) bool {
	select {
	case b.items <- v:
		return true
	default:
		b.dropped.Add(1)
		return false
	}
}

// Start runs the saving goroutine until Stop.
func (b *Batcher[T, K]) Start() { b.startOnce.Do(func() { go b.run() }) }

// Stop saves what is buffered and ends the goroutine, waiting at most
// until ctx ends. Items offered after Stop stay in the buffer, unsaved.
func (b *Batcher[T, K]) Stop(ctx context.Context) error {
	b.Start() // a batcher never started still saves what it holds
	b.stopOnce.Do(func() { close(b.stop) })
	select {
	case <-b.done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Sync saves every item offered before it was called, and returns once
// they are saved (or failed), or when ctx ends: for tests, and for a
// caller that must read what it recorded at once.
func (b *Batcher[T, K]) Sync(ctx context.Context) error {
	flushed := make(chan struct{})
	select {
	case b.sync <- flushed:
	case <-b.done:
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

// Saved counts items saved (each folded item counts).
func (b *Batcher[T, K]) Saved() int64 { return b.saved.Load() }

// Dropped counts items refused because the buffer was full.
func (b *Batcher[T, K]) Dropped() int64 { return b.dropped.Load() }

// Failed counts items lost because their batch could not be saved (with
// Retry: only those still unsaved when Stop gave up).
func (b *Batcher[T, K]) Failed() int64 { return b.failed.Load() }

// pending is the rows waiting for the next save, and how many items they
// stand for (to count them as saved or lost).
type pending[T any, K comparable] struct {
	rows  []T
	at    map[K]int // row index by key, when folding
	items []int64   // items each row stands for
}

func (b *Batcher[T, K]) run() {
	defer close(b.done)
	p := &pending[T, K]{}
	if b.fold != nil {
		p.at = make(map[K]int, b.cfg.BatchSize)
	}
	tick := time.NewTicker(b.flushEvery)
	defer tick.Stop()
	retrying := false
	for {
		in := b.items
		if retrying && len(p.rows) >= b.cfg.Capacity {
			in = nil // hold the buffer: it fills and Offer refuses
		}
		select {
		case v := <-in:
			b.add(p, v)
			if len(p.rows) >= b.cfg.BatchSize && !retrying {
				retrying = !b.flush(p)
			}
		case <-tick.C:
			retrying = !b.flush(p)
		case flushed := <-b.sync:
			if !retrying || len(p.rows) < b.cfg.Capacity {
				b.drain(p)
			}
			retrying = !b.flush(p)
			close(flushed)
		case <-b.stop:
			b.drain(p)
			if !b.flush(p) {
				lost := int64(0)
				for _, n := range p.items {
					lost += n
				}
				b.failed.Add(lost)
				b.log.Error(b.cfg.Name+" lost at shutdown", "items", lost)
			}
			return
		}
	}
}

// add folds v in.
func (b *Batcher[T, K]) add(p *pending[T, K], v T) {
	if b.fold != nil {
		k := b.fold.Key(v)
		if i, ok := p.at[k]; ok {
			p.rows[i] = b.fold.Merge(p.rows[i], v)
			p.items[i]++
			return
		}
		p.at[k] = len(p.rows)
	}
	p.rows = append(p.rows, v)
	p.items = append(p.items, 1)
}

// drain takes every item waiting in the buffer now.
func (b *Batcher[T, K]) drain(p *pending[T, K]) {
	for {
		select {
		case v := <-b.items:
			b.add(p, v)
		default:
			return
		}
	}
}

// flush saves what is pending, BatchSize rows per call, and reports whether
// everything was saved. A failed batch is logged; without Retry it is
// counted and dropped, with Retry it stays pending (with what follows it)
// for the next tick.
func (b *Batcher[T, K]) flush(p *pending[T, K]) bool {
	for len(p.rows) > 0 {
		n := min(len(p.rows), b.cfg.BatchSize)
		var items int64
		for _, c := range p.items[:n] {
			items += c
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		err := b.save(ctx, p.rows[:n])
		cancel()
		if err != nil {
			b.log.Error(b.cfg.Name+" not saved", "rows", n, "items", items, "retry", b.cfg.Retry, "error", err.Error())
			if b.cfg.Retry {
				b.reindex(p)
				return false
			}
			b.failed.Add(items)
		} else {
			b.saved.Add(items)
		}
		p.rows, p.items = p.rows[n:], p.items[n:]
	}
	// Fresh slices, so the arrays of a large batch are not kept forever.
	p.rows, p.items = nil, nil
	if p.at != nil {
		clear(p.at)
	}
	return true
}

// reindex rebuilds the fold index after the front rows were saved.
func (b *Batcher[T, K]) reindex(p *pending[T, K]) {
	if p.at == nil {
		return
	}
	clear(p.at)
	for i, v := range p.rows {
		p.at[b.fold.Key(v)] = i
	}
}
