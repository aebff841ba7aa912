package home

import (
	"time"

	"github.com/kaidian/kaidian/internal/catalog"
	"github.com/kaidian/kaidian/internal/database"
)

// LinkType is where tapping a banner takes the shopper.
type LinkType string

// The link targets. A page is a path inside the mini program
// ("/pages/activity/index?id=3"), for what the API has no object for.
const (
	LinkNone      LinkType = "none"
	LinkProduct   LinkType = "product"
	LinkCategory  LinkType = "category"
	LinkFlashSale LinkType = "flash_sale"
	LinkPage      LinkType = "page"
)

// LinkTypes lists the targets, in the order the editor offers them.
var LinkTypes = []LinkType{LinkNone, LinkProduct, LinkCategory, LinkFlashSale, LinkPage}

// Kind is what a section shows.
type Kind string

// The section kinds.
const (
	KindProducts   Kind = "products"    // products, picked or by a rule
	KindFlashSales Kind = "flash_sales" // flash sales on now and coming up
	KindCoupons    Kind = "coupons"     // coupons shoppers can claim now
)

// Kinds lists the section kinds, in the order the editor offers them.
var Kinds = []Kind{KindProducts, KindFlashSales, KindCoupons}

// Rules lists how a products section may be filled.
var Rules = []catalog.PickRule{catalog.PickChosen, catalog.PickNewest, catalog.PickBestSellers, catalog.PickCategory}

// Schedule is when an entry shows: enabled, and within its window (a nil
// end is open; times are UTC).
type Schedule struct {
	Enabled  bool       `gorm:"column:enabled"`
	StartsAt *time.Time `gorm:"column:starts_at"`
	EndsAt   *time.Time `gorm:"column:ends_at"`
}

// LiveAt reports whether the entry shows at now.
func (s Schedule) LiveAt(now time.Time) bool {
	return s.Enabled && (s.StartsAt == nil || !now.Before(*s.StartsAt)) && (s.EndsAt == nil || now.Before(*s.EndsAt))
}

// Banner is one image of the home page's carousel.
type Banner struct {
	ID       int64    `gorm:"column:id;primaryKey"`
	Image    string   `gorm:"column:image"`
	Title    string   `gorm:"column:title"` // what the image says, for screen readers
	LinkType LinkType `gorm:"column:link_type"`
	LinkID   int64    `gorm:"column:link_id"`   // product, category or flash sale id
	LinkPage string   `gorm:"column:link_page"` // a mini program path
	Position int      `gorm:"column:position"`
	Schedule
	CreatedAt time.Time `gorm:"column:created_at"`
	UpdatedAt time.Time `gorm:"column:updated_at"`
}

// TableName maps Banner to its table.
func (Banner) TableName() string { return "home_banners" }

// Section is one block of the home page below the banners.
type Section struct {
	ID         int64                  `gorm:"column:id;primaryKey"`
	Kind       Kind                   `gorm:"column:kind"`
	Title      string                 `gorm:"column:title"`
	Rule       catalog.PickRule       `gorm:"column:rule"`        // products: how it is filled
	ProductIDs database.JSON[[]int64] `gorm:"column:product_ids"` // products picked by hand, in order
	CategoryID int64                  `gorm:"column:category_id"` // rule category
	ItemLimit  int                    `gorm:"column:item_limit"`  // at most this many items
	Position   int                    `gorm:"column:position"`
	Schedule
	CreatedAt time.Time `gorm:"column:created_at"`
	UpdatedAt time.Time `gorm:"column:updated_at"`
}

// TableName maps Section to its table.
func (Section) TableName() string { return "home_sections" }

// notice is the home page's one line of news; one row, id 1.
type notice struct {
	ID        int64     `gorm:"column:id;primaryKey"`
	Text      string    `gorm:"column:text"`
	UpdatedAt time.Time `gorm:"column:updated_at"`
}

func (notice) TableName() string { return "home_notice" }
