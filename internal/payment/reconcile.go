package payment

import (
	"context"
	"errors"
	"time"

	"github.com/kaidian/kaidian/internal/order"
)

// Reconcile asks WeChat Pay about an unpaid order whose payment was opened,
// for when the shopper came back from paying but no notification arrived.
// A payment WeChat reports is applied through the same path as a
// notification. done=false means ask again later (after retryIn): the
// shopper may still be paying. Once the order is paid, or past its deadline
// (the expiry then queries and closes it) there is nothing to do.
//
// A closed order is checked until WeChat's order is closed too: a pay call
// whose prepay reached WeChat just after a close found nothing there to
// close leaves WeChat's order payable. Reconciliation closes it, and a
// payment it finds first is applied (revived or refunded in full, see
// order.MarkPaid) rather than resting on WeChat's notification alone.
func (s *Service) Reconcile(ctx context.Context, orderNo string, age time.Duration) (done bool, retryIn time.Duration, err error) {
	o, err := s.orders.Row(ctx, orderNo) // status and deadline: its lines and history are not needed
	if errors.Is(err, order.ErrNotFound) {
		return true, 0, nil
	}
	if err != nil {
		return false, 0, err
	}
	closed := o.Status == order.StatusClosed && o.TransactionID == ""
	if !closed && (o.Status != order.StatusPendingPayment || !s.clock.Now().Before(o.ExpiresAt)) {
		return true, 0, nil
	}
	tx, err := s.gateway.Query(ctx, orderNo)
	switch {
	case errors.Is(err, ErrNeverOpened):
		return true, 0, nil
	case err != nil:
		return false, 0, err
	case tookMoney(tx.TradeState):
		return true, 0, s.applyQueried(ctx, tx)
	case closed && (tx.TradeState == "NOTPAY" || tx.TradeState == "USERPAYING"):
		// Paid meanwhile (ErrAlreadyPaid) or closed: the next check sees which.
		if err := s.gateway.Close(ctx, orderNo); err != nil && !errors.Is(err, ErrAlreadyPaid) {
			return false, 0, err
		}
		return false, s.pollAfter, nil
	case tx.TradeState == "NOTPAY" || tx.TradeState == "USERPAYING":
		return false, s.backoff(age), nil
	}
	return true, 0, nil // CLOSED, PAYERROR, REVOKED: no money came
}
