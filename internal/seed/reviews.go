package seed

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/kaidian/kaidian/internal/database"
)

// reviewTexts are what the seeded reviews say, by rating (1–5).
var reviewTexts = [5][]string{
	{"质量太差了，和图片不一样", "用了两天就坏了"},
	{"一般般，有点失望", "做工粗糙"},
	{"还行吧，中规中矩", "物流有点慢，东西还可以"},
	{"不错，性价比高", "挺好的，会回购"},
	{"质量很好，物流也快", "非常满意，推荐购买", "包装很用心，好评"},
}

// Reviews adds n visible reviews, with the completed orders they review
// and 1,000 shoppers who wrote them, spread over the shop's on-shelf
// products and the 90 days before now (every fifth with a photo, ratings leaning
// to good), for load tests of the product page's reviews (`kaidian seed
// -reviews N`). Rows go in as multi-row inserts; the per-product
// aggregates are then summed from the visible reviews in one statement.
func Reviews(ctx context.Context, db *database.DB, n int) error {
	if n <= 0 {
		return nil
	}
	now := time.Now().UTC()
	run := now.Format("0102150405") // order numbers and openids of this run
	return db.Tx(ctx, func(ctx context.Context) error {
		conn := db.Conn(ctx)
		var lines []struct {
			ProductID int64
			SKUID     int64
			Title     string
			SpecText  string
			Price     int64
		}
		if err := conn.Raw(`SELECT p.id AS product_id, MIN(k.id) AS sku_id, p.title, MIN(k.spec_text) AS spec_text, MIN(k.price) AS price
			FROM products p JOIN skus k ON k.product_id = p.id WHERE p.on_shelf = TRUE GROUP BY p.id, p.title ORDER BY p.id`).Scan(&lines).Error; err != nil {
			return err
		}
		if len(lines) == 0 {
			return errors.New("seed reviews: the shop has no products on the shelf (seed -products N first)")
		}
		const writers = 1000
		shoppers := make([]map[string]any, writers)
		for i := range shoppers {
			shoppers[i] = map[string]any{"openid": fmt.Sprintf("o-review-%s-%04d", run, i), "nickname": fmt.Sprintf("评价者%d", i+1),
				"created_at": now, "updated_at": now, "last_login_at": now}
		}
		if err := insert(ctx, db, "shoppers", shoppers); err != nil {
			return err
		}
		var shopperIDs []int64
		if err := conn.Table("shoppers").Where("openid LIKE ?", "o-review-"+run+"-%").Order("id").Pluck("id", &shopperIDs).Error; err != nil {
			return err
		}
		orders := make([]map[string]any, n)
		for i := range orders {
			l := lines[i%len(lines)]
			// Over the 90 days up to three days ago: each review is written
			// three days after its order, and none lies in the future.
			at := now.Add(-72*time.Hour - time.Duration(n-i)*(90*24*time.Hour/time.Duration(n)))
			orders[i] = map[string]any{"order_no": fmt.Sprintf("RV%s%08d", run, i), "shopper_id": shopperIDs[i%writers],
				"status": "completed", "item_count": 1, "goods_amount": l.Price, "shipping_fee": 0, "total_amount": l.Price,
				"pay_amount": l.Price, "receiver_name": "张三", "receiver_phone": "13800138000", "province": "广东省",
				"city": "深圳市", "district": "南山区", "address_detail": "科技园 1 号", "expires_at": at.Add(15 * time.Minute),
				"paid_at": at.Add(time.Minute), "shipped_at": at.Add(time.Hour), "completed_at": at.Add(48 * time.Hour),
				"transaction_id": fmt.Sprintf("42%s%08d", run, i), "created_at": at, "updated_at": at}
		}
		if err := insert(ctx, db, "orders", orders); err != nil {
			return err
		}
		var placed []struct{ ID int64 }
		if err := conn.Table("orders").Select("id").Where("order_no LIKE ?", "RV"+run+"%").Order("order_no").Scan(&placed).Error; err != nil {
			return err
		}
		items := make([]map[string]any, n)
		for i := range items {
			l := lines[i%len(lines)]
			items[i] = map[string]any{"order_id": placed[i].ID, "product_id": l.ProductID, "sku_id": l.SKUID, "title": l.Title,
				"spec_text": l.SpecText, "image": "", "unit_price": l.Price, "quantity": 1, "line_amount": l.Price, "pay_amount": l.Price}
		}
		if err := insert(ctx, db, "order_items", items); err != nil {
			return err
		}
		var itemIDs []int64
		if err := conn.Table("order_items").Where("order_id >= ? AND order_id <= ?", placed[0].ID, placed[n-1].ID).
			Order("order_id").Pluck("id", &itemIDs).Error; err != nil {
			return err
		}
		reviews := make([]map[string]any, n)
		for i := range reviews {
			l := lines[i%len(lines)]
			rating := []int{5, 5, 5, 4, 4, 3, 2, 1, 5, 4}[i%10]
			grade := 0
			if rating >= 4 {
				grade = 1
			} else if rating <= 2 {
				grade = -1
			}
			photos := "[]"
			if i%5 == 0 {
				photos = `["/static/demo/mug.svg"]`
			}
			texts := reviewTexts[rating-1]
			at := orders[i]["created_at"].(time.Time).Add(72 * time.Hour)
			reviews[i] = map[string]any{"order_id": placed[i].ID, "order_item_id": itemIDs[i], "product_id": l.ProductID,
				"sku_id": l.SKUID, "title": l.Title, "sku_text": l.SpecText, "shopper_id": shopperIDs[i%writers],
				"shopper_name": "评**", "anonymous": i%7 == 0, "rating": rating, "grade": grade, "content": texts[i%len(texts)],
				"photos": photos, "has_photos": i%5 == 0, "status": "visible", "created_at": at, "updated_at": at}
		}
		if err := insert(ctx, db, "reviews", reviews); err != nil {
			return err
		}
		if err := conn.Exec("DELETE FROM review_stats").Error; err != nil {
			return err
		}
		return conn.Exec(`INSERT INTO review_stats (product_id, review_count, rating_sum, good_count, bad_count, photo_count)
			SELECT product_id, COUNT(*), SUM(rating), SUM(CASE WHEN grade = 1 THEN 1 ELSE 0 END),
				SUM(CASE WHEN grade = -1 THEN 1 ELSE 0 END), SUM(CASE WHEN has_photos THEN 1 ELSE 0 END)
			FROM reviews WHERE status = 'visible' GROUP BY product_id`).Error
	})
}
