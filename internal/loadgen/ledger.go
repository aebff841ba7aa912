package loadgen

import (
	"context"
	"fmt"

	"github.com/kaidian/kaidian/internal/database"
)

// ledgerChecks are the flash-sale contract's ledger checks for one sale,
// read from the database; each must hold at any quiet moment:
//   - per item: allotted = available + held + sold + returned
//   - held = units of the sale's unpaid orders; sold = units of its paid
//     (shipped, completed) orders
//   - no shopper holds more than the limit in non-closed orders, and the
//     sale's per-shopper count (flash_sale_buyers) says exactly that
//   - per SKU: the sum of its inventory movements is its stock
//   - every closed order has exactly one transition to closed
//
// suffix tells the checks of a second reading apart (" after end").
func ledgerChecks(ctx context.Context, db *database.DB, saleID int64, limit int, suffix string) ([]Check, error) {
	var out []Check
	add := func(name string, pass bool, format string, args ...any) {
		out = append(out, Check{Name: name + suffix, Pass: pass, Detail: fmt.Sprintf(format, args...)})
	}
	conn := db.Conn(ctx)

	var items []struct {
		SKUID                                     int64 `gorm:"column:sku_id"`
		Allotted, Available, Held, Sold, Returned int64
	}
	if err := conn.Raw(`SELECT sku_id, allotted, available, held, sold, returned FROM flash_sale_items
	        WHERE flash_sale_id = ? ORDER BY sku_id`, saleID).Scan(&items).Error; err != nil {
		return nil, err
	}
	if len(items) == 0 {
		return nil, fmt.Errorf("flash sale %d has no items in the database", saleID)
	}
	var units []struct {
		SKUID  int64 `gorm:"column:sku_id"`
		Status string
		Units  int64
	}
	if err := conn.Raw(`SELECT oi.sku_id, o.status, SUM(oi.quantity) AS units FROM orders o
	        JOIN order_items oi ON oi.order_id = o.id WHERE o.flash_sale_id = ? GROUP BY oi.sku_id, o.status`,
		saleID).Scan(&units).Error; err != nil {
		return nil, err
	}
	held, sold := map[int64]int64{}, map[int64]int64{}
	for _, u := range units {
		switch u.Status {
		case "pending_payment":
			held[u.SKUID] += u.Units
		case "paid", "shipped", "completed":
			sold[u.SKUID] += u.Units
		}
	}
	var skuIDs []int64
	balanced, heldOK, soldOK := true, true, true
	var balDesc, heldDesc, soldDesc string
	for _, it := range items {
		skuIDs = append(skuIDs, it.SKUID)
		balDesc += fmt.Sprintf("sku %d: %d = %d available + %d held + %d sold + %d returned; ",
			it.SKUID, it.Allotted, it.Available, it.Held, it.Sold, it.Returned)
		heldDesc += fmt.Sprintf("sku %d: held %d, unpaid orders %d; ", it.SKUID, it.Held, held[it.SKUID])
		soldDesc += fmt.Sprintf("sku %d: sold %d, paid orders %d; ", it.SKUID, it.Sold, sold[it.SKUID])
		balanced = balanced && it.Allotted == it.Available+it.Held+it.Sold+it.Returned
		heldOK = heldOK && it.Held == held[it.SKUID]
		soldOK = soldOK && it.Sold == sold[it.SKUID]
	}
	add("ledger: allotted = available + held + sold + returned", balanced, "%s", balDesc)
	add("ledger: held = units in unpaid orders", heldOK, "%s", heldDesc)
	add("ledger: sold = units in paid orders", soldOK, "%s", soldDesc)

	if err := shopperChecks(ctx, db, saleID, limit, add); err != nil {
		return nil, err
	}

	var skus []struct {
		ID, Stock, Ledger int64
	}
	if err := conn.Raw(`SELECT s.id, s.stock, COALESCE((SELECT SUM(m.quantity) FROM inventory_movements m
	        WHERE m.sku_id = s.id), 0) AS ledger FROM skus s WHERE s.id IN ?`, skuIDs).Scan(&skus).Error; err != nil {
		return nil, err
	}
	stockOK, stockDesc := len(skus) == len(skuIDs), ""
	for _, s := range skus {
		stockOK = stockOK && s.Stock == s.Ledger
		stockDesc += fmt.Sprintf("sku %d: stock %d, movements sum to %d; ", s.ID, s.Stock, s.Ledger)
	}
	add("ledger: SKU stock = sum of its movements", stockOK, "%s", stockDesc)

	var orders []struct {
		OrderNo string
		Status  string
		Closes  int64
	}
	if err := conn.Raw(`SELECT o.order_no, o.status, COUNT(t.id) AS closes FROM orders o
	        LEFT JOIN order_transitions t ON t.order_id = o.id AND t.to_status = 'closed'
	        WHERE o.flash_sale_id = ? GROUP BY o.id, o.order_no, o.status`, saleID).Scan(&orders).Error; err != nil {
		return nil, err
	}
	var closed int
	var bad []string
	for _, o := range orders {
		if o.Status == "closed" {
			closed++
		}
		if (o.Status == "closed") != (o.Closes == 1) || o.Closes > 1 {
			bad = append(bad, fmt.Sprintf("%s (%s, %d closes)", o.OrderNo, o.Status, o.Closes))
		}
	}
	add("ledger: every closed order closed exactly once", len(bad) == 0,
		"%d orders, %d closed, %d wrong %v", len(orders), closed, len(bad), first(bad, 5))
	return out, nil
}

// shopperChecks: nobody over the limit, and flash_sale_buyers agrees with
// the orders.
func shopperChecks(ctx context.Context, db *database.DB, saleID int64, limit int, add func(string, bool, string, ...any)) error {
	var holding []struct {
		ShopperID int64
		Units     int64
	}
	if err := db.Conn(ctx).Raw(`SELECT o.shopper_id, SUM(oi.quantity) AS units FROM orders o
	        JOIN order_items oi ON oi.order_id = o.id WHERE o.flash_sale_id = ? AND o.status <> 'closed'
	        GROUP BY o.shopper_id`, saleID).Scan(&holding).Error; err != nil {
		return err
	}
	var buyers []struct {
		ShopperID int64
		Units     int64
	}
	if err := db.Conn(ctx).Raw(`SELECT shopper_id, units FROM flash_sale_buyers WHERE flash_sale_id = ?`,
		saleID).Scan(&buyers).Error; err != nil {
		return err
	}
	counted := map[int64]int64{}
	for _, b := range buyers {
		counted[b.ShopperID] = b.Units
	}
	var over, mismatch []string
	for _, h := range holding {
		if h.Units > int64(limit) {
			over = append(over, fmt.Sprintf("shopper %d holds %d", h.ShopperID, h.Units))
		}
		if counted[h.ShopperID] != h.Units {
			mismatch = append(mismatch, fmt.Sprintf("shopper %d: orders %d, counted %d", h.ShopperID, h.Units, counted[h.ShopperID]))
		}
		delete(counted, h.ShopperID)
	}
	for id, n := range counted {
		if n != 0 {
			mismatch = append(mismatch, fmt.Sprintf("shopper %d: orders 0, counted %d", id, n))
		}
	}
	add("ledger: nobody over the limit", len(over) == 0, "%d shoppers hold units, limit %d, %d over %v",
		len(holding), limit, len(over), first(over, 5))
	add("ledger: buyers' counts = their open orders", len(mismatch) == 0, "%d mismatches %v", len(mismatch), first(mismatch, 5))
	return nil
}
