package payment

import (
	"context"

	"github.com/kaidian/kaidian/internal/order"
)

// PackGiver gives the buyer of an order just paid their lucky coupon packs
// (*couponpack.Service). Payment sits below it, so it asks through this.
type PackGiver interface {
	GiveForOrder(ctx context.Context, orderID, shopperID, paid int64) error
}

// givePacks has an order that became paid give its packs, where a paid
// notification is applied (notify.go): inside the transaction that marks
// it paid, so a crash can never leave a paid order without them, and an
// error rolls the payment back for WeChat to retry.
func (s *Service) givePacks(ctx context.Context, o order.Order) error {
	if s.packs == nil {
		return nil
	}
	return s.packs.GiveForOrder(ctx, o.ID, o.ShopperID, o.PayAmount)
}
