package order

import (
	"context"

	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/i18n"
)

// Errors of shipping an order.
var (
	ErrNotShippable   = errs.Conflict("order_not_shippable", "order.not_shippable")
	ErrRefundedInFull = errs.Conflict("order_refunded", "order.refunded_in_full")
)

// Ship moves a paid order to shipped and logs note in its history, in the
// caller's transaction (or one of its own). The order's row is locked first,
// as refunds lock it, so check — the caller's look at refunds still in
// flight — sees every refund committed before it, and no refund can be
// opened until the shipment commits. An order refunded in full is refused.
func (s *Service) Ship(ctx context.Context, orderNo, actor string, note i18n.Msg, check func(context.Context, Order) error) (Order, error) {
	var o Order
	err := s.db.Tx(ctx, func(ctx context.Context) error {
		var err error
		if o, err = s.lockByNo(ctx, orderNo); err != nil {
			return err
		}
		switch {
		case o.Status != StatusPaid:
			return ErrNotShippable.With("status", string(o.Status))
		case o.Kind == KindGiftCard:
			return ErrGiftCardNotShippable
		case o.PaidTotal() > 0 && o.RefundedAmount >= o.PaidTotal():
			return ErrRefundedInFull
		}
		if check != nil {
			if err := check(ctx, o); err != nil {
				return err
			}
		}
		return s.move(ctx, &o, StatusShipped, actor, note)
	})
	return o, err
}
