package payment

import (
	"context"
	"errors"
	"log/slog"

	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/i18n"
	"github.com/kaidian/kaidian/internal/order"
)

// ErrGiftCardOrder refuses to refund an order of gift cards as a whole.
var ErrGiftCardOrder = errs.Rule("gift_card_order_not_refundable", "payment.gift_card_order_not_refundable")

// GiftCards issues the cards a gift-card order bought (package giftcard
// implements it; the app wires it). It runs in the transaction that applies
// the payment, with the order's row locked, so a paid gift-card order never
// lacks its cards; a replayed notification is a duplicate before it gets
// here, and issuing twice for one order adds nothing anyway.
type GiftCards interface {
	// OrderPaid issues the cards of o if it is a gift-card order, without a
	// statement when it is not.
	OrderPaid(ctx context.Context, o order.Order) error
	// Refunded gives amount, the balance part of a refund of the order that
	// just succeeded, back to the shopper's balance (a refund entry), in the
	// transaction that records the refund's success — once per refund.
	Refunded(ctx context.Context, shopperID, orderID, amount int64) error
}

// noGiftCards is a shop wired without gift cards (tests of this package).
type noGiftCards struct{}

func (noGiftCards) OrderPaid(context.Context, order.Order) error { return nil }
func (noGiftCards) Refunded(context.Context, int64, int64, int64) error {
	return errors.New("payment: a refund has a gift-card balance part but no gift cards are wired")
}

// RefundGiftCard opens the refund of one unclaimed card of a paid
// gift-card order — amount, its price — in the caller's transaction (which
// marks the card refunded, so the card and its refund go together). Once
// that transaction commits the caller asks WeChat Pay with SubmitRefund;
// the refund sweep asks again if that fails. The usual limits hold: never
// more than the order has left to refund.
func (s *Service) RefundGiftCard(ctx context.Context, orderNo string, amount int64, actor string) (Refund, error) {
	return s.openRefund(ctx, RefundInput{OrderNo: orderNo, Amount: amount, Reason: i18n.M("record.wechat.refund_gift_card"),
		Actor: actor, giftCard: true}, nil)
}

// SubmitRefund asks WeChat Pay for a committed refund now, without failing
// the caller: the sweep retries whatever this does not finish.
func (s *Service) SubmitRefund(ctx context.Context, log *slog.Logger, id int64) {
	s.submitSoon(ctx, log, id)
}
