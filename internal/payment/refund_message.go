package payment

import (
	"context"
	"time"

	"github.com/kaidian/kaidian/internal/order"
	"github.com/kaidian/kaidian/internal/subscribe"
)

// emitRefundResult records refund_result in the transaction that settled
// the refund (succeeded or failed); a refund still processing says nothing.
func (s *Service) emitRefundResult(ctx context.Context, r Refund, at time.Time) error {
	if r.Status != RefundSucceeded && r.Status != RefundFailed {
		return nil
	}
	if s.messages == nil || !s.messages.Wants(ctx, subscribe.RefundResult) {
		return nil
	}
	o, err := s.orders.ByID(ctx, r.OrderID)
	if err != nil {
		return err
	}
	result := "subscribe.phrase.refund_succeeded"
	if r.Status == RefundFailed {
		result = "subscribe.phrase.refund_failed"
	}
	return s.messages.Emit(ctx, subscribe.Event{Scene: subscribe.RefundResult, ShopperID: o.ShopperID, Ref: o.OrderNo,
		Values: subscribe.Values{"order_no": subscribe.Code(o.OrderNo), "product_name": subscribe.Text(order.FirstTitle(o.Items)),
			"refund_amount": subscribe.Money(r.Amount), "result": subscribe.Phrase(result), "settled_at": subscribe.At(at)}})
}
