package coupon

import (
	"context"
	"fmt"
	"strings"

	"github.com/kaidian/kaidian/internal/errs"
)

// The queries in this file read the catalog's tables. The coupon package
// sits below catalog-aware packages (order builds on it), and what it needs
// is small and read-only: which categories lie under which, and whether the
// ids a merchant typed exist.

// Line is an order line as the coupon engine sees it.
type Line struct {
	ProductID  int64
	CategoryID int64
	Amount     int64 // the line's goods in fen (unit price × quantity)
}

// covered reports, line by line, whether the coupon covers it.
func (s *Service) covered(ctx context.Context, c Coupon, lines []Line) ([]bool, error) {
	out := make([]bool, len(lines))
	listed := map[int64]bool{}
	for _, id := range c.ScopeIDs.V {
		listed[id] = true
	}
	var parents map[int64]int64
	if c.Scope == ScopeCategories {
		var err error
		if parents, err = s.categoryParents(ctx); err != nil {
			return nil, err
		}
	}
	for i, l := range lines {
		switch c.Scope {
		case ScopeShop:
			out[i] = true
		case ScopeProducts:
			out[i] = listed[l.ProductID]
		case ScopeCategories:
			out[i] = underAny(l.CategoryID, listed, parents)
		}
	}
	return out, nil
}

// underAny reports whether the category or any category above it is listed.
func underAny(cat int64, listed map[int64]bool, parents map[int64]int64) bool {
	for depth := 0; cat != 0 && depth < maxCategoryTree; depth++ {
		if listed[cat] {
			return true
		}
		cat = parents[cat]
	}
	return false
}

// categoryParents maps each category to its parent (absent for roots).
func (s *Service) categoryParents(ctx context.Context) (map[int64]int64, error) {
	var rows []struct {
		ID       int64  `gorm:"column:id"`
		ParentID *int64 `gorm:"column:parent_id"`
	}
	if err := s.db.Conn(ctx).Raw("SELECT id, parent_id FROM categories").Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("coupon: category tree: %w", err)
	}
	parents := make(map[int64]int64, len(rows))
	for _, r := range rows {
		if r.ParentID != nil {
			parents[r.ID] = *r.ParentID
		}
	}
	return parents, nil
}

// checkScope refuses scope ids that name no category or product.
func (s *Service) checkScope(ctx context.Context, d Draft) error {
	table, noun := "categories", "category"
	switch d.Scope {
	case ScopeProducts:
		table, noun = "products", "product"
	case ScopeShop:
		return nil
	}
	var found []int64
	if err := s.db.Conn(ctx).Raw("SELECT id FROM "+table+" WHERE id IN ?", d.ScopeIDs).Scan(&found).Error; err != nil {
		return fmt.Errorf("coupon: check scope: %w", err)
	}
	exists := map[int64]bool{}
	for _, id := range found {
		exists[id] = true
	}
	var missing []string
	for _, id := range d.ScopeIDs {
		if !exists[id] {
			missing = append(missing, fmt.Sprint(id))
		}
	}
	if len(missing) > 0 {
		return errs.Field("scope_ids", fmt.Sprintf("no %s with id %s", noun, strings.Join(missing, ", ")))
	}
	return nil
}

// ScopeNames returns the titles of the categories or products a coupon
// covers, in the order of its ids (an id deleted since shows as "#id").
func (s *Service) ScopeNames(ctx context.Context, c Coupon) ([]string, error) {
	query := map[Scope]string{
		ScopeCategories: "SELECT id, name AS title FROM categories WHERE id IN ?",
		ScopeProducts:   "SELECT id, title FROM products WHERE id IN ?",
	}[c.Scope]
	if query == "" || len(c.ScopeIDs.V) == 0 {
		return nil, nil
	}
	var rows []struct {
		ID    int64  `gorm:"column:id"`
		Title string `gorm:"column:title"`
	}
	if err := s.db.Conn(ctx).Raw(query, c.ScopeIDs.V).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("coupon: scope names: %w", err)
	}
	titles := map[int64]string{}
	for _, r := range rows {
		titles[r.ID] = r.Title
	}
	names := make([]string, len(c.ScopeIDs.V))
	for i, id := range c.ScopeIDs.V {
		names[i] = fmt.Sprintf("%s (#%d)", titles[id], id)
		if titles[id] == "" {
			names[i] = fmt.Sprintf("#%d", id)
		}
	}
	return names, nil
}
