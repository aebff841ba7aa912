package catalog_test

import (
	"slices"
	"testing"

	"github.com/kaidian/kaidian/internal/catalog"
	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/page"
)

func titles(items []catalog.ProductSummary) []string {
	out := []string{}
	for _, p := range items {
		out = append(out, p.Title)
	}
	return out
}

func TestCategoriesTreeSorted(t *testing.T) {
	f := newFixture(t)
	b, _ := f.cat.CreateCategory(f.ctx, "B", nil, 2)
	a, _ := f.cat.CreateCategory(f.ctx, "A", nil, 1)
	f.cat.CreateCategory(f.ctx, "A2", &a.ID, 5)
	f.cat.CreateCategory(f.ctx, "A1", &a.ID, 1)
	f.cat.CreateCategory(f.ctx, "B1", &b.ID, 0)
	tree, err := f.cat.Categories(f.ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(tree) != 2 || tree[0].Name != "A" || tree[1].Name != "B" ||
		len(tree[0].Children) != 2 || tree[0].Children[0].Name != "A1" || tree[0].Children[1].Name != "A2" ||
		len(tree[1].Children) != 1 || *tree[1].Children[0].ParentID != b.ID {
		t.Fatalf("tree = %+v", tree)
	}
}

func TestCatalogListProductsNestedCategoryFilter(t *testing.T) {
	f := newFixture(t)
	clothes := f.category(t, "服饰", nil)
	tees := f.category(t, "T恤", &clothes.ID)
	basics := f.category(t, "基础款", &tees.ID)
	digital := f.category(t, "数码", nil)
	f.product(t, clothes.ID, "围巾", 100, 1)
	f.product(t, tees.ID, "T恤", 100, 1)
	f.product(t, basics.ID, "基础T恤", 100, 1)
	f.product(t, digital.ID, "数据线", 100, 1)
	for _, tc := range []struct {
		id   int64
		want []string
	}{
		{0, []string{"围巾", "T恤", "基础T恤", "数据线"}},
		{clothes.ID, []string{"围巾", "T恤", "基础T恤"}},
		{tees.ID, []string{"T恤", "基础T恤"}},
		{basics.ID, []string{"基础T恤"}},
		{digital.ID, []string{"数据线"}},
		{987654, []string{}},
	} {
		items, _, err := f.cat.ListProducts(f.ctx, catalog.ProductQuery{CategoryID: tc.id})
		if err != nil || !slices.Equal(titles(items), tc.want) {
			t.Errorf("category %d: %v %v, want %v", tc.id, titles(items), err, tc.want)
		}
	}
}

func TestCatalogListProductsSearchEscapes(t *testing.T) {
	f := newFixture(t)
	c := f.category(t, "杂货", nil)
	for _, title := range []string{"100% Cotton Tee", "1000 Cotton", "snake_case mug", "snakeXcase mug", `back\slash`, "纯棉T恤"} {
		f.product(t, c.ID, title, 100, 1)
	}
	for _, tc := range []struct {
		q    string
		want []string
	}{
		{"100%", []string{"100% Cotton Tee"}},
		{"%", []string{"100% Cotton Tee"}},
		{"e_c", []string{"snake_case mug"}},
		{"_", []string{"snake_case mug"}},
		{`\`, []string{`back\slash`}},
		{"COTTON", []string{"100% Cotton Tee", "1000 Cotton"}},
		{" t恤 ", []string{"纯棉T恤"}},
		{"棉", []string{"纯棉T恤"}},
		{"nothing", []string{}},
	} {
		items, _, err := f.cat.ListProducts(f.ctx, catalog.ProductQuery{Q: tc.q})
		if err != nil || !slices.Equal(titles(items), tc.want) {
			t.Errorf("q=%q: %v %v, want %v", tc.q, titles(items), err, tc.want)
		}
	}
	long := string(make([]rune, catalog.MaxQueryLen+1))
	if _, _, err := f.cat.ListProducts(f.ctx, catalog.ProductQuery{Q: long + "x"}); !errs.Is(err, "invalid_field") {
		t.Errorf("long q: %v", err)
	}
}

func TestCatalogListProductsPaginationWalksAll(t *testing.T) {
	f := newFixture(t)
	c := f.category(t, "杂货", nil)
	want := map[int64]bool{}
	for i := 0; i < 23; i++ {
		p := f.product(t, c.ID, "商品", int64(100+i), int64(i%3))
		want[p.ID] = true
	}
	hidden, err := f.cat.CreateProduct(f.ctx, catalog.NewProduct{CategoryID: c.ID, Title: "下架", OffShelf: true,
		SKUs: []catalog.NewSKU{{Code: "OFF", Price: 1, Stock: 1}}}, "test")
	if err != nil {
		t.Fatal(err)
	}
	seen := map[int64]bool{}
	req, pages, last := page.Request{Limit: 5}, 0, int64(0)
	for {
		items, next, err := f.cat.ListProducts(f.ctx, catalog.ProductQuery{Page: req})
		if err != nil {
			t.Fatal(err)
		}
		pages++
		for _, p := range items {
			if seen[p.ID] || p.ID <= last {
				t.Fatalf("product %d repeated or out of order", p.ID)
			}
			seen[p.ID], last = true, p.ID
			if p.InStock != ((p.Price-100)%3 != 0) {
				t.Errorf("product %d price %d in_stock %v", p.ID, p.Price, p.InStock)
			}
		}
		if next == "" {
			break
		}
		if req, err = page.Parse(next, "5"); err != nil {
			t.Fatal(err)
		}
	}
	if pages != 5 || len(seen) != len(want) || seen[hidden.ID] {
		t.Fatalf("walked %d pages, saw %d of %d products (off-shelf seen: %v)", pages, len(seen), len(want), seen[hidden.ID])
	}
}

func TestCatalogProductDetailHidesOffShelf(t *testing.T) {
	f := newFixture(t)
	c := f.category(t, "杂货", nil)
	off, err := f.cat.CreateProduct(f.ctx, catalog.NewProduct{CategoryID: c.ID, Title: "下架", OffShelf: true,
		SKUs: []catalog.NewSKU{{Code: "OFF", Price: 1, Stock: 1}}}, "test")
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []int64{off.ID, 999999} {
		if _, err := f.cat.ProductDetail(f.ctx, id); !errs.Is(err, "product_not_found") {
			t.Errorf("product %d: %v", id, err)
		}
	}
}
