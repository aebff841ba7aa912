package order

import (
	"context"

	"github.com/kaidian/kaidian/internal/i18n"
)

// ReasonCancelledByMerchant is shown on orders the shop cancelled.
var ReasonCancelledByMerchant = i18n.M("record.order.cancelled_by_merchant")

// CancelUnpaid closes an unpaid order for the merchant and releases its
// stock, through the same close path as the shopper's cancel and the expiry
// (closeUnpaid): WeChat's order is closed first; if the money arrived
// meanwhile the payment is applied and ErrPaidMeanwhile answered, and if
// WeChat cannot be reached nothing is cancelled (ErrPayUnreachable).
func (s *Service) CancelUnpaid(ctx context.Context, actor, orderNo string) (Order, error) {
	o, err := s.ByNo(ctx, orderNo)
	if err != nil {
		return Order{}, err
	}
	if o.Status != StatusPendingPayment {
		return Order{}, ErrInvalidTransition.With("status", string(o.Status))
	}
	if err := s.closeUnpaid(ctx, &o, actor, ReasonCancelledByMerchant); err != nil {
		return Order{}, err
	}
	s.metrics.OrdersClosed.WithLabelValues("cancelled").Inc()
	return s.ByNo(ctx, orderNo)
}
