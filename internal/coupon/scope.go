package coupon

import (
	"context"
	"fmt"
	"strings"

	"github.com/kaidian/kaidian/internal/errs"
)

// Catalog is what coupons need to know from the catalog, which owns the
// categories and products: which categories lie under which, and the names
// of the ids a merchant typed (an id without a name does not exist).
// *catalog.Service satisfies it; coupons sit below the catalog (order builds
// on both), so they ask through this rather than importing it.
type Catalog interface {
	CategoryParents(ctx context.Context) (map[int64]int64, error)
	CategoryNames(ctx context.Context, ids []int64) (map[int64]string, error)
	ProductTitles(ctx context.Context, ids []int64) (map[int64]string, error)
}

// Line is an order line as the coupon engine sees it.
type Line struct {
	ProductID  int64
	CategoryID int64
	Amount     int64 // the line's goods in fen (unit price × quantity)
}

// covered reports, line by line, whether the coupon covers it.
func (s *Service) covered(ctx context.Context, c Coupon, lines []Line) ([]bool, error) {
	var parents map[int64]int64
	if c.Scope == ScopeCategories {
		var err error
		if parents, err = s.categoryParents(ctx); err != nil {
			return nil, err
		}
	}
	return coveredBy(c, lines, parents), nil
}

// coveredBy reports, line by line, whether the coupon covers it, given the
// category tree (needed only for a coupon scoped by category).
func coveredBy(c Coupon, lines []Line, parents map[int64]int64) []bool {
	out := make([]bool, len(lines))
	listed := map[int64]bool{}
	for _, id := range c.ScopeIDs.V {
		listed[id] = true
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
	return out
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
	parents, err := s.catalog.CategoryParents(ctx)
	if err != nil {
		return nil, fmt.Errorf("coupon: category tree: %w", err)
	}
	return parents, nil
}

// scopeTitles returns the names of the categories or products ids names,
// by id; an id that names nothing is absent.
func (s *Service) scopeTitles(ctx context.Context, scope Scope, ids []int64) (map[int64]string, error) {
	switch scope {
	case ScopeCategories:
		return s.catalog.CategoryNames(ctx, ids)
	case ScopeProducts:
		return s.catalog.ProductTitles(ctx, ids)
	}
	return nil, nil
}

// checkScope refuses scope ids that name no category or product.
func (s *Service) checkScope(ctx context.Context, d Draft) error {
	unknown := "coupon.scope_unknown_category"
	switch d.Scope {
	case ScopeProducts:
		unknown = "coupon.scope_unknown_product"
	case ScopeShop:
		return nil
	}
	found, err := s.scopeTitles(ctx, d.Scope, d.ScopeIDs)
	if err != nil {
		return fmt.Errorf("coupon: check scope: %w", err)
	}
	var missing []string
	for _, id := range d.ScopeIDs {
		if _, ok := found[id]; !ok {
			missing = append(missing, fmt.Sprint(id))
		}
	}
	if len(missing) > 0 {
		return errs.Field("scope_ids", unknown, "ids", strings.Join(missing, ", "))
	}
	return nil
}

// ScopeNames returns the titles of the categories or products a coupon
// covers, in the order of its ids (an id deleted since shows as "#id").
func (s *Service) ScopeNames(ctx context.Context, c Coupon) ([]string, error) {
	if (c.Scope != ScopeCategories && c.Scope != ScopeProducts) || len(c.ScopeIDs.V) == 0 {
		return nil, nil
	}
	titles, err := s.scopeTitles(ctx, c.Scope, c.ScopeIDs.V)
	if err != nil {
		return nil, fmt.Errorf("coupon: scope names: %w", err)
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
