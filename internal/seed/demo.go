// Package seed fills an empty shop with a demo catalog, so that a fresh
// `go run ./cmd/kaidian` is a shop a mini program can browse and buy from.
package seed

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/kaidian/kaidian/internal/catalog"
	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/home"
)

// actor names the demo seed in the inventory ledger.
const actor = "system:demo-seed"

// demoCategory is a category of the demo shop with its sub-categories.
type demoCategory struct {
	name     string
	children []demoCategory
}

// demoProduct is a demo product; category names the (sub-)category by name.
type demoProduct struct {
	category string
	product  catalog.NewProduct
}

// Demo creates the demo shop when the catalog is empty (no categories and
// no products) and does nothing otherwise, so it is safe on every start. It
// runs in one transaction: a crash leaves nothing, and a second replica
// seeding at the same moment fails on the demo's SKU codes and rolls back.
func Demo(ctx context.Context, cat *catalog.Service, log *slog.Logger) error {
	_, err := demoCatalog(ctx, cat, log)
	return err
}

// DemoShop is Demo, and when it seeded the catalog, a home page for it
// too (demo_home.go): a shop whose mini program opens on something.
func DemoShop(ctx context.Context, cat *catalog.Service, h *home.Service, log *slog.Logger) error {
	seeded, err := demoCatalog(ctx, cat, log)
	if err != nil || !seeded {
		return err
	}
	return demoHome(ctx, h, cat)
}

// demoCatalog seeds the demo catalog into an empty one and tells whether it did.
func demoCatalog(ctx context.Context, cat *catalog.Service, log *slog.Logger) (bool, error) {
	var nCats, nProducts, nSKUs int
	seeded, err := cat.FillIfEmpty(ctx, func(ctx context.Context) error {
		ids := map[string]int64{}
		var create func(parent *int64, cs []demoCategory) error
		create = func(parent *int64, cs []demoCategory) error {
			for i, dc := range cs {
				c, err := cat.CreateCategory(ctx, dc.name, parent, (i+1)*10)
				if err != nil {
					return fmt.Errorf("category %s: %w", dc.name, err)
				}
				ids[dc.name] = c.ID
				nCats++
				if err := create(&c.ID, dc.children); err != nil {
					return err
				}
			}
			return nil
		}
		if err := create(nil, demoCategories()); err != nil {
			return err
		}
		for _, dp := range demoProducts() {
			np := dp.product
			np.CategoryID = ids[dp.category]
			p, err := cat.CreateProduct(ctx, np, actor)
			if err != nil {
				return fmt.Errorf("product %s: %w", np.Title, err)
			}
			nProducts++
			nSKUs += len(p.SKUs)
		}
		return nil
	})
	if errs.Is(err, catalog.ErrSKUCodeTaken.Code) {
		log.Info("demo shop already being seeded by another replica")
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("seed demo shop: %w", err)
	}
	if seeded {
		log.Info("demo shop seeded", "categories", nCats, "products", nProducts, "skus", nSKUs)
	}
	return seeded, nil
}

func demoCategories() []demoCategory {
	return []demoCategory{
		{name: "服饰", children: []demoCategory{{name: "T恤"}, {name: "卫衣"}}},
		{name: "数码配件"},
		{name: "家居", children: []demoCategory{{name: "厨房餐具"}, {name: "家纺"}}},
		{name: "美妆"},
	}
}
