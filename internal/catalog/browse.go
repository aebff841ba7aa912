package catalog

import (
	"context"
	"fmt"
	"strings"

	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/page"
)

// MaxQueryLen bounds a search text, so a shopper cannot send a novel as a LIKE pattern.
const MaxQueryLen = 50

// ErrProductNotFound is returned for a product that does not exist or that
// shoppers may not see (off shelf); the two are deliberately indistinguishable.
var ErrProductNotFound = errs.NotFound("product_not_found", "catalog.product_gone")

// CategoryNode is a category with its sub-categories, as the mini program shows them.
type CategoryNode struct {
	Category
	Children []CategoryNode
}

// Categories returns the whole category tree, each level sorted by
// sort_order then id. Shops have tens of categories, so one query and an
// in-memory build beat a recursive query.
func (s *Service) Categories(ctx context.Context) ([]CategoryNode, error) {
	var all []Category
	if err := s.db.Conn(ctx).Order("sort_order, id").Find(&all).Error; err != nil {
		return nil, fmt.Errorf("categories: %w", err)
	}
	children := map[int64][]Category{} // parent id (0 for roots) → children, already sorted
	for _, c := range all {
		var parent int64
		if c.ParentID != nil {
			parent = *c.ParentID
		}
		children[parent] = append(children[parent], c)
	}
	var build func(parent int64) []CategoryNode
	build = func(parent int64) []CategoryNode {
		nodes := make([]CategoryNode, 0, len(children[parent]))
		for _, c := range children[parent] {
			nodes = append(nodes, CategoryNode{Category: c, Children: build(c.ID)})
		}
		return nodes
	}
	return build(0), nil
}

// ProductQuery selects a page of on-shelf products.
type ProductQuery struct {
	CategoryID int64  // 0 means every category; otherwise the category and all below it
	Q          string // substring of the title, compared as SearchText; empty means no filter
	Sort       Sort   // "" is SortDefault
	// MinPrice and MaxPrice bound the product's price in fen (nil: no bound).
	MinPrice, MaxPrice *int64
	InStock            bool // only products with a SKU on sale and in stock
	// Cursor is the next_cursor of the previous page of the same sort;
	// when set it replaces Page.After. Page.Limit is the page size.
	Cursor string
	Page   page.Request
}

// ProductSummary is a product as a list shows it.
type ProductSummary struct {
	ID            int64
	CategoryID    int64
	Title         string
	Subtitle      string
	MainImage     string
	Price         int64 // lowest price among SKUs on sale
	OriginalPrice int64 // that SKU's original price (0: none)
	InStock       bool  // some SKU on sale has stock
	Sales         int64 // units sold (see RefreshSales)

	minPrice int64 // the price column the price sorts order by, for the cursor
}

// subtree returns id and the ids of every category below it. An unknown id
// yields just itself, which matches no product: an empty list, not an error.
func (s *Service) subtree(ctx context.Context, id int64) ([]int64, error) {
	var all []Category
	if err := s.db.Conn(ctx).Select("id, parent_id").Find(&all).Error; err != nil {
		return nil, fmt.Errorf("category tree: %w", err)
	}
	children := map[int64][]int64{}
	for _, c := range all {
		if c.ParentID != nil {
			children[*c.ParentID] = append(children[*c.ParentID], c.ID)
		}
	}
	out := []int64{id}
	for i := 0; i < len(out); i++ { // breadth-first; out grows as we go
		out = append(out, children[out[i]]...)
	}
	return out, nil
}

// escapeLike makes s match literally inside a LIKE pattern with ESCAPE '\'.
// searchInput trims a list's search text and refuses one longer than max
// characters (a field error on q), and gives a page asking no limit the
// default one.
func searchInput(q *string, pg *page.Request, max int) error {
	*q = strings.TrimSpace(*q)
	if len([]rune(*q)) > max {
		return errs.Field("q", "invalid.max_length", "max", max)
	}
	if pg.Limit <= 0 {
		pg.Limit = page.DefaultLimit
	}
	return nil
}

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// Grid splits a product's loaded SKUs into those of its current spec grid
// and the retired ones: SKUs whose combination an edit removed, kept (off
// sale) because orders reference them.
func (p Product) Grid() (current, retired []SKU) {
	for _, k := range p.SKUs {
		if inGrid(p.SpecDims.V, k.SpecValues.V) {
			current = append(current, k)
		} else {
			retired = append(retired, k)
		}
	}
	return current, retired
}

// Available reports whether a shopper can buy this SKU now (on sale, in stock).
func (k SKU) Available() bool { return k.OnSale && k.Stock > 0 }

// Offer is what a product shows as its price, with the same rule as the
// lists: the cheapest SKU on sale (ties: the higher original price), and
// whether any SKU on sale has stock. SKUs must be loaded.
func (p Product) Offer() (price, originalPrice int64, inStock bool) {
	o := offer{price: p.MinPrice}
	for _, k := range p.SKUs {
		o.add(k.Price, k.OriginalPrice, k.Stock, k.OnSale)
	}
	return o.price, o.original, o.inStock
}

// offer accumulates Offer's rule over SKUs one at a time, so a list can
// apply it to rows as they are scanned. Start it with price at the
// product's min_price: that is the answer when no SKU is on sale.
type offer struct {
	price, original int64
	inStock, found  bool
}

func (o *offer) add(price, original, stock int64, onSale bool) {
	if !onSale {
		return
	}
	o.inStock = o.inStock || stock > 0
	if !o.found || price < o.price || (price == o.price && original > o.original) {
		o.price, o.original, o.found = price, original, true
	}
}
