package commission

import (
	"context"
	"fmt"
	"time"

	"github.com/kaidian/kaidian/internal/payment"
)

// settleBatch is how many orders with pending commission one look reads.
const settleBatch = 500

// SettleDue settles the pending commission of every order whose after-sale
// window is over (it completed at least the shop's settle days ago) and
// that has no refund still processing: per line, a settlement entry takes
// the line's pending amount out of pending and another puts it in settled.
// Each order is settled in its own transaction under its row lock, the lock
// payments and refunds take, so a refund racing settlement is decided
// either before it (a reversal) or after it (a clawback), never both or
// neither. It returns how many orders it settled; running it twice, or on
// two replicas at once, settles nothing twice.
func (s *Service) SettleDue(ctx context.Context) (int, error) {
	days, err := s.settings.CommissionSettleDays(ctx)
	if err != nil {
		return 0, err
	}
	cutoff := s.clock.Now().Add(-time.Duration(days) * 24 * time.Hour)
	settled := 0
	for after := int64(0); ; {
		var ids []int64
		err := s.db.Conn(ctx).Model(&Entry{}).Where("state = ? AND order_id > ?", StatePending, after).
			Group("order_id").Having("SUM(amount) <> 0").Order("order_id").Limit(settleBatch).Pluck("order_id", &ids).Error
		if err != nil {
			return settled, fmt.Errorf("orders with pending commission: %w", err)
		}
		if len(ids) == 0 {
			return settled, nil
		}
		after = ids[len(ids)-1]
		due, err := s.orders.CompletedBefore(ctx, ids, cutoff)
		if err != nil {
			return settled, err
		}
		for _, id := range due {
			ok, err := s.settleOrder(ctx, id)
			if err != nil {
				return settled, fmt.Errorf("settle commission of order %d: %w", id, err)
			}
			if ok {
				settled++
			}
		}
		if len(ids) < settleBatch {
			return settled, nil
		}
	}
}

// settleOrder settles one order's pending commission, unless a refund of it
// is still processing (it would reverse pending money once it succeeds).
func (s *Service) settleOrder(ctx context.Context, orderID int64) (bool, error) {
	done := false
	err := s.db.Tx(ctx, func(ctx context.Context) error {
		if err := s.orders.LockByID(ctx, orderID); err != nil {
			return err
		}
		refunds, err := s.payments.Refunds(ctx, orderID)
		if err != nil {
			return err
		}
		for _, r := range refunds {
			if r.Status == payment.RefundProcessing {
				return nil
			}
		}
		lines, err := s.lineTotals(ctx, orderID)
		if err != nil {
			return err
		}
		var es []Entry
		for item, t := range lines {
			if t.pending == 0 {
				continue
			}
			es = append(es,
				Entry{PromoterID: t.promoterID, State: StatePending, Kind: KindSettlement, Amount: -t.pending, OrderID: ptr(orderID), OrderItemID: ptr(item)},
				Entry{PromoterID: t.promoterID, State: StateSettled, Kind: KindSettlement, Amount: t.pending, OrderID: ptr(orderID), OrderItemID: ptr(item)})
		}
		done = len(es) > 0
		return s.write(ctx, es)
	})
	return done, err
}
