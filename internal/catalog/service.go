// Package catalog holds categories, products and their SKUs: what the shop
// sells and at what price. Stock numbers live on the SKU rows but only the
// inventory package changes them.
package catalog

import (
	"context"

	"github.com/kaidian/kaidian/internal/audit"
	"github.com/kaidian/kaidian/internal/clock"
	"github.com/kaidian/kaidian/internal/database"
	"github.com/kaidian/kaidian/internal/inventory"
)

// Service is the catalog use cases.
type Service struct {
	db        *database.DB
	inventory *inventory.Service
	audit     *audit.Log
	clock     *clock.Clock
}

// New builds the service. Merchant changes (prices, shelf, stock) are
// recorded in the audit log, which lives in the same database, inside the
// transaction that makes them.
func New(db *database.DB, inv *inventory.Service, clk *clock.Clock) *Service {
	return &Service{db: db, inventory: inv, audit: audit.New(db, clk), clock: clk}
}

// Sellable is what cart and checkout need to know about a SKU right now.
type Sellable struct {
	SKUID         int64
	ProductID     int64
	CategoryID    int64
	Title         string // the product's title
	SpecText      string // e.g. "红色 / M"
	Image         string // the SKU's image, else the product's main image
	Price         int64  // fen
	OriginalPrice int64  // fen
	Stock         int64  // available units
	Buyable       bool   // product on shelf and SKU on sale
}

// Sellables looks up SKUs by id; ids that do not exist are absent from the map.
func (s *Service) Sellables(ctx context.Context, ids []int64) (map[int64]Sellable, error) {
	out := make(map[int64]Sellable, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var rows []struct {
		SKUID         int64  `gorm:"column:sku_id"`
		ProductID     int64  `gorm:"column:product_id"`
		CategoryID    int64  `gorm:"column:category_id"`
		Price         int64  `gorm:"column:price"`
		OriginalPrice int64  `gorm:"column:original_price"`
		Stock         int64  `gorm:"column:stock"`
		Title         string `gorm:"column:title"`
		SpecText      string `gorm:"column:spec_text"`
		SKUImage      string `gorm:"column:sku_image"`
		MainImage     string `gorm:"column:main_image"`
		OnSale        bool   `gorm:"column:on_sale"`
		OnShelf       bool   `gorm:"column:on_shelf"`
	}
	err := s.db.Conn(ctx).Raw(`
		SELECT k.id AS sku_id, k.product_id, p.category_id, k.price, k.original_price, k.stock,
		       p.title, k.spec_text, k.image AS sku_image, p.main_image, k.on_sale, p.on_shelf
		FROM skus k JOIN products p ON p.id = k.product_id
		WHERE k.id IN ?`, ids).Scan(&rows).Error
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		img := r.SKUImage
		if img == "" {
			img = r.MainImage
		}
		out[r.SKUID] = Sellable{
			SKUID: r.SKUID, ProductID: r.ProductID, CategoryID: r.CategoryID, Title: r.Title,
			SpecText: r.SpecText, Image: img, Price: r.Price, OriginalPrice: r.OriginalPrice,
			Stock: r.Stock, Buyable: r.OnSale && r.OnShelf,
		}
	}
	return out, nil
}
