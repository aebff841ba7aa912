package catalog

import (
	"context"
	"fmt"

	"github.com/kaidian/kaidian/internal/database"
)

// Glance is a product as a shopper's saved lists show it (favourites,
// footprints): the list's summary, and whether it is still on sale. A
// product taken off the shelf, or with no SKU on sale, stays in those lists
// flagged rather than vanishing, so the shopper sees what happened to it.
type Glance struct {
	ProductSummary
	OnSale bool // on the shelf with some SKU on sale
}

const glanceSQL = "SELECT p.id, p.category_id, p.title, p.subtitle, p.main_image, p.min_price, p.on_shelf, " +
	"COALESCE(k.id, 0), COALESCE(k.price, 0), COALESCE(k.original_price, 0), COALESCE(k.stock, 0) " +
	"FROM products p LEFT JOIN skus k ON k.product_id = p.id AND k.on_sale = TRUE WHERE p.id IN (%s) ORDER BY p.id"

// Glances returns the products ids names, by id, on shelf or not, in one
// statement; an id that names no product is absent. Prices follow the
// lists' rule (Offer).
func (s *Service) Glances(ctx context.Context, ids []int64) (map[int64]Glance, error) {
	out := make(map[int64]Glance, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	args := make([]any, len(ids))
	marks := make([]byte, 0, 2*len(ids))
	for i, id := range ids {
		args[i] = id
		if i > 0 {
			marks = append(marks, ',')
		}
		marks = append(marks, '?')
	}
	var cur Glance
	var o offer
	flush := func() {
		if cur.ID != 0 {
			cur.Price, cur.OriginalPrice, cur.InStock, cur.OnSale = o.price, o.original, o.inStock, cur.OnSale && o.found
			out[cur.ID] = cur
		}
	}
	err := s.db.Read(ctx, []database.Query{{SQL: fmt.Sprintf(glanceSQL, marks), Args: args}}, func(rows database.Rows) error {
		var g Glance
		var minPrice, skuID, price, original, stock int64
		for rows.Next() {
			if err := rows.Scan(&g.ID, &g.CategoryID, &g.Title, &g.Subtitle, &g.MainImage, &minPrice, &g.OnSale,
				&skuID, &price, &original, &stock); err != nil {
				return err
			}
			if g.ID != cur.ID {
				flush()
				cur, o = g, offer{price: minPrice}
			}
			if skuID != 0 {
				o.add(price, original, stock, true)
			}
		}
		flush()
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("catalog glances: %w", err)
	}
	return out, nil
}

// ProductExists reports whether id names a product, on shelf or not: a
// shopper may keep a favourite of a product the shop later shelves.
func (s *Service) ProductExists(ctx context.Context, id int64) (bool, error) {
	var n int64
	if err := s.db.Conn(ctx).Raw("SELECT COUNT(*) FROM products WHERE id = ?", id).Scan(&n).Error; err != nil {
		return false, fmt.Errorf("product exists: %w", err)
	}
	return n > 0, nil
}
