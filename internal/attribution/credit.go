package attribution

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/kaidian/kaidian/internal/promoter"
	"github.com/kaidian/kaidian/internal/setting"
)

// Credit is the source and promoter an order is credited to at placement.
type Credit struct {
	Source     string
	PromoterID *int64 // the promoter paid a commission for it, if any
}

// state is what crediting reads of one shopper: their touches and binding.
type state struct {
	firstSource, lastSource string
	firstAt, lastAt         time.Time
	boundTo                 *int64 // the associate the shopper is bound to
}

// source applies the shop's rule: the last touch if within the window, or
// the first touch ever; a shopper without touches came direct.
func (st state) source(a setting.Attribution, now time.Time) string {
	if a.Rule == setting.FirstTouch {
		return st.firstSource
	}
	if st.lastSource != "" && now.Sub(st.lastAt) <= a.Window() {
		return st.lastSource
	}
	return Direct
}

// states reads the touches and bindings of the shoppers with one statement
// (a shopper with neither is left out). A binding always comes with a touch
// (both are written by the scan's batch), so the join from touches finds it.
func (s *Service) states(ctx context.Context, ids []int64) (map[int64]state, error) {
	var rows []struct {
		ShopperID   int64     `gorm:"column:shopper_id"`
		FirstSource string    `gorm:"column:first_source"`
		FirstAt     time.Time `gorm:"column:first_at"`
		LastSource  string    `gorm:"column:last_source"`
		LastAt      time.Time `gorm:"column:last_at"`
		PromoterID  *int64    `gorm:"column:promoter_id"`
	}
	q := `SELECT t.shopper_id, t.first_source, t.first_at, t.last_source, t.last_at, b.promoter_id
		FROM shopper_touches t LEFT JOIN bindings b ON b.shopper_id = t.shopper_id WHERE t.shopper_id `
	var args []any
	if len(ids) == 1 {
		q, args = q+"= ?", []any{ids[0]} // one shopper: the same text every time, planned once
	} else {
		q, args = q+"IN ?", []any{ids}
	}
	if err := s.db.Conn(ctx).Raw(q, args...).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("attribution: touches: %w", err)
	}
	out := make(map[int64]state, len(rows))
	for _, r := range rows {
		out[r.ShopperID] = state{firstSource: r.FirstSource, lastSource: r.LastSource, firstAt: r.FirstAt, lastAt: r.LastAt, boundTo: r.PromoterID}
	}
	return out, nil
}

// Credit decides, for each shopper placing an order now, the order's source
// and promoter: the source by the shop's rule (setting.Attribution); the
// promoter is the associate the shopper is bound to, whatever the source,
// else the promoter the source names; either only while active, and never
// the buyer themselves unless that promoter earns commission on their own
// orders. It reads one row per shopper, with one statement, inside the
// caller's transaction; promoters come from the cache.
func (s *Service) Credit(ctx context.Context, shop setting.Shop, now time.Time, shopperIDs []int64) (map[int64]Credit, error) {
	states, err := s.states(ctx, shopperIDs)
	if err != nil {
		return nil, err
	}
	a := shop.Attribution()
	out := make(map[int64]Credit, len(shopperIDs))
	for _, id := range shopperIDs {
		st, ok := states[id]
		if !ok {
			continue // no touch: direct, no promoter
		}
		c := Credit{Source: st.source(a, now)}
		var p *promoter.Promoter
		if st.boundTo != nil {
			if p, err = s.promoterByID(ctx, *st.boundTo); err != nil {
				return nil, err
			}
		}
		if (p == nil || !p.Active()) && strings.HasPrefix(c.Source, "promoter:") {
			if p, err = s.promoterByCode(ctx, strings.TrimPrefix(c.Source, "promoter:")); err != nil {
				return nil, err
			}
		}
		if p != nil && p.Active() && (p.CommissionOnSelf || p.ShopperID == nil || *p.ShopperID != id) {
			pid := p.ID
			c.PromoterID = &pid
		}
		out[id] = c
	}
	return out, nil
}
