package mpapi_test

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/kaidian/kaidian/internal/app/apptest"
	"github.com/kaidian/kaidian/internal/catalog"
	"github.com/kaidian/kaidian/internal/config"
)

type productPage struct {
	Items []struct {
		ID            int64  `json:"id"`
		Title         string `json:"title"`
		CategoryID    int64  `json:"category_id"`
		Price         int64  `json:"price"`
		OriginalPrice int64  `json:"original_price"`
		InStock       bool   `json:"in_stock"`
	} `json:"items"`
	NextCursor string `json:"next_cursor"`
}

func TestCatalogCategoriesNested(t *testing.T) {
	e := apptest.Start(t)
	clothes := e.Category(t, "服饰", nil)
	e.Category(t, "T恤", &clothes.ID)
	e.Category(t, "数码", nil)
	r := e.Get("/api/v1/categories", "")
	var body struct {
		Items []struct {
			ID       int64  `json:"id"`
			Name     string `json:"name"`
			ParentID *int64 `json:"parent_id"`
			Children []struct {
				Name     string `json:"name"`
				ParentID *int64 `json:"parent_id"`
			} `json:"children"`
		} `json:"items"`
		NextCursor string `json:"next_cursor"`
	}
	r.Decode(t, &body)
	if r.Status != 200 || len(body.Items) != 2 || body.Items[0].ParentID != nil ||
		len(body.Items[0].Children) != 1 || *body.Items[0].Children[0].ParentID != clothes.ID || body.NextCursor != "" {
		t.Fatalf("categories = %d %s", r.Status, r.Body)
	}
}

func TestProductListFiltersAndPages(t *testing.T) {
	e := apptest.Start(t)
	clothes := e.Category(t, "服饰", nil)
	tees := e.Category(t, "T恤", &clothes.ID)
	digital := e.Category(t, "数码", nil)
	tee := e.ProductIn(t, tees.ID, "纯棉T恤", apptest.SKU{Price: 5900, Stock: 0}, apptest.SKU{Price: 4900, Stock: 0})
	e.ProductIn(t, digital.ID, "数据线", apptest.SKU{Price: 1990, Stock: 5})
	e.ProductIn(t, digital.ID, "100%纯铜 数据线", apptest.SKU{Price: 2990, Stock: 5})

	var pg productPage
	r := e.Get("/api/v1/products?category_id="+fmt.Sprint(clothes.ID), "")
	r.Decode(t, &pg)
	if r.Status != 200 || len(pg.Items) != 1 || pg.Items[0].ID != tee.ID || pg.Items[0].Price != 4900 || pg.Items[0].InStock {
		t.Fatalf("by parent category = %d %s", r.Status, r.Body)
	}
	r = e.Get("/api/v1/products?q="+url.QueryEscape("100%"), "")
	pg = productPage{}
	r.Decode(t, &pg)
	if r.Status != 200 || len(pg.Items) != 1 || pg.Items[0].Title != "100%纯铜 数据线" {
		t.Fatalf("search = %d %s", r.Status, r.Body)
	}

	// Walk every page two at a time: each product exactly once, in id order.
	seen, cursor, pages := map[int64]bool{}, "", 0
	for {
		pg = productPage{}
		r = e.Get("/api/v1/products?limit=2&cursor="+url.QueryEscape(cursor), "")
		r.Decode(t, &pg)
		if r.Status != 200 {
			t.Fatalf("page = %d %s", r.Status, r.Body)
		}
		pages++
		for _, it := range pg.Items {
			if seen[it.ID] {
				t.Fatalf("product %d on two pages", it.ID)
			}
			seen[it.ID] = true
		}
		if cursor = pg.NextCursor; cursor == "" {
			break
		}
	}
	if len(seen) != 3 || pages != 2 {
		t.Fatalf("walked %d pages, %d products", pages, len(seen))
	}
}

func TestProductListBadInput(t *testing.T) {
	e := apptest.Start(t)
	for _, q := range []string{"category_id=abc", "category_id=-1", "limit=0", "limit=101", "limit=x", "cursor=garbage",
		"q=" + strings.Repeat("x", 51)} {
		r := e.Get("/api/v1/products?"+q, "")
		if r.Status != 400 || r.ErrorCode() != "invalid_field" {
			t.Errorf("%s = %d %s", q, r.Status, r.Body)
		}
	}
}

