package couponpack

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/kaidian/kaidian/internal/database"
)

// onPaidTTL is how long a replica trusts its list of the campaigns that give
// packs on payment. Every paid notification asks for them, and most shops
// have none running: remembering the list keeps a payment at the statements
// it costs without packs. A change made on this replica is seen at once; one
// made on another within onPaidTTL (a stopped campaign may give a last pack
// or two there meanwhile — packs are promotions the merchant pays for by the
// coupon, not stock, so the window is tolerable).
const onPaidTTL = 10 * time.Second

// onPaidCache remembers the campaigns that give packs on payment and are not
// stopped, whatever their window; GiveForOrder picks the live ones.
type onPaidCache struct {
	mu       sync.Mutex
	list     []Campaign
	loadedAt time.Time // zero: not loaded
}

// campaignsOnPaid are the campaigns giving packs on payment that are live
// at now and whose minimum paid reaches.
func (s *Service) campaignsOnPaid(ctx context.Context, now time.Time, paid int64) ([]Campaign, error) {
	c := &s.onPaid
	c.mu.Lock()
	list, at := c.list, c.loadedAt
	c.mu.Unlock()
	if at.IsZero() || now.Before(at) || now.Sub(at) >= onPaidTTL {
		var cs []Campaign
		if err := s.db.Conn(ctx).Where("on_paid = ? AND stopped_at IS NULL", true).
			Order("id").Find(&cs).Error; err != nil {
			return nil, fmt.Errorf("couponpack: campaigns on payment: %w", err)
		}
		c.mu.Lock()
		c.list, c.loadedAt = cs, now
		c.mu.Unlock()
		list = cs
	}
	var live []Campaign
	for _, x := range list {
		if !x.StartsAt.After(now) && x.EndsAt.After(now) && x.MinOrder <= paid {
			live = append(live, x)
		}
	}
	return live, nil
}

// forgetOnPaid drops the remembered list once the caller's transaction
// commits, after a campaign was created, changed or stopped here.
func (s *Service) forgetOnPaid(ctx context.Context) {
	database.AfterCommit(ctx, func() {
		s.onPaid.mu.Lock()
		s.onPaid.loadedAt = time.Time{}
		s.onPaid.mu.Unlock()
	})
}
