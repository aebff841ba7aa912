package order

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/kaidian/kaidian/internal/database"
	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/flashsale"
	"github.com/kaidian/kaidian/internal/i18n"
	"github.com/kaidian/kaidian/internal/inventory"
)

// Payment is a confirmed payment from WeChat Pay for one order.
type Payment struct {
	OrderNo       string
	TransactionID string
	Amount        int64 // fen, what WeChat says was charged for the order
	PaidAt        time.Time
	// RefundedSince: WeChat found this payment only by query, in trade state
	// REFUND: some of it went back since, outside Kaidian (the merchant
	// platform). It is still applied, with a warning in the history, as
	// Kaidian does not know how much went back.
	RefundedSince bool
}

// Errors of recording a payment.
var (
	ErrAmountMismatch  = errs.Conflict("amount_mismatch", "order.amount_mismatch")
	ErrOtherPayment    = errs.Conflict("other_transaction", "order.other_transaction")
	ErrPaymentNotFound = errs.NotFound("order_not_found", "order.no_such_number")
)

// Paid is what recording a payment did.
type Paid struct {
	Order     Order
	Duplicate bool // this payment was already recorded; nothing changed
	Revived   bool // the order had closed; its stock, coupon and flash-sale share were taken again and it is paid
	// Unfulfillable: the order had closed and cannot be revived, for the
	// reason in Why. The payment is recorded on the still-closed order and
	// the caller must refund it in full.
	Unfulfillable bool
	Why           string // Unfulfillable* when Unfulfillable
}

// Why a payment for a closed order could not revive it (Paid.Why).
const (
	UnfulfillableSoldOut    = "sold_out"    // its units went to other orders
	UnfulfillableCouponUsed = "coupon_used" // its coupon went to another order
	UnfulfillableFlashLimit = "flash_limit" // the shopper's other orders hold the flash sale's per-shopper limit
)

// unfulfillableNotes say in the order's history why it was not revived.
var unfulfillableNotes = map[string]i18n.Msg{
	UnfulfillableSoldOut:    i18n.M("record.order.unfulfillable_sold_out"),
	UnfulfillableCouponUsed: i18n.M("record.order.unfulfillable_coupon_used"),
	UnfulfillableFlashLimit: i18n.M("record.order.unfulfillable_flash_limit"),
	UnfulfillableBalance:    i18n.M("record.order.unfulfillable_balance"),
}

// errNotRevived undoes a revival that a rule refused (see revive).
var errNotRevived = errors.New("order: not revived")

// MarkPaid records a payment: the order moves from pending_payment to paid
// with WeChat's transaction id and time, and its reserved stock becomes
// sold, in one transaction. The same payment again is a no-op
// (Duplicate), so notifications and reconciliation can both call it any
// number of times. A different amount is refused and changes nothing.
//
// A payment for an order that already closed is never dropped: if every
// rule its close gave back still holds (its stock, its coupon unused by any
// other order, the flash sale's per-shopper limit) the order is revived as
// paid; otherwise the payment is recorded on the closed order
// (Unfulfillable, with Why) for the caller to refund in full.
func (s *Service) MarkPaid(ctx context.Context, p Payment) (res Paid, err error) {
	err = s.db.Tx(ctx, func(ctx context.Context) error {
		fromStock := false
		// The lines come with the locked row, in the same statement.
		o, err := s.lockWithLines(ctx, p.OrderNo)
		if err != nil {
			return err
		}
		res.Order = o
		switch {
		case o.TransactionID == p.TransactionID && o.TransactionID != "":
			res.Duplicate = true
			return nil
		case o.TransactionID != "":
			return ErrOtherPayment.With("order_no", o.OrderNo)
		case p.Amount != o.PayAmount:
			return ErrAmountMismatch.With("order_no", o.OrderNo).With("paid", p.Amount).With("expected", o.PayAmount)
		}
		paidAt := p.PaidAt.UTC()
		if o.Status == StatusClosed {
			// The money came after the order closed and gave back its stock,
			// its coupon and its share of a flash sale's limit.
			why, fs, err := s.revive(ctx, o)
			if err != nil {
				return err
			}
			if why != "" {
				res.Unfulfillable, res.Why = true, why
				if err := s.recordTransaction(ctx, &o, p.TransactionID, paidAt); err != nil {
					return err
				}
				res.Order = o
				return s.logTransition(ctx, o.ID, StatusClosed, StatusClosed, ActorWeChatPay,
					i18n.M("record.order.paid_unfulfillable", "why", unfulfillableNotes[why], "transaction", p.TransactionID))
			}
			fromStock, res.Revived = fs, true
		}
		reason := i18n.M("record.order.paid", "transaction", p.TransactionID, "revived", res.Revived, "refunded_since", p.RefundedSince)
		// The transaction id and WeChat's payment time go in the same
		// guarded update that moves the order to paid.
		if err := s.moveWith(ctx, &o, StatusPaid, ActorWeChatPay, reason,
			map[string]any{"transaction_id": p.TransactionID, "paid_at": paidAt}); err != nil {
			return err
		}
		o.TransactionID, o.PaidAt = p.TransactionID, &paidAt
		res.Order = o
		// The balance part, held since placement (or again by revive), is
		// spent; order_paid and the paid hooks run.
		if err := s.becamePaid(ctx, o); err != nil {
			return err
		}
		if o.FlashSaleID != nil && !fromStock {
			return s.flash.Sell(ctx, flashUnit(o), ActorWeChatPay)
		}
		return s.inventory.Sell(ctx, reservation(o), inventory.Ref{Type: "order", ID: o.OrderNo}, ActorWeChatPay)
	})
	return res, err
}

