package catalog

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/kaidian/kaidian/internal/database"
	"github.com/kaidian/kaidian/internal/page"
)

// The shopper's product list and detail are the reads a shop serves most,
// and a shop of thousands of products, searched and filtered many ways,
// misses the catalog cache most of the time. So they are hand-written
// queries on the raw driver (database.Read), scanned column by column:
// through gorm, reflection cost as much as the queries. A list page is one
// statement whatever its filters; a detail is two, sent together (one
// round trip on PostgreSQL).

// listSQL holds the list statement for each combination of filters,
// [category][search], in two halves around its LIMIT. The page of products
// comes first (ORDER BY id LIMIT in the CTE), then joins the SKUs on sale,
// a row each, from which Offer's rule is applied as they are scanned. A
// category filter takes the category and every one below it, walked by a
// recursive CTE in the same statement.
//
// The LIMIT is written into the statement, not bound: PostgreSQL plans a
// prepared statement once for any parameters after a few executions, and
// with LIMIT $n it guesses a tenth of the table, so the generic plan
// hash-joined every SKU (a sequential scan of skus, 520 pages, for 63 rows)
// instead of looking up the page's 21 products' SKUs by index. A page size
// is one of 100 numbers, so at most 200 statements.
//
// Except with a search: PostgreSQL has no statistics for LOWER(title), so
// it guesses that a LIKE '%…%' matches one row, and its custom plan for a
// literal pattern reads the whole table and sorts it (10 ms) even for a
// term most titles contain; with the LIMIT bound, it settles on the
// generic plan, which walks products in id order and stops at a page.
var listSQL = [2][2][2]string{
	{listStatement(false, false), listStatement(false, true)},
	{listStatement(true, false), listStatement(true, true)},
}

func listStatement(category, search bool) [2]string {
	q := "WITH "
	if category {
		q += "RECURSIVE sub(id) AS (SELECT CAST(? AS BIGINT) UNION " +
			"SELECT c.id FROM categories c JOIN sub ON c.parent_id = sub.id), "
	}
	q += "page AS (SELECT id, category_id, title, subtitle, main_image, min_price FROM products " +
		"WHERE on_shelf = TRUE AND id > ?"
	if category {
		q += " AND category_id IN (SELECT id FROM sub)"
	}
	if search {
		q += ` AND LOWER(title) LIKE LOWER(?) ESCAPE '\'`
	}
	return [2]string{q + " ORDER BY id LIMIT ", ") " +
		"SELECT p.id, p.category_id, p.title, p.subtitle, p.main_image, p.min_price, " +
		"COALESCE(k.id, 0), COALESCE(k.price, 0), COALESCE(k.original_price, 0), COALESCE(k.stock, 0) " +
		"FROM page p LEFT JOIN skus k ON k.product_id = p.id AND k.on_sale = TRUE ORDER BY p.id"}
}

// ListProducts returns a page of on-shelf products in id order, and the
// cursor of the next page ("" on the last): one statement whatever the
// filters and the page size.
func (s *Service) ListProducts(ctx context.Context, q ProductQuery) ([]ProductSummary, string, error) {
	if err := searchInput(&q.Q, &q.Page, MaxQueryLen); err != nil {
		return nil, "", err
	}
	args := make([]any, 0, 6)
	if q.CategoryID != 0 {
		args = append(args, q.CategoryID)
	}
	args = append(args, q.Page.After)
	if q.Q != "" {
		args = append(args, "%"+escapeLike(q.Q)+"%")
	}
	halves := listSQL[b2i(q.CategoryID != 0)][b2i(q.Q != "")]
	sql := halves[0] + "?" + halves[1]
	if q.Q == "" {
		sql = halves[0] + strconv.Itoa(q.Page.Limit+1) + halves[1] // an int: nothing to escape
	} else {
		args = append(args, q.Page.Limit+1)
	}

	out := make([]ProductSummary, 0, q.Page.Limit+1)
	var o offer
	err := s.db.Read(ctx, []database.Query{{SQL: sql, Args: args}}, func(rows database.Rows) error {
		var p ProductSummary
		var minPrice, skuID, price, original, stock int64
		for rows.Next() {
			if err := rows.Scan(&p.ID, &p.CategoryID, &p.Title, &p.Subtitle, &p.MainImage, &minPrice,
				&skuID, &price, &original, &stock); err != nil {
				return err
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
		return nil
	})
	if err != nil {
		return nil, "", fmt.Errorf("list products: %w", err)
	}
	out, next := page.Trim(out, q.Page, func(p ProductSummary) int64 { return p.ID })
	return out, next, nil
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

const (
	detailSQL = "SELECT category_id, title, subtitle, description, main_image, images, spec_dims, min_price " +
		"FROM products WHERE id = ? AND on_shelf = TRUE"
	detailSKUsSQL = "SELECT id, code, spec_values, spec_text, image, price, original_price, stock, on_sale " +
		"FROM skus WHERE product_id = ? ORDER BY id"
)

// ProductDetail returns an on-shelf product with the SKUs of its current
// spec grid (on sale or not) in id order; off-shelf and unknown products are
// ErrProductNotFound. The product and its SKUs are two statements sent
// together.
func (s *Service) ProductDetail(ctx context.Context, id int64) (Product, error) {
	p := Product{ID: id, OnShelf: true}
	found := false
	err := s.db.Read(ctx, []database.Query{{SQL: detailSQL, Args: []any{id}}, {SQL: detailSKUsSQL, Args: []any{id}}},
		func(rows database.Rows) error {
			var images, dims string
			for rows.Next() {
				if err := rows.Scan(&p.CategoryID, &p.Title, &p.Subtitle, &p.Description, &p.MainImage,
					&images, &dims, &p.MinPrice); err != nil {
					return err
				}
				found = true
			}
			if !found {
				return nil
			}
			if err := unmarshalColumn(images, &p.Images.V); err != nil {
				return err
			}
			return unmarshalColumn(dims, &p.SpecDims.V)
		},
		func(rows database.Rows) error {
			for found && rows.Next() {
				k := SKU{ProductID: id}
				var values string
				if err := rows.Scan(&k.ID, &k.Code, &values, &k.SpecText, &k.Image, &k.Price, &k.OriginalPrice,
					&k.Stock, &k.OnSale); err != nil {
					return err
				}
				if err := unmarshalColumn(values, &k.SpecValues.V); err != nil {
					return err
				}
				p.SKUs = append(p.SKUs, k)
			}
			return nil
		})
	if err != nil {
		return Product{}, fmt.Errorf("product %d: %w", id, err)
	}
	if !found {
		return Product{}, ErrProductNotFound.With("product_id", id)
	}
	// SKUs kept only because orders reference them have no place in the
	// shopper's SKU picker.
	p.SKUs, _ = p.Grid()
	return p, nil
}

// unmarshalColumn decodes a JSON text column as database.JSON does.
func unmarshalColumn[T any](text string, v *T) error {
	if text == "" {
		return nil
	}
	return json.Unmarshal([]byte(text), v)
}
