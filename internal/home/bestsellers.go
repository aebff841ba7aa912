package home

import (
	"context"
	"sync"
	"time"

	"github.com/kaidian/kaidian/internal/catalog"
)

// bestSellersTTL is how long the home page reuses its ranking of best
// sellers. Ranking sums every SKU's sold units (hundreds of milliseconds on
// a busy database with 10,000 products), far too much for every uncached
// home page, and a ranking a minute old is as good to a shopper. Products
// taken off the shelf meanwhile still drop out: the ranked ids are read as
// picked ones, on-shelf only.
const bestSellersTTL = time.Minute

// bestSellers keeps the latest ranking, MaxSectionItems long; one caller
// refreshes it while the others wait for its answer.
type bestSellers struct {
	mu     sync.Mutex
	ids    []int64
	loaded time.Time
}

// bestSellerPick is the pick of a best sellers section: the ranked ids,
// read as picked ones.
func (s *Service) bestSellerPick(ctx context.Context, limit int) (catalog.Pick, error) {
	b := &s.best
	b.mu.Lock()
	defer b.mu.Unlock()
	now := s.clock.Now()
	if b.loaded.IsZero() || now.Sub(b.loaded) >= bestSellersTTL || now.Before(b.loaded) {
		ids, err := s.catalog.BestSellerIDs(ctx, MaxSectionItems)
		if err != nil {
			return catalog.Pick{}, err
		}
		b.ids, b.loaded = ids, now
	}
	return catalog.Pick{Rule: catalog.PickChosen, IDs: b.ids, Limit: limit}, nil
}
