package catalog_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/kaidian/kaidian/internal/audit"
	"github.com/kaidian/kaidian/internal/catalog"
	"github.com/kaidian/kaidian/internal/clock"
	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/i18n"
	"github.com/kaidian/kaidian/internal/inventory"
	"github.com/kaidian/kaidian/internal/page"
)

// hoodie is 颜色 红/蓝 × 尺码 S/M, every SKU on sale with stock.
func hoodie(categoryID int64) catalog.NewProduct {
	np := catalog.NewProduct{CategoryID: categoryID, Title: "连帽卫衣",
		SpecDims: []catalog.SpecDim{{Name: "颜色", Values: []string{"红", "蓝"}}, {Name: "尺码", Values: []string{"S", "M"}}}}
	for i, combo := range catalog.Combinations(np.SpecDims) {
		np.SKUs = append(np.SKUs, catalog.NewSKU{Code: "H-" + strings.Join(combo, ""), SpecValues: combo,
			Price: 2990, Stock: int64(10 + i)})
	}
	return np
}

// asEdit turns a stored product back into the edit a form would post
// unchanged: every SKU with the stock it was shown.
func asEdit(p catalog.Product) catalog.NewProduct {
	np := catalog.NewProduct{CategoryID: p.CategoryID, Title: p.Title, Subtitle: p.Subtitle, Description: p.Description,
		Images: p.Images.V, SpecDims: p.SpecDims.V, OffShelf: !p.OnShelf}
	for _, k := range p.SKUs {
		if !k.OnSale && !inDims(p.SpecDims.V, k.SpecValues.V) {
			continue
		}
		np.SKUs = append(np.SKUs, catalog.NewSKU{Code: k.Code, SpecValues: k.SpecValues.V, Image: k.Image, Price: k.Price,
			OriginalPrice: k.OriginalPrice, Stock: k.Stock, StockSeen: k.Stock, OffSale: !k.OnSale})
	}
	return np
}

func inDims(dims []catalog.SpecDim, values []string) bool {
	for _, c := range catalog.Combinations(dims) {
		if strings.Join(c, "/") == strings.Join(values, "/") {
			return true
		}
	}
	return false
}

func (f *fixture) auditDetails(t *testing.T, action string) []string {
	t.Helper()
	es, _, err := audit.New(f.db, clock.New()).List(f.ctx, audit.Query{Action: action, Page: page.Request{Limit: 100}})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range es {
		out = append(out, e.Actor+" "+i18n.For(i18n.En).Msg(e.Detail))
	}
	return out
}

func hasEntry(entries []string, want string) bool {
	for _, e := range entries {
		if strings.Contains(e, want) {
			return true
		}
	}
	return false
}

