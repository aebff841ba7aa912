package order

import (
	"context"

	"github.com/kaidian/kaidian/internal/errs"
)

// ReasonCancelledByMerchant is shown on orders the shop cancelled.
const ReasonCancelledByMerchant = "cancelled by merchant"

// Errors of cancelling from the console.
var (
	ErrPaidMeanwhile  = errs.Conflict("order_paid", "the shopper has just paid this order, so it was not cancelled")
	ErrPayUnreachable = errs.New(errs.KindUnavailable, "wechatpay_unavailable",
		"WeChat Pay could not be reached to close the payment; nothing was cancelled, try again")
)

// CancelUnpaid closes an unpaid order for the merchant and releases its
// stock, through the same close path as the shopper's cancel and the expiry.
// Like the expiry, it first closes the payment at WeChat (outside any
// transaction) so no payment can land after the stock went back; if the
// money arrived meanwhile the order stays for the payment flow to mark paid.
func (s *Service) CancelUnpaid(ctx context.Context, actor, orderNo string) (Order, error) {
	o, err := s.ByNo(ctx, orderNo)
	if err != nil {
		return Order{}, err
	}
	if o.Status != StatusPendingPayment {
		return Order{}, ErrInvalidTransition.With("status", string(o.Status))
	}
	if s.payments != nil {
		paid, err := s.payments.CloseUnpaid(ctx, o)
		if err != nil {
			return Order{}, errs.Wrap(ErrPayUnreachable, err)
		}
		if paid {
			return Order{}, ErrPaidMeanwhile
		}
	}
	if err := s.close(ctx, &o, actor, ReasonCancelledByMerchant); err != nil {
		return Order{}, err
	}
	s.metrics.OrdersClosed.WithLabelValues("cancelled").Inc()
	return s.ByNo(ctx, orderNo)
}
