package order

import (
	"context"
	"github.com/kaidian/kaidian/internal/database"
	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/i18n"
)

// Close reasons, shown on the order.
var (
	ReasonCancelled = i18n.M("record.order.cancelled_by_shopper")
	ReasonExpired   = i18n.M("record.order.payment_timeout")
)

// Errors of closing an unpaid order whose payment could not be closed first.
var (
	ErrPaidMeanwhile = errs.Conflict("order_paid", "order.just_paid")
	// ErrPaymentMismatch: WeChat Pay holds a payment for the order that does
	// not match it (another app, another amount). It is recorded and logged,
	// and the order stays open for the merchant to look at: money was taken.
	ErrPaymentMismatch = errs.Conflict("payment_mismatch",
		"order.payment_mismatch")
	ErrPayUnreachable = errs.New(errs.KindUnavailable, "wechatpay_unavailable",
		"order.close_unavailable")
)

// Cancel closes one of the shopper's unpaid orders and releases its stock,
// through the same path as every other close (closeUnpaid): WeChat's order
// is closed first, so the prepay the shopper already holds cannot revive it.
// If the shopper paid meanwhile the payment is applied and the answer is
// ErrPaidMeanwhile; if WeChat cannot be reached nothing is cancelled.
func (s *Service) Cancel(ctx context.Context, shopperID int64, orderNo string) (Order, error) {
	o, err := s.Get(ctx, shopperID, orderNo)
	if err != nil {
		return Order{}, err
	}
	if o.Status != StatusPendingPayment {
		return Order{}, ErrInvalidTransition.With("status", string(o.Status))
	}
	if err := s.closeUnpaid(ctx, &o, shopperActor(shopperID), ReasonCancelled); err != nil {
		return Order{}, err
	}
	s.metrics.OrdersClosed.WithLabelValues("cancelled").Inc()
	return s.Get(ctx, shopperID, orderNo)
}

// closeUnpaid is the one way an unpaid order closes (the shopper's cancel,
// the merchant's, the expiry). The payment side closes WeChat's order first,
// outside any transaction, so no payment can land after the stock and
// coupon went back; only then is the order closed here. A payment WeChat
// already took is applied instead (ErrPaidMeanwhile), and when WeChat
// cannot be reached nothing is closed (ErrPayUnreachable): closing anyway
// would leave a payable order at WeChat for a closed one here.
func (s *Service) closeUnpaid(ctx context.Context, o *Order, actor string, reason i18n.Msg) error {
	if s.payments != nil {
		paid, err := s.payments.CloseUnpaid(ctx, *o)
		switch {
		case errs.Is(err, ErrPaymentMismatch.Code):
			return err
		case err != nil:
			return errs.Wrap(ErrPayUnreachable, err)
		}
		if paid {
			return ErrPaidMeanwhile
		}
	}
	if err := s.close(ctx, o, actor, reason); err != nil {
		return err
	}
	if s.payments != nil {
		// A pay call racing this close either sees the order closed when it
		// checks after its prepay (and closes WeChat's order itself), or its
		// prepay reached WeChat before this second close, which closes it.
		s.payments.CloseAgain(ctx, *o)
	}
	return nil
}

// ConfirmReceipt completes one of the shopper's shipped orders.
func (s *Service) ConfirmReceipt(ctx context.Context, shopperID int64, orderNo string) (Order, error) {
	o, err := s.Get(ctx, shopperID, orderNo)
	if err != nil {
		return Order{}, err
	}
	if err := s.db.Tx(ctx, func(ctx context.Context) error {
		return s.move(ctx, &o, StatusCompleted, shopperActor(shopperID), i18n.M("record.order.receipt_confirmed"))
	}); err != nil {
		return Order{}, err
	}
	return s.Get(ctx, shopperID, orderNo)
}

// Expire closes an unpaid order whose payment deadline has passed and
// releases its stock. It is what the expiry job runs, and it is safe to run
// any number of times, on any replica: an order that is paid, already closed
// or not yet due is left alone. It closes through closeUnpaid like a
// cancel: a payment found meanwhile is applied instead, and when WeChat
// cannot be reached the error makes the job try again later.
func (s *Service) Expire(ctx context.Context, orderNo string) (closed bool, err error) {
	var o Order
	err = s.db.Conn(ctx).Where("order_no = ?", orderNo).Take(&o).Error
	if database.IsNotFound(err) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if o.Status != StatusPendingPayment || s.clock.Now().Before(o.ExpiresAt) {
		return false, nil
	}
	err = s.closeUnpaid(ctx, &o, ActorSystem, ReasonExpired)
	switch {
	case errs.Is(err, ErrPaidMeanwhile.Code):
		return false, nil // the payment was applied instead
	case errs.Is(err, ErrInvalidTransition.Code):
		return false, nil // someone else (a cancel, a payment, another replica) got there first
	case err != nil:
		return false, err
	}
	s.metrics.OrdersClosed.WithLabelValues("expired").Inc()
	return true, nil
}

// DueForExpiry lists the numbers of unpaid orders past their deadline, oldest
// first, for the sweeper that enqueues expiry jobs.
func (s *Service) DueForExpiry(ctx context.Context, limit int) ([]string, error) {
	var nos []string
	err := s.db.Conn(ctx).Model(&Order{}).
		Where("status = ? AND expires_at <= ?", StatusPendingPayment, s.clock.Now()).
		Order("expires_at").Limit(limit).Pluck("order_no", &nos).Error
	return nos, err
}
