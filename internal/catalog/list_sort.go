package catalog

import (
	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/page"
)

// Sort orders the shopper's product list.
type Sort string

// The sorts a shopper can pick. Ties (the same price, the same sales) are
// broken by id, so pages never skip or repeat a product.
const (
	SortDefault   Sort = "default"    // oldest first: the order the merchant built the shop in
	SortNewest    Sort = "newest"     // newest first
	SortSales     Sort = "sales"      // most units sold first (products.sales), newest first among equals
	SortPriceAsc  Sort = "price_asc"  // cheapest first, oldest first among equals
	SortPriceDesc Sort = "price_desc" // dearest first, newest first among equals
)

// Sorts lists every sort, for documentation and validation.
var Sorts = []Sort{SortDefault, SortSales, SortPriceAsc, SortPriceDesc, SortNewest}

// sortOrder is a sort as SQL: the column it orders by ("" for id alone)
// and its direction, which id follows.
type sortOrder struct {
	col  string
	desc bool
}

func (s Sort) order() sortOrder {
	switch s {
	case SortNewest:
		return sortOrder{desc: true}
	case SortSales:
		return sortOrder{col: "sales", desc: true}
	case SortPriceAsc:
		return sortOrder{col: "min_price"}
	case SortPriceDesc:
		return sortOrder{col: "min_price", desc: true}
	}
	return sortOrder{}
}

// cmp is the comparison that selects the rows after a cursor.
func (o sortOrder) cmp() string {
	if o.desc {
		return "<"
	}
	return ">"
}

// by is the ORDER BY list, its columns prefixed (a table alias).
func (o sortOrder) by(prefix string) string {
	dir := ""
	if o.desc {
		dir = " DESC"
	}
	if o.col == "" {
		return prefix + "id" + dir
	}
	return prefix + o.col + dir + ", " + prefix + "id" + dir
}

// check validates the sort and the price filters and reads the cursor
// (into Page.After, and the sort value it returns). Nothing is read from
// the database for a query that fails here.
func (q *ProductQuery) check() (afterKey int64, err error) {
	if q.Sort == "" {
		q.Sort = SortDefault
	}
	known := false
	for _, s := range Sorts {
		known = known || s == q.Sort
	}
	if !known {
		return 0, errs.Field("sort", "search.sort_unknown")
	}
	for _, b := range []struct {
		field string
		v     *int64
	}{{"min_price", q.MinPrice}, {"max_price", q.MaxPrice}} {
		// Any int64 is safe in the comparison; only a negative price is nonsense.
		if b.v != nil && *b.v < 0 {
			return 0, errs.Field(b.field, "invalid.not_negative")
		}
	}
	if q.MinPrice != nil && q.MaxPrice != nil && *q.MinPrice > *q.MaxPrice {
		return 0, errs.Field("max_price", "search.price_range")
	}
	if q.Cursor == "" {
		return 0, nil
	}
	if q.Sort == SortDefault {
		pr, err := page.Parse(q.Cursor, "")
		q.Page.After = pr.After
		return 0, err
	}
	afterKey, q.Page.After, err = page.ParseKey(q.Cursor, string(q.Sort))
	return afterKey, err
}

// trimPage cuts the extra row a list reads and makes the next page's cursor
// from the last row kept: its id for the default sort (the cursor the list
// always had), its sort value and id for the others.
func trimPage(rows []ProductSummary, q ProductQuery) ([]ProductSummary, string) {
	if len(rows) <= q.Page.Limit {
		return rows, ""
	}
	rows = rows[:q.Page.Limit]
	last := rows[len(rows)-1]
	switch q.Sort {
	case SortDefault:
		return rows, page.Cursor(last.ID)
	case SortSales:
		return rows, page.KeyCursor(string(q.Sort), last.Sales, last.ID)
	case SortPriceAsc, SortPriceDesc:
		return rows, page.KeyCursor(string(q.Sort), last.minPrice, last.ID)
	}
	return rows, page.KeyCursor(string(q.Sort), last.ID, last.ID)
}
