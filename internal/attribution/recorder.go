package attribution

import (
	"context"
	"log/slog"
	"time"
	"unicode/utf8"

	"github.com/kaidian/kaidian/internal/batch"
	"github.com/kaidian/kaidian/internal/errs"
)

// Limits of a reported visit.
const (
	MaxPathRunes = 200  // a mini-program page with its query
	MaxRawRunes  = 64   // a scene or ref longer than this is recorded cut, as unknown
	MinEntry     = 1000 // WeChat's launch scene numbers are 1001 and up
	MaxEntry     = 9999
)

// Visit is one launch of the mini program as it reports it.
type Visit struct {
	Scene string // a mini-program code's scene key, when launched from one
	Ref   string // a source reference the page's query carried ("channel:AB12CD", …)
	Path  string // the page opened
	Entry int    // WeChat's launch scene number: 1007 chat card, 1047 code scan, …
}

// validate checks what makes a report malformed. A scene or ref that names
// nothing is not malformed: it is recorded as an unknown source.
func (v Visit) validate() error {
	switch {
	case v.Path == "" || utf8.RuneCountInString(v.Path) > MaxPathRunes:
		return errs.Field("path", "invalid.length", "max", MaxPathRunes)
	case v.Entry < MinEntry || v.Entry > MaxEntry:
		return errs.Field("entry", "invalid.range", "min", MinEntry, "max", MaxEntry)
	}
	return nil
}

// event is a visit or a cart add waiting in the buffer.
type event struct {
	cart      bool  // a cart add (only shopperID and at matter)
	shopperID int64 // 0: not logged in
	visit     Visit
	at        time.Time
}

// RecorderConfig sizes the buffer.
type RecorderConfig struct {
	Capacity   int           // visits the buffer holds (default 65,536: about six seconds of the busiest load measured)
	BatchSize  int           // visits per transaction at most (default 5,000)
	FlushEvery time.Duration // default 1 s: what a crash can lose at most
}

// Recorder takes visits and cart adds from request handlers and saves them
// in batches off the request's path (batch.Batcher, with Retry): every
// FlushEvery one transaction writes the visits, the daily counts, the
// shoppers' touches and new bindings. A visit answered 2xx is in the
// buffer; it is lost only if the process dies before the next flush (at
// most FlushEvery's worth). A clean shutdown (Stop) saves what is
// buffered; a flush that fails is kept and tried again on the next tick,
// and while Capacity visits wait for it, Record answers ErrBusy (503)
// rather than accept what it might lose.
type Recorder struct {
	s *Service
	b *batch.Batcher[event, struct{}]
}

func newRecorder(s *Service, log *slog.Logger, cfg RecorderConfig) *Recorder {
	r := &Recorder{s: s}
	if cfg.Capacity <= 0 {
		cfg.Capacity = 1 << 16
	}
	if cfg.BatchSize <= 0 {
		cfg.BatchSize = 5000
	}
	r.b = batch.New(s.save, (*batch.Fold[event, struct{}])(nil), log, batch.Config{Name: "visits",
		Capacity: cfg.Capacity, BatchSize: cfg.BatchSize, FlushEvery: cfg.FlushEvery, Retry: true})
	return r
}

// Record queues a visit by shopperID (0 before login), now. It fails only
// on a malformed report (nothing is recorded) or when the buffer is full
// (ErrBusy); the source is resolved when the batch is saved.
func (r *Recorder) Record(shopperID int64, v Visit) error {
	if err := v.validate(); err != nil {
		return err
	}
	if !r.b.Offer(event{shopperID: shopperID, visit: v, at: r.s.clock.Now()}) {
		return ErrBusy
	}
	return nil
}

// CartAdded notes that the shopper added to the cart now, for the funnel;
// when the buffer is full it is not counted (the cart itself is saved).
func (r *Recorder) CartAdded(shopperID int64) {
	if r != nil {
		r.b.Offer(event{cart: true, shopperID: shopperID, at: r.s.clock.Now()})
	}
}

// Start runs the flushing goroutine until Stop.
func (r *Recorder) Start() { r.b.Start() }

// Stop saves what is buffered and ends the goroutine, waiting at most
// until ctx ends.
func (r *Recorder) Stop(ctx context.Context) error { return r.b.Stop(ctx) }

// Sync saves everything recorded before it was called: for tests, and for
// `kaidian load`'s check that nothing answered was lost.
func (r *Recorder) Sync(ctx context.Context) error { return r.b.Sync(ctx) }

// Saved counts visits and cart adds saved.
func (r *Recorder) Saved() int64 { return r.b.Saved() }

// Refused counts visits and cart adds refused because the buffer was full.
func (r *Recorder) Refused() int64 { return r.b.Dropped() }

// Lost counts what was accepted and never saved (a shutdown that could not
// reach the database).
func (r *Recorder) Lost() int64 { return r.b.Failed() }

// Recorded is a visit at a given time, for SaveVisits.
type Recorded struct {
	ShopperID int64 // 0: before login
	Visit     Visit
	At        time.Time
}

// SaveVisits saves visits at once, as one flush of the recorder would
// (`kaidian seed -visits` fills a shop's history with it). A malformed
// visit fails the whole call.
func (s *Service) SaveVisits(ctx context.Context, vs []Recorded) error {
	events := make([]event, len(vs))
	for i, v := range vs {
		if err := v.Visit.validate(); err != nil {
			return err
		}
		events[i] = event{shopperID: v.ShopperID, visit: v.Visit, at: v.At}
	}
	return s.save(ctx, events)
}
