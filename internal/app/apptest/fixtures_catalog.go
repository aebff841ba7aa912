package apptest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"testing"

	"github.com/kaidian/kaidian/internal/catalog"
)

// SKU is a fixture SKU: its price in fen and its initial stock.
type SKU struct {
	Price, Stock int64
}

// Category creates a category (under parent when not nil) and fails the test on error.
func (e *Env) Category(t testing.TB, name string, parent *int64) catalog.Category {
	t.Helper()
	c, err := e.App.Catalog.CreateCategory(context.Background(), name, parent, 0)
	if err != nil {
		t.Fatalf("fixture category %q: %v", name, err)
	}
	return c
}

// Product creates an on-shelf product in a category of its own, with one SKU
// per entry of skus (default: one SKU at 99.00 yuan with 100 in stock). With
// several SKUs the product has one spec dimension "规格" valued "规格1",
// "规格2", … in order. The returned product carries its SKUs (ids, prices,
// stock) in the same order:
//
//	p := e.Product(t, apptest.SKU{Price: 1990, Stock: 5}, apptest.SKU{Price: 2990, Stock: 0})
//	skuID := p.SKUs[0].ID
func (e *Env) Product(t testing.TB, skus ...SKU) catalog.Product {
	t.Helper()
	c := e.Category(t, "测试分类", nil)
	return e.ProductIn(t, c.ID, "测试商品 "+randomSuffix(), skus...)
}

// ProductIn is Product in a given category with a given title.
func (e *Env) ProductIn(t testing.TB, categoryID int64, title string, skus ...SKU) catalog.Product {
	t.Helper()
	if len(skus) == 0 {
		skus = []SKU{{Price: 9900, Stock: 100}}
	}
	np := catalog.NewProduct{CategoryID: categoryID, Title: title, MainImage: "/static/demo/mug.svg"}
	prefix := "T-" + randomSuffix()
	if len(skus) > 1 {
		dim := catalog.SpecDim{Name: "规格"}
		for i := range skus {
			dim.Values = append(dim.Values, fmt.Sprintf("规格%d", i+1))
		}
		np.SpecDims = []catalog.SpecDim{dim}
	}
	for i, s := range skus {
		k := catalog.NewSKU{Code: fmt.Sprintf("%s-%d", prefix, i+1), Price: s.Price, Stock: s.Stock}
		if len(skus) > 1 {
			k.SpecValues = []string{np.SpecDims[0].Values[i]}
		}
		np.SKUs = append(np.SKUs, k)
	}
	return e.CreateProduct(t, np)
}

// CreateProduct creates exactly np (for tests that need spec grids, off-shelf
// products or SKUs off sale) and fails the test on error.
func (e *Env) CreateProduct(t testing.TB, np catalog.NewProduct) catalog.Product {
	t.Helper()
	p, err := e.App.Catalog.CreateProduct(context.Background(), np, "test")
	if err != nil {
		t.Fatalf("fixture product %q: %v", np.Title, err)
	}
	return p
}

// randomSuffix keeps fixture SKU codes unique without shared counters.
func randomSuffix() string {
	b := make([]byte, 4)
	rand.Read(b)
	return hex.EncodeToString(b)
}
