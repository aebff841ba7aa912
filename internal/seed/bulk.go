package seed

import (
	"context"
	"fmt"
	"time"

	"github.com/kaidian/kaidian/internal/catalog"
	"github.com/kaidian/kaidian/internal/database"
)

// Sizes says how big a bulk shop to make.
type Sizes struct {
	Products int // each with three SKUs
	Shoppers int
	Orders   int // one line each, spread over the last 60 days
}

// Bulk fills the database with a large synthetic shop for benchmarks of the
// console's list pages: it writes rows straight into the tables in batches
// (the domain services would take minutes for 100,000 orders) and keeps
// every invariant the pages rely on — stock matches a ledger row per SKU,
// paid orders carry a transaction and a paid time.
func Bulk(ctx context.Context, db *database.DB, n Sizes) error {
	now := time.Now().UTC()
	return db.Tx(ctx, func(ctx context.Context) error {
		conn := db.Conn(ctx)
		var catIDs []int64
		for i := range 10 {
			row := map[string]any{"name": fmt.Sprintf("类目 %d", i+1), "sort_order": i, "created_at": now, "updated_at": now}
			if err := conn.Table("categories").Create(row).Error; err != nil {
				return err
			}
		}
		if err := conn.Table("categories").Order("id").Pluck("id", &catIDs).Error; err != nil {
			return err
		}
		var firstProduct int64
		conn.Table("products").Select("COALESCE(MAX(id), 0)").Scan(&firstProduct)
		products := make([]map[string]any, 0, n.Products)
		for i := range n.Products {
			title := fmt.Sprintf("商品 %05d 纯棉T恤", i+1)
			products = append(products, map[string]any{"category_id": catIDs[i%len(catIDs)],
				"title": title, "search_text": catalog.SearchText(title), "description": "bulk", "on_shelf": i%7 != 0,
				"min_price": int64(1000 + i%50*100), "created_at": now, "updated_at": now})
		}
		if err := insert(ctx, db, "products", products); err != nil {
			return err
		}
		skus := make([]map[string]any, 0, 3*n.Products)
		for i := range n.Products {
			for j, size := range []string{"S", "M", "L"} {
				stock := int64((i*3 + j) % 40)
				skus = append(skus, map[string]any{"product_id": firstProduct + int64(i) + 1,
					"code": fmt.Sprintf("BULK-%05d-%s", i+1, size), "spec_text": "尺码:" + size,
					"price": int64(1000 + i%50*100), "stock": stock, "created_at": now, "updated_at": now})
			}
		}
		if err := insert(ctx, db, "skus", skus); err != nil {
			return err
		}
		if err := conn.Exec(`INSERT INTO inventory_movements (sku_id, kind, quantity, stock_after, reason, actor, created_at)
			SELECT id, 'receive', stock, stock, 'bulk seed', ?, ? FROM skus WHERE code LIKE 'BULK-%'`, actor, now).Error; err != nil {
			return err
		}
		var firstShopper int64
		conn.Table("shoppers").Select("COALESCE(MAX(id), 0)").Scan(&firstShopper)
		shoppers := make([]map[string]any, 0, n.Shoppers)
		for i := range n.Shoppers {
			shoppers = append(shoppers, map[string]any{"openid": fmt.Sprintf("o-bulk-%06d", i+1),
				"nickname": fmt.Sprintf("顾客%d", i+1), "created_at": now, "updated_at": now, "last_login_at": now})
		}
		if err := insert(ctx, db, "shoppers", shoppers); err != nil {
			return err
		}
		var firstOrder int64
		conn.Table("orders").Select("COALESCE(MAX(id), 0)").Scan(&firstOrder)
		statuses := []string{"completed", "shipped", "paid", "closed", "pending_payment"}
		orders := make([]map[string]any, 0, n.Orders)
		items := make([]map[string]any, 0, n.Orders)
		for i := range n.Orders {
			created := now.Add(-time.Duration(n.Orders-i) * (60 * 24 * time.Hour / time.Duration(n.Orders)))
			status := statuses[i%len(statuses)]
			price := int64(1000 + i%50*100)
			o := map[string]any{"order_no": fmt.Sprintf("B%015d", i+1), "shopper_id": firstShopper + int64(i%n.Shoppers) + 1,
				"status": status, "item_count": 1, "goods_amount": price, "shipping_fee": 0, "total_amount": price,
				"pay_amount": price, "receiver_name": "张三", "receiver_phone": "13800138000", "province": "广东省",
				"city": "深圳市", "district": "南山区", "address_detail": "科技园 1 号", "expires_at": created.Add(15 * time.Minute),
				"created_at": created, "updated_at": created, "paid_at": nil, "transaction_id": ""}
			// Batches take their columns from the first row, so every row names every column.
			if status != "closed" && status != "pending_payment" {
				o["paid_at"], o["transaction_id"] = created.Add(time.Minute), fmt.Sprintf("42%018d", i+1)
			}
			orders = append(orders, o)
			product := i % n.Products
			items = append(items, map[string]any{"order_id": firstOrder + int64(i) + 1, "product_id": firstProduct + int64(product) + 1,
				"sku_id": 0, "title": fmt.Sprintf("商品 %05d 纯棉T恤", product+1), "spec_text": "尺码:M", "image": "",
				"unit_price": price, "quantity": 1, "line_amount": price, "pay_amount": price})
		}
		if err := insert(ctx, db, "orders", orders); err != nil {
			return err
		}
		return insert(ctx, db, "order_items", items)
	})
}

// insert writes rows in batches small enough for SQLite's parameter limit.
func insert(ctx context.Context, db *database.DB, table string, rows []map[string]any) error {
	const batch = 400
	for start := 0; start < len(rows); start += batch {
		end := min(start+batch, len(rows))
		if err := db.Conn(ctx).Table(table).Create(rows[start:end]).Error; err != nil {
			return fmt.Errorf("bulk %s: %w", table, err)
		}
	}
	return nil
}
