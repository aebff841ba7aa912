package order

import (
	"context"
	"github.com/kaidian/kaidian/internal/database"
	"github.com/kaidian/kaidian/internal/errs"
)

// Close reasons, shown on the order.
const (
	ReasonCancelled = "cancelled by shopper"
	ReasonExpired   = "payment timeout"
)

// Cancel closes one of the shopper's unpaid orders at once and releases its stock.
func (s *Service) Cancel(ctx context.Context, shopperID int64, orderNo string) (Order, error) {
	o, err := s.Get(ctx, shopperID, orderNo)
	if err != nil {
		return Order{}, err
	}
	if o.Status != StatusPendingPayment {
		return Order{}, ErrInvalidTransition.With("status", string(o.Status))
	}
	if err := s.close(ctx, &o, shopperActor(shopperID), ReasonCancelled); err != nil {
		return Order{}, err
	}
	s.metrics.OrdersClosed.WithLabelValues("cancelled").Inc()
	return s.Get(ctx, shopperID, orderNo)
}

// ConfirmReceipt completes one of the shopper's shipped orders.
func (s *Service) ConfirmReceipt(ctx context.Context, shopperID int64, orderNo string) (Order, error) {
	o, err := s.Get(ctx, shopperID, orderNo)
	if err != nil {
		return Order{}, err
	}
	if err := s.db.Tx(ctx, func(ctx context.Context) error {
		return s.move(ctx, &o, StatusCompleted, shopperActor(shopperID), "receipt confirmed")
	}); err != nil {
		return Order{}, err
	}
	return s.Get(ctx, shopperID, orderNo)
}

// Expire closes an unpaid order whose payment deadline has passed and
// releases its stock. It is what the expiry job runs, and it is safe to run
// any number of times, on any replica: an order that is paid, already closed
// or not yet due is left alone. When a PaymentCloser is wired, the payment
// side is closed first, outside the transaction; if it reports the order was
// paid meanwhile, the order is left open for the payment flow.
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
	if s.payments != nil {
		paid, err := s.payments.CloseUnpaid(ctx, o)
		if err != nil || paid {
			return false, err
		}
	}
	err = s.close(ctx, &o, ActorSystem, ReasonExpired)
	if errs.Is(err, ErrInvalidTransition.Code) {
		return false, nil // someone else (a cancel, a payment, another replica) got there first
	}
	if err != nil {
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
