package catalog

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/kaidian/kaidian/internal/database"
)

// Named is a product or category as a suggestion shows it.
type Named struct {
	ID   int64
	Name string
}

// SuggestProducts returns up to limit on-shelf products whose title holds
// q (compared as SearchText), best sellers first: what a shopper most
// likely means as they type. A hand-written read, as the list's.
func (s *Service) SuggestProducts(ctx context.Context, q string, limit int) ([]Named, error) {
	out := make([]Named, 0, limit)
	sql := "SELECT id, title FROM products WHERE on_shelf = TRUE AND " + likeSearchText(s.db.Dialect) +
		" ORDER BY sales DESC, id DESC LIMIT ?"
	err := s.db.Read(ctx, []database.Query{{SQL: sql, Args: []any{searchPattern(q), limit}}},
		func(rows database.Rows) error {
			var n Named
			for rows.Next() {
				if err := rows.Scan(&n.ID, &n.Name); err != nil {
					return err
				}
				out = append(out, n)
			}
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("suggest products: %w", err)
	}
	return out, nil
}

// MatchCategories returns up to limit categories whose name holds q
// (compared as SearchText), shortest name first (the closest match). Shops
// have tens of categories: they are read whole and matched here, which
// also normalises their names exactly as titles are.
func (s *Service) MatchCategories(ctx context.Context, q string, limit int) ([]Named, error) {
	var all []Category
	if err := s.db.Conn(ctx).Select("id, name").Find(&all).Error; err != nil {
		return nil, fmt.Errorf("match categories: %w", err)
	}
	needle := SearchText(q)
	var out []Named
	for _, c := range all {
		if strings.Contains(SearchText(c.Name), needle) {
			out = append(out, Named{ID: c.ID, Name: c.Name})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if a, b := len([]rune(out[i].Name)), len([]rune(out[j].Name)); a != b {
			return a < b
		}
		return out[i].ID < out[j].ID
	})
	if len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}
