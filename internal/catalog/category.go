package catalog

import (
	"context"
	"fmt"
	"strings"

	"github.com/kaidian/kaidian/internal/errs"
)

// ErrCategoryNotFound is returned when a category id names no category.
var ErrCategoryNotFound = errs.NotFound("category_not_found", "catalog.category_not_found")

// ErrCategoryNotEmpty is returned when deleting a category that still holds
// products or sub-categories: products must always have a category.
var ErrCategoryNotEmpty = errs.Conflict("category_not_empty", "catalog.category_not_empty")

// CreateCategory adds a category, nested under parentID when it is not nil.
func (s *Service) CreateCategory(ctx context.Context, name string, parentID *int64, sortOrder int) (Category, error) {
	name, err := categoryName(name)
	if err != nil {
		return Category{}, err
	}
	c := Category{ParentID: parentID, Name: name, SortOrder: sortOrder, CreatedAt: s.clock.Now(), UpdatedAt: s.clock.Now()}
	err = s.db.Tx(ctx, func(ctx context.Context) error {
		if parentID != nil {
			if err := s.requireCategory(ctx, *parentID); err != nil {
				return errs.As(err).With("field", "parent_id")
			}
		}
		return s.db.Conn(ctx).Create(&c).Error
	})
	if err != nil {
		return Category{}, fmt.Errorf("create category: %w", err)
	}
	return c, nil
}

// UpdateCategory renames a category and sets its place among its siblings
// (lower sort orders come first; ties by id).
func (s *Service) UpdateCategory(ctx context.Context, id int64, name string, sortOrder int) (Category, error) {
	name, err := categoryName(name)
	if err != nil {
		return Category{}, err
	}
	var c Category
	err = s.db.Tx(ctx, func(ctx context.Context) error {
		res := s.db.Conn(ctx).Model(&Category{}).Where("id = ?", id).
			Updates(map[string]any{"name": name, "sort_order": sortOrder, "updated_at": s.clock.Now()})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return ErrCategoryNotFound.With("category_id", id)
		}
		return s.db.Conn(ctx).Where("id = ?", id).Take(&c).Error
	})
	if err != nil {
		return Category{}, fmt.Errorf("update category %d: %w", id, err)
	}
	return c, nil
}

// DeleteCategory removes an empty category: one with no products (on shelf
// or not) and no sub-categories. Anything else is ErrCategoryNotEmpty,
// saying what is left, since orders and coupons may still name its products.
func (s *Service) DeleteCategory(ctx context.Context, id int64) error {
	err := s.db.Tx(ctx, func(ctx context.Context) error {
		if err := s.db.LockRow(ctx, "categories", id); err != nil {
			return err
		}
		var left struct{ Products, Children int64 }
		err := s.db.Conn(ctx).Raw(`SELECT (SELECT COUNT(*) FROM products WHERE category_id = ?) AS products,
			(SELECT COUNT(*) FROM categories WHERE parent_id = ?) AS children`, id, id).Scan(&left).Error
		if err != nil {
			return err
		}
		if left.Products > 0 || left.Children > 0 {
			return errs.Conflict(ErrCategoryNotEmpty.Code, "catalog.category_has_items").With("products", left.Products).With("children", left.Children)
		}
		res := s.db.Conn(ctx).Where("id = ?", id).Delete(&Category{})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return ErrCategoryNotFound.With("category_id", id)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("delete category %d: %w", id, err)
	}
	return nil
}

// CategoryProductCounts returns how many products (on shelf or not) each
// category holds directly; categories without products are absent.
func (s *Service) CategoryProductCounts(ctx context.Context) (map[int64]int64, error) {
	var rows []struct {
		CategoryID int64 `gorm:"column:category_id"`
		N          int64 `gorm:"column:n"`
	}
	if err := s.db.Conn(ctx).Raw(`SELECT category_id, COUNT(*) AS n FROM products GROUP BY category_id`).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("category counts: %w", err)
	}
	out := make(map[int64]int64, len(rows))
	for _, r := range rows {
		out[r.CategoryID] = r.N
	}
	return out, nil
}

func categoryName(name string) (string, error) {
	name = strings.TrimSpace(name)
	if n := len([]rune(name)); n == 0 || n > MaxCategoryName {
		return "", errs.Field("name", "invalid.length", "max", MaxCategoryName)
	}
	return name, nil
}

func (s *Service) requireCategory(ctx context.Context, id int64) error {
	var n int64
	if err := s.db.Conn(ctx).Model(&Category{}).Where("id = ?", id).Count(&n).Error; err != nil {
		return err
	}
	if n == 0 {
		return ErrCategoryNotFound.With("category_id", id)
	}
	return nil
}