func TestProductDetail(t *testing.T) {
	e := apptest.Start(t)
	c := e.Category(t, "服饰", nil)
	p := e.CreateProduct(t, catalog.NewProduct{
		CategoryID: c.ID, Title: "纯棉T恤", Subtitle: "亲肤", MainImage: "/static/demo/tee-white.svg",
		Images:   []string{"/static/demo/tee-white.svg", "/static/demo/tee-black.svg"},
		SpecDims: []catalog.SpecDim{{Name: "颜色", Values: []string{"白色", "黑色"}}, {Name: "尺码", Values: []string{"M", "L"}}},
		SKUs: []catalog.NewSKU{
			{Code: "D-W-M", SpecValues: []string{"白色", "M"}, Price: 5900, OriginalPrice: 9900, Stock: 0},
			{Code: "D-W-L", SpecValues: []string{"白色", "L"}, Price: 6900, Stock: 7},
			{Code: "D-B-M", SpecValues: []string{"黑色", "M"}, Price: 100, Stock: 7, OffSale: true},
		},
	})
	r := e.Get(fmt.Sprintf("/api/v1/products/%d", p.ID), "")
	var d struct {
		ID            int64 `json:"id"`
		Price         int64 `json:"price"`
		OriginalPrice int64 `json:"original_price"`
		InStock       bool  `json:"in_stock"`
		SpecDims      []struct {
			Name   string   `json:"name"`
			Values []string `json:"values"`
		} `json:"spec_dims"`
		SKUs []struct {
			ID         int64    `json:"id"`
			SpecValues []string `json:"spec_values"`
			SpecText   string   `json:"spec_text"`
			Price      int64    `json:"price"`
			Stock      int64    `json:"stock"`
			Available  bool     `json:"available"`
		} `json:"skus"`
	}
	r.Decode(t, &d)
	if r.Status != 200 || d.ID != p.ID || d.Price != 5900 || d.OriginalPrice != 9900 || !d.InStock ||
		len(d.SpecDims) != 2 || d.SpecDims[1].Values[1] != "L" || len(d.SKUs) != 3 {
		t.Fatalf("detail = %d %s", r.Status, r.Body)
	}
	avail := []bool{d.SKUs[0].Available, d.SKUs[1].Available, d.SKUs[2].Available}
	if avail[0] || !avail[1] || avail[2] || d.SKUs[1].SpecText != "白色 / L" || d.SKUs[1].Stock != 7 || d.SKUs[0].ID != p.SKUs[0].ID {
		t.Fatalf("skus = %s", r.Body)
	}

	off := e.CreateProduct(t, catalog.NewProduct{CategoryID: c.ID, Title: "下架", OffShelf: true,
		SKUs: []catalog.NewSKU{{Code: "D-OFF", Price: 1, Stock: 1}}})
	for _, path := range []string{fmt.Sprint(off.ID), "999999", "abc", "0", "-3"} {
		r := e.Get("/api/v1/products/"+path, "")
		if r.Status != 404 || r.ErrorCode() != "product_not_found" {
			t.Errorf("/products/%s = %d %s", path, r.Status, r.Body)
		}
	}
}

func TestProductFixtureDefaults(t *testing.T) {
	e := apptest.Start(t)
	p := e.Product(t)
	if len(p.SKUs) != 1 || p.SKUs[0].Price != 9900 || p.SKUs[0].Stock != 100 {
		t.Fatalf("default fixture = %+v", p)
	}
	q := e.Product(t, apptest.SKU{Price: 1, Stock: 2}, apptest.SKU{Price: 3, Stock: 0})
	if len(q.SKUs) != 2 || q.SKUs[1].Price != 3 || q.SKUs[0].Stock != 2 || q.SKUs[1].SpecText != "规格2" {
		t.Fatalf("fixture = %+v", q)
	}
}

func TestDemoShopServedWithImages(t *testing.T) {
	e := apptest.Start(t, func(c *config.Config) { c.Demo = true })
	var pg productPage
	r := e.Get("/api/v1/products?limit=100", "")
	r.Decode(t, &pg)
	if r.Status != 200 || len(pg.Items) < 18 {
		t.Fatalf("demo products = %d, %d items", r.Status, len(pg.Items))
	}
	res, err := http.Get(e.URL + "/static/demo/tee-white.svg")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != 200 || !strings.Contains(string(b), "<svg") {
		t.Fatalf("demo image = %d %.60s", res.StatusCode, b)
	}
}
