package loadgen

import (
	"context"
	"fmt"
	"net/url"
	"sync"
	"sync/atomic"
)

// listedOrder is an order as GET /api/v1/orders lists it.
type listedOrder struct {
	OrderNo     string `json:"order_no"`
	Status      string `json:"status"`
	FlashSaleID *int64 `json:"flash_sale_id"`
	Items       []struct {
		SKUID    int64 `json:"sku_id"`
		Quantity int64 `json:"quantity"`
	} `json:"items"`
}

// checkShoppersAPI reads, as each shopper that bought (and each greedy
// one), their own order list: nobody holds more than the limit in orders
// that are not closed, and each lists exactly the orders it was answered.
// It returns the units the shoppers hold in orders not closed.
func (l *load) checkShoppersAPI(ctx context.Context, r *Report, fr *flashRun, shoppers []*shopper) int64 {
	answered := map[*shopper]map[string]bool{}
	for _, o := range fr.orders {
		if answered[o.s] == nil {
			answered[o.s] = map[string]bool{}
		}
		answered[o.s][o.no] = true
	}
	var ask []*shopper
	for _, s := range shoppers {
		if answered[s] != nil || fr.wants(s) > 1 {
			ask = append(ask, s)
		}
	}
	var next, open atomic.Int64
	var mu sync.Mutex
	var over, differ []string
	var firstErr error
	workers(min(l.o.Concurrency, max(len(ask), 1)), func(int) {
		for i := int(next.Add(1) - 1); i < len(ask); i = int(next.Add(1) - 1) {
			s := ask[i]
			orders, err := l.saleOrders(ctx, s, fr)
			mu.Lock()
			if err != nil && firstErr == nil {
				firstErr = err
			}
			var units int64
			for _, o := range orders {
				if o.Status != "closed" {
					for _, it := range o.Items {
						units += it.Quantity
					}
				}
			}
			open.Add(units)
			if units > int64(fr.sale.Limit) {
				over = append(over, fmt.Sprintf("%s holds %d", describeShopper(s), units))
			}
			if !sameOrders(orders, answered[s]) {
				differ = append(differ, fmt.Sprintf("%s lists %d orders, was answered %d", describeShopper(s), len(orders), len(answered[s])))
			}
			mu.Unlock()
		}
	})
	if firstErr != nil {
		r.check("nobody over the limit (API)", false, "reading orders: %v", firstErr)
		return open.Load()
	}
	r.check("nobody over the limit (API)", len(over) == 0, "%d shoppers read, limit %d, %d over %v",
		len(ask), fr.sale.Limit, len(over), first(over, 5))
	r.check("shoppers' orders = answers (API)", len(differ) == 0, "%d shoppers read, %d differ %v",
		len(ask), len(differ), first(differ, 5))
	return open.Load()
}

// saleOrders lists the shopper's orders in the sale, every page. An order
// names its sale when the API says so; otherwise by the raced SKU (this
// run's shoppers are new, so they bought it nowhere else).
func (l *load) saleOrders(ctx context.Context, s *shopper, fr *flashRun) ([]listedOrder, error) {
	var out []listedOrder
	cursor := ""
	for {
		var page struct {
			Items      []listedOrder `json:"items"`
			NextCursor string        `json:"next_cursor"`
		}
		if err := l.cl.call(ctx, "GET", s.api("/orders?limit=100&cursor="+url.QueryEscape(cursor)), s.token, nil, &page); err != nil {
			return nil, err
		}
		for _, o := range page.Items {
			inSale := o.FlashSaleID != nil && *o.FlashSaleID == fr.sale.ID
			if o.FlashSaleID == nil {
				for _, it := range o.Items {
					inSale = inSale || it.SKUID == fr.item.SKUID
				}
			}
			if inSale {
				out = append(out, o)
			}
		}
		if page.NextCursor == "" {
			return out, nil
		}
		cursor = page.NextCursor
	}
}

func sameOrders(listed []listedOrder, answered map[string]bool) bool {
	if len(listed) != len(answered) {
		return false
	}
	for _, o := range listed {
		if !answered[o.OrderNo] {
			return false
		}
	}
	return true
}
