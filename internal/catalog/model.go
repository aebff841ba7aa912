package catalog

import (
	"time"

	"github.com/kaidian/kaidian/internal/database"
)

// Category groups products; categories nest through ParentID.
type Category struct {
	ID        int64     `gorm:"column:id;primaryKey"`
	ParentID  *int64    `gorm:"column:parent_id"`
	Name      string    `gorm:"column:name"`
	IconURL   string    `gorm:"column:icon_url"`
	SortOrder int       `gorm:"column:sort_order"`
	CreatedAt time.Time `gorm:"column:created_at"`
	UpdatedAt time.Time `gorm:"column:updated_at"`
}

// TableName maps Category to its table.
func (Category) TableName() string { return "categories" }

// SpecDim is one dimension a product varies in, e.g. {"颜色", ["红", "蓝"]}.
type SpecDim struct {
	Name   string   `json:"name"`
	Values []string `json:"values"`
}

// Product is what a shopper browses; it is sold through its SKUs.
type Product struct {
	ID          int64                    `gorm:"column:id;primaryKey"`
	CategoryID  int64                    `gorm:"column:category_id"`
	Title       string                   `gorm:"column:title"`
	Subtitle    string                   `gorm:"column:subtitle"`
	Description string                   `gorm:"column:description"`
	MainImage   string                   `gorm:"column:main_image"`
	Images      database.JSON[[]string]  `gorm:"column:images"`
	SpecDims    database.JSON[[]SpecDim] `gorm:"column:spec_dims"`
	OnShelf     bool                     `gorm:"column:on_shelf"`
	MinPrice    int64                    `gorm:"column:min_price"`
	Sales       int64                    `gorm:"column:sales;->"`    // units sold; only RefreshSales writes it
	SearchText  string                   `gorm:"column:search_text"` // SearchText(Title)
	CreatedAt   time.Time                `gorm:"column:created_at"`
	UpdatedAt   time.Time                `gorm:"column:updated_at"`
	SKUs        []SKU                    `gorm:"-"`
}

// TableName maps Product to its table.
func (Product) TableName() string { return "products" }

// SKU is a sellable variant: one value per spec dimension, its own price and stock.
type SKU struct {
	ID            int64                   `gorm:"column:id;primaryKey"`
	ProductID     int64                   `gorm:"column:product_id"`
	Code          string                  `gorm:"column:code"`
	SpecValues    database.JSON[[]string] `gorm:"column:spec_values"`
	SpecText      string                  `gorm:"column:spec_text"`
	Image         string                  `gorm:"column:image"`
	Price         int64                   `gorm:"column:price"`
	OriginalPrice int64                   `gorm:"column:original_price"`
	Stock         int64                   `gorm:"column:stock"`    // available to reserve
	Reserved      int64                   `gorm:"column:reserved"` // held by unpaid orders
	Sold          int64                   `gorm:"column:sold"`
	OnSale        bool                    `gorm:"column:on_sale"`
	CreatedAt     time.Time               `gorm:"column:created_at"`
	UpdatedAt     time.Time               `gorm:"column:updated_at"`
}

// TableName maps SKU to its table.
func (SKU) TableName() string { return "skus" }
