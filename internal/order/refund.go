package order

import (
	"context"
	"fmt"

	"github.com/kaidian/kaidian/internal/database"
	"github.com/kaidian/kaidian/internal/i18n"
	"github.com/kaidian/kaidian/internal/inventory"
	"github.com/kaidian/kaidian/internal/money"
)

// LockForRefund reads the order with its lines and holds its row until the
// caller's transaction ends, so refunds of one order are decided one at a
// time against what the ones before them committed.
func (s *Service) LockForRefund(ctx context.Context, orderNo string) (Order, error) {
	o, err := s.lockByNo(ctx, orderNo)
	if err != nil {
		return Order{}, err
	}
	items, err := s.items(ctx, []int64{o.ID})
	o.Items = items[o.ID]
	return o, err
}

// LockByID holds the order's row until the caller's transaction ends, as
// LockForRefund does, for a caller that knows the order by id.
func (s *Service) LockByID(ctx context.Context, id int64) error {
	return s.db.LockRow(ctx, "orders", id)
}

// Ref is what a list kept by another package shows of an order.
type Ref struct {
	OrderNo   string `gorm:"column:order_no"`
	PayAmount int64  `gorm:"column:pay_amount"`
}

// Refs returns the number and paid amount of the orders ids names, by id.
func (s *Service) Refs(ctx context.Context, ids []int64) (map[int64]Ref, error) {
	var rows []struct {
		ID int64 `gorm:"column:id"`
		Ref
	}
	if err := s.db.Conn(ctx).Model(&Order{}).Select("id, order_no, pay_amount").Where("id IN ?", ids).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("order refs: %w", err)
	}
	out := make(map[int64]Ref, len(rows))
	for _, r := range rows {
		out[r.ID] = r.Ref
	}
	return out, nil
}

// ByID returns any order with its lines (for the payment side, which knows
// orders by id from its own rows).
func (s *Service) ByID(ctx context.Context, id int64) (Order, error) {
	var o Order
	err := s.db.Conn(ctx).Where("id = ?", id).Take(&o).Error
	return s.complete(ctx, o, err)
}

// ByNo returns any order by number with its lines (for reconciling with
// WeChat Pay, which knows orders by number only).
func (s *Service) ByNo(ctx context.Context, orderNo string) (Order, error) {
	var o Order
	err := s.db.Conn(ctx).Where("order_no = ?", orderNo).Take(&o).Error
	return s.complete(ctx, o, err)
}

// RecordRefund adds a refund that succeeded to the order's refunded amount
// and its history, and puts the given lines back on sale, in the caller's
// transaction. amount is the whole refund, its gift-card balance part
// included. The guard keeps the total at or under what was paid (WeChat Pay
// and the balance together), whatever the caller's bookkeeping says.
func (s *Service) RecordRefund(ctx context.Context, orderID, amount int64, restock []inventory.Line, ref inventory.Ref, actor string) error {
	return s.db.Tx(ctx, func(ctx context.Context) error {
		var o Order
		if err := s.db.Conn(ctx).Where("id = ?", orderID).Take(&o).Error; err != nil {
			return fmt.Errorf("refund order %d: %w", orderID, err)
		}
		res := s.db.Conn(ctx).Model(&Order{}).Where("id = ? AND refunded_amount + ? <= pay_amount + gift_card_amount", orderID, amount).
			Updates(map[string]any{"refunded_amount": database.Expr("refunded_amount + ?", amount), "updated_at": s.clock.Now()})
		if res.Error != nil {
			return fmt.Errorf("refund order %d: %w", orderID, res.Error)
		}
		if res.RowsAffected != 1 {
			return fmt.Errorf("refund order %s: %d fen would exceed what was paid", o.OrderNo, amount)
		}
		note := i18n.M("record.order.refunded", "amount", money.Yuan(amount), "refund", ref.ID, "restocked", len(restock) > 0)
		if len(restock) > 0 {
			if err := s.inventory.Restock(ctx, restock, ref, actor, i18n.M("record.stock.refund", "refund", ref.ID)); err != nil {
				return err
			}
		}
		return s.logTransition(ctx, o.ID, o.Status, o.Status, actor, note)
	})
}
