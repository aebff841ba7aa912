package catalog

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/kaidian/kaidian/internal/database"
)

// PickRule is how a curated list of products (a home page section) is
// filled.
type PickRule string

// The rules.
const (
	PickChosen      PickRule = "picked"       // the merchant's own products, in their order
	PickNewest      PickRule = "newest"       // the latest products put up for sale
	PickBestSellers PickRule = "best_sellers" // the most units sold (paid, less refunds restocked)
	PickCategory    PickRule = "category"     // the newest in a category and every one below it
)

// MaxPick bounds one list, and the ids a merchant may pick for it.
const MaxPick = 50

// Pick asks for one list of on-shelf products.
type Pick struct {
	Rule       PickRule
	IDs        []int64 // PickChosen
	CategoryID int64   // PickCategory
	Limit      int     // 1..MaxPick
}

// Picks fills each list with on-shelf products, as the product list shows
// them (ProductSummary). A picked product that was deleted or taken off the
// shelf drops out silently. All lists are read in one batch: one statement
// each, one round trip on PostgreSQL, whatever their sizes.
//
// Best sellers add up skus.sold, which the inventory ledger moves when an
// order is paid (sell) and back when refunded goods are restocked: the
// units really sold. Every SKU is summed on each read, which is why the
// home page that uses it sits behind the catalog cache.
func (s *Service) Picks(ctx context.Context, picks []Pick) ([][]ProductSummary, error) {
	out := make([][]ProductSummary, len(picks))
	qs := make([]database.Query, 0, len(picks))
	each := make([]func(database.Rows) error, 0, len(picks))
	for i, p := range picks {
		q, ok := pickQuery(p)
		if !ok {
			continue
		}
		qs = append(qs, q)
		each = append(each, func(rows database.Rows) error {
			var err error
			out[i], err = scanSummaries(rows)
			return err
		})
	}
	if len(qs) == 0 {
		return out, nil
	}
	if err := s.db.Read(ctx, qs, each...); err != nil {
		return nil, fmt.Errorf("catalog: picks: %w", err)
	}
	for i, p := range picks {
		if p.Rule == PickChosen {
			out[i] = inOrder(out[i], p.IDs, p.Limit)
		}
	}
	return out, nil
}

// pickSelect joins a CTE named page (the chosen products, with a column
// pick_rank to order by) to their SKUs on sale, a row each, as ListProducts does.
const pickSelect = ") SELECT p.id, p.category_id, p.title, p.subtitle, p.main_image, p.min_price, p.sales, " +
	"COALESCE(k.id, 0), COALESCE(k.price, 0), COALESCE(k.original_price, 0), COALESCE(k.stock, 0) " +
	"FROM page p LEFT JOIN skus k ON k.product_id = p.id AND k.on_sale = TRUE ORDER BY p.pick_rank DESC, p.id DESC"

const pickColumns = "id, category_id, title, subtitle, main_image, min_price, sales"

// pickQuery is the statement of one pick; false for one that asks nothing.
func pickQuery(p Pick) (database.Query, bool) {
	// The LIMIT is written in, not bound, as in listSQL: PostgreSQL's
	// generic plan for a bound LIMIT guesses a tenth of the table. It is an
	// int of 1..MaxPick, so there is nothing to escape and few statements.
	lim := strconv.Itoa(min(max(p.Limit, 1), MaxPick))
	switch p.Rule {
	case PickChosen:
		ids := p.IDs[:min(len(p.IDs), MaxPick)]
		if len(ids) == 0 {
			return database.Query{}, false
		}
		args := make([]any, len(ids))
		for i, id := range ids {
			args[i] = id
		}
		marks := strings.TrimSuffix(strings.Repeat("?,", len(ids)), ",")
		return database.Query{SQL: "WITH page AS (SELECT " + pickColumns + ", 0 AS pick_rank FROM products " +
			"WHERE on_shelf = TRUE AND id IN (" + marks + ")" + pickSelect, Args: args}, true
	case PickNewest:
		return database.Query{SQL: "WITH page AS (SELECT " + pickColumns + ", 0 AS pick_rank FROM products " +
			"WHERE on_shelf = TRUE ORDER BY id DESC LIMIT " + lim + pickSelect}, true
	case PickCategory:
		return database.Query{SQL: "WITH RECURSIVE sub(id) AS (SELECT CAST(? AS BIGINT) UNION " +
			"SELECT c.id FROM categories c JOIN sub ON c.parent_id = sub.id), " +
			"page AS (SELECT " + pickColumns + ", 0 AS pick_rank FROM products " +
			"WHERE on_shelf = TRUE AND category_id IN (SELECT id FROM sub) ORDER BY id DESC LIMIT " + lim + pickSelect,
			Args: []any{p.CategoryID}}, true
	case PickBestSellers: // products.sales, kept by the sales sweep, through its index
		return database.Query{SQL: "WITH page AS (SELECT " + pickColumns + ", sales AS pick_rank FROM products " +
			"WHERE on_shelf = TRUE ORDER BY sales DESC, id DESC LIMIT " + lim + pickSelect}, true
	}
	return database.Query{}, false
}

// scanSummaries reads rows of (product, one of its SKUs on sale), a
// product's rows together, applying Offer's rule as ListProducts does.
func scanSummaries(rows database.Rows) ([]ProductSummary, error) {
	var out []ProductSummary
	var o offer
	var p ProductSummary
	var minPrice, skuID, price, original, stock int64
	for rows.Next() {
		if err := rows.Scan(&p.ID, &p.CategoryID, &p.Title, &p.Subtitle, &p.MainImage, &minPrice, &p.Sales,
			&skuID, &price, &original, &stock); err != nil {
			return nil, err
		}
		if n := len(out); n == 0 || out[n-1].ID != p.ID {
			if n > 0 {
				out[n-1].Price, out[n-1].OriginalPrice, out[n-1].InStock = o.price, o.original, o.inStock
			}
			out = append(out, p)
			o = offer{price: minPrice}
		}
		if skuID != 0 {
			o.add(price, original, stock, true)
		}
	}
	if n := len(out); n > 0 {
		out[n-1].Price, out[n-1].OriginalPrice, out[n-1].InStock = o.price, o.original, o.inStock
	}
	return out, nil
}

// inOrder puts found products in the order of ids, at most limit of them.
func inOrder(found []ProductSummary, ids []int64, limit int) []ProductSummary {
	byID := make(map[int64]ProductSummary, len(found))
	for _, p := range found {
		byID[p.ID] = p
	}
	out := make([]ProductSummary, 0, len(found))
	for _, id := range ids {
		if p, ok := byID[id]; ok && len(out) < max(limit, 1) {
			out = append(out, p)
			delete(byID, id) // an id listed twice shows once
		}
	}
	return out
}
