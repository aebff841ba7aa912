package report

import (
	"context"
	"time"

	"github.com/kaidian/kaidian/internal/flashsale"
)

// FlashSaleStats is how a sale is doing, for the merchant's console.
type FlashSaleStats struct {
	Phase                                     flashsale.Phase
	Allotted, Available, Held, Sold, Returned int64 // units, over all the sale's SKUs
	Orders, PaidOrders, UnpaidOrders, Closed  int64
	Buyers                                    int64 // shoppers with an unpaid or paid order
	Revenue                                   int64 // fen, paid orders
	OrdersPerSecond                           float64
	FirstOrderAt, LastOrderAt, FirstSoldOutAt *time.Time
	TimeToSellOut                             time.Duration // start → first sold out, 0 if it never sold out
}

// rateWindow is the span "orders per second" is measured over while live.
const rateWindow = 10 * time.Second

// FlashSaleStats adds up a sale (as flashsale.Service.Get returned it):
// units from its items, orders from the orders table. It is here, not in
// flashsale, because it adds up orders: order builds on flashsale.
func (s *Service) FlashSaleStats(ctx context.Context, sale flashsale.Sale) (FlashSaleStats, error) {
	id := sale.ID
	now := s.clock.Now().UTC() // UTC, as the shop clock gives it: the query compares it with created_at
	st := FlashSaleStats{Phase: sale.PhaseAt(now)}
	for _, it := range sale.Items {
		st.Allotted += it.Allotted
		st.Available += it.Available
		st.Held += it.Held
		st.Sold += it.Sold
		st.Returned += it.Returned
		if it.SoldOutAt != nil && (st.FirstSoldOutAt == nil || it.SoldOutAt.Before(*st.FirstSoldOutAt)) {
			at := *it.SoldOutAt
			st.FirstSoldOutAt = &at
		}
	}
	if st.FirstSoldOutAt != nil {
		st.TimeToSellOut = st.FirstSoldOutAt.Sub(sale.StartsAt)
	}
	var row struct {
		Orders, Paid, Unpaid, Closed, Revenue, Recent int64
	}
	err := s.db.Conn(ctx).Raw(`
		SELECT COUNT(*) AS orders,
		       COALESCE(SUM(CASE WHEN status IN ('paid', 'shipped', 'completed') THEN 1 ELSE 0 END), 0) AS paid,
		       COALESCE(SUM(CASE WHEN status = 'pending_payment' THEN 1 ELSE 0 END), 0) AS unpaid,
		       COALESCE(SUM(CASE WHEN status = 'closed' THEN 1 ELSE 0 END), 0) AS closed,
		       COALESCE(SUM(CASE WHEN status IN ('paid', 'shipped', 'completed') THEN pay_amount ELSE 0 END), 0) AS revenue,
		       COALESCE(SUM(CASE WHEN created_at > ? THEN 1 ELSE 0 END), 0) AS recent
		FROM orders WHERE flash_sale_id = ?`, now.Add(-rateWindow), id).Scan(&row).Error
	if err != nil {
		return FlashSaleStats{}, err
	}
	st.Orders, st.PaidOrders, st.UnpaidOrders, st.Closed, st.Revenue = row.Orders, row.Paid, row.Unpaid, row.Closed, row.Revenue
	if st.Phase == flashsale.PhaseLive {
		st.OrdersPerSecond = float64(row.Recent) / rateWindow.Seconds()
	}
	// Two ordered lookups rather than MIN/MAX: SQLite's aggregates lose the
	// column's type and answer text; the index on (flash_sale_id, created_at) serves both.
	for dir, into := range map[string]**time.Time{"ASC": &st.FirstOrderAt, "DESC": &st.LastOrderAt} {
		var at []time.Time
		if err := s.db.Conn(ctx).Raw(`SELECT created_at FROM orders WHERE flash_sale_id = ? ORDER BY created_at `+dir+` LIMIT 1`, id).
			Scan(&at).Error; err != nil {
			return FlashSaleStats{}, err
		}
		if len(at) == 1 {
			*into = &at[0]
		}
	}
	if err := s.db.Conn(ctx).Raw(`SELECT COUNT(*) FROM flash_sale_buyers WHERE flash_sale_id = ? AND units > 0`, id).
		Scan(&st.Buyers).Error; err != nil {
		return FlashSaleStats{}, err
	}
	return st, nil
}
