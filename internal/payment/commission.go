package payment

import "context"

// Commissions is the promoters' commission ledger as payments feed it
// (package commission implements it; the app wires it). Both calls run in
// the transaction that applies the payment or the refund, with the order's
// row locked, so a crash can never leave a paid order without its pending
// commission, or a refund without its reversal.
type Commissions interface {
	// OrderPaid credits the order's promoter, if it has one; calling it
	// again for the same order adds nothing.
	OrderPaid(ctx context.Context, orderID int64) error
	// Refunded brings the order's commission in line with a refund that
	// just succeeded (and was added to the order's refunded amount).
	Refunded(ctx context.Context, orderID, refundID int64) error
}

// noCommissions is the ledger of a shop wired without one (tests of this
// package): nothing to credit.
type noCommissions struct{}

func (noCommissions) OrderPaid(context.Context, int64) error       { return nil }
func (noCommissions) Refunded(context.Context, int64, int64) error { return nil }
