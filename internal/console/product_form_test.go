package console_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/kaidian/kaidian/internal/app/apptest"
	"github.com/kaidian/kaidian/internal/catalog"
	"github.com/kaidian/kaidian/internal/inventory"
	"github.com/kaidian/kaidian/internal/staff"
)

// productID reads the id from a redirect to /console/products/:id.
func productID(t *testing.T, p apptest.Page) int64 {
	t.Helper()
	id, err := strconv.ParseInt(strings.TrimPrefix(p.Location, "/console/products/"), 10, 64)
	if p.Status != http.StatusSeeOther || err != nil {
		t.Fatalf("save: %d %s %s", p.Status, p.Location, p.Body)
	}
	return id
}

func TestCreateProductThroughTheSKUGrid(t *testing.T) {
	e := apptest.Start(t)
	clothes := e.Category(t, "服饰", nil)
	c := e.SignIn(t, "lily", staff.RoleStaff)
	ctx := context.Background()

	p := c.Get("/console/products/new")
	if p.Status != http.StatusOK || !p.Has(zhCat.T("console.product_form.new")) || !p.Has("唯一规格") || !p.Has("服饰") {
		t.Fatalf("new form: %d %s", p.Status, p.Body)
	}
	// The merchant names the dimensions and asks for the grid.
	v := formValues(t, p.Body, "/console/products/new")
	v.Set("title", "纯棉卫衣")
	v.Set("category_id", fmt.Sprint(clothes.ID))
	v.Set("spec_dims[0].name", "颜色")
	v.Set("spec_dims[0].values", "红，蓝")
	v.Set("spec_dims[1].name", "尺码")
	v.Set("spec_dims[1].values", "S, M, L")
	v.Set("skus[0].price", "89")
	v.Set("action", "grid")
	p = c.Post("/console/products/new", v)
	if p.Status != http.StatusOK || !p.Has(zhCat.T("console.product_form.regrid_notice")) || !p.Has("蓝 / L") || p.Has(zhCat.T("console.product_form.only_sku")) {
		t.Fatalf("grid: %d %s", p.Status, p.Body)
	}
	if rows, _, _ := e.App.Catalog.MerchantProducts(ctx, catalog.MerchantQuery{}); len(rows) != 0 {
		t.Fatal("building the grid saved a product")
	}
	// Every row of the grid, then save with an image.
	v = formValues(t, p.Body, "/console/products/new")
	for i := range 6 {
		if v.Get(fmt.Sprintf("skus[%d].price", i)) != "89" {
			t.Fatalf("row %d did not take the first row's price: %v", i, v)
		}
		v.Set(fmt.Sprintf("skus[%d].code", i), fmt.Sprintf("HD-%d", i))
		v.Set(fmt.Sprintf("skus[%d].stock", i), fmt.Sprint(i*2))
	}
	v.Set("skus[0].price", "79.90")
	v.Set("skus[0].original_price", "129")
	v.Del("skus[5].on_sale")
	v.Set("action", "save")
	ct, body := multipartForm(t, v, upload{"front.png", pngImage(t)})
	id := productID(t, c.PostBody("/console/products/new", ct, body))

	got, err := e.App.Catalog.Product(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if got.Title != "纯棉卫衣" || len(got.SKUs) != 6 || got.SKUs[0].SpecText != "红 / S" || got.SKUs[5].SpecText != "蓝 / L" ||
		got.SKUs[0].Price != 7990 || got.SKUs[0].OriginalPrice != 12900 || got.SKUs[1].Price != 8900 ||
		got.SKUs[3].Stock != 6 || got.SKUs[5].OnSale || !got.SKUs[4].OnSale || !got.OnShelf {
		t.Fatalf("stored %+v", got)
	}
	ms, _ := e.App.Inventory.Movements(ctx, got.SKUs[3].ID)
	if len(ms) != 1 || ms[0].Kind != inventory.KindReceive || ms[0].Quantity != 6 || ms[0].Actor != c.Account.Actor() {
		t.Fatalf("initial stock ledger = %+v", ms)
	}
	// The uploaded image is served by the app, as the image it is.
	if !strings.HasPrefix(got.MainImage, "/uploads/") || len(got.Images.V) != 1 || got.Images.V[0] != got.MainImage {
		t.Fatalf("images = %q %q", got.MainImage, got.Images.V)
	}
	res, err := http.Get(e.URL + got.MainImage)
	if err != nil {
		t.Fatal(err)
	}
	served, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "image/png" ||
		res.Header.Get("X-Content-Type-Options") != "nosniff" || string(served) != string(pngImage(t)) {
		t.Fatalf("serving the upload: %d %v", res.StatusCode, res.Header)
	}
	// The edit page shows what was stored.
	p = c.Get(fmt.Sprintf("/console/products/%d", id))
	if p.Status != http.StatusOK || !p.Has(`value="79.90"`) || !p.Has(`value="HD-5"`) || !p.Has(got.MainImage) {
		t.Fatalf("edit page: %d %s", p.Status, p.Body)
	}
}

// editFixture is a product of two SKUs (红 at 29.90 with 10 in stock, 蓝 at
// 19.90 with 5) and the edit form a merchant opened for it.
func editFixture(t *testing.T) (*apptest.Env, *apptest.Console, catalog.Product, url.Values) {
	e := apptest.Start(t)
	cat := e.Category(t, "杯具", nil)
	prod := e.CreateProduct(t, catalog.NewProduct{CategoryID: cat.ID, Title: "马克杯",
		SpecDims: []catalog.SpecDim{{Name: "颜色", Values: []string{"红", "蓝"}}},
		SKUs: []catalog.NewSKU{{Code: "MUG-R", SpecValues: []string{"红"}, Price: 2990, Stock: 10},
			{Code: "MUG-B", SpecValues: []string{"蓝"}, Price: 1990, Stock: 5}}})
	c := e.SignIn(t, "boss", staff.RoleOwner)
	path := fmt.Sprintf("/console/products/%d", prod.ID)
	p := c.Get(path)
	if p.Status != http.StatusOK {
		t.Fatalf("edit page: %d", p.Status)
	}
	return e, c, prod, formValues(t, p.Body, path)
}

func TestEditProductKeepsSKUsAndAuditsPriceAndStock(t *testing.T) {
	e, c, prod, v := editFixture(t)
	ctx := context.Background()
	path := fmt.Sprintf("/console/products/%d", prod.ID)
	v.Set("skus[0].price", "25")
	v.Set("skus[0].stock", "14")
	v.Del("on_shelf")
	v.Set("action", "save")
	if p := c.Post(path, v); p.Status != http.StatusSeeOther || p.Location != path {
		t.Fatalf("save: %d %s", p.Status, p.Body)
	}
	got, _ := e.App.Catalog.Product(ctx, prod.ID)
	if got.SKUs[0].ID != prod.SKUs[0].ID || got.SKUs[0].Price != 2500 || got.SKUs[0].Stock != 14 || got.OnShelf ||
		got.SKUs[1].Stock != 5 || got.SKUs[1].Price != 1990 {
		t.Fatalf("after edit %+v", got)
	}
	ms, _ := e.App.Inventory.Movements(ctx, prod.SKUs[0].ID)
	if len(ms) != 2 || ms[1].Kind != inventory.KindAdjust || ms[1].Quantity != 4 || ms[1].Reason.ID != catalog.StockEditReason.ID {
		t.Fatalf("ledger = %+v", ms)
	}
	// The audit page writes each detail in its reader's language.
	audit := c.Get("/console/audit")
	for _, want := range []string{"MUG-R（红）：售价 ¥29.90 → ¥25.00", "MUG-R（红）：库存 10 → 14（在商品页修改）",
		"马克杯：上架 → 下架", c.Account.Actor()} {
		if !audit.Has(want) {
			t.Errorf("audit log lacks %q", want)
		}
	}
	c.Lang = "en"
	audit = c.Get("/console/audit")
	for _, want := range []string{"MUG-R (红): ¥29.90 → ¥25.00", "MUG-R (红): stock 10 → 14 (edited on product page)",
		"马克杯: on shelf → off shelf"} {
		if !audit.Has(want) {
			t.Errorf("English audit log lacks %q", want)
		}
	}
	c.Lang = ""

	// Removing 蓝 switches its SKU off but keeps it for past orders.
	v = formValues(t, c.Get(path).Body, path)
	v.Set("spec_dims[0].values", "红")
	v.Set("action", "grid")
	p := c.Post(path, v)
	v = formValues(t, p.Body, path)
	if v.Get("skus[1].code") != "" {
		t.Fatalf("蓝's row is still in the grid: %v", v)
	}
	v.Set("action", "save")
	if p := c.Post(path, v); p.Status != http.StatusSeeOther {
		t.Fatalf("save without 蓝: %d %s", p.Status, p.Body)
	}
	got, _ = e.App.Catalog.Product(ctx, prod.ID)
	if len(got.SKUs) != 2 || got.SKUs[1].OnSale || got.SKUs[1].ID != prod.SKUs[1].ID {
		t.Fatalf("蓝 after removal %+v", got.SKUs)
	}
	if p := c.Get(path); !p.Has(zhCat.T("console.product_form.retired")) || !p.Has("MUG-B") {
		t.Fatalf("retired SKU not shown: %s", p.Body)
	}
}

func TestEditThatFailsValidationChangesNothing(t *testing.T) {
	e, c, prod, v := editFixture(t)
	ctx := context.Background()
	other := e.Product(t)
	path := fmt.Sprintf("/console/products/%d", prod.ID)
	v.Set("title", "改名的杯子")
	v.Set("skus[0].stock", "99")
	v.Set("skus[1].price", "12.345")
	v.Set("action", "save")
	p := c.Post(path, v)
	if p.Status != http.StatusBadRequest || !p.Has(says("console.yuan")) || !p.Has(`value="12.345"`) ||
		!p.Has(`value="改名的杯子"`) || !p.Has(`value="99"`) {
		t.Fatalf("bad price: %d %s", p.Status, p.Body)
	}
	// The page shown again posts back as it was typed; with the price fixed
	// but a code another product uses, the database refuses it mid-save.
	v = formValues(t, p.Body, path)
	v.Set("skus[1].price", "12.30")
	v.Set("skus[1].code", other.SKUs[0].Code)
	v.Set("action", "save")
	p = c.Post(path, v)
	if p.Status != http.StatusConflict || !p.Has(says("catalog.sku_code_taken")) || !p.Has(`value="99"`) {
		t.Fatalf("code taken: %d %s", p.Status, p.Body)
	}
	got, _ := e.App.Catalog.Product(ctx, prod.ID)
	if got.Title != "马克杯" || got.SKUs[0].Stock != 10 || got.SKUs[1].Price != 1990 || got.SKUs[1].Code != "MUG-B" {
		t.Fatalf("a refused edit changed the product: %+v", got)
	}
	if ms, _ := e.App.Inventory.Movements(ctx, prod.SKUs[0].ID); len(ms) != 1 {
		t.Fatalf("a refused edit moved stock: %+v", ms)
	}
	if a := c.Get("/console/audit?action=sku.price"); a.Has("MUG-B") {
		t.Fatal("a refused edit was audited")
	}
}

func TestProductFormForUnknownProduct(t *testing.T) {
	e := apptest.Start(t)
	c := e.SignIn(t, "lily", staff.RoleStaff)
	if p := c.Get("/console/products/424242"); p.Status != http.StatusNotFound {
		t.Fatalf("unknown product: %d", p.Status)
	}
	if p := c.Post("/console/products/424242", url.Values{"title": {"x"}}); p.Status != http.StatusNotFound {
		t.Fatalf("saving an unknown product: %d", p.Status)
	}
}
