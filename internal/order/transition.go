package order

import (
	"context"
	"fmt"

	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/i18n"
	"github.com/kaidian/kaidian/internal/inventory"
)

// ErrInvalidTransition is returned when the state machine forbids a move, or
// the order moved on while the request was in flight.
var ErrInvalidTransition = errs.Conflict("invalid_transition", "order.invalid_transition")

// ActorSystem is the actor of transitions made by background jobs.
const ActorSystem = "system"

// move changes an order from one status to another with one guarded
// statement (only while it is still in `from`; the row count is checked), sets
// the timestamp column that goes with the new status, and logs the
// transition, inside the caller's transaction.
func (s *Service) move(ctx context.Context, o *Order, to Status, actor string, reason i18n.Msg) error {
	return s.moveWith(ctx, o, to, actor, reason, nil)
}

// moveWith is move that also sets the columns in also (overriding the
// timestamp move would set), in the same guarded statement.
func (s *Service) moveWith(ctx context.Context, o *Order, to Status, actor string, reason i18n.Msg, also map[string]any) error {
	if !CanMove(o.Status, to) {
		return ErrInvalidTransition.With("status", string(o.Status))
	}
	now := s.clock.Now()
	set := map[string]any{"status": to, "updated_at": now}
	switch to {
	case StatusPaid:
		set["paid_at"] = now
	case StatusShipped:
		set["shipped_at"] = now
	case StatusCompleted:
		set["completed_at"] = now
	case StatusClosed:
		set["closed_at"], set["close_reason"] = now, reason
	}
	for k, v := range also {
		set[k] = v
	}
	res := s.db.Conn(ctx).Model(&Order{}).Where("id = ? AND status = ?", o.ID, o.Status).Updates(set)
	if res.Error != nil {
		return fmt.Errorf("move order %s to %s: %w", o.OrderNo, to, res.Error)
	}
	if res.RowsAffected != 1 {
		return ErrInvalidTransition.With("status", "changed")
	}
	from := o.Status
	o.Status, o.UpdatedAt = to, now
	return s.logTransition(ctx, o.ID, from, to, actor, reason)
}

func (s *Service) logTransition(ctx context.Context, orderID int64, from, to Status, actor string, reason i18n.Msg) error {
	t := Transition{OrderID: orderID, From: from, To: to, Actor: actor, Reason: reason, CreatedAt: s.clock.Now()}
	if err := s.db.Conn(ctx).Create(&t).Error; err != nil {
		return fmt.Errorf("log transition: %w", err)
	}
	return nil
}

// close moves a pending order to closed, releases its stock (a flash
// order's units go back to its sale while the sale runs) and gives its
// coupon back to the shopper unused, in one transaction; the guarded move
// makes a second close (a racing cancel and expiry, or two replicas) fail
// instead of releasing twice.
func (s *Service) close(ctx context.Context, o *Order, actor string, reason i18n.Msg) error {
	reopened := false
	err := s.db.Tx(ctx, func(ctx context.Context) error {
		if err := s.move(ctx, o, StatusClosed, actor, reason); err != nil {
			return err
		}
		items, err := s.items(ctx, []int64{o.ID})
		if err != nil {
			return err
		}
		o.Items = items[o.ID]
		if o.GiftCardAmount > 0 { // once: only the move that closed it gets here
			if err := s.balances.Release(ctx, o.ShopperID, o.ID, o.GiftCardAmount); err != nil {
				return err
			}
		}
		if o.CouponID != nil {
			if _, err := s.coupons.Restore(ctx, o.ID); err != nil {
				return err
			}
		}
		if o.FlashSaleID != nil {
			var err error
			reopened, err = s.flash.Release(ctx, flashUnit(*o), actor, reason)
			return err
		}
		return s.inventory.Release(ctx, reservation(*o), inventory.Ref{Type: "order", ID: o.OrderNo}, actor, reason)
	})
	if reopened {
		s.desk.reopen(*o.FlashSaleID, o.Items[0].SKUID)
	}
	return err
}
