package giftcard

import (
	"context"
	"fmt"

	"github.com/kaidian/kaidian/internal/order"
)

// The balance as orders pay with it (order.Balances): a hold entry takes
// an order's part off the balance at placement; payment turns it into a
// spend (a release and a spend entry, the balance unmoved); a close gives
// it back (a release entry). Each call runs in the order's transaction.

// Ledger entry kinds of paying with the balance.
const (
	EntryHold    = "hold"    // −, placed
	EntrySpend   = "spend"   // −, paid (with a release of its hold)
	EntryRelease = "release" // +, the hold given back: paid, or closed unpaid
	EntryRefund  = "refund"  // +, the balance part of a refund of a paid order
)

var _ order.Balances = (*Service)(nil)

// Available is the shopper's balance; with lock, the balance row is held
// (PostgreSQL; a SQLite transaction holds the write lock from its start)
// until the transaction ends, so concurrent checkouts read it one at a time.
func (s *Service) Available(ctx context.Context, shopperID int64, lock bool) (int64, error) {
	q := "SELECT balance FROM gift_card_balances WHERE shopper_id = ?"
	if lock {
		q += s.db.LockSQL()
	}
	var b []int64
	if err := s.db.Conn(ctx).Raw(q, shopperID).Scan(&b).Error; err != nil {
		return 0, fmt.Errorf("read gift-card balance: %w", err)
	}
	if len(b) == 0 {
		return 0, nil
	}
	return b[0], nil
}

// Hold takes amount off the balance for the order: one guarded update that
// never takes the balance below zero, and a hold entry.
func (s *Service) Hold(ctx context.Context, shopperID, orderID, amount int64) error {
	now := s.clock.Now()
	res := s.db.Conn(ctx).Exec("UPDATE gift_card_balances SET balance = balance - ?, updated_at = ? WHERE shopper_id = ? AND balance >= ?",
		amount, now, shopperID, amount)
	switch {
	case res.Error != nil:
		return fmt.Errorf("hold gift-card balance: %w", res.Error)
	case res.RowsAffected == 0:
		return order.ErrBalanceInsufficient.With("amount", amount)
	}
	if err := s.db.Conn(ctx).Create(&Entry{ShopperID: shopperID, Kind: EntryHold, Amount: -amount, OrderID: &orderID, CreatedAt: now}).Error; err != nil {
		return fmt.Errorf("add gift-card entry: %w", err)
	}
	return nil
}

// Spend turns the order's hold into a spend.
func (s *Service) Spend(ctx context.Context, shopperID, orderID, amount int64) error {
	now := s.clock.Now()
	es := []Entry{{ShopperID: shopperID, Kind: EntryRelease, Amount: amount, OrderID: &orderID, CreatedAt: now},
		{ShopperID: shopperID, Kind: EntrySpend, Amount: -amount, OrderID: &orderID, CreatedAt: now}}
	if err := s.db.Conn(ctx).Create(&es).Error; err != nil {
		return fmt.Errorf("add gift-card entries: %w", err)
	}
	return nil
}

// Release gives the order's hold back to the balance.
func (s *Service) Release(ctx context.Context, shopperID, orderID, amount int64) error {
	return s.credit(ctx, Entry{ShopperID: shopperID, Kind: EntryRelease, Amount: amount, OrderID: &orderID})
}

// Refunded gives the balance part of a refund that just succeeded back to
// the balance (payment.GiftCards), in the transaction that records the
// refund's success, which runs once per refund.
func (s *Service) Refunded(ctx context.Context, shopperID, orderID, amount int64) error {
	return s.credit(ctx, Entry{ShopperID: shopperID, Kind: EntryRefund, Amount: amount, OrderID: &orderID})
}
