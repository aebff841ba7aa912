package payment

import (
	"context"

	"github.com/kaidian/kaidian/internal/i18n"
	"github.com/kaidian/kaidian/internal/order"
	"github.com/kaidian/kaidian/internal/subscribe"
)

// afterSaleNews is what after_sale_update tells the shopper for each step
// the shop takes on their request: the status phrase (WeChat's phrase
// keyword, at most five characters) and a note. The shopper's own steps
// (asking, sending the goods back, cancelling) tell them nothing new, and a
// refund's outcome is refund_result's.
var afterSaleNews = map[string]struct{ status, note string }{
	"refund.approve":    {"subscribe.phrase.return_approved", "subscribe.note.return_approved"},
	"refund.decline":    {"subscribe.phrase.request_declined", "subscribe.note.request_declined"},
	"aftersale.receive": {"subscribe.phrase.return_received", "subscribe.note.return_received"},
}

// emitAfterSale records after_sale_update for a step the shop took, in the
// step's transaction; note, when given, says why (a declined request's reason).
func (s *Service) emitAfterSale(ctx context.Context, o order.Order, action, note string) error {
	news, ok := afterSaleNews[action]
	if !ok || s.messages == nil || !s.messages.Wants(ctx, subscribe.AfterSaleUpdate) {
		return nil
	}
	if note == "" && news.note != "" {
		note = i18n.For(i18n.ZhCN).T(news.note) // subscribe messages are read in WeChat, in Chinese
	}
	return s.messages.Emit(ctx, subscribe.Event{Scene: subscribe.AfterSaleUpdate, ShopperID: o.ShopperID, Ref: o.OrderNo,
		Values: subscribe.Values{"order_no": subscribe.Code(o.OrderNo), "product_name": subscribe.Text(order.FirstTitle(o.Items)),
			"status": subscribe.Phrase(news.status), "note": subscribe.Text(note), "updated_at": subscribe.At(s.clock.Now())}})
}
