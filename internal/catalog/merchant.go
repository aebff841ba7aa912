package catalog

import (
	"context"
	"fmt"

	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/page"
)

// Shelf filters products by whether shoppers see them.
type Shelf string

// Shelf filter values.
const (
	ShelfAny Shelf = ""
	ShelfOn  Shelf = "on"
	ShelfOff Shelf = "off"
)

// MerchantQuery selects a page of the merchant's product list: every
// product, on shelf or not, newest first.
type MerchantQuery struct {
	Q          string // a substring of the title, or a SKU code exactly
	CategoryID int64  // 0 means every category; otherwise the category and all below it
	Shelf      Shelf
	LowStock   bool  // only products with a SKU on sale at or below Threshold
	Threshold  int64 // the shop's low-stock threshold; also counts each row's low SKUs
	Page       page.Request
}

// MerchantRow is a product as the merchant's list shows it.
type MerchantRow struct {
	ID         int64
	CategoryID int64
	Category   string // the category's name
	Title      string
	MainImage  string
	OnShelf    bool
	PriceLow   int64 // the cheapest SKU on sale (of all SKUs when none is on sale)
	PriceHigh  int64 // the dearest, by the same rule
	Stock      int64 // available units over all SKUs
	SKUs       int   // how many SKUs
	OnSale     int   // how many of them are on sale
	Low        int   // how many SKUs on sale are at or below the threshold
}

// MerchantProducts returns a page of the merchant's products and the cursor
// of the next page ("" on the last). Whatever the filters and the page size
// it runs two queries: the page of products (walking the primary key or the
// category, shelf or low-stock index; a text search also reads titles, which
// at 10,000 products is a few milliseconds), then its SKUs' aggregates.
func (s *Service) MerchantProducts(ctx context.Context, q MerchantQuery) ([]MerchantRow, string, error) {
	if err := searchInput(&q.Q, &q.Page, MaxQueryLen); err != nil {
		return nil, "", err
	}
	db := s.db.Conn(ctx).Table("products p").
		Select("p.id, p.category_id, COALESCE(c.name, '') AS category, p.title, p.main_image, p.on_shelf").
		Joins("LEFT JOIN categories c ON c.id = p.category_id")
	if q.Page.After > 0 {
		db = db.Where("p.id < ?", q.Page.After)
	}
	if q.CategoryID != 0 {
		ids, err := s.subtree(ctx, q.CategoryID)
		if err != nil {
			return nil, "", err
		}
		db = db.Where("p.category_id IN ?", ids)
	}
	switch q.Shelf {
	case ShelfOn, ShelfOff:
		db = db.Where("p.on_shelf = ?", q.Shelf == ShelfOn)
	}
	if q.LowStock {
		db = db.Where("p.id IN (SELECT product_id FROM skus WHERE on_sale AND stock <= ?)", q.Threshold)
	}
	if q.Q != "" {
		// The same matching as the shopper's search (width and case
		// ignored), or a SKU code exactly.
		db = db.Where(`(p.search_text LIKE ? ESCAPE '\' OR p.id IN (SELECT product_id FROM skus WHERE code = ?))`,
			searchPattern(q.Q), q.Q)
	}
	var rows []MerchantRow
	if err := db.Order("p.id DESC").Limit(q.Page.Limit + 1).Scan(&rows).Error; err != nil {
		return nil, "", fmt.Errorf("merchant products: %w", err)
	}
	rows, next := page.Trim(rows, q.Page, func(r MerchantRow) int64 { return r.ID })
	if err := s.addSKUFigures(ctx, rows, q.Threshold); err != nil {
		return nil, "", err
	}
	return rows, next, nil
}

// addSKUFigures fills each row's prices, stock and SKU counts with one
// grouped query over the page's SKUs.
func (s *Service) addSKUFigures(ctx context.Context, rows []MerchantRow, threshold int64) error {
	if len(rows) == 0 {
		return nil
	}
	ids := make([]int64, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	var figs []struct {
		ProductID int64  `gorm:"column:product_id"`
		SKUs      int    `gorm:"column:skus"`
		OnSale    int    `gorm:"column:on_sale"`
		Low       int    `gorm:"column:low"`
		Stock     int64  `gorm:"column:stock"`
		MinAll    int64  `gorm:"column:min_all"`
		MaxAll    int64  `gorm:"column:max_all"`
		MinOnSale *int64 `gorm:"column:min_on_sale"`
		MaxOnSale *int64 `gorm:"column:max_on_sale"`
	}
	err := s.db.Conn(ctx).Raw(`
		SELECT product_id, COUNT(*) AS skus,
		       SUM(CASE WHEN on_sale THEN 1 ELSE 0 END) AS on_sale,
		       SUM(CASE WHEN on_sale AND stock <= ? THEN 1 ELSE 0 END) AS low,
		       SUM(stock) AS stock, MIN(price) AS min_all, MAX(price) AS max_all,
		       MIN(CASE WHEN on_sale THEN price END) AS min_on_sale,
		       MAX(CASE WHEN on_sale THEN price END) AS max_on_sale
		FROM skus WHERE product_id IN ? GROUP BY product_id`, threshold, ids).Scan(&figs).Error
	if err != nil {
		return fmt.Errorf("merchant products: sku figures: %w", err)
	}
	at := make(map[int64]int, len(rows))
	for i, r := range rows {
		at[r.ID] = i
	}
	for _, f := range figs {
		r := &rows[at[f.ProductID]]
		r.SKUs, r.OnSale, r.Low, r.Stock = f.SKUs, f.OnSale, f.Low, f.Stock
		r.PriceLow, r.PriceHigh = f.MinAll, f.MaxAll
		if f.MinOnSale != nil && f.MaxOnSale != nil {
			r.PriceLow, r.PriceHigh = *f.MinOnSale, *f.MaxOnSale
		}
	}
	return nil
}

// Product returns any product, on shelf or not, with all its SKUs in id
// order (those switched off included): what the merchant edits.
func (s *Service) Product(ctx context.Context, id int64) (Product, error) {
	var ps []Product
	if err := s.db.Conn(ctx).Where("id = ?", id).Limit(1).Find(&ps).Error; err != nil {
		return Product{}, fmt.Errorf("product %d: %w", id, err)
	}
	if len(ps) == 0 {
		return Product{}, errs.NotFound("product_not_found", "catalog.product_not_found").With("product_id", id)
	}
	p := ps[0]
	if err := s.db.Conn(ctx).Where("product_id = ?", id).Order("id").Find(&p.SKUs).Error; err != nil {
		return Product{}, fmt.Errorf("product %d skus: %w", id, err)
	}
	return p, nil
}
