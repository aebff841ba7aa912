package order

import (
	"context"
	"fmt"

	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/i18n"
	"github.com/kaidian/kaidian/internal/inventory"
	"github.com/kaidian/kaidian/internal/money"
)

// Paying with the gift-card balance (issue 17 §3). An order placed with
// use_gift_card_balance takes min(balance, pay amount) from the shopper's
// balance after coupons, and WeChat Pay is asked for the rest: never a
// charge under 1 fen, since the rest is either at least 1 fen or nothing.
//
// The balance is held at placement (a hold entry takes it off the
// balance, in the order's transaction, the balance row locked from the
// reading to the hold so concurrent checkouts queue and none overspends),
// spent when the order is paid (release + spend entries, in the payment's
// transaction), and released once when the order closes unpaid (in the
// close's guarded transaction). An order the balance covers entirely has
// nothing to pay WeChat: it is paid at once, in the very transaction that
// places it — its stock sold, its hold spent, its history saying the
// balance paid — so no state exists in which the balance is taken and the
// order is unpaid and unpayable.

// ActorGiftCard is who paid an order the gift-card balance covered.
const ActorGiftCard = "giftcard"

// UnfulfillableBalance: a payment for a closed order whose balance part
// went to other orders since.
const UnfulfillableBalance = "balance_spent"

// ErrBalanceInsufficient: the balance no longer covers what an order held.
var ErrBalanceInsufficient = errs.Conflict("gift_card_balance_insufficient", "giftcard.balance_insufficient")

// Balances is the shopper's gift-card balance as orders use it (package
// giftcard implements it; the app wires it). Every call runs in the
// caller's transaction.
type Balances interface {
	// Available is the shopper's balance; with lock, the balance row stays
	// locked until the transaction ends.
	Available(ctx context.Context, shopperID int64, lock bool) (int64, error)
	// Hold takes amount off the balance for the order (a hold entry);
	// ErrBalanceInsufficient when the balance is short.
	Hold(ctx context.Context, shopperID, orderID, amount int64) error
	// Spend turns the order's hold into a spend (paid).
	Spend(ctx context.Context, shopperID, orderID, amount int64) error
	// Release gives the order's hold back (closed unpaid).
	Release(ctx context.Context, shopperID, orderID, amount int64) error
}

// UseBalances wires the gift-card balance in after both services exist.
func (s *Service) UseBalances(b Balances) { s.balances = b }

// withBalance applies the shopper's balance to a priced order when asked:
// the balance pays min(balance, pay amount). When placing (lock), the
// balance row stays locked until the order's transaction ends.
func (s *Service) withBalance(ctx context.Context, shopperID int64, p Priced, use, lock bool) (Priced, error) {
	if !use || s.balances == nil {
		return p, nil
	}
	avail, err := s.balances.Available(ctx, shopperID, lock)
	if err != nil {
		return Priced{}, err
	}
	p.GiftCardAmount = min(avail, p.PayAmount)
	p.PayAmount -= p.GiftCardAmount
	return p, nil
}

// holdBalance records the order's balance part and holds it, in the
// order's transaction; an order the balance covers entirely is paid at once.
func (s *Service) holdBalance(ctx context.Context, o *Order) error {
	if o.GiftCardAmount == 0 {
		return nil
	}
	// The shared insert leaves the column at 0: it is set here.
	if err := s.db.Conn(ctx).Exec("UPDATE orders SET gift_card_amount = ? WHERE id = ?", o.GiftCardAmount, o.ID).Error; err != nil {
		return fmt.Errorf("record gift-card amount: %w", err)
	}
	return s.balances.Hold(ctx, o.ShopperID, o.ID, o.GiftCardAmount)
}

// paidByBalance marks an order the balance covered entirely as paid, after
// its stock was reserved, in the order's transaction.
func (s *Service) paidByBalance(ctx context.Context, o *Order) error {
	if o.PayAmount != 0 || o.GiftCardAmount == 0 {
		return nil
	}
	now := s.clock.Now().UTC()
	reason := i18n.M("record.order.paid_by_balance", "amount", money.Yuan(o.GiftCardAmount))
	if err := s.moveWith(ctx, o, StatusPaid, ActorGiftCard, reason, map[string]any{"paid_at": now}); err != nil {
		return err
	}
	o.PaidAt = &now
	// Paid like any order: the same step a WeChat Pay payment goes through
	// (commission, order_paid, …), given the order as stored with its lines,
	// as MarkPaid reads it, so every hook sees the same whichever way the
	// order was paid (e.g. what attribution wrote at placement).
	stored, err := s.lockWithLines(ctx, o.OrderNo)
	if err != nil {
		return err
	}
	if err := s.becamePaid(ctx, stored); err != nil {
		return err
	}
	return s.inventory.Sell(ctx, reservation(*o), inventory.Ref{Type: "order", ID: o.OrderNo}, ActorGiftCard)
}
