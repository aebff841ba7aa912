package order

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/kaidian/kaidian/internal/flashsale"
	"github.com/kaidian/kaidian/internal/setting"
)

// desk holds this replica's lanes, one per flash sale SKU being bought.
type desk struct {
	s      *Service
	mu     sync.Mutex
	lanes  map[laneKey]*lane
	closed bool // stopped: no lane starts and no request queues any more

	running sync.WaitGroup // the lanes' goroutines
	// overdue: Stop's deadline passed, so the lanes turn away what is still
	// queued instead of serving it.
	overdue atomic.Bool

	beforeBatch func() // tests: holds a lane as it starts serving a batch (nil: nothing)

	// The shop's settings (the shipping fee) as of shopAt: every batch of a
	// stampede needs them, and a second-old copy saves a query per batch.
	shopMu sync.Mutex
	shopAt time.Time
	shopV  setting.Shop
}

// shopTTL is how long the desk uses its copy of the shop's settings.
const shopTTL = time.Second

func (d *desk) shop(ctx context.Context) (setting.Shop, error) {
	d.shopMu.Lock()
	defer d.shopMu.Unlock()
	if time.Since(d.shopAt) < shopTTL {
		return d.shopV, nil
	}
	sh, err := d.s.settings.Get(ctx)
	if err != nil {
		return setting.Shop{}, err
	}
	d.shopV, d.shopAt = sh, time.Now()
	return sh, nil
}

type laneKey struct{ saleID, skuID int64 }

// lane queues the requests for one SKU of one sale; one goroutine serves them.
type lane struct {
	saleID, skuID int64
	queue         chan *flashRequest
	soldOut       atomic.Bool
	checkedAt     atomic.Int64 // unix nanoseconds of the last look at the database while sold out
}

func newDesk(s *Service) *desk {
	return &desk{s: s, lanes: map[laneKey]*lane{}}
}

// lane returns the lane for a sale's SKU, creating it (and its goroutine) on
// first use; nil once the desk has stopped.
func (d *desk) lane(saleID, skuID int64) *lane {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.laneLocked(saleID, skuID)
}

func (d *desk) laneLocked(saleID, skuID int64) *lane {
	if d.closed {
		return nil
	}
	k := laneKey{saleID, skuID}
	l := d.lanes[k]
	if l == nil {
		l = &lane{saleID: saleID, skuID: skuID, queue: make(chan *flashRequest, laneQueue)}
		d.lanes[k] = l
		d.running.Add(1) // under the lock, so never after Stop began waiting
		go d.run(l)
	}
	return l
}

// submit queues a request, false when the lane is full or the desk stopped.
// It holds the desk's lock so a lane never retires with a request just put
// in its queue (a lane that retired since it was looked up is replaced by a
// fresh one) and no request is sent on a queue Stop closed.
func (d *desk) submit(r *flashRequest, saleID, skuID int64) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	l := d.laneLocked(saleID, skuID)
	if l == nil {
		return false
	}
	select {
	case l.queue <- r:
		return true
	default:
		return false
	}
}

// run serves a lane: it takes whatever queued while the previous batch was
// being committed (no waiting to fill a batch, so a lone shopper is served
// at once). It retires after laneIdle without requests, and ends once Stop
// closed its queue and everything queued has been answered.
func (d *desk) run(l *lane) {
	defer d.running.Done()
	idle := time.NewTimer(laneIdle)
	defer idle.Stop()
	var again []*flashRequest
	for {
		batch := again
		if len(batch) == 0 {
			select {
			case r, ok := <-l.queue:
				if !ok {
					return // stopped, and nothing is left to answer
				}
				batch = append(batch, r)
			case <-idle.C:
				if d.retire(l) {
					return
				}
				idle.Reset(laneIdle)
				continue
			}
		}
	drain:
		for len(batch) < maxBatch {
			select {
			case r, ok := <-l.queue:
				if !ok {
					break drain
				}
				batch = append(batch, r)
			default:
				break drain
			}
		}
		if d.overdue.Load() {
			answerAll(batch, flashResult{err: ErrBusy.With("retry_after", 1)}) // nothing of it was written
			again = nil
			continue
		}
		if d.beforeBatch != nil {
			d.beforeBatch()
		}
		// Not in the requests' contexts: a batch serves many shoppers, and a
		// context that can end costs the drivers a goroutine per statement.
		again = d.s.serveBatch(context.Background(), l, batch)
		idle.Reset(laneIdle)
	}
}

// retire removes an idle lane unless a request arrived meanwhile.
func (d *desk) retire(l *lane) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	if len(l.queue) > 0 {
		return false
	}
	delete(d.lanes, laneKey{l.saleID, l.skuID})
	return true
}

// Stop stops the flash sale desk, for shutting down: requests arriving from
// now on are turned away (ErrBusy) and Stop waits until the lanes have
// served everything queued. If ctx ends first, each lane finishes the batch
// it is committing and turns away (busy) what is still queued, unserved.
// Either way, when Stop returns every request has its answer and no lane's
// goroutine is left; it returns ctx's error if requests were turned away.
func (s *Service) Stop(ctx context.Context) error { return s.desk.stop(ctx) }

func (d *desk) stopped() bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.closed
}

func (d *desk) stop(ctx context.Context) error {
	d.mu.Lock()
	if !d.closed {
		d.closed = true
		for _, l := range d.lanes {
			close(l.queue) // the lane drains it and ends
		}
	}
	d.mu.Unlock()
	done := make(chan struct{})
	go func() {
		d.running.Wait()
		close(done)
	}()
	select {
	case <-done: // first, so a deadline already past does not turn away what was served
		return nil
	default:
	}
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		d.overdue.Store(true)
		<-done
		return ctx.Err()
	}
}

// reopen clears a lane's sold-out mark: an order of this sale closed here
// and its units are buyable again.
func (d *desk) reopen(saleID, skuID int64) {
	d.mu.Lock()
	l := d.lanes[laneKey{saleID, skuID}]
	d.mu.Unlock()
	if l != nil {
		l.soldOut.Store(false)
	}
}

func (l *lane) markSoldOut() {
	l.checkedAt.Store(time.Now().UnixNano())
	l.soldOut.Store(true)
}

// stillSoldOut answers from memory while the lane is marked sold out; at
// most every soldOutRecheck one caller reads the units left (a read, never a
// write) in case an order closed on another replica and gave units back.
func (l *lane) stillSoldOut(ctx context.Context, flash *flashsale.Service) bool {
	if !l.soldOut.Load() {
		return false
	}
	last := l.checkedAt.Load()
	now := time.Now().UnixNano()
	if time.Duration(now-last) < soldOutRecheck || !l.checkedAt.CompareAndSwap(last, now) {
		return true
	}
	left, err := flash.Available(ctx, l.saleID, l.skuID)
	if err != nil || left == 0 {
		return true
	}
	l.soldOut.Store(false)
	return false
}
