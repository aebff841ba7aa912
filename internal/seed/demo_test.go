package seed_test

import (
	"context"
	"io"
	"log/slog"
	"testing"

	"github.com/kaidian/kaidian/internal/catalog"
	"github.com/kaidian/kaidian/internal/clock"
	"github.com/kaidian/kaidian/internal/database/dbtest"
	"github.com/kaidian/kaidian/internal/inventory"
	"github.com/kaidian/kaidian/internal/page"
	"github.com/kaidian/kaidian/internal/seed"
)

func TestSeedDemoShopIsIdempotent(t *testing.T) {
	ctx := context.Background()
	db := dbtest.Open(t)
	cat := catalog.New(db, inventory.New(db, clock.New()), clock.New())
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	for run := 1; run <= 2; run++ {
		if err := seed.Demo(ctx, cat, log); err != nil {
			t.Fatalf("run %d: %v", run, err)
		}
		items, next, err := cat.ListProducts(ctx, catalog.ProductQuery{Page: page.Request{Limit: page.MaxLimit}})
		if err != nil || next != "" {
			t.Fatalf("run %d: list: %v (next %q)", run, err, next)
		}
		if len(items) < 18 || len(items) > 25 {
			t.Fatalf("run %d: %d products, want about 20", run, len(items))
		}
		if run == 2 && len(items) != 21 {
			t.Fatalf("second run changed the catalog: %d products", len(items))
		}
	}
	tree, err := cat.Categories(ctx)
	if err != nil || len(tree) != 4 || len(tree[0].Children) != 2 {
		t.Fatalf("categories = %+v, %v", tree, err)
	}
	// The shop shows variety: a grid product, a sold-out product, low stock.
	var grids, soldOut, low int
	items, _, _ := cat.ListProducts(ctx, catalog.ProductQuery{Page: page.Request{Limit: page.MaxLimit}})
	for _, it := range items {
		p, err := cat.ProductDetail(ctx, it.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(p.SpecDims.V) == 2 && len(p.SKUs) >= 4 {
			grids++
		}
		if !it.InStock {
			soldOut++
		}
		for _, k := range p.SKUs {
			if k.Stock > 0 && k.Stock <= 5 {
				low++
				break
			}
		}
	}
	if grids < 4 || soldOut < 1 || low < 3 {
		t.Fatalf("grids=%d soldOut=%d low=%d", grids, soldOut, low)
	}
}
