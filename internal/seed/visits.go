package seed

import (
	"context"
	"fmt"
	"time"

	"github.com/kaidian/kaidian/internal/attribution"
	"github.com/kaidian/kaidian/internal/channel"
	"github.com/kaidian/kaidian/internal/database"
	"github.com/kaidian/kaidian/internal/promoter"
)

// Social is what Visits and SourcedOrders need of the shop.
type Social struct {
	DB          *database.DB
	Channels    *channel.Service
	Promoters   *promoter.Service
	Attribution *attribution.Service
}

// sources makes the seeded sources once per call: 10 channels and 5 KOLs,
// with refs for visits and orders beside direct, unknown and shares.
func (s Social) sources(ctx context.Context, run string) ([]string, map[string]int64, error) {
	var refs []string
	promoters := map[string]int64{}
	for i := range 10 {
		c, err := s.Channels.Create(ctx, "system:seed", channel.Input{Name: fmt.Sprintf("渠道%s-%d", run, i+1), Active: true})
		if err != nil {
			return nil, nil, err
		}
		refs = append(refs, c.Ref())
	}
	for i := range 5 {
		p, err := s.Promoters.Create(ctx, "system:seed", promoter.Input{Kind: promoter.KindKOL, Status: promoter.StatusActive,
			Name: fmt.Sprintf("达人%s-%d", run, i+1), RateBP: 500})
		if err != nil {
			return nil, nil, err
		}
		refs = append(refs, p.Ref())
		promoters[p.Ref()] = p.ID
	}
	return append(refs, "", "unknown"), promoters, nil
}

// Visits adds n visits over the last 90 days (for measuring the funnel on
// a busy shop's history: issue 16 asks for 1,000,000), through 10 new
// channels, 5 new KOLs, shares, direct and unknown sources, by n/10 new
// shoppers (o-visit-…) and, one visit in four, before login. They are
// saved as the visit recorder saves them (daily counts, visitors,
// touches), 5,000 per transaction; and orders more orders over the same
// days and sources, straight into the orders table, with a paid, refunded,
// closed and unpaid mix.
func Visits(ctx context.Context, s Social, n, orders int) error {
	if n <= 0 && orders <= 0 {
		return nil
	}
	run := time.Now().Format("150405")
	refs, promoters, err := s.sources(ctx, run)
	if err != nil {
		return err
	}
	now := time.Now().UTC()
	nShoppers := max(1, max(n, orders)/10)
	shoppers := make([]map[string]any, nShoppers)
	for i := range shoppers {
		shoppers[i] = map[string]any{"openid": fmt.Sprintf("o-visit-%s-%07d", run, i+1), "nickname": fmt.Sprintf("访客%d", i+1),
			"created_at": now, "updated_at": now, "last_login_at": now}
	}
	if err := insert(ctx, s.DB, "shoppers", shoppers); err != nil {
		return err
	}
	var ids []int64
	if err := s.DB.Conn(ctx).Table("shoppers").Where("openid LIKE ?", "o-visit-"+run+"-%").Order("id").Pluck("id", &ids).Error; err != nil {
		return err
	}
	// spread puts the i-th of count over the last 90 days, oldest first.
	spread := func(i, count int) time.Time {
		step := (90*24*time.Hour - time.Hour) / time.Duration(count) // divided first: count × 90 days overflows
		return now.Add(-time.Duration(count-i) * step)
	}
	const batch = 5000
	for start := 0; start < n; start += batch {
		vs := make([]attribution.Recorded, 0, batch)
		for i := start; i < min(start+batch, n); i++ {
			v := attribution.Recorded{Visit: attribution.Visit{Path: "pages/index/index", Entry: 1007}, At: spread(i, n)}
			if i%4 != 0 {
				v.ShopperID = ids[(i*7919)%len(ids)]
			}
			switch ref := refs[i%len(refs)]; {
			case i%23 == 0:
				v.Visit.Ref = fmt.Sprintf("share:%d", ids[(i*31)%len(ids)])
			default:
				v.Visit.Ref = ref
			}
			vs = append(vs, v)
		}
		if err := s.Attribution.SaveVisits(ctx, vs); err != nil {
			return fmt.Errorf("seed visits: %w", err)
		}
	}
	return sourcedOrders(ctx, s.DB, run, orders, refs, promoters, ids, spread)
}

// sourcedOrders writes n orders credited to the sources.
func sourcedOrders(ctx context.Context, db *database.DB, run string, n int, refs []string, promoters map[string]int64,
	shoppers []int64, spread func(i, n int) time.Time) error {
	rows := make([]map[string]any, 0, 1000)
	for i := range n {
		at := spread(i, n)
		src := refs[(i*13)%len(refs)]
		price := int64(1990 + (i%50)*100)
		o := map[string]any{"order_no": fmt.Sprintf("SO%s%09d", run, i), "shopper_id": shoppers[(i*104729)%len(shoppers)],
			"status": "completed", "item_count": 1, "goods_amount": price, "shipping_fee": 0, "total_amount": price,
			"pay_amount": price, "receiver_name": "张三", "receiver_phone": "13800138000", "province": "广东省",
			"city": "深圳市", "district": "南山区", "address_detail": "科技园 1 号", "expires_at": at.Add(15 * time.Minute),
			"source": src, "promoter_id": nil, "refunded_amount": 0, "transaction_id": "", "created_at": at, "updated_at": at}
		if id, ok := promoters[src]; ok {
			o["promoter_id"] = id
		}
		switch i % 10 {
		case 0, 1: // closed unpaid
			o["status"], o["closed_at"] = "closed", at.Add(15*time.Minute)
		case 2: // paid, part refunded
			o["status"], o["paid_at"], o["transaction_id"], o["refunded_amount"] = "paid", at.Add(time.Minute), fmt.Sprintf("42%s%09d", run, i), price/2
		default:
			o["paid_at"], o["transaction_id"] = at.Add(time.Minute), fmt.Sprintf("42%s%09d", run, i)
		}
		rows = append(rows, o)
		if len(rows) == cap(rows) || i == n-1 {
			if err := insert(ctx, db, "orders", rows); err != nil {
				return err
			}
			rows = rows[:0]
		}
	}
	return nil
}
