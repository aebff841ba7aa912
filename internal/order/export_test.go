package order

import (
	"context"
	"errors"

	"github.com/kaidian/kaidian/internal/i18n"
)

// InsertOrders runs insertOrders in a transaction of its own, each order
// remembering keys[i] (none for ""), for tests of the one insert path.
func (s *Service) InsertOrders(ctx context.Context, orders []Order, reason i18n.Msg, keys []string) ([]Order, error) {
	batch := make([]newOrder, len(orders))
	for i, o := range orders {
		batch[i] = newOrder{order: o, reason: reason}
		if keys[i] != "" {
			batch[i].key = &keyUse{shopperID: o.ShopperID, key: keys[i], hash: "h"}
		}
	}
	err := s.db.Tx(ctx, func(ctx context.Context) error { return s.insertOrders(ctx, batch) })
	out := make([]Order, len(batch))
	for i := range batch {
		out[i] = batch[i].order
	}
	return out, err
}

// NewPending is pending, for building test orders as every kind does.
var NewPending = pending

// Taken reports which sentinel an insert failure carries.
func Taken(err error) (number, key bool) {
	return errors.Is(err, errNumberTaken), errors.Is(err, errKeyTaken)
}

// Lanes is how many lanes the flash desk has.
func (s *Service) Lanes() int {
	s.desk.mu.Lock()
	defer s.desk.mu.Unlock()
	return len(s.desk.lanes)
}

// HoldBatches makes the desk's lanes call hold before each batch.
func (s *Service) HoldBatches(hold func()) { s.desk.beforeBatch = hold }

// Queued is how many requests wait in the desk's lanes.
func (s *Service) Queued() int {
	s.desk.mu.Lock()
	defer s.desk.mu.Unlock()
	n := 0
	for _, l := range s.desk.lanes {
		n += len(l.queue)
	}
	return n
}

// Overdue reports whether Stop's deadline passed.
func (s *Service) Overdue() bool { return s.desk.overdue.Load() }

// Stopping reports whether Stop was called.
func (s *Service) Stopping() bool { return s.desk.stopped() }
