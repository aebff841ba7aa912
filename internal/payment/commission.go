package payment

import (
	"context"

	"github.com/kaidian/kaidian/internal/order"
)

// Commissions is the promoters' commission ledger as payments feed it
// (package commission implements it; the app wires it). Both calls run in
// the transaction that applies the payment or the refund, with the order's
// row locked, so a crash can never leave a paid order without its pending
// commission, or a refund without its reversal.
type Commissions interface {
	// OrderPaid credits the promoter of the order just paid (as MarkPaid
	// read it, with its lines), if it has one, without a statement when it
	// has none; calling it again for the same order adds nothing.
	OrderPaid(ctx context.Context, o order.Order) error
	// Refunded brings the order's commission in line with a refund that
	// just succeeded (and was added to the order's refunded amount).
	Refunded(ctx context.Context, orderID, refundID int64) error
}

// noCommissions is the ledger of a shop wired without one (tests of this
// package): nothing to credit.
type noCommissions struct{}

func (noCommissions) OrderPaid(context.Context, order.Order) error { return nil }
func (noCommissions) Refunded(context.Context, int64, int64) error { return nil }
