package catalog

import (
	"context"
	"fmt"

	"gorm.io/gorm"
)

// The lookups in this file answer other packages' questions about
// categories and products, so that only the catalog's SQL names its tables.

// CategoryParents maps each category to its parent (absent for roots), the
// whole tree in one query: shops have tens of categories.
func (s *Service) CategoryParents(ctx context.Context) (map[int64]int64, error) {
	var rows []struct {
		ID       int64  `gorm:"column:id"`
		ParentID *int64 `gorm:"column:parent_id"`
	}
	if err := s.db.Conn(ctx).Raw("SELECT id, parent_id FROM categories").Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("category parents: %w", err)
	}
	parents := make(map[int64]int64, len(rows))
	for _, r := range rows {
		if r.ParentID != nil {
			parents[r.ID] = *r.ParentID
		}
	}
	return parents, nil
}

// CategoryNames returns the names of the categories ids names, by id; an id
// that names no category is absent.
func (s *Service) CategoryNames(ctx context.Context, ids []int64) (map[int64]string, error) {
	return s.titles(ctx, "SELECT id, name AS title FROM categories WHERE id IN ?", ids)
}

// ProductTitles returns the titles of the products ids names (on shelf or
// not), by id; an id that names no product is absent.
func (s *Service) ProductTitles(ctx context.Context, ids []int64) (map[int64]string, error) {
	return s.titles(ctx, "SELECT id, title FROM products WHERE id IN ?", ids)
}

func (s *Service) titles(ctx context.Context, query string, ids []int64) (map[int64]string, error) {
	var rows []struct {
		ID    int64  `gorm:"column:id"`
		Title string `gorm:"column:title"`
	}
	if err := s.db.Conn(ctx).Raw(query, ids).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("catalog titles: %w", err)
	}
	out := make(map[int64]string, len(rows))
	for _, r := range rows {
		out[r.ID] = r.Title
	}
	return out, nil
}

// ProductIDsTitled returns the ids of up to limit products whose current
// title contains what, ignoring case (on shelf or not).
func (s *Service) ProductIDsTitled(ctx context.Context, what string, limit int) ([]int64, error) {
	var ids []int64
	if err := s.productsTitled(ctx, what).Limit(limit).Pluck("id", &ids).Error; err != nil {
		return nil, fmt.Errorf("products titled: %w", err)
	}
	return ids, nil
}

// ProductsTitledQuery is ProductIDsTitled without a limit, as a subquery
// for another package's `IN (?)`: where very many products match, the
// database checks each candidate row against it rather than Go passing
// thousands of ids.
func (s *Service) ProductsTitledQuery(ctx context.Context, what string) *gorm.DB {
	return s.productsTitled(ctx, what).Select("id")
}

func (s *Service) productsTitled(ctx context.Context, what string) *gorm.DB {
	return s.db.Conn(ctx).Table("products").Where(`search_text LIKE ? ESCAPE '\'`, searchPattern(what))
}

// SKUsByID reads SKUs by id, in id order (the order orders lock them in),
// holding their rows to the end of the transaction when lock is set; an id
// that names no SKU is absent.
func (s *Service) SKUsByID(ctx context.Context, ids []int64, lock bool) (map[int64]SKU, error) {
	conn := s.db.Conn(ctx)
	if lock {
		conn = s.db.Locking(ctx)
	}
	var ks []SKU
	if err := conn.Where("id IN ?", ids).Order("id").Find(&ks).Error; err != nil {
		return nil, err
	}
	out := make(map[int64]SKU, len(ks))
	for _, k := range ks {
		out[k.ID] = k
	}
	return out, nil
}
