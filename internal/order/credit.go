package order

import (
	"context"
	"time"

	"github.com/kaidian/kaidian/internal/attribution"
	"github.com/kaidian/kaidian/internal/setting"
)

// Attributor credits orders to the source that brought their shopper and
// the promoter paid for them (internal/attribution). It is called inside
// the placing transaction and reads one row per shopper with one statement
// for the whole batch.
type Attributor interface {
	Credit(ctx context.Context, shop setting.Shop, now time.Time, shopperIDs []int64) (map[int64]attribution.Credit, error)
}

// credit fills in each order's source and promoter before it is inserted;
// an order keeps them forever. Without an Attributor every order is direct.
func (s *Service) credit(ctx context.Context, shop setting.Shop, now time.Time, batch []newOrder) error {
	if s.attributor == nil || len(batch) == 0 {
		return nil
	}
	ids := make([]int64, len(batch))
	for i := range batch {
		ids[i] = batch[i].order.ShopperID
	}
	credits, err := s.attributor.Credit(ctx, shop, now, ids)
	if err != nil {
		return err
	}
	for i := range batch {
		c := credits[batch[i].order.ShopperID]
		batch[i].order.Source, batch[i].order.PromoterID = c.Source, c.PromoterID
	}
	return nil
}