// revive takes back, for a closed order that was paid after all, everything
// its close gave back, all or nothing in one savepoint: its place under the
// flash sale's per-shopper limit, its units, and its coupon (the price paid
// had the coupon off). When a rule no longer holds it undoes what it took
// and says why; the order then stays closed and its payment is refunded,
// so no shopper ends up with a coupon on two paid orders or more flash
// units than the limit by paying an order that had closed.
func (s *Service) revive(ctx context.Context, o Order) (why string, fromStock bool, err error) {
	err = s.db.Savepoint(ctx, func(ctx context.Context) error {
		if o.FlashSaleID != nil {
			err := s.flash.Readmit(ctx, flashUnit(o))
			if errs.Is(err, flashsale.ErrLimitReached.Code) {
				why = UnfulfillableFlashLimit
				return errNotRevived
			}
			if err != nil {
				return err
			}
		}
		var err error
		fromStock, err = s.retake(ctx, o)
		if errs.Is(err, inventory.ErrOutOfStock.Code) {
			why = UnfulfillableSoldOut
			return errNotRevived
		}
		if err != nil {
			return err
		}
		if o.GiftCardAmount > 0 {
			// The close gave the balance part back: it is held again, if
			// the balance still has it.
			err := s.balances.Hold(ctx, o.ShopperID, o.ID, o.GiftCardAmount)
			if errs.Is(err, ErrBalanceInsufficient.Code) {
				why = UnfulfillableBalance
				return errNotRevived
			}
			if err != nil {
				return err
			}
		}
		if o.CouponID != nil {
			back, err := s.coupons.Reclaim(ctx, o.ShopperID, *o.CouponID, o.ID)
			if err != nil {
				return err
			}
			if !back {
				why = UnfulfillableCouponUsed
				return errNotRevived
			}
		}
		return nil
	})
	if errors.Is(err, errNotRevived) {
		return why, false, nil
	}
	return "", fromStock, err
}

// retake holds stock again for a closed order that was paid after all. Each
// attempt runs in a savepoint so a SKU that is short undoes the lines already
// taken and the payment is still kept. A flash order takes its units from its
// sale while the sale runs and has them, else (fromStock) from the SKU's
// stock like any order; out_of_stock when neither has them.
func (s *Service) retake(ctx context.Context, o Order) (fromStock bool, err error) {
	if o.FlashSaleID != nil {
		err := s.db.Savepoint(ctx, func(ctx context.Context) error { return s.flash.Retake(ctx, flashUnit(o)) })
		if err == nil || !errs.Is(err, flashsale.ErrSoldOut.Code) && !errs.Is(err, flashsale.ErrEnded.Code) {
			return false, err
		}
	}
	err = s.db.Savepoint(ctx, func(ctx context.Context) error {
		return s.inventory.Reserve(ctx, reservation(o), inventory.Ref{Type: "order", ID: o.OrderNo}, ActorWeChatPay)
	})
	return true, err
}

// lockByNo reads an order by number and holds its row until the transaction
// ends: concurrent deliveries of one payment, and refunds of one order,
// queue here and each then sees what the one before it committed. It is one
// statement: PostgreSQL's locking read waits for the row and then returns
// its latest committed version; SQLite's transaction holds the write lock
// from BEGIN.
func (s *Service) lockByNo(ctx context.Context, orderNo string) (Order, error) {
	var o Order
	if err := s.db.Locking(ctx).Where("order_no = ?", orderNo).Take(&o).Error; err != nil {
		if database.IsNotFound(err) {
			return Order{}, ErrPaymentNotFound.With("order_no", orderNo)
		}
		return Order{}, err
	}
	return o, nil
}

func (s *Service) recordTransaction(ctx context.Context, o *Order, transactionID string, paidAt time.Time) error {
	if err := s.db.Conn(ctx).Model(&Order{}).Where("id = ?", o.ID).
		Updates(map[string]any{"transaction_id": transactionID, "paid_at": paidAt}).Error; err != nil {
		return fmt.Errorf("record transaction: %w", err)
	}
	o.TransactionID, o.PaidAt = transactionID, &paidAt
	return nil
}

// ActorWeChatPay is the actor of changes WeChat Pay's answers cause.
const ActorWeChatPay = "wechatpay"
