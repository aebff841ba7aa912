package payment

import (
	"context"

	"github.com/kaidian/kaidian/internal/errs"
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
}

// noGiftCards is a shop wired without gift cards (tests of this package).
type noGiftCards struct{}

func (noGiftCards) OrderPaid(context.Context, order.Order) error { return nil }
