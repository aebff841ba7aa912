// Package favorite keeps each shopper's favourite products: saved with one
// idempotent call, removed with another, listed latest first with the
// products as they are now (a product no longer on sale stays, flagged).
package favorite

import (
	"context"
	"fmt"
	"time"

	"github.com/kaidian/kaidian/internal/catalog"
	"github.com/kaidian/kaidian/internal/clock"
	"github.com/kaidian/kaidian/internal/database"
	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/page"
)

// MaxPerShopper bounds one shopper's favourites, so that a script cannot
// grow the table without end; a person saves tens, rarely hundreds. It is a
// guard against abuse, not a count to the unit: two saves racing at the
// limit may both pass.
const MaxPerShopper = 1000

// ErrNotFavorite answers a look-up of a product the shopper has not saved.
var ErrNotFavorite = errs.NotFound("favorite_not_found", "favorite.not_found")

// ErrFull refuses a favourite past MaxPerShopper.
var ErrFull = errs.Rule("favorites_full", "favorite.full", "max", MaxPerShopper)

// row is one favourite as stored.
type row struct {
	ID        int64     `gorm:"column:id;primaryKey"`
	ShopperID int64     `gorm:"column:shopper_id"`
	ProductID int64     `gorm:"column:product_id"`
	CreatedAt time.Time `gorm:"column:created_at"`
}

func (row) TableName() string { return "favorites" }

// Favorite is one saved product with how it looks now.
type Favorite struct {
	ID      int64 // the list's order and cursor
	SavedAt time.Time
	Product catalog.Glance
}

// Catalog is what favourites ask the catalog.
type Catalog interface {
	ProductExists(ctx context.Context, id int64) (bool, error)
	Glances(ctx context.Context, ids []int64) (map[int64]catalog.Glance, error)
}

// Service saves, removes and lists favourites.
type Service struct {
	db    *database.DB
	cat   Catalog
	clock *clock.Clock
}

// New builds the service.
func New(db *database.DB, cat Catalog, clk *clock.Clock) *Service {
	return &Service{db: db, cat: cat, clock: clk}
}

// Add saves the product for the shopper; saving it again changes nothing
// and reports created false. A product that does not exist is
// catalog.ErrProductNotFound. The insert ignores a duplicate in the
// statement itself, so two taps racing both succeed with one row.
func (s *Service) Add(ctx context.Context, shopperID, productID int64) (created bool, err error) {
	ok, err := s.cat.ProductExists(ctx, productID)
	if err != nil {
		return false, err
	}
	if !ok {
		return false, catalog.ErrProductNotFound
	}
	err = s.db.Tx(ctx, func(ctx context.Context) error {
		var n int64
		if err := s.db.Conn(ctx).Raw("SELECT COUNT(*) FROM favorites WHERE shopper_id = ?", shopperID).Scan(&n).Error; err != nil {
			return err
		}
		res := s.db.Conn(ctx).Exec(`INSERT INTO favorites (shopper_id, product_id, created_at) VALUES (?, ?, ?)
			ON CONFLICT (shopper_id, product_id) DO NOTHING`, shopperID, productID, s.clock.Now())
		if res.Error != nil {
			return res.Error
		}
		created = res.RowsAffected == 1
		if created && n >= MaxPerShopper {
			return ErrFull // rolls the insert back
		}
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("favorite: add: %w", err)
	}
	return created, nil
}

// Remove forgets the favourite; removing one that is not there is not an error.
func (s *Service) Remove(ctx context.Context, shopperID, productID int64) error {
	if err := s.db.Conn(ctx).Where("shopper_id = ? AND product_id = ?", shopperID, productID).Delete(&row{}).Error; err != nil {
		return fmt.Errorf("favorite: remove: %w", err)
	}
	return nil
}

// Get is the shopper's favourite of that product, or ErrNotFavorite.
func (s *Service) Get(ctx context.Context, shopperID, productID int64) (Favorite, error) {
	var r row
	err := s.db.Conn(ctx).Where("shopper_id = ? AND product_id = ?", shopperID, productID).Take(&r).Error
	if database.IsNotFound(err) {
		return Favorite{}, ErrNotFavorite
	}
	if err != nil {
		return Favorite{}, fmt.Errorf("favorite: get: %w", err)
	}
	out, err := s.withProducts(ctx, []row{r})
	if err != nil || len(out) == 0 {
		return Favorite{}, err
	}
	return out[0], nil
}

// List returns a page of the shopper's favourites, latest first, and the
// next page's cursor ("" on the last): two statements, the page and its products.
func (s *Service) List(ctx context.Context, shopperID int64, pr page.Request) ([]Favorite, string, error) {
	q := s.db.Conn(ctx).Where("shopper_id = ?", shopperID)
	if pr.After > 0 {
		q = q.Where("id < ?", pr.After)
	}
	var rows []row
	if err := q.Order("id DESC").Limit(pr.Limit + 1).Find(&rows).Error; err != nil {
		return nil, "", fmt.Errorf("favorite: list: %w", err)
	}
	rows, next := page.Trim(rows, pr, func(r row) int64 { return r.ID })
	out, err := s.withProducts(ctx, rows)
	return out, next, err
}

// Count is how many products the shopper has saved.
func (s *Service) Count(ctx context.Context, shopperID int64) (int64, error) {
	var n int64
	err := s.db.Conn(ctx).Raw("SELECT COUNT(*) FROM favorites WHERE shopper_id = ?", shopperID).Scan(&n).Error
	return n, err
}

func (s *Service) withProducts(ctx context.Context, rows []row) ([]Favorite, error) {
	ids := make([]int64, len(rows))
	for i, r := range rows {
		ids[i] = r.ProductID
	}
	glances, err := s.cat.Glances(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]Favorite, 0, len(rows))
	for _, r := range rows {
		// Products are never deleted, so each is found; should one ever go,
		// its favourite is left out rather than shown empty.
		if g, ok := glances[r.ProductID]; ok {
			out = append(out, Favorite{ID: r.ID, SavedAt: r.CreatedAt, Product: g})
		}
	}
	return out, nil
}