func (f *fixture) skuCount(t *testing.T, productID int64) int64 {
	t.Helper()
	var n int64
	if err := f.db.Conn(f.ctx).Raw("SELECT COUNT(*) FROM skus WHERE product_id = ?", productID).Scan(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

func TestUpdateProductKeepsIDsAndSwitchesOffRemovedCombinations(t *testing.T) {
	f := newFixture(t)
	c := f.category(t, "服饰", nil)
	p, err := f.cat.CreateProduct(f.ctx, hoodie(c.ID), "staff:1:lily")
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]int64{}
	for _, k := range p.SKUs {
		ids[k.SpecText] = k.ID
	}

	// 蓝 goes, 白 comes; 红/S gets a new price and two more units.
	edit := asEdit(p)
	edit.SpecDims[0].Values = []string{"红", "白"}
	edit.SKUs = []catalog.NewSKU{
		{Code: "H-红S", SpecValues: []string{"红", "S"}, Price: 2500, Stock: 12, StockSeen: 10},
		{Code: "H-红M", SpecValues: []string{"红", "M"}, Price: 2990, Stock: 11, StockSeen: 11},
		{Code: "H-白S", SpecValues: []string{"白", "S"}, Price: 2990, Stock: 7},
		{Code: "H-白M", SpecValues: []string{"白", "M"}, Price: 2990, OffSale: true},
	}
	got, err := f.cat.UpdateProduct(f.ctx, p.ID, edit, "staff:1:lily")
	if err != nil {
		t.Fatal(err)
	}
	byText := map[string]catalog.SKU{}
	for _, k := range got.SKUs {
		byText[k.SpecText] = k
	}
	if k := byText["红 / S"]; k.ID != ids["红 / S"] || k.Price != 2500 || k.Stock != 12 || !k.OnSale {
		t.Fatalf("红/S kept its id with new price and stock? %+v (id was %d)", k, ids["红 / S"])
	}
	if k := byText["红 / M"]; k.ID != ids["红 / M"] || k.Stock != 11 {
		t.Fatalf("红/M = %+v", k)
	}
	for _, gone := range []string{"蓝 / S", "蓝 / M"} {
		if k := byText[gone]; k.ID != ids[gone] || k.OnSale {
			t.Fatalf("%s should be kept, switched off: %+v", gone, k)
		}
	}
	if k := byText["白 / S"]; k.ID == 0 || k.Stock != 7 || !k.OnSale {
		t.Fatalf("new 白/S = %+v", k)
	}
	if k := byText["白 / M"]; k.ID == 0 || k.OnSale {
		t.Fatalf("new 白/M should be off sale: %+v", k)
	}
	if n := f.skuCount(t, p.ID); n != 6 {
		t.Fatalf("%d SKU rows, want 6 (none deleted)", n)
	}
	if got.MinPrice != 2500 {
		t.Fatalf("min_price = %d", got.MinPrice)
	}

	// Stock moved through the ledger only: a receipt for the new SKU, an
	// adjustment with the page's reason for the edited one.
	ms, _ := f.inv.Movements(f.ctx, ids["红 / S"])
	if len(ms) != 2 || ms[1].Kind != inventory.KindAdjust || ms[1].Quantity != 2 || ms[1].StockAfter != 12 ||
		ms[1].Reason.ID != catalog.StockEditReason.ID || ms[1].Actor != "staff:1:lily" {
		t.Fatalf("红/S ledger = %+v", ms)
	}
	if ms, _ := f.inv.Movements(f.ctx, ids["红 / M"]); len(ms) != 1 {
		t.Fatalf("an untouched stock moved: %+v", ms)
	}
	if ms, _ := f.inv.Movements(f.ctx, byText["白 / S"].ID); len(ms) != 1 || ms[0].Kind != inventory.KindReceive || ms[0].Quantity != 7 {
		t.Fatalf("白/S ledger = %+v", ms)
	}

	if e := f.auditDetails(t, "sku.price"); len(e) != 1 || !hasEntry(e, "staff:1:lily H-红S (红 / S): ¥29.90 → ¥25.00") {
		t.Fatalf("price audit = %q", e)
	}
	if e := f.auditDetails(t, "stock.adjust"); len(e) != 1 || !hasEntry(e, "H-红S (红 / S): stock 10 → 12 (edited on product page)") {
		t.Fatalf("stock audit = %q", e)
	}
	if e := f.auditDetails(t, "sku.sale"); len(e) != 2 || !hasEntry(e, "H-蓝S (蓝 / S): on sale → off sale (its combination was removed)") {
		t.Fatalf("sale audit = %q", e)
	}
	if e := f.auditDetails(t, "sku.create"); len(e) != 2 {
		t.Fatalf("create audit = %q", e)
	}

	// Shoppers no longer see the removed combinations.
	detail, err := f.cat.ProductDetail(f.ctx, p.ID)
	if err != nil || len(detail.SKUs) != 4 {
		t.Fatalf("shopper detail: %d skus, %v", len(detail.SKUs), err)
	}

	// 蓝 comes back: its SKUs are reused, not duplicated.
	again := asEdit(got)
	again.SpecDims[0].Values = []string{"红", "白", "蓝"}
	again.SKUs = append(again.SKUs, catalog.NewSKU{Code: "H-蓝S", SpecValues: []string{"蓝", "S"}, Price: 2990,
		Stock: byText["蓝 / S"].Stock, StockSeen: byText["蓝 / S"].Stock})
	back, err := f.cat.UpdateProduct(f.ctx, p.ID, again, "staff:1:lily")
	if err != nil {
		t.Fatal(err)
	}
	if n := f.skuCount(t, p.ID); n != 6 {
		t.Fatalf("%d SKU rows after bringing 蓝 back, want 6", n)
	}
	for _, k := range back.SKUs {
		if k.ID == ids["蓝 / S"] && !k.OnSale {
			t.Fatalf("蓝/S not back on sale: %+v", k)
		}
	}
}

func TestUpdateProductStockMovesOnlyByWhatWasTyped(t *testing.T) {
	f := newFixture(t)
	c := f.category(t, "杯具", nil)
	p := f.product(t, c.ID, "马克杯", 3900, 10)
	sku := p.SKUs[0].ID
	// The form showed 10; meanwhile a shopper reserves 3.
	shown := asEdit(p)
	if err := f.inv.Reserve(f.ctx, []inventory.Line{{SKUID: sku, Quantity: 3}}, inventory.Ref{Type: "order", ID: "A1"}, "shopper:1"); err != nil {
		t.Fatal(err)
	}
	// Saving without touching stock leaves the reservation alone.
	got, err := f.cat.UpdateProduct(f.ctx, p.ID, shown, "owner:1")
	if err != nil || got.SKUs[0].Stock != 7 {
		t.Fatalf("untouched stock: %+v %v", got.SKUs, err)
	}
	// Typing 15 where 10 was shown receives 5 more.
	shown.SKUs[0].Stock = 15
	if got, err = f.cat.UpdateProduct(f.ctx, p.ID, shown, "owner:1"); err != nil || got.SKUs[0].Stock != 12 {
		t.Fatalf("+5: %+v %v", got.SKUs, err)
	}
	// Taking away more than there is now is refused on the stock field, and
	// the price typed in the same save is not kept either.
	shown.SKUs[0].Stock, shown.SKUs[0].StockSeen, shown.SKUs[0].Price = 0, 20, 100
	_, err = f.cat.UpdateProduct(f.ctx, p.ID, shown, "owner:1")
	if e := errs.As(err); e.Details["field"] != "skus[0].stock" || !strings.Contains(i18n.For(i18n.En).Error(e), "only 12 in stock now") ||
		!strings.Contains(i18n.For(i18n.ZhCN).Error(e), "第 1 个 SKU 的库存：当前库存仅剩 12 件") {
		t.Fatalf("taking away 20 of 12: %v", err)
	}
	after, _ := f.cat.Product(f.ctx, p.ID)
	if after.SKUs[0].Stock != 12 || after.SKUs[0].Price != 3900 {
		t.Fatalf("a refused edit changed the SKU: %+v", after.SKUs[0])
	}
	var ledger int64
	f.db.Conn(f.ctx).Raw("SELECT SUM(quantity) FROM inventory_movements WHERE sku_id = ?", sku).Scan(&ledger)
	if ledger != 12 {
		t.Fatalf("ledger sums to %d, stock is 12", ledger)
	}
}

func TestUpdateProductRefusedChangesNothing(t *testing.T) {
	f := newFixture(t)
	c := f.category(t, "服饰", nil)
	other := f.product(t, c.ID, "别的商品", 100, 1)
	p, err := f.cat.CreateProduct(f.ctx, hoodie(c.ID), "owner:1")
	if err != nil {
		t.Fatal(err)
	}
	auditBefore := len(f.auditDetails(t, ""))
	cases := []struct {
		name   string
		change func(*catalog.NewProduct)
		field  string
	}{
		{"blank title", func(np *catalog.NewProduct) { np.Title = "" }, "title"},
		{"unknown category", func(np *catalog.NewProduct) { np.CategoryID = 987654 }, "category_id"},
		{"bad image", func(np *catalog.NewProduct) { np.Images = []string{"javascript:alert(1)"} }, "images"},
		{"negative stock", func(np *catalog.NewProduct) { np.SKUs[1].Stock = -1 }, "skus[1].stock"},
		// Found only by the database, after the product row and earlier SKUs were written.
		{"code of another product", func(np *catalog.NewProduct) { np.SKUs[3].Code = other.SKUs[0].Code }, "skus[3].code"},
		{"code of a new SKU taken", func(np *catalog.NewProduct) {
			np.SpecDims[1].Values = append(np.SpecDims[1].Values, "L")
			np.SKUs = append(np.SKUs, catalog.NewSKU{Code: other.SKUs[0].Code, SpecValues: []string{"红", "L"}, Stock: 3})
		}, "skus[4].code"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			np := asEdit(p)
			np.Title = "改过的标题"
			np.OffShelf = true
			np.SKUs[0].Price, np.SKUs[0].Stock = 1, 99
			tc.change(&np)
			_, err := f.cat.UpdateProduct(f.ctx, p.ID, np, "owner:1")
			if e := errs.As(err); err == nil || e.Details["field"] != tc.field {
				t.Fatalf("err = %v (details %v), want one on %s", err, e.Details, tc.field)
			}
			now, _ := f.cat.Product(f.ctx, p.ID)
			if now.Title != p.Title || !now.OnShelf || len(now.SKUs) != 4 || now.SKUs[0].Price != 2990 || now.SKUs[0].Stock != 10 {
				t.Fatalf("a refused edit changed the product: %+v", now)
			}
			if n := len(f.auditDetails(t, "")); n != auditBefore {
				t.Fatalf("a refused edit wrote %d audit entries", n-auditBefore)
			}
		})
	}
}

