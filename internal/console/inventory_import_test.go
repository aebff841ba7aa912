package console_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/kaidian/kaidian/internal/app/apptest"
	"github.com/kaidian/kaidian/internal/catalog"
	"github.com/kaidian/kaidian/internal/catalogio"
	"github.com/kaidian/kaidian/internal/i18n"
	"github.com/kaidian/kaidian/internal/staff"
)

// importCSV uploads a file to the import form as a browser does.
func importCSV(t *testing.T, c *apptest.Console, name, text string) apptest.Page {
	t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	w.WriteField("_csrf", c.CSRF())
	part, err := w.CreateFormFile("file", name)
	if err != nil {
		t.Fatal(err)
	}
	part.Write([]byte(text))
	w.Close()
	return c.PostBody("/console/inventory/import", w.FormDataContentType(), &body)
}

// importFinished uploads a good file and follows its job's page, as the
// page's own refresh does, until the job ends; it returns that page.
func importFinished(t *testing.T, c *apptest.Console, name, text string) apptest.Page {
	t.Helper()
	p := importCSV(t, c, name, text)
	if p.Status != http.StatusSeeOther || !strings.HasPrefix(p.Location, "/console/inventory/import/") {
		t.Fatalf("upload %s: %d %s", name, p.Status, p.Body)
	}
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		page := c.Get(p.Location)
		if page.Status != http.StatusOK {
			t.Fatalf("import page: %d", page.Status)
		}
		if !page.Has("data-refresh") {
			return page
		}
	}
	t.Fatalf("import %s did not finish in 30 s", name)
	return apptest.Page{}
}

