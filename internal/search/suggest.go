package search

import (
	"context"

	"github.com/kaidian/kaidian/internal/errs"
)

// Suggestion kinds.
const (
	KindCategory = "category"
	KindProduct  = "product"
)

// Suggestion is a completion offered as a shopper types.
type Suggestion struct {
	Kind string // KindCategory or KindProduct
	ID   int64
	Text string // the category's name or the product's title
}

// Suggest returns up to limit (1…SuggestLimit×2, 0 for SuggestLimit)
// categories, then products, whose name or title holds q, compared as
// searches compare (case and width ignored). Categories come first and
// take at most a third of the places, as they are few and broad.
func (s *Service) Suggest(ctx context.Context, q string, limit int) ([]Suggestion, error) {
	_, norm, err := word(q, "q")
	if err != nil {
		return nil, err
	}
	if limit == 0 {
		limit = SuggestLimit
	}
	if limit < 1 || limit > 2*SuggestLimit {
		return nil, errs.Field("limit", "invalid.range", "min", 1, "max", 2*SuggestLimit)
	}
	cats, err := s.catalog.MatchCategories(ctx, norm, max(1, limit/3))
	if err != nil {
		return nil, err
	}
	products, err := s.catalog.SuggestProducts(ctx, norm, limit-len(cats))
	if err != nil {
		return nil, err
	}
	out := make([]Suggestion, 0, len(cats)+len(products))
	for _, c := range cats {
		out = append(out, Suggestion{Kind: KindCategory, ID: c.ID, Text: c.Name})
	}
	for _, p := range products {
		out = append(out, Suggestion{Kind: KindProduct, ID: p.ID, Text: p.Name})
	}
	return out, nil
}