func TestUpdateUnknownProduct(t *testing.T) {
	f := newFixture(t)
	c := f.category(t, "服饰", nil)
	if _, err := f.cat.UpdateProduct(f.ctx, 424242, hoodie(c.ID), "owner:1"); !errs.Is(err, "product_not_found") {
		t.Fatalf("err = %v", err)
	}
}

func TestSetShelfAuditsOnlyChanges(t *testing.T) {
	f := newFixture(t)
	c := f.category(t, "服饰", nil)
	a, b := f.product(t, c.ID, "A", 100, 1), f.product(t, c.ID, "B", 100, 1)
	n, err := f.cat.SetShelf(f.ctx, []int64{a.ID, b.ID, 987654}, false, "owner:1")
	if err != nil || n != 2 {
		t.Fatalf("off: %d %v", n, err)
	}
	if n, err = f.cat.SetShelf(f.ctx, []int64{a.ID, b.ID}, false, "owner:1"); err != nil || n != 0 {
		t.Fatalf("off again: %d %v", n, err)
	}
	if n, err = f.cat.SetShelf(f.ctx, []int64{a.ID}, true, "owner:1"); err != nil || n != 1 {
		t.Fatalf("on: %d %v", n, err)
	}
	e := f.auditDetails(t, "product.shelf")
	if len(e) != 3 || !hasEntry(e, "owner:1 A: off shelf → on shelf") || !hasEntry(e, "owner:1 B: on shelf → off shelf") {
		t.Fatalf("shelf audit = %q", e)
	}
	if _, err := f.cat.ProductDetail(f.ctx, b.ID); !errs.Is(err, "product_not_found") {
		t.Fatalf("an off-shelf product is still shown: %v", err)
	}
	if _, err := f.cat.SetShelf(f.ctx, nil, true, "owner:1"); !errs.Is(err, "invalid_field") {
		t.Fatalf("no ids: %v", err)
	}
}

func TestCombinations(t *testing.T) {
	got := catalog.Combinations([]catalog.SpecDim{{Name: "颜色", Values: []string{"红", "蓝"}}, {Name: "尺码", Values: []string{"S", "M", "L"}}})
	if fmt.Sprint(got) != "[[红 S] [红 M] [红 L] [蓝 S] [蓝 M] [蓝 L]]" {
		t.Fatalf("got %v", got)
	}
	if got := catalog.Combinations(nil); len(got) != 1 || len(got[0]) != 0 {
		t.Fatalf("no dims: %v", got)
	}
}