func countRows(t *testing.T, e *apptest.Env, table string) int64 {
	t.Helper()
	var n int64
	if err := e.App.DB.Conn(context.Background()).Raw("SELECT COUNT(*) FROM " + table).Scan(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

const teaFile = "\ufeffproduct_title,category,sku_code,spec,price,original_price,stock,on_sale\n" +
	"龙井绿茶,茶叶,LJ-50,规格:50g,68.00,88.00,40,1\n" +
	"龙井绿茶,茶叶,LJ-100,规格:100g,128.00,,25,1\n" +
	"白瓷盖碗,茶具,GW-1,,45,,3,1\n"

func TestImportThroughTheConsole(t *testing.T) {
	e := apptest.Start(t)
	c := e.SignIn(t, "lily", staff.RoleStaff)
	if p := c.Get("/console/inventory/import"); p.Status != http.StatusOK || !p.Has(zhCat.T("console.import.none")) || !p.Has("SKU 编码") {
		t.Fatalf("import page: %d %s", p.Status, p.Body)
	}
	if p := c.Get("/console/inventory/import/template.csv"); p.Status != http.StatusOK ||
		!strings.HasPrefix(p.Body, "\ufeff"+strings.Join(catalogio.Header(i18n.ZhCN), ",")+"\n") || !p.Has("颜色:红;尺码:M") {
		t.Fatalf("template: %d %q", p.Status, p.Body)
	}
	if p := c.Get("/console/inventory/import/template.csv?headers=en"); p.Status != http.StatusOK ||
		!strings.HasPrefix(p.Body, "\ufeff"+strings.Join(catalogio.Columns, ",")+"\n") {
		t.Fatalf("template with English headers: %d %q", p.Status, p.Body)
	}
	done := importFinished(t, c, "茶叶.csv", teaFile)
	if !done.Has("succeeded") || !done.Has(zhCat.T("console.import_job.succeeded", "n", 3)) || !done.Has("茶叶.csv") {
		t.Fatalf("finished import: %s", done.Body)
	}
	list := c.Get("/console/inventory?q=LJ")
	if !list.Has("LJ-50") || !list.Has("LJ-100") || list.Has("GW-1") || !list.Has("50g") {
		t.Fatalf("imported SKUs: %s", list.Body)
	}
	if p := c.Get("/console/inventory?low=1"); !p.Has("GW-1") || p.Has("LJ-50") {
		t.Fatalf("imported low stock: %s", p.Body)
	}
	ks, _ := e.App.Catalog.SKUsByCode(context.Background(), []string{"LJ-50"})
	sku := c.Get(fmt.Sprintf("/console/inventory/%d", ks["LJ-50"].ID))
	if !sku.Has("CSV 导入 茶叶.csv") || !sku.Has(`href="/console/inventory/import/`) || !sku.Has("<td>"+c.Account.Username+"</td>") {
		t.Fatalf("imported SKU's ledger: %s", sku.Body)
	}

	// The same file again: every SKU unchanged, nothing written.
	movements := countRows(t, e, "inventory_movements")
	again := importFinished(t, c, "茶叶.csv", teaFile)
	if !again.Has("succeeded") || !strings.Contains(again.Body, zhCat.T("console.import_job.unchanged")+"</span><b>3</b>") {
		t.Fatalf("re-import: %s", again.Body)
	}
	if countRows(t, e, "inventory_movements") != movements || countRows(t, e, "skus") != 3 {
		t.Fatal("re-importing the same file changed something")
	}
	if p := c.Get("/console/inventory/import"); strings.Count(p.Body, "badge succeeded") != 2 {
		t.Fatalf("latest imports: %s", p.Body)
	}
}

func TestImportOfABadFileImportsNothing(t *testing.T) {
	e := apptest.Start(t)
	c := e.SignIn(t, "lily", staff.RoleStaff)
	c.Get("/console/inventory/import")
	bad := "product_title,category,sku_code,spec,price,stock\n" +
		"龙井绿茶,茶叶,LJ-50,规格:50g,68.00,40\n" + // good, but not imported
		"龙井绿茶,茶叶,LJ-100,规格:100g,12.345,25\n" +
		"白瓷盖碗,,GW-1,,45,3\n" +
		"龙井绿茶,茶叶,LJ-50,规格:250g,68.00,-2\n"
	p := importCSV(t, c, "bad.csv", bad)
	if p.Status != http.StatusBadRequest || !p.Has(zhCat.T("console.import.nothing_imported", "file", "bad.csv", "count", 3)) {
		t.Fatalf("bad file: %d %s", p.Status, p.Body)
	}
	for _, want := range []string{
		`<td class="num">3</td><td>LJ-100</td><td>售价：“12.345”不是以元为单位`,
		`<td class="num">4</td><td>GW-1</td><td>分类：新商品“白瓷盖碗”必须填写。`,
		`<td class="num">5</td><td>LJ-50</td><td>库存：“-2”不是 0 到 10000000 之间的整数。`,
	} {
		if !p.Has(want) {
			t.Errorf("bad file page lacks %s", want)
		}
	}
	// The same problems for a reader of English.
	c.Lang = "en"
	p = importCSV(t, c, "bad.csv", bad)
	if want := `<td class="num">3</td><td>LJ-100</td><td>` + en.Enum("csv.column", catalogio.ColPrice) + en.T("error.field_separator") +
		en.T("import.problem.bad_amount", "value", "12.345"); !p.Has(want) {
		t.Errorf("English bad file page lacks %s: %s", want, p.Body)
	}
	c.Lang = ""
	if countRows(t, e, "skus")+countRows(t, e, "products")+countRows(t, e, "categories")+countRows(t, e, "import_jobs") != 0 {
		t.Fatal("a bad file imported something")
	}
	if p := c.PostBody("/console/inventory/import", "multipart/form-data; boundary=x", strings.NewReader("--x\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n"+c.CSRF()+"\r\n--x--\r\n")); p.Status != http.StatusBadRequest || !p.Has(zhCat.T("console.import.choose_file")) {
		t.Fatalf("no file: %d %s", p.Status, p.Body)
	}
}

// A running import's page shows its progress and reloads itself.
func TestImportPageShowsProgress(t *testing.T) {
	e := apptest.Start(t)
	c := e.SignIn(t, "lily", staff.RoleStaff)
	var id int64
	now := time.Now().UTC()
	err := e.App.DB.Conn(context.Background()).Raw(`INSERT INTO import_jobs (file_name, content, actor, status, attempts, lease_until,
		total_rows, done_rows, new_skus, created_at, started_at, updated_at)
		VALUES ('big.csv', 'sku_code', 'staff:1:x', 'running', 1, ?, 3000, 750, 3000, ?, ?, ?) RETURNING id`,
		now.Add(time.Hour), now, now, now).Scan(&id).Error
	if err != nil {
		t.Fatal(err)
	}
	p := c.Get(fmt.Sprintf("/console/inventory/import/%d", id))
	if !p.Has(`data-refresh="1000"`) || !p.Has(`<progress value="750" max="3000">25%</progress>`) || !p.Has(zhCat.T("console.import_job.progress", "done", 750, "total", 3000)) {
		t.Fatalf("running import: %s", p.Body)
	}
	if p := c.Get("/console/inventory/import/999999"); p.Status != http.StatusNotFound {
		t.Fatalf("unknown import: %d", p.Status)
	}
}

func TestExportRoundTrip(t *testing.T) {
	e := apptest.Start(t)
	c := e.SignIn(t, "lily", staff.RoleStaff)
	if p := c.Get("/console/inventory/export.csv"); p.Status != http.StatusOK || p.Body != "\ufeff"+strings.Join(catalogio.Header(i18n.ZhCN), ",")+"\n" {
		t.Fatalf("empty export: %d %q", p.Status, p.Body)
	}
	cat := e.Category(t, "服装", nil)
	e.CreateProduct(t, catalog.NewProduct{CategoryID: cat.ID, Title: "=HYPERLINK(\"x\") 卫衣",
		SpecDims: []catalog.SpecDim{{Name: "颜色", Values: []string{"灰", "黑"}}, {Name: "尺码", Values: []string{"M"}}},
		SKUs: []catalog.NewSKU{
			{Code: "HOOD-G-M", SpecValues: []string{"灰", "M"}, Price: 19900, OriginalPrice: 25900, Stock: 8},
			{Code: "HOOD-B-M", SpecValues: []string{"黑", "M"}, Price: 19900, Stock: 0, OffSale: true},
		}})
	e.Product(t, apptest.SKU{Price: 990, Stock: 100})
	importFinished(t, c, "tea.csv", teaFile)

	p := c.Get("/console/inventory/export.csv")
	if p.Status != http.StatusOK || !strings.HasPrefix(p.Body, "\ufeff") {
		t.Fatalf("export: %d %q", p.Status, p.Body)
	}
	records, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(p.Body, "\ufeff"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(records) != 1+6 || strings.Join(records[0], ",") != "商品名称,分类,SKU 编码,规格,售价,原价,库存,在售" {
		t.Fatalf("export has %d lines: %v", len(records), records)
	}
	want := []string{`'=HYPERLINK("x") 卫衣`, "服装", "HOOD-G-M", "颜色:灰;尺码:M", "199.00", "259.00", "8", "1"}
	if strings.Join(records[1], "|") != strings.Join(want, "|") {
		t.Fatalf("first row %q, want %q", records[1], want)
	}
	if strings.Join(records[2][2:], "|") != "HOOD-B-M|颜色:黑;尺码:M|199.00||0|0" {
		t.Fatalf("second row %q", records[2])
	}

	// The export imports back as no change at all.
	movements, audits := countRows(t, e, "inventory_movements"), countRows(t, e, "audit_log")
	done := importFinished(t, c, "export.csv", p.Body)
	if !done.Has("succeeded") || !strings.Contains(done.Body, zhCat.T("console.import_job.unchanged")+"</span><b>6</b>") {
		t.Fatalf("round trip: %s", done.Body)
	}
	if countRows(t, e, "inventory_movements") != movements || countRows(t, e, "audit_log") != audits+1 {
		t.Fatal("importing the export changed something")
	}

	// The export for tools has the English column names, and imports back as no change too.
	en := c.Get("/console/inventory/export.csv?headers=en")
	if en.Status != http.StatusOK || !strings.HasPrefix(en.Body, "\ufeff"+strings.Join(catalogio.Columns, ",")+"\n") ||
		strings.SplitN(en.Body, "\n", 2)[1] != strings.SplitN(p.Body, "\n", 2)[1] {
		t.Fatalf("export with English headers: %d %q", en.Status, en.Body)
	}
	done = importFinished(t, c, "export-en.csv", en.Body)
	if !done.Has("succeeded") || !strings.Contains(done.Body, zhCat.T("console.import_job.unchanged")+"</span><b>6</b>") ||
		countRows(t, e, "inventory_movements") != movements {
		t.Fatalf("round trip with English headers: %s", done.Body)
	}

	// Edited in a spreadsheet: one stock and one price changed.
	edited := strings.Replace(p.Body, "HOOD-G-M,颜色:灰;尺码:M,199.00,259.00,8,1", "HOOD-G-M,颜色:灰;尺码:M,179.00,259.00,20,1", 1)
	done = importFinished(t, c, "edited.csv", edited)
	if !strings.Contains(done.Body, zhCat.T("console.import_job.updated")+"</span><b>1</b>") {
		t.Fatalf("edited: %s", done.Body)
	}
	ks, _ := e.App.Catalog.SKUsByCode(context.Background(), []string{"HOOD-G-M"})
	if k := ks["HOOD-G-M"]; k.Stock != 20 || k.Price != 17900 {
		t.Fatalf("HOOD-G-M after the edited file: %+v", k)
	}
}

// A finished import's problems read in the reader's language; one stored
// before problems were translated (plain English) still shows as it was.
func TestImportProblemsInTheReadersLanguage(t *testing.T) {
	e := apptest.Start(t)
	c := e.SignIn(t, "lily", staff.RoleStaff)
	now := time.Now().UTC()
	insert := func(status, problems, errText string) string {
		var id int64
		err := e.App.DB.Conn(context.Background()).Raw(`INSERT INTO import_jobs (file_name, content, actor, status, attempts,
			total_rows, done_rows, problems, error, created_at, started_at, finished_at, updated_at)
			VALUES ('old.csv', '', 'staff:1:x', ?, 1, 600, 250, ?, ?, ?, ?, ?, ?) RETURNING id`,
			status, problems, errText, now, now, now, now).Scan(&id).Error
		if err != nil {
			t.Fatal(err)
		}
		return fmt.Sprintf("/console/inventory/import/%d", id)
	}
	stopped := insert("failed", `[{"line":251,"code":"C-0250","column":"price","message":{"id":"import.problem.amount_too_large","args":{"max":"9999999"}}}]`, "")
	if p := c.Get(stopped); !p.Has(zhCat.T("console.import_job.stopped", "line", 251, "code", "C-0250", "done", 250, "total", 600)) ||
		!p.Has(`<td class="num">251</td><td>C-0250</td><td>售价：最多 9999999 元。</td>`) {
		t.Fatalf("stopped import in Chinese: %s", p.Body)
	}
	en := *c
	en.Lang = "en"
	if p := en.Get(stopped); !p.Has("The import stopped at line 251 (C-0250), after 250 of 600 rows") ||
		!p.Has(`<td>price: must be at most 9999999 yuan.</td>`) {
		t.Fatalf("stopped import in English: %s", p.Body)
	}
	old := insert("rejected", `[{"line":3,"code":"A-1","message":"price: \"x\" is not an amount in yuan"}]`, "")
	if p := c.Get(old); !p.Has(`<td class="num">3</td><td>A-1</td><td>price: &#34;x&#34; is not an amount in yuan</td>`) {
		t.Fatalf("old rejected import: %s", p.Body)
	}
	oldFailed := insert("failed", `[]`, "Line 7 (B-2): gone. The import stopped there.")
	if p := c.Get(oldFailed); !p.Has("Line 7 (B-2): gone. The import stopped there.") {
		t.Fatalf("old failed import: %s", p.Body)
	}
}
