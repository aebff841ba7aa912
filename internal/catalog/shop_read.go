package catalog

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"sync"

	"github.com/kaidian/kaidian/internal/database"
)

// The shopper's product list and detail are the reads a shop serves most,
// and a shop of thousands of products, searched and filtered many ways,
// misses the catalog cache most of the time. So they are hand-written
// queries on the raw driver (database.Read), scanned column by column:
// through gorm, reflection cost as much as the queries. A list page is one
// statement whatever its filters; a detail is two, sent together (one
// round trip on PostgreSQL).

// listStatement builds the list statement for one shape of query, in two
// halves around its LIMIT. The page of products comes first (ordered and
// limited in the CTE, walking the index of its sort: products_shelf,
// products_by_sales, products_by_price), then joins the SKUs on sale, a
// row each, from which Offer's rule is applied as they are scanned. A
// category filter takes the category and every one below it, walked by a
// recursive CTE in the same statement. The next page starts after the
// last row's (sort value, id): keyset pagination, the id breaking ties, so
// no product is skipped or repeated however many share a price.
//
// The LIMIT is written into the statement, not bound: PostgreSQL plans a
// prepared statement once for any parameters after a few executions, and
// with LIMIT $n it guesses a tenth of the table, so the generic plan
// hash-joined every SKU (a sequential scan of skus, 520 pages, for 63 rows)
// instead of looking up the page's 21 products' SKUs by index. A page size
// is one of 100 numbers, and the shapes a few dozen.
//
// Except with a search, whose LIMIT is bound: with it, PostgreSQL settles
// on the generic plan, which walks the sort's index, testing each row's
// search text, and stops at a page: at once for a common word, after the
// whole table (about 2 ms for 10,000 products) for a rare one. Custom plans,
// estimated from search_text's statistics, may instead take the trigram
// index (products_search_text) for a rare word of three characters or
// more; a word of one or two characters (most Chinese searches) has no
// trigram to look up, so the walk is the plan for those in any case.
func listStatement(sh listShape) [2]string {
	var b strings.Builder
	b.WriteString("WITH ")
	if sh.category {
		b.WriteString("RECURSIVE sub(id) AS (SELECT CAST(? AS BIGINT) UNION " +
			"SELECT c.id FROM categories c JOIN sub ON c.parent_id = sub.id), ")
	}
	b.WriteString("page AS (SELECT id, category_id, title, subtitle, main_image, min_price, sales FROM products " +
		"WHERE on_shelf = TRUE")
	o := sh.sort.order()
	switch {
	case o.col == "":
		b.WriteString(" AND id " + o.cmp() + " ?")
	case sh.after:
		b.WriteString(" AND (" + o.col + ", id) " + o.cmp() + " (?, ?)")
	}
	if sh.category {
		b.WriteString(" AND category_id IN (SELECT id FROM sub)")
	}
	if sh.minPrice {
		b.WriteString(" AND min_price >= ?")
	}
	if sh.maxPrice {
		b.WriteString(" AND min_price <= ?")
	}
	if sh.inStock {
		b.WriteString(" AND EXISTS (SELECT 1 FROM skus s WHERE s.product_id = products.id AND s.on_sale = TRUE AND s.stock > 0)")
	}
	if sh.search {
		b.WriteString(" AND " + sh.like)
	}
	return [2]string{b.String() + " ORDER BY " + o.by("") + " LIMIT ", ") " +
		"SELECT p.id, p.category_id, p.title, p.subtitle, p.main_image, p.min_price, p.sales, " +
		"COALESCE(k.id, 0), COALESCE(k.price, 0), COALESCE(k.original_price, 0), COALESCE(k.stock, 0) " +
		"FROM page p LEFT JOIN skus k ON k.product_id = p.id AND k.on_sale = TRUE ORDER BY " + o.by("p.")}
}

// listShape is what decides the list statement's text.
type listShape struct {
	category, search, minPrice, maxPrice, inStock, after bool
	sort                                                 Sort
	like                                                 string // likeSearchText of the database
}

// listSQL keeps each shape's statement, built once.
var listSQL sync.Map // listShape → [2]string

// ListProducts returns a page of on-shelf products in the query's sort, and
// the cursor of the next page ("" on the last): one statement whatever the
// filters and the page size.
func (s *Service) ListProducts(ctx context.Context, q ProductQuery) ([]ProductSummary, string, error) {
	if err := searchInput(&q.Q, &q.Page, MaxQueryLen); err != nil {
		return nil, "", err
	}
	afterKey, err := q.check()
	if err != nil {
		return nil, "", err
	}
	o := q.Sort.order()
	sh := listShape{category: q.CategoryID != 0, search: q.Q != "", minPrice: q.MinPrice != nil,
		maxPrice: q.MaxPrice != nil, inStock: q.InStock, after: q.Cursor != "", sort: q.Sort,
		like: likeSearchText(s.db.Dialect)}
	args := make([]any, 0, 8)
	if sh.category {
		args = append(args, q.CategoryID)
	}
	switch {
	case o.col == "" && q.Page.After == 0 && o.desc:
		args = append(args, int64(math.MaxInt64)) // newest first, from the start
	case o.col == "":
		args = append(args, q.Page.After)
	case sh.after:
		args = append(args, afterKey, q.Page.After)
	}
	if sh.minPrice {
		args = append(args, *q.MinPrice)
	}
	if sh.maxPrice {
		args = append(args, *q.MaxPrice)
	}
	if sh.search {
		args = append(args, searchPattern(q.Q))
	}
	cached, ok := listSQL.Load(sh)
	if !ok {
		cached, _ = listSQL.LoadOrStore(sh, listStatement(sh))
	}
	halves := cached.([2]string)
	sql := halves[0] + "?" + halves[1]
	if sh.search {
		args = append(args, q.Page.Limit+1)
	} else {
		sql = halves[0] + strconv.Itoa(q.Page.Limit+1) + halves[1] // an int: nothing to escape
	}

	out := make([]ProductSummary, 0, q.Page.Limit+1)
	var of offer
	err = s.db.Read(ctx, []database.Query{{SQL: sql, Args: args}}, func(rows database.Rows) error {
		var p ProductSummary
		var skuID, price, original, stock int64
		for rows.Next() {
			if err := rows.Scan(&p.ID, &p.CategoryID, &p.Title, &p.Subtitle, &p.MainImage, &p.minPrice, &p.Sales,
				&skuID, &price, &original, &stock); err != nil {
				return err
			}
			if n := len(out); n == 0 || out[n-1].ID != p.ID {
				if n > 0 {
					out[n-1].Price, out[n-1].OriginalPrice, out[n-1].InStock = of.price, of.original, of.inStock
				}
				out = append(out, p)
				of = offer{price: p.minPrice}
			}
			if skuID != 0 {
				of.add(price, original, stock, true)
			}
		}
		if n := len(out); n > 0 {
			out[n-1].Price, out[n-1].OriginalPrice, out[n-1].InStock = of.price, of.original, of.inStock
		}
		return nil
	})
	if err != nil {
		return nil, "", fmt.Errorf("list products: %w", err)
	}
	out, next := trimPage(out, q)
	return out, next, nil
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

const (
	detailSQL = "SELECT category_id, title, subtitle, description, main_image, images, spec_dims, min_price, sales " +
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
					&images, &dims, &p.MinPrice, &p.Sales); err != nil {
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
