package order

import (
	"context"
	"fmt"
	"time"

	"github.com/kaidian/kaidian/internal/database"
	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/inventory"
)

// Payment is a confirmed payment from WeChat Pay for one order.
type Payment struct {
	OrderNo       string
	TransactionID string
	Amount        int64 // fen, what WeChat says was charged for the order
	PaidAt        time.Time
}

// Errors of recording a payment.
var (
	ErrAmountMismatch  = errs.Conflict("amount_mismatch", "the paid amount differs from the order's amount")
	ErrPaidAfterClose  = errs.Conflict("paid_after_close", "the payment arrived after the order was closed")
	ErrOtherPayment    = errs.Conflict("other_transaction", "the order is already paid by another transaction")
	ErrPaymentNotFound = errs.NotFound("order_not_found", "no order has this number")
)

// MarkPaid records a payment: the order moves from pending_payment to paid
// with WeChat's transaction id and time, and its reserved stock becomes
// sold, in one transaction. The same payment again is a no-op
// (duplicate=true), so notifications and reconciliation can both call it any
// number of times. A different amount is refused and changes nothing.
func (s *Service) MarkPaid(ctx context.Context, p Payment) (o Order, duplicate bool, err error) {
	err = s.db.Tx(ctx, func(ctx context.Context) error {
		if err := s.db.Conn(ctx).Where("order_no = ?", p.OrderNo).Take(&o).Error; err != nil {
			if database.IsNotFound(err) {
				return ErrPaymentNotFound.With("order_no", p.OrderNo)
			}
			return err
		}
		// Concurrent deliveries of one payment queue here; each then sees
		// what the one before it committed.
		if err := s.db.LockRow(ctx, "orders", o.ID); err != nil {
			return err
		}
		if err := s.db.Conn(ctx).Where("id = ?", o.ID).Take(&o).Error; err != nil {
			return err
		}
		switch {
		case o.TransactionID == p.TransactionID && o.TransactionID != "":
			duplicate = true
			return nil
		case o.TransactionID != "":
			return ErrOtherPayment.With("order_no", o.OrderNo)
		case p.Amount != o.PayAmount:
			return ErrAmountMismatch.With("order_no", o.OrderNo).With("paid", p.Amount).With("expected", o.PayAmount)
		}
		reason := "paid, transaction " + p.TransactionID
		items, err := s.items(ctx, []int64{o.ID})
		if err != nil {
			return err
		}
		o.Items = items[o.ID]
		if o.Status == StatusClosed {
			// The money came after the order closed and its stock went back.
			// Take the stock again if it is still there; if not, the caller
			// refunds the payment (ErrPaidAfterClose, nothing changed here).
			err := s.inventory.Reserve(ctx, reservation(o), inventory.Ref{Type: "order", ID: o.OrderNo}, ActorWeChatPay)
			if errs.Is(err, inventory.ErrOutOfStock.Code) {
				return ErrPaidAfterClose.With("order_no", o.OrderNo)
			}
			if err != nil {
				return err
			}
			reason = "paid after it closed; revived, transaction " + p.TransactionID
		}
		if err := s.move(ctx, &o, StatusPaid, ActorWeChatPay, reason); err != nil {
			return err
		}
		paidAt := p.PaidAt.UTC()
		if err := s.db.Conn(ctx).Model(&Order{}).Where("id = ?", o.ID).
			Updates(map[string]any{"transaction_id": p.TransactionID, "paid_at": paidAt}).Error; err != nil {
			return fmt.Errorf("record transaction: %w", err)
		}
		o.TransactionID, o.PaidAt = p.TransactionID, &paidAt
		return s.inventory.Sell(ctx, reservation(o), inventory.Ref{Type: "order", ID: o.OrderNo}, ActorWeChatPay)
	})
	return o, duplicate, err
}

// ActorWeChatPay is the actor of changes WeChat Pay's answers cause.
const ActorWeChatPay = "wechatpay"
