package order

import (
	"context"

	"github.com/kaidian/kaidian/internal/subscribe"
)

// emitPaid records order_paid in the payment's transaction; o has its lines.
func (s *Service) emitPaid(ctx context.Context, o Order) error {
	if s.messages == nil || !s.messages.Wants(ctx, subscribe.OrderPaid) {
		return nil
	}
	units := int64(0)
	for _, it := range o.Items {
		units += int64(it.Quantity)
	}
	paidAt := s.clock.Now()
	if o.PaidAt != nil {
		paidAt = *o.PaidAt
	}
	return s.messages.Emit(ctx, subscribe.Event{Scene: subscribe.OrderPaid, ShopperID: o.ShopperID, Ref: o.OrderNo,
		Values: subscribe.Values{"order_no": subscribe.Code(o.OrderNo), "product_name": subscribe.Text(FirstTitle(o.Items)),
			"pay_amount": subscribe.Money(o.PayAmount), "paid_at": subscribe.At(paidAt), "item_count": subscribe.Count(units),
			"status": subscribe.Phrase("subscribe.phrase.paid")}})
}

// FirstTitle is the title of an order's first line, what a short message
// names the order by.
func FirstTitle(items []Item) string {
	if len(items) == 0 {
		return ""
	}
	return items[0].Title
}
