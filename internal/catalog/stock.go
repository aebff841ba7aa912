package catalog

import (
	"context"
	"fmt"
	"strings"

	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/page"
)

// The merchant's stock list (internal/catalogio serves it to the console):
// SKUs with their stock, read here because skus and products are the
// catalog's tables.

// MaxStockQueryLen bounds the stock list's search text.
const MaxStockQueryLen = 100

// StockQuery selects a page of the stock list: every SKU, newest first.
type StockQuery struct {
	Q         string // a substring of the product's title, or the start of a SKU code
	LowStock  bool   // only SKUs on sale at or below Threshold
	Threshold int64  // the shop's low-stock threshold; also marks each row's Low
	Page      page.Request
}

// StockRow is a SKU as the stock list shows it.
type StockRow struct {
	SKUID     int64  `gorm:"column:sku_id"`
	ProductID int64  `gorm:"column:product_id"`
	Title     string `gorm:"column:title"`
	SpecText  string `gorm:"column:spec_text"`
	Code      string `gorm:"column:code"`
	Price     int64  `gorm:"column:price"`
	Stock     int64  `gorm:"column:stock"`    // available
	Reserved  int64  `gorm:"column:reserved"` // held by unpaid orders
	Sold      int64  `gorm:"column:sold"`
	OnSale    bool   `gorm:"column:on_sale"`
	OnShelf   bool   `gorm:"column:on_shelf"`
	Low       bool   `gorm:"-"` // on sale and at or below the threshold (the dashboard's rule)
}

const stockColumns = `k.id AS sku_id, k.product_id, p.title, k.spec_text, k.code, k.price,
	k.stock, k.reserved, k.sold, k.on_sale, p.on_shelf`

// ErrSKUNotFound is returned for a SKU id that names none.
var ErrSKUNotFound = errs.NotFound("sku_not_found", "catalog.sku_not_found")

// StockList returns a page of SKUs with their stock, and the cursor of the
// next page ("" on the last). It is one query walking the SKUs' primary key
// backwards (or the low-stock index), joined to their products by key.
func (s *Service) StockList(ctx context.Context, q StockQuery) ([]StockRow, string, error) {
	if err := searchInput(&q.Q, &q.Page, MaxStockQueryLen); err != nil {
		return nil, "", err
	}
	db := s.db.Conn(ctx).Table("skus k").Select(stockColumns).Joins("JOIN products p ON p.id = k.product_id")
	if q.Page.After > 0 {
		db = db.Where("k.id < ?", q.Page.After)
	}
	if q.LowStock {
		db = db.Where("k.on_sale AND k.stock <= ?", q.Threshold)
	}
	if q.Q != "" {
		like := escapeLike(strings.ToLower(q.Q))
		db = db.Where(`(LOWER(k.code) LIKE ? ESCAPE '\' OR k.product_id IN (SELECT id FROM products WHERE LOWER(title) LIKE ? ESCAPE '\'))`,
			like+"%", "%"+like+"%")
	}
	var rows []StockRow
	if err := db.Order("k.id DESC").Limit(q.Page.Limit + 1).Scan(&rows).Error; err != nil {
		return nil, "", fmt.Errorf("stock list: %w", err)
	}
	rows, next := page.Trim(rows, q.Page, func(r StockRow) int64 { return r.SKUID })
	for i := range rows {
		rows[i].Low = rows[i].OnSale && rows[i].Stock <= q.Threshold
	}
	return rows, next, nil
}

// StockOf returns one SKU as the stock list shows it; threshold marks Low.
func (s *Service) StockOf(ctx context.Context, skuID, threshold int64) (StockRow, error) {
	var rows []StockRow
	err := s.db.Conn(ctx).Table("skus k").Select(stockColumns).Joins("JOIN products p ON p.id = k.product_id").
		Where("k.id = ?", skuID).Limit(1).Scan(&rows).Error
	if err != nil {
		return StockRow{}, fmt.Errorf("sku %d: %w", skuID, err)
	}
	if len(rows) == 0 {
		return StockRow{}, ErrSKUNotFound.With("sku_id", skuID)
	}
	rows[0].Low = rows[0].OnSale && rows[0].Stock <= threshold
	return rows[0], nil
}
