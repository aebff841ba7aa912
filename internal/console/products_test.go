package console_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/kaidian/kaidian/internal/app/apptest"
	"github.com/kaidian/kaidian/internal/i18n"
	"github.com/kaidian/kaidian/internal/seed"
	"github.com/kaidian/kaidian/internal/staff"
)

// zhCat writes the console's words in Chinese, the default language: tests
// of the catalog and marketing pages take what they expect from it, so a
// change of wording in the catalog does not break them.
var zhCat = i18n.For(i18n.ZhCN)

func TestCatalogPagesRenderEmpty(t *testing.T) {
	e := apptest.Start(t)
	c := e.SignIn(t, "lily", staff.RoleStaff)
	for path, want := range map[string]string{
		"/console/products":                     "还没有商品。",
		"/console/products?q=x&shelf=off&low=1": zhCat.T("console.products.no_match"),
		"/console/products/new":                 zhCat.T("console.product_form.no_categories"),
		"/console/categories":                   zhCat.T("console.categories.none"),
		"/console/products?category_id=424242":  "没有符合筛选条件的商品。",
	} {
		if p := c.Get(path); p.Status != http.StatusOK || !p.Has(want) {
			t.Errorf("%s: %d, want %q in\n%s", path, p.Status, want, p.Body)
		}
	}
	if p := c.Get("/console/products?cursor=forged"); p.Status != http.StatusBadRequest {
		t.Errorf("forged cursor: %d", p.Status)
	}
}

func TestProductListFilters(t *testing.T) {
	e := apptest.Start(t)
	clothes := e.Category(t, "服饰", nil)
	tees := e.Category(t, "T恤", &clothes.ID)
	digital := e.Category(t, "数码", nil)
	tee := e.ProductIn(t, tees.ID, "纯棉T恤", apptest.SKU{Price: 5900, Stock: 30}, apptest.SKU{Price: 6900, Stock: 2})
	scarf := e.ProductIn(t, clothes.ID, "羊毛围巾", apptest.SKU{Price: 8900, Stock: 40})
	cable := e.ProductIn(t, digital.ID, "快充数据线", apptest.SKU{Price: 1990, Stock: 100})
	if _, err := e.App.Catalog.SetShelf(context.Background(), []int64{cable.ID}, false, "test"); err != nil {
		t.Fatal(err)
	}
	c := e.SignIn(t, "lily", staff.RoleStaff)
	p := c.Get("/console/products")
	for _, want := range []string{"纯棉T恤", "羊毛围巾", "快充数据线", "¥59.00 – ¥69.00", "1 个库存紧张", "已下架", "已上架", "2 个规格", "T恤"} {
		if !p.Has(want) {
			t.Errorf("list lacks %q", want)
		}
	}
	for _, tc := range []struct {
		query     string
		show, not []string
	}{
		{"q=T恤", []string{tee.Title}, []string{scarf.Title, cable.Title}},
		{"q=" + url.QueryEscape(tee.SKUs[1].Code), []string{tee.Title}, []string{scarf.Title, cable.Title}},
		{fmt.Sprintf("category_id=%d", clothes.ID), []string{tee.Title, scarf.Title}, []string{cable.Title}},
		{"shelf=off", []string{cable.Title}, []string{tee.Title, scarf.Title}},
		{"shelf=on", []string{tee.Title, scarf.Title}, []string{cable.Title}},
		{"low=1", []string{tee.Title}, []string{scarf.Title, cable.Title}}, // the shop's threshold is 5
		{fmt.Sprintf("low=1&category_id=%d", digital.ID), nil, []string{tee.Title, scarf.Title, cable.Title}},
	} {
		p := c.Get("/console/products?" + tc.query)
		if p.Status != http.StatusOK {
			t.Fatalf("%s: %d", tc.query, p.Status)
		}
		for _, s := range tc.show {
			if !p.Has(">" + s + "<") {
				t.Errorf("%s: %q missing", tc.query, s)
			}
		}
		for _, s := range tc.not {
			if p.Has(">" + s + "<") {
				t.Errorf("%s: %q shown", tc.query, s)
			}
		}
	}
}

func TestBulkShelfToggle(t *testing.T) {
	e := apptest.Start(t)
	cat := e.Category(t, "杂货", nil)
	a := e.ProductIn(t, cat.ID, "商品A")
	b := e.ProductIn(t, cat.ID, "商品B")
	keep := e.ProductIn(t, cat.ID, "商品C")
	c := e.SignIn(t, "boss", staff.RoleOwner)
	list := c.Get("/console/products?q=商品")
	v := formValues(t, list.Body, "/console/products/shelf")
	if v.Get("back") != "q=%E5%95%86%E5%93%81" {
		t.Fatalf("the bulk form does not carry the filters: %v", v)
	}
	v["ids"] = []string{fmt.Sprint(a.ID), fmt.Sprint(b.ID)} // the merchant ticks two rows
	v.Set("shelf", "off")
	p := c.Post("/console/products/shelf", v)
	if p.Status != http.StatusSeeOther || p.Location != "/console/products?q=%E5%95%86%E5%93%81" {
		t.Fatalf("bulk off: %d %s %s", p.Status, p.Location, p.Body)
	}
	if p := c.Get(p.Location); !p.Has(zhCat.T("console.products.shelved_off", "n", 2, "total", 2)) {
		t.Fatalf("no flash: %s", p.Body)
	}
	for _, tc := range []struct {
		id int64
		on bool
	}{{a.ID, false}, {b.ID, false}, {keep.ID, true}} {
		if p, _ := e.App.Catalog.Product(context.Background(), tc.id); p.OnShelf != tc.on {
			t.Errorf("product %d on shelf = %v, want %v", tc.id, p.OnShelf, tc.on)
		}
	}
	if p := c.Get("/console/audit?action=product.shelf"); !p.Has("商品A：上架 → 下架") || !p.Has(i18n.For(i18n.ZhCN).Msg(i18n.M("record.audit.product_off_shelf", "title", "商品B"))) || p.Has("商品C") {
		t.Fatalf("audit: %s", p.Body)
	}
	if p := c.Post("/console/products/shelf", url.Values{"shelf": {"on"}}); p.Status != http.StatusBadRequest || !p.Has(says("catalog.select_products")) {
		t.Fatalf("nothing ticked: %d %s", p.Status, p.Body)
	}
}

func TestProductListPagesThroughManyProducts(t *testing.T) {
	e := apptest.Start(t)
	if err := seed.Bulk(context.Background(), e.App.DB, seed.Sizes{Products: 120}); err != nil {
		t.Fatal(err)
	}
	c := e.SignIn(t, "lily", staff.RoleStaff)
	seen := map[string]bool{}
	path := "/console/products"
	for pages := 1; ; pages++ {
		p := c.Get(path)
		if p.Status != http.StatusOK {
			t.Fatalf("%s: %d", path, p.Status)
		}
		for _, m := range strings.Split(p.Body, `name="ids" value="`)[1:] {
			seen[m[:strings.Index(m, `"`)]] = true
		}
		i := strings.Index(p.Body, `">`+zhCat.T("console.catalog.next_page"))
		if i < 0 {
			if pages != 3 {
				t.Fatalf("%d pages, want 3", pages)
			}
			break
		}
		path = "/console/products" + strings.ReplaceAll(p.Body[strings.LastIndex(p.Body[:i], `href="`)+6:i], "&amp;", "&")
	}
	if len(seen) != 120 {
		t.Fatalf("saw %d distinct products over the pages, want 120", len(seen))
	}
}
