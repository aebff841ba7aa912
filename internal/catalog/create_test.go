package catalog_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/kaidian/kaidian/internal/catalog"
	"github.com/kaidian/kaidian/internal/clock"
	"github.com/kaidian/kaidian/internal/database"
	"github.com/kaidian/kaidian/internal/database/dbtest"
	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/i18n"
	"github.com/kaidian/kaidian/internal/inventory"
)

type fixture struct {
	db  *database.DB
	cat *catalog.Service
	inv *inventory.Service
	ctx context.Context
	n   int
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	db := dbtest.Open(t)
	inv := inventory.New(db, clock.New())
	return &fixture{db: db, cat: catalog.New(db, inv, clock.New()), inv: inv, ctx: context.Background()}
}

func (f *fixture) category(t *testing.T, name string, parent *int64) catalog.Category {
	t.Helper()
	c, err := f.cat.CreateCategory(f.ctx, name, parent, 0)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// product creates a single-SKU product priced price with stock units.
func (f *fixture) product(t *testing.T, categoryID int64, title string, price, stock int64) catalog.Product {
	t.Helper()
	f.n++
	p, err := f.cat.CreateProduct(f.ctx, catalog.NewProduct{CategoryID: categoryID, Title: title,
		SKUs: []catalog.NewSKU{{Code: fmt.Sprintf("C%d", f.n), Price: price, Stock: stock}}}, "test")
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// tee is a valid two-dimension product; tests break one rule at a time.
func tee(categoryID int64) catalog.NewProduct {
	return catalog.NewProduct{
		CategoryID: categoryID, Title: "纯棉T恤",
		SpecDims: []catalog.SpecDim{{Name: "颜色", Values: []string{"白", "黑"}}, {Name: "尺码", Values: []string{"M", "L"}}},
		SKUs: []catalog.NewSKU{
			{Code: "W-M", SpecValues: []string{"白", "M"}, Price: 5900, OriginalPrice: 9900, Stock: 10},
			{Code: "W-L", SpecValues: []string{"白", "L"}, Price: 6900, Stock: 0},
			{Code: "B-M", SpecValues: []string{"黑", "M"}, Price: 4900, Stock: 3, OffSale: true},
		},
	}
}

func TestCatalogCreateProductValidation(t *testing.T) {
	f := newFixture(t)
	c := f.category(t, "服饰", nil)
	cases := []struct {
		name   string
		change func(*catalog.NewProduct)
		code   string
		field  string
	}{
		{"empty title", func(p *catalog.NewProduct) { p.Title = "  " }, "invalid_field", "title"},
		{"long title", func(p *catalog.NewProduct) { p.Title = strings.Repeat("长", 101) }, "invalid_field", "title"},
		{"no category", func(p *catalog.NewProduct) { p.CategoryID = 0 }, "invalid_field", "category_id"},
		{"unknown category", func(p *catalog.NewProduct) { p.CategoryID = 999999 }, "category_not_found", "category_id"},
		{"four dims", func(p *catalog.NewProduct) {
			for i := 0; i < 2; i++ {
				p.SpecDims = append(p.SpecDims, catalog.SpecDim{Name: fmt.Sprint("d", i), Values: []string{"x"}})
			}
		}, "invalid_field", "spec_dims"},
		{"dim without values", func(p *catalog.NewProduct) { p.SpecDims[1].Values = nil }, "invalid_field", "spec_dims[1].values"},
		{"duplicate dim value", func(p *catalog.NewProduct) { p.SpecDims[0].Values = []string{"白", "白"} }, "invalid_field", "spec_dims[0].values"},
		{"empty dim value", func(p *catalog.NewProduct) { p.SpecDims[0].Values = []string{"白", " "} }, "invalid_field", "spec_dims[0].values"},
		{"duplicate dim name", func(p *catalog.NewProduct) { p.SpecDims[1].Name = "颜色" }, "invalid_field", "spec_dims[1].name"},
		{"no skus", func(p *catalog.NewProduct) { p.SKUs = nil }, "invalid_field", "skus"},
		{"too few values", func(p *catalog.NewProduct) { p.SKUs[0].SpecValues = []string{"白"} }, "invalid_field", "skus[0].spec_values"},
		{"unknown value", func(p *catalog.NewProduct) { p.SKUs[1].SpecValues = []string{"红", "L"} }, "invalid_field", "skus[1].spec_values"},
		{"duplicate combination", func(p *catalog.NewProduct) { p.SKUs[1].SpecValues = []string{"白", "M"} }, "invalid_field", "skus[1].spec_values"},
		{"empty code", func(p *catalog.NewProduct) { p.SKUs[0].Code = "" }, "invalid_field", "skus[0].code"},
		{"duplicate code", func(p *catalog.NewProduct) { p.SKUs[2].Code = "W-M" }, "invalid_field", "skus[2].code"},
		{"negative price", func(p *catalog.NewProduct) { p.SKUs[0].Price = -1 }, "invalid_field", "skus[0].price"},
		{"huge price", func(p *catalog.NewProduct) { p.SKUs[0].Price = catalog.MaxPrice + 1 }, "invalid_field", "skus[0].price"},
		{"negative original", func(p *catalog.NewProduct) { p.SKUs[0].OriginalPrice = -1 }, "invalid_field", "skus[0].original_price"},
		{"negative stock", func(p *catalog.NewProduct) { p.SKUs[0].Stock = -5 }, "invalid_field", "skus[0].stock"},
		{"several skus without dims", func(p *catalog.NewProduct) {
			p.SpecDims = nil
			for i := range p.SKUs {
				p.SKUs[i].SpecValues = nil
			}
		}, "invalid_field", "skus"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			np := tee(c.ID)
			tc.change(&np)
			_, err := f.cat.CreateProduct(f.ctx, np, "test")
			e := errs.As(err)
			if err == nil || e.Code != tc.code || e.Details["field"] != tc.field {
				t.Fatalf("got %v (details %v), want %s on %s", err, e.Details, tc.code, tc.field)
			}
		})
	}
	// Nothing of the refused products was stored.
	if items, _, err := f.cat.ListProducts(f.ctx, catalog.ProductQuery{}); err != nil || len(items) != 0 {
		t.Fatalf("refused products left rows: %v %v", items, err)
	}
}

func TestCatalogCreateProductStoresSKUsAndLedger(t *testing.T) {
	f := newFixture(t)
	c := f.category(t, "服饰", nil)
	p, err := f.cat.CreateProduct(f.ctx, tee(c.ID), "owner:1")
	if err != nil {
		t.Fatal(err)
	}
	// min_price ignores the SKU off sale (4900).
	if p.MinPrice != 5900 || len(p.SKUs) != 3 || p.SKUs[0].SpecText != "白 / M" {
		t.Fatalf("product = %+v", p)
	}
	got, err := f.cat.ProductDetail(f.ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.SKUs[0].Stock != 10 || got.SKUs[1].Stock != 0 || got.SKUs[2].OnSale {
		t.Fatalf("stored skus = %+v", got.SKUs)
	}
	price, original, inStock := got.Offer()
	if price != 5900 || original != 9900 || !inStock {
		t.Fatalf("offer = %d %d %v", price, original, inStock)
	}
	ms, err := f.inv.Movements(f.ctx, p.SKUs[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	want := inventory.Movement{Kind: inventory.KindReceive, Quantity: 10, StockAfter: 10, Reason: i18n.M("record.stock.initial"),
		RefType: "product", RefID: fmt.Sprint(p.ID), Actor: "owner:1"}
	if len(ms) != 1 || ms[0].Kind != want.Kind || ms[0].Quantity != want.Quantity || ms[0].StockAfter != want.StockAfter ||
		ms[0].RefType != want.RefType || ms[0].RefID != want.RefID || ms[0].Actor != want.Actor || ms[0].Reason.ID != want.Reason.ID {
		t.Fatalf("ledger = %+v, want %+v", ms, want)
	}
	// A SKU created with no stock has no ledger row (nothing moved).
	if ms, _ := f.inv.Movements(f.ctx, p.SKUs[1].ID); len(ms) != 0 {
		t.Fatalf("zero-stock sku ledger = %+v", ms)
	}
}

func TestCatalogCreateProductCodeTakenRollsBack(t *testing.T) {
	f := newFixture(t)
	c := f.category(t, "服饰", nil)
	if _, err := f.cat.CreateProduct(f.ctx, tee(c.ID), "test"); err != nil {
		t.Fatal(err)
	}
	np := tee(c.ID)
	np.Title = "另一件"
	np.SKUs[0].Code, np.SKUs[1].Code = "NEW-1", "NEW-2" // the third, B-M, is taken
	_, err := f.cat.CreateProduct(f.ctx, np, "test")
	if !errs.Is(err, "sku_code_taken") {
		t.Fatalf("err = %v, want sku_code_taken", err)
	}
	items, _, err := f.cat.ListProducts(f.ctx, catalog.ProductQuery{})
	if err != nil || len(items) != 1 {
		t.Fatalf("after a failed create: %d products, %v (want the first only)", len(items), err)
	}
}

func TestCatalogCreateCategory(t *testing.T) {
	f := newFixture(t)
	if _, err := f.cat.CreateCategory(f.ctx, " ", nil, 0); !errs.Is(err, "invalid_field") {
		t.Fatalf("blank name: %v", err)
	}
	missing := int64(424242)
	if _, err := f.cat.CreateCategory(f.ctx, "子类", &missing, 0); !errs.Is(err, "category_not_found") {
		t.Fatalf("unknown parent: %v", err)
	}
}
