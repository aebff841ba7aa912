package seed

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/kaidian/kaidian/internal/clock"
	"github.com/kaidian/kaidian/internal/database"
)

// Footprints adds n footprints, so the "me" pages can be measured on a
// table the size of a busy shop's (issue 15: 1,000,000): spread over n/100
// new shoppers (o-fp-…), the shop's on-shelf products and the last 90
// days, one per shopper, product and day. It writes rows straight into the
// table, 1,000 per statement, each statement its own transaction.
func Footprints(ctx context.Context, db *database.DB, n int) error {
	var products []int64
	if err := db.Conn(ctx).Raw("SELECT id FROM products WHERE on_shelf = ? ORDER BY id", true).Scan(&products).Error; err != nil {
		return err
	}
	if len(products) == 0 || n <= 0 {
		return fmt.Errorf("seed footprints: no products on shelf")
	}
	now := time.Now().UTC()
	nShoppers := max(1, n/100)
	var first int64
	db.Conn(ctx).Table("shoppers").Select("COALESCE(MAX(id), 0)").Scan(&first)
	shoppers := make([]map[string]any, 0, nShoppers)
	for i := range nShoppers {
		shoppers = append(shoppers, map[string]any{"openid": fmt.Sprintf("o-fp-%d-%07d", first, i+1),
			"nickname": fmt.Sprintf("足迹顾客%d", i+1), "created_at": now, "updated_at": now, "last_login_at": now})
	}
	if err := insert(ctx, db, "shoppers", shoppers); err != nil {
		return err
	}
	const rows = 1000
	for start := 0; start < n; start += rows {
		var sql strings.Builder
		sql.WriteString("INSERT INTO footprints (shopper_id, product_id, day, viewed_at) VALUES ")
		args := make([]any, 0, 4*rows)
		for i := start; i < min(start+rows, n); i++ {
			if i > start {
				sql.WriteByte(',')
			}
			sql.WriteString("(?, ?, ?, ?)")
			// Each shopper's 100 footprints: a product a day, going back one day each.
			shopper := first + int64(i/100) + 1
			at := now.Add(-time.Duration(i%90) * 24 * time.Hour).Add(-time.Duration(i%97) * time.Minute)
			args = append(args, shopper, products[(i*7919)%len(products)], at.In(clock.China).Format(time.DateOnly), at)
		}
		sql.WriteString(" ON CONFLICT (shopper_id, product_id, day) DO NOTHING")
		if err := db.Conn(ctx).Exec(sql.String(), args...).Error; err != nil {
			return fmt.Errorf("seed footprints: %w", err)
		}
	}
	return nil
}
