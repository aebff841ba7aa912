package catalog_test

import (
	"slices"
	"testing"

	"github.com/kaidian/kaidian/internal/catalog"
	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/page"
)

func rowTitles(rows []catalog.MerchantRow) []string {
	out := []string{}
	for _, r := range rows {
		out = append(out, r.Title)
	}
	return out
}

func TestMerchantProductsFilters(t *testing.T) {
	f := newFixture(t)
	clothes := f.category(t, "服饰", nil)
	tees := f.category(t, "T恤", &clothes.ID)
	digital := f.category(t, "数码", nil)
	scarf := f.product(t, clothes.ID, "羊毛围巾", 8900, 50)
	tee, err := f.cat.CreateProduct(f.ctx, tee(tees.ID), "test") // 59/69 on sale, 49 off sale; stock 10, 0, 3
	if err != nil {
		t.Fatal(err)
	}
	cable := f.product(t, digital.ID, "数据线 100%棉", 1990, 4)
	if _, err := f.cat.SetShelf(f.ctx, []int64{cable.ID}, false, "test"); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		q    catalog.MerchantQuery
		want []string
	}{
		{"all, newest first", catalog.MerchantQuery{}, []string{"数据线 100%棉", "纯棉T恤", "羊毛围巾"}},
		{"category with children", catalog.MerchantQuery{CategoryID: clothes.ID}, []string{"纯棉T恤", "羊毛围巾"}},
		{"leaf category", catalog.MerchantQuery{CategoryID: tees.ID}, []string{"纯棉T恤"}},
		{"off shelf", catalog.MerchantQuery{Shelf: catalog.ShelfOff}, []string{"数据线 100%棉"}},
		{"on shelf", catalog.MerchantQuery{Shelf: catalog.ShelfOn}, []string{"纯棉T恤", "羊毛围巾"}},
		// The tee's W-L has 0 on sale; its B-M (3) is off sale and does not count.
		{"low stock at 0", catalog.MerchantQuery{LowStock: true, Threshold: 0}, []string{"纯棉T恤"}},
		{"low stock at 5", catalog.MerchantQuery{LowStock: true, Threshold: 5}, []string{"数据线 100%棉", "纯棉T恤"}},
		{"low stock and on shelf", catalog.MerchantQuery{LowStock: true, Threshold: 5, Shelf: catalog.ShelfOn}, []string{"纯棉T恤"}},
		{"title, any case", catalog.MerchantQuery{Q: "t恤"}, []string{"纯棉T恤"}},
		{"title with a LIKE wildcard", catalog.MerchantQuery{Q: "100%"}, []string{"数据线 100%棉"}},
		{"wildcard alone matches literally", catalog.MerchantQuery{Q: "%"}, []string{"数据线 100%棉"}},
		{"a SKU code", catalog.MerchantQuery{Q: "W-L"}, []string{"纯棉T恤"}},
		{"nothing", catalog.MerchantQuery{Q: "不存在"}, []string{}},
		{"unknown category", catalog.MerchantQuery{CategoryID: 987654}, []string{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rows, next, err := f.cat.MerchantProducts(f.ctx, tc.q)
			if err != nil || next != "" || !slices.Equal(rowTitles(rows), tc.want) {
				t.Fatalf("got %v %q %v, want %v", rowTitles(rows), next, err, tc.want)
			}
		})
	}

	rows, _, _ := f.cat.MerchantProducts(f.ctx, catalog.MerchantQuery{Threshold: 5})
	byID := map[int64]catalog.MerchantRow{}
	for _, r := range rows {
		byID[r.ID] = r
	}
	if r := byID[tee.ID]; r.Category != "T恤" || r.PriceLow != 5900 || r.PriceHigh != 6900 || r.Stock != 13 ||
		r.SKUs != 3 || r.OnSale != 2 || r.Low != 1 || !r.OnShelf {
		t.Fatalf("tee row = %+v", r)
	}
	if r := byID[cable.ID]; r.OnShelf || r.Low != 1 || r.PriceLow != 1990 || r.PriceHigh != 1990 {
		t.Fatalf("cable row = %+v", r)
	}
	if r := byID[scarf.ID]; r.Low != 0 || r.Stock != 50 {
		t.Fatalf("scarf row = %+v", r)
	}

	if _, _, err := f.cat.MerchantProducts(f.ctx, catalog.MerchantQuery{Q: string(make([]rune, 51))}); !errs.Is(err, "invalid_field") {
		t.Fatalf("long query: %v", err)
	}
}

func TestMerchantProductsPages(t *testing.T) {
	f := newFixture(t)
	c := f.category(t, "杂货", nil)
	var want []string
	for i := range 7 {
		p := f.product(t, c.ID, string(rune('A'+i)), 100, 1)
		want = append([]string{p.Title}, want...)
	}
	var got []string
	req := page.Request{Limit: 3}
	for pages := 0; ; pages++ {
		if pages > 5 {
			t.Fatal("pagination does not end")
		}
		rows, next, err := f.cat.MerchantProducts(f.ctx, catalog.MerchantQuery{Page: req})
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, rowTitles(rows)...)
		if next == "" {
			break
		}
		if req, err = page.Parse(next, "3"); err != nil {
			t.Fatal(err)
		}
	}
	if !slices.Equal(got, want) {
		t.Fatalf("pages = %v, want %v", got, want)
	}
}
