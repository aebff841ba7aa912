package payment

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/order"
)

// ErrNeverOpened is what a Gateway answers for an order WeChat Pay does not
// know; ErrAlreadyPaid is its answer to closing a paid one.
var (
	ErrNeverOpened = errors.New("payment: not known to WeChat Pay")
	ErrAlreadyPaid = errors.New("payment: already paid at WeChat Pay")
)

// CloseUnpaid is what every close of an unpaid order asks first
// (order.PaymentCloser): WeChat Pay is queried and its order closed, so no
// payment can land after our stock is released. If WeChat says the order
// was paid meanwhile (its notification lost or late), the payment is applied
// through the same path as a notification and paid=true keeps the order open.
// A payment that does not match the order (another app, another amount) is
// recorded and logged by that path but applies nothing: order's
// ErrPaymentMismatch, and the order stays open for a person to look at, as
// money was taken.
func (s *Service) CloseUnpaid(ctx context.Context, o order.Order) (paid bool, err error) {
	tx, err := s.gateway.Query(ctx, o.OrderNo)
	switch {
	case errors.Is(err, ErrNeverOpened):
		return false, nil // never prepaid: nothing to close at WeChat
	case err != nil:
		return false, err // WeChat unreachable: try again later rather than risk a late payment
	case tookMoney(tx.TradeState): // never close a paid order, refunded or not, as unpaid
		return s.applyFound(ctx, tx)
	case tx.TradeState == "CLOSED":
		return false, nil
	}
	err = s.gateway.Close(ctx, o.OrderNo)
	if errors.Is(err, ErrAlreadyPaid) {
		if tx, err = s.gateway.Query(ctx, o.OrderNo); err != nil {
			return false, err
		}
		return s.applyFound(ctx, tx)
	}
	if errors.Is(err, ErrNeverOpened) {
		return false, nil
	}
	return false, err
}

// CloseAgain closes WeChat's order once more after the order closed here
// (order.PaymentCloser): a pay call that read the order before the close
// may have opened it at WeChat after CloseUnpaid found nothing to close. An
// order never opened, or closed already, changes nothing; a payment that
// got in first is applied by its notification or the pay call's check, so
// errors are only logged.
func (s *Service) CloseAgain(ctx context.Context, o order.Order) {
	err := s.gateway.Close(ctx, o.OrderNo)
	if err != nil && !errors.Is(err, ErrNeverOpened) && !errors.Is(err, ErrAlreadyPaid) {
		slog.Default().Warn("closing the WeChat Pay order again after the order closed failed; its payment check will",
			"out_trade_no", o.OrderNo, "error", err.Error())
	}
}

// applyFound applies a payment a close found at WeChat: paid=true when the
// order is now paid (or was already), ErrPaymentMismatch when the payment
// could not be applied to it (order.ErrPaymentMismatch).
func (s *Service) applyFound(ctx context.Context, tx Transaction) (paid bool, err error) {
	tx.NotifyID, tx.EventType = "QUERY-"+tx.TransactionID, "QUERY"
	outcome, err := s.ApplyNotification(ctx, slog.Default(), tx)
	switch {
	case err != nil:
		return false, err
	case outcome == OutcomeApplied || outcome == OutcomeDuplicate:
		return true, nil
	}
	return false, errs.Wrap(order.ErrPaymentMismatch, fmt.Errorf("%s: out_trade_no %s, transaction %s", outcome, tx.OutTradeNo, tx.TransactionID))
}

// applyQueried applies a payment found by query as if it were notified; its
// record id is derived from the transaction, so it counts once however often
// it is found.
func (s *Service) applyQueried(ctx context.Context, tx Transaction) error {
	tx.NotifyID, tx.EventType = "QUERY-"+tx.TransactionID, "QUERY"
	_, err := s.ApplyNotification(ctx, slog.Default(), tx)
	return err
}
