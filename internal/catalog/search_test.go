package catalog_test

import (
	"reflect"
	"testing"

	"github.com/kaidian/kaidian/internal/catalog"
	"github.com/kaidian/kaidian/internal/i18n"
	"github.com/kaidian/kaidian/internal/inventory"
	"github.com/kaidian/kaidian/internal/page"
)

func TestSearchText(t *testing.T) {
	for in, want := range map[string]string{
		"纯棉圆领短袖T恤":  "纯棉圆领短袖t恤",
		"纯棉圆领短袖Ｔ恤":  "纯棉圆领短袖t恤", // full-width letter
		"ｔ恤":        "t恤",
		"ＰＯＬＯ衫　ＸＬ":  "polo衫 xl", // full-width letters and space
		"１００％纯棉":    "100%纯棉",
		"iPhone 15": "iphone 15",
		"㎏装":        "kg装", // a compatibility character
	} {
		if got := catalog.SearchText(in); got != want {
			t.Errorf("SearchText(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestSearchTextFollowsTheTitle: a title's search text is written on
// create and on every edit, so a width- or case-different search finds it;
// rows written around the service are mended by RefreshSearchText.
func TestSearchTextFollowsTheTitle(t *testing.T) {
	f := newFixture(t)
	c := f.category(t, "服饰", nil)
	p := f.product(t, c.ID, "纯棉圆领短袖Ｔ恤", 5900, 3)
	find := func(q string) []string {
		t.Helper()
		items, _, err := f.cat.ListProducts(f.ctx, catalog.ProductQuery{Q: q})
		if err != nil {
			t.Fatal(err)
		}
		return titles(items)
	}
	if got := find("T恤"); len(got) != 1 {
		t.Fatalf("T恤 found %v", got)
	}
	np := tee(c.ID)
	np.Title = "ＰＯＬＯ衫 商务款"
	if _, err := f.cat.UpdateProduct(f.ctx, p.ID, np, "test"); err != nil {
		t.Fatal(err)
	}
	if got := find("polo衫"); len(got) != 1 || len(find("t恤")) != 0 {
		t.Fatalf("after the edit: polo衫 %v, t恤 %v", got, find("t恤"))
	}
	// As the migration leaves existing rows (LOWER(title) folds no width)
	// and as bulk loads write them.
	if err := f.db.Conn(f.ctx).Exec("UPDATE products SET search_text = 'ｐｏｌｏ衫' WHERE id = ?", p.ID).Error; err != nil {
		t.Fatal(err)
	}
	if len(find("polo")) != 0 {
		t.Fatal("the stale search text matched")
	}
	if err := f.cat.RefreshSearchText(f.ctx); err != nil {
		t.Fatal(err)
	}
	if got := find("POLO"); len(got) != 1 {
		t.Fatalf("after the refresh: %v", got)
	}
}

// TestRefreshSalesFollowsSoldUnits: sales is the sum of the SKUs' sold
// units once refreshed: up when orders are paid, down when refunded units
// go back to stock.
func TestRefreshSalesFollowsSoldUnits(t *testing.T) {
	f := newFixture(t)
	c := f.category(t, "服饰", nil)
	p, err := f.cat.CreateProduct(f.ctx, tee(c.ID), "test")
	if err != nil {
		t.Fatal(err)
	}
	other := f.product(t, c.ID, "袜子", 900, 5)
	ref := inventory.Ref{Type: "order", ID: "1"}
	lines := []inventory.Line{{SKUID: p.SKUs[0].ID, Quantity: 3}, {SKUID: p.SKUs[2].ID, Quantity: 2}}
	if err := f.inv.Reserve(f.ctx, lines, ref, "test"); err != nil {
		t.Fatal(err)
	}
	if err := f.inv.Sell(f.ctx, lines, ref, "test"); err != nil {
		t.Fatal(err)
	}
	sales := func(want int64, wantChanged int64) {
		t.Helper()
		changed, err := f.cat.RefreshSales(f.ctx)
		if err != nil {
			t.Fatal(err)
		}
		got, err := f.cat.ProductDetail(f.ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Sales != want || changed != wantChanged {
			t.Fatalf("sales %d (%d rows changed), want %d (%d)", got.Sales, changed, want, wantChanged)
		}
	}
	sales(5, 1)
	sales(5, 0) // nothing new: nothing written
	if err := f.inv.Restock(f.ctx, []inventory.Line{{SKUID: p.SKUs[0].ID, Quantity: 1}}, ref, "test", i18n.Text("refund")); err != nil {
		t.Fatal(err)
	}
	sales(4, 1)
	if d, _ := f.cat.ProductDetail(f.ctx, other.ID); d.Sales != 0 {
		t.Fatalf("a product nobody bought has sales %d", d.Sales)
	}
}

// TestListProductsSortsSameAsGorm walks every page of every sort, with
// and without price bounds, in_stock and a search, through the
// hand-written list and the gorm one, over products whose prices and sales
// tie often: the same pages and cursors, each product once.
func TestListProductsSortsSameAsGorm(t *testing.T) {
	f := readFixture(t)
	// Sold units in a few values, so sales tie across many products.
	if err := f.db.Conn(f.ctx).Exec("UPDATE skus SET sold = id % 4").Error; err != nil {
		t.Fatal(err)
	}
	if _, err := f.cat.RefreshSales(f.ctx); err != nil {
		t.Fatal(err)
	}
	var category int64
	f.db.Conn(f.ctx).Table("categories").Select("MIN(id)").Scan(&category)
	p := func(v int64) *int64 { return &v }
	compared := 0
	for _, sort := range catalog.Sorts {
		for _, filter := range []catalog.ProductQuery{
			{}, {MinPrice: p(2000)}, {MaxPrice: p(2500)}, {MinPrice: p(1500), MaxPrice: p(3000), InStock: true},
			{InStock: true}, {Q: "ｔ恤"}, {Q: "商品 00", InStock: true}, {CategoryID: category}, {MinPrice: p(0), MaxPrice: p(0)},
		} {
			for _, limit := range []int{7, 100} {
				q := filter
				q.Sort, q.Page = sort, page.Request{Limit: limit}
				seen := map[int64]bool{}
				for pages := 0; ; pages++ {
					got, next, err := f.cat.ListProducts(f.ctx, q)
					want, wantNext, wantErr := catalog.GormListProducts(f.cat, f.ctx, q)
					if err != nil || wantErr != nil {
						t.Fatalf("%+v: %v / gorm %v", q, err, wantErr)
					}
					if !reflect.DeepEqual(got, want) || next != wantNext {
						t.Fatalf("%+v:\n got %+v %q\nwant %+v %q", q, got, next, want, wantNext)
					}
					for _, it := range got {
						if seen[it.ID] {
							t.Fatalf("%+v: product %d twice", q, it.ID)
						}
						seen[it.ID] = true
					}
					compared += len(got)
					if next == "" {
						break
					}
					q.Cursor = next
				}
			}
		}
	}
	if compared < 5000 {
		t.Fatalf("only %d items compared", compared)
	}
}
