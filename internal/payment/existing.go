package payment

import (
	"context"
	"errors"
	"log/slog"

	"github.com/kaidian/kaidian/internal/errs"
)

// ErrTradeExists is a Gateway's answer to opening a payment WeChat Pay
// already holds under the order's number and will not reopen: paid, closed,
// or opened with other details (OUT_TRADE_NO_USED, which the live API
// answers as INVALID_REQUEST "201 商户订单号重复", also after a close).
var ErrTradeExists = errors.New("payment: WeChat Pay already holds this order number")

// Errors of paying an order WeChat Pay already holds.
var (
	ErrOrderPaid = errs.Conflict("order_paid", "payment.order_paid")
	// ErrPaymentConflict: WeChat's order under this number is unpaid but was
	// opened with other details (e.g. the shop's notification address
	// changed since), so it cannot be reopened; the shopper orders again.
	ErrPaymentConflict = errs.Conflict("order_payment_conflict",
		"payment.order_conflict")
)

// settleExisting decides what Pay answers when WeChat Pay refuses to open a
// payment because it holds the order number already, by asking WeChat what
// became of that order: whatever the refusal said (its codes differ between
// the documentation and the live API), the query is what WeChat knows. A
// payment found is applied as a notification would be (the shopper paid and
// the notification is late or lost) and answered order_paid; a closed order
// is not payable; an unpaid one opened with other details is a conflict.
func (s *Service) settleExisting(ctx context.Context, orderNo string, refusal error) error {
	tx, err := s.gateway.Query(ctx, orderNo)
	if err != nil {
		return errs.Wrap(ErrUnavailable, errors.Join(refusal, err))
	}
	switch {
	case tookMoney(tx.TradeState):
		tx.NotifyID, tx.EventType = "QUERY-"+tx.TransactionID, "QUERY"
		outcome, err := s.ApplyNotification(ctx, slog.Default(), tx)
		switch {
		case err != nil:
			return err
		case outcome == OutcomeApplied || outcome == OutcomeDuplicate:
			return ErrOrderPaid
		}
		// mismatch (logged by ApplyNotification) or refunding: not this order's payment to keep
		return ErrNotPayable.With("wechatpay", tx.TradeState)
	case tx.TradeState == "NOTPAY" || tx.TradeState == "USERPAYING":
		slog.Default().Warn("WeChat Pay holds this unpaid order with other details; it cannot be paid",
			"out_trade_no", orderNo, "error", refusal.Error())
		return ErrPaymentConflict
	}
	return ErrNotPayable.With("wechatpay", tx.TradeState) // CLOSED, REVOKED, PAYERROR
}
