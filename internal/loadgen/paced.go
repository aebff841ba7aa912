package loadgen

import (
	"context"
	"sync/atomic"
	"time"
)

// drive runs send once per request of the timed part. Without a rate it
// is a closed loop: Concurrency workers each send the next request as soon
// as the last one answered, which finds the most the shop can serve. With
// Rate it is an open loop, as real shoppers are: request i is due at
// start + i/Rate whatever the shop is doing, one of Concurrency workers
// sends it, and its latency counts from when it was due. A shop that falls
// behind then shows it in the percentiles instead of quietly slowing the
// load down (the "coordinated omission" a closed loop suffers from).
// send answers the step the request is recorded under.
func (l *load) drive(ctx context.Context, b *budget, rec *recorder, send func(i int64) (string, answer)) {
	if l.o.Rate <= 0 {
		var seq atomic.Int64
		workers(l.o.Concurrency, func(int) {
			for ctx.Err() == nil && b.take(1) {
				rec.add(send(seq.Add(1)))
			}
		})
		return
	}
	type due struct {
		i  int64
		at time.Time
	}
	// A second of requests may wait for a worker; past that the schedule
	// blocks, and the requests it then sends late still count from when
	// they were due.
	queue := make(chan due, max(1, int(l.o.Rate)))
	go func() {
		defer close(queue)
		start := time.Now()
		interval := time.Duration(float64(time.Second) / l.o.Rate)
		for i := int64(1); ctx.Err() == nil && b.take(1); i++ {
			at := start.Add(time.Duration(i-1) * interval)
			if wait := time.Until(at); wait > 0 {
				if sleep(ctx, wait) != nil {
					return
				}
			}
			select {
			case queue <- due{i, at}:
			case <-ctx.Done():
				return
			}
		}
	}()
	workers(l.o.Concurrency, func(int) {
		for d := range queue {
			step, a := send(d.i)
			a.took = time.Since(d.at)
			rec.add(step, a)
		}
	})
}
