package loadgen

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strconv"
)

// shopCatalog is what the setup learned about the shop's catalog: the real
// ids the timed part asks for.
type shopCatalog struct {
	productIDs  []int64
	titles      []string // of the same products, for searches
	categoryIDs []int64
	secondPage  string // a real cursor, for paging requests
	skus        []skuRef
}

// skuRef is an in-stock SKU found in a product detail.
type skuRef struct {
	id, productID, price, stock int64
}

// maxDiscover bounds how many products setup lists: enough ids for detail
// reads to spread over, without paging a huge shop before every run.
const maxDiscover = 1000

// discover lists products (and categories) through the public API of the
// first target. withSKUs > 0 also finds that many in-stock SKUs.
func (l *load) discover(ctx context.Context, withSKUs int) (*shopCatalog, error) {
	base := l.o.Targets[0] + "/api/v1"
	c := &shopCatalog{}
	cursor := ""
	for len(c.productIDs) < maxDiscover {
		var page struct {
			Items []struct {
				ID      int64  `json:"id"`
				Title   string `json:"title"`
				InStock bool   `json:"in_stock"`
			} `json:"items"`
			NextCursor string `json:"next_cursor"`
		}
		if err := l.cl.call(ctx, "GET", base+"/products?limit=100&cursor="+url.QueryEscape(cursor), "", nil, &page); err != nil {
			return nil, err
		}
		for _, p := range page.Items {
			c.productIDs = append(c.productIDs, p.ID)
			c.titles = append(c.titles, p.Title)
		}
		if page.NextCursor == "" {
			break
		}
		cursor = page.NextCursor
	}
	if len(c.productIDs) == 0 {
		return nil, errors.New("the shop has no products on shelf: seed it (KAIDIAN_DEMO=true, or `kaidian seed`)")
	}
	var first struct {
		NextCursor string `json:"next_cursor"`
	}
	if err := l.cl.call(ctx, "GET", base+"/products?limit=5", "", nil, &first); err != nil {
		return nil, err
	}
	c.secondPage = first.NextCursor
	var cats struct {
		Items []category `json:"items"`
	}
	if err := l.cl.call(ctx, "GET", base+"/categories", "", nil, &cats); err != nil {
		return nil, err
	}
	c.categoryIDs = flatten(cats.Items)
	if withSKUs > 0 {
		if err := l.findSKUs(ctx, c, withSKUs); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// maxDetails bounds how many product details setup reads to find SKUs.
const maxDetails = 100

// findSKUs keeps the want in-stock SKUs with the most stock among the first
// products, so that orders run out of stock as late as possible.
func (l *load) findSKUs(ctx context.Context, c *shopCatalog, want int) error {
	for _, id := range first(c.productIDs, maxDetails) {
		d, err := l.product(ctx, l.o.Targets[0], id)
		if err != nil {
			return err
		}
		for _, k := range d.SKUs {
			if k.Available && k.Stock > 0 {
				c.skus = append(c.skus, skuRef{id: k.ID, productID: id, price: k.Price, stock: k.Stock})
			}
		}
	}
	if len(c.skus) == 0 {
		return errors.New("no SKU in stock among the shop's products (restock, or seed a shop)")
	}
	slices.SortStableFunc(c.skus, func(a, b skuRef) int { return cmp.Compare(b.stock, a.stock) })
	c.skus = first(c.skus, want)
	return nil
}

type category struct {
	ID       int64      `json:"id"`
	Children []category `json:"children"`
}

func flatten(cs []category) []int64 {
	var out []int64
	for _, c := range cs {
		out = append(out, c.ID)
		out = append(out, flatten(c.Children)...)
	}
	return out
}

type productDetail struct {
	ID   int64 `json:"id"`
	SKUs []struct {
		ID        int64 `json:"id"`
		Price     int64 `json:"price"`
		Stock     int64 `json:"stock"`
		Available bool  `json:"available"`
	} `json:"skus"`
}

func (l *load) product(ctx context.Context, base string, id int64) (productDetail, error) {
	var d productDetail
	err := l.cl.call(ctx, "GET", base+"/api/v1/products/"+strconv.FormatInt(id, 10), "", nil, &d)
	if err != nil {
		return d, fmt.Errorf("product %d: %w", id, err)
	}
	return d, nil
}
