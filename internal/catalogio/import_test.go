package catalogio_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kaidian/kaidian/internal/catalog"
	"github.com/kaidian/kaidian/internal/catalogio"
	"github.com/kaidian/kaidian/internal/i18n"
)

var teeFile = csvLines(header,
	"纯棉T恤,服装,TEE-R-M,颜色:红;尺码:M,59.00,79.00,10,1",
	"纯棉T恤,服装,TEE-R-L,颜色:红;尺码:L,59.00,79.00,0,1",
	"纯棉T恤,,TEE-W-M,颜色：白；尺码：M,¥61.5,,7,0",
	"滤杯,咖啡器具,DRIP-1,,128,,3,",
)

func TestImportCreatesProductsCategoriesAndStock(t *testing.T) {
	f := newFixture(t)
	job := f.mustImport(t, "first.csv", teeFile)
	if job.TotalRows != 4 || job.DoneRows != 4 || job.NewProducts != 2 || job.NewSKUs != 4 || job.NewCategories != 2 {
		t.Fatalf("job %+v", job)
	}
	ctx := context.Background()
	byTitle, err := f.catalog.ProductsByTitle(ctx, []string{"纯棉T恤", "滤杯"})
	if err != nil || len(byTitle["纯棉T恤"]) != 1 || len(byTitle["滤杯"]) != 1 {
		t.Fatalf("products %v %v", byTitle, err)
	}
	tee := byTitle["纯棉T恤"][0]
	if got := fmt.Sprint(tee.SpecDims.V); got != "[{颜色 [红 白]} {尺码 [M L]}]" {
		t.Fatalf("tee dims %s", got)
	}
	if len(tee.SKUs) != 3 || tee.MinPrice != 5900 || !tee.OnShelf {
		t.Fatalf("tee %+v", tee)
	}
	w := f.sku(t, "TEE-W-M")
	if w.Price != 6150 || w.OriginalPrice != 0 || w.OnSale || w.Stock != 7 || w.SpecText != "白 / M" {
		t.Fatalf("TEE-W-M %+v", w)
	}
	if d := f.sku(t, "DRIP-1"); d.Stock != 3 || !d.OnSale || d.Price != 12800 {
		t.Fatalf("DRIP-1 %+v", d)
	}
	if n := f.countRead(t, "CSV import first.csv", "CSV 导入 first.csv",
		`SELECT reason FROM inventory_movements WHERE ref_type = 'import' AND actor = ?`, actor); n != 3 {
		t.Fatalf("%d receipts for the three SKUs with stock", n)
	}
	f.ledgerMatchesStock(t)
	if n := f.count(t, `SELECT COUNT(*) FROM audit_log WHERE action = 'catalog.import' AND actor = ?`, actor); n != 1 {
		t.Fatalf("%d import audit entries", n)
	}

	// The same file again changes nothing: no movement, no audit entry but the import's own.
	movements, audits := f.count(t, "SELECT COUNT(*) FROM inventory_movements"), f.count(t, "SELECT COUNT(*) FROM audit_log")
	again := f.mustImport(t, "first.csv", teeFile)
	if again.UnchangedSKUs != 4 || again.UpdatedSKUs != 0 || again.NewSKUs != 0 {
		t.Fatalf("re-import %+v", again)
	}
	if f.count(t, "SELECT COUNT(*) FROM inventory_movements") != movements || f.count(t, "SELECT COUNT(*) FROM audit_log") != audits+1 {
		t.Fatal("re-importing the same file changed something")
	}
}

func TestImportUpdatesOnlyWhatTheFileSays(t *testing.T) {
	f := newFixture(t)
	f.mustImport(t, "first.csv", teeFile)
	job := f.mustImport(t, "stock.csv", csvLines("SKU_CODE, stock", "TEE-R-M,4", "TEE-R-L,25", "DRIP-1,"))
	if job.UpdatedSKUs != 2 || job.UnchangedSKUs != 1 {
		t.Fatalf("job %+v", job)
	}
	rm := f.sku(t, "TEE-R-M")
	if rm.Stock != 4 || rm.Price != 5900 || rm.OriginalPrice != 7900 || !rm.OnSale {
		t.Fatalf("TEE-R-M %+v", rm)
	}
	if f.sku(t, "TEE-R-L").Stock != 25 || f.sku(t, "DRIP-1").Stock != 3 {
		t.Fatal("stock not set as the file says")
	}
	if n := f.countRead(t, "CSV import stock.csv", "", `SELECT reason FROM inventory_movements WHERE kind = 'adjust'`); n != 2 {
		t.Fatalf("%d adjustments", n)
	}
	f.ledgerMatchesStock(t)

	f.mustImport(t, "prices.csv", csvLines("sku_code,price,original_price,on_sale", "TEE-R-M,49.9,,0"))
	rm = f.sku(t, "TEE-R-M")
	if rm.Price != 4990 || rm.OriginalPrice != 0 || rm.OnSale || rm.Stock != 4 {
		t.Fatalf("TEE-R-M after prices %+v", rm)
	}
	if n := f.count(t, `SELECT COUNT(*) FROM audit_log WHERE subject_type = 'sku' AND subject_id = ? AND action IN ('sku.price', 'sku.sale', 'stock.adjust')`,
		fmt.Sprint(rm.ID)); n != 4 {
		t.Fatalf("%d audit entries for TEE-R-M, want stock, price, original price, sale", n)
	}
	// The product's lowest price follows its SKUs on sale: TEE-R-M is off sale now.
	p, _ := f.catalog.Product(context.Background(), rm.ProductID)
	if p.MinPrice != 5900 {
		t.Fatalf("min price %d", p.MinPrice)
	}
}

func TestImportAddsSKUsToTheProductWithTheirTitle(t *testing.T) {
	f := newFixture(t)
	f.mustImport(t, "first.csv", teeFile)
	job := f.mustImport(t, "more.csv", csvLines(header,
		"纯棉T恤,,TEE-B-XL,尺码:XL;颜色:黑,65,,5,1",
		"纯棉T恤,,TEE-W-L,颜色:白;尺码:L,59,,2,1"))
	if job.NewSKUs != 2 || job.NewProducts != 0 {
		t.Fatalf("job %+v", job)
	}
	p, _ := f.catalog.Product(context.Background(), f.sku(t, "TEE-R-M").ProductID)
	if got := fmt.Sprint(p.SpecDims.V); got != "[{颜色 [红 白 黑]} {尺码 [M L XL]}]" || len(p.SKUs) != 5 {
		t.Fatalf("dims %s, %d SKUs", got, len(p.SKUs))
	}
	if k := f.sku(t, "TEE-B-XL"); fmt.Sprint(k.SpecValues.V) != "[黑 XL]" || k.Stock != 5 {
		t.Fatalf("TEE-B-XL %+v", k)
	}
	f.ledgerMatchesStock(t)
}

func TestImportWithABadRowImportsNothingAndReportsEveryBadRow(t *testing.T) {
	f := newFixture(t)
	f.mustImport(t, "first.csv", teeFile)
	before := f.count(t, "SELECT (SELECT COUNT(*) FROM skus) + (SELECT COUNT(*) FROM products) + (SELECT COUNT(*) FROM inventory_movements) + (SELECT COUNT(*) FROM categories)")
	_, problems := f.importFile(t, "bad.csv", csvLines(header,
		"新品,服装,NEW-1,颜色:红,10,,5,1", // good
		"新品,服装,NEW-2,颜色:蓝,10.123,,5,1",
		"新品,服装,NEW-1,颜色:绿,10,,5,1",
		",,NEW-3,,,,1,1",
		"纯棉T恤,,NEW-4,颜色:红;尺码:M,10,,1,1",
		"纯棉T恤,,NEW-5,颜色:红,10,,1,1",
		"TEE-R-M is not a row",
		"单品,,NEW-6,,10,,1,1",
		"新品,服装,NEW-7,尺码:S,10,,5,1",
		"TEE-R-M,,TEE-R-M,,5,,-1,maybe",
		"新品,鞋,NEW-8,颜色:黑,10,,5,1",
	))
	want := map[int]string{
		3:  "price: “10.123” is not an amount in yuan",
		4:  "Repeats the SKU code of line 2",
		5:  "product_title: is required for a new SKU (no SKU has this code).; price: is required for a new SKU",
		6:  "already has this spec, as SKU TEE-R-M",
		7:  "spec: must name 颜色, 尺码",
		8:  "Has 1 cells; the header has 8",
		9:  "category: is required for the new product “单品”",
		10: "spec: must name 颜色, in this order, as line 2 does",
		11: "stock: “-1” is not a whole number from 0 to 10000000.; on_sale: “maybe” is neither",
		12: "category: “鞋” differs from line 2's “服装”",
	}
	got := map[int]string{}
	for _, p := range problems {
		if got[p.Line] != "" {
			got[p.Line] += "; "
		}
		got[p.Line] += say(i18n.En, p)
	}
	for line, msg := range want {
		if !strings.Contains(got[line], msg) {
			t.Errorf("line %d: %q, want %q", line, got[line], msg)
		}
	}
	if len(got) != len(want) {
		t.Errorf("problems on %d lines, want %d: %+v", len(got), len(want), problems)
	}
	// A merchant reading Chinese reads the same problems in Chinese.
	zh := say(i18n.ZhCN, problems[0])
	if !strings.Contains(zh, "售价：“10.123”不是以元为单位") || len(i18n.EnglishIn(zh)) > 0 {
		t.Errorf("line 3 in Chinese: %q", zh)
	}
	after := f.count(t, "SELECT (SELECT COUNT(*) FROM skus) + (SELECT COUNT(*) FROM products) + (SELECT COUNT(*) FROM inventory_movements) + (SELECT COUNT(*) FROM categories)")
	if after != before || f.count(t, "SELECT COUNT(*) FROM import_jobs WHERE file_name = 'bad.csv'") != 0 {
		t.Fatal("a file with bad rows wrote something")
	}
}

func TestImportFileProblems(t *testing.T) {
	f := newFixture(t)
	for _, tc := range []struct{ name, text, want string }{
		{"empty", "", "The file is empty"},
		{"no code column", "product_title,price\n上衣,10\n", "no sku_code column"},
		{"no code column in Chinese", "商品名称,售价\n上衣,10\n", "no sku_code column"},
		{"unknown column", "sku_code,colour\nA,red\n", "unknown column “colour”"},
		{"mixed languages", "SKU 编码,stock\nA,1\n", "mixes Chinese and English column names (“SKU 编码” and “stock”)"},
		{"named twice", "SKU 编码,库存,库存\nA,1,2\n", "names “库存” twice"},
		{"header only", "sku_code,stock\n", "has a header but no rows"},
		{"binary", "\xff\xfe\x00\x00\x01", "is not CSV text"},
	} {
		_, problems := f.importFile(t, tc.name+".csv", tc.text)
		if len(problems) != 1 || !strings.Contains(say(i18n.En, problems[0]), tc.want) {
			t.Errorf("%s: %+v, want %q", tc.name, problems, tc.want)
		}
	}
}

// Excel on Chinese Windows saves "CSV" as GB18030 (GBK); it imports the same.
func TestImportReadsGB18030(t *testing.T) {
	f := newFixture(t)
	gbk := []byte("product_title,category,sku_code,price,stock\n\xb4\xbf\xc3\xde,\xb7\xfe\xd7\xb0,GBK-1,10,1\n") // 纯棉,服装
	f.mustImport(t, "gbk.csv", string(gbk))
	p, _ := f.catalog.Product(context.Background(), f.sku(t, "GBK-1").ProductID)
	if p.Title != "纯棉" {
		t.Fatalf("title %q", p.Title)
	}
}

// A run after a crash part-way (its process died holding the lease) checks
// the file again and writes only what the first run had not: batches
// already committed find their rows as the file says.
func TestImportRunAgainAfterACrashWritesEachRowOnce(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	var lines []string
	for i := range 600 {
		lines = append(lines, fmt.Sprintf("商品%d,类目,C-%04d,尺码:%s,%d,,%d,1", i/3, i, []string{"S", "M", "L"}[i%3], 10+i, 1+i%5))
	}
	full := csvLines(append([]string{header}, lines...)...)
	// What the first run committed before the crash: the first 300 rows.
	f.mustImport(t, "part.csv", csvLines(append([]string{header}, lines[:300]...)...))
	job, problems, err := f.io.StartImport(ctx, "full.csv", []byte(full), actor)
	if err != nil || len(problems) > 0 {
		t.Fatal(err, problems)
	}
	past := time.Now().UTC().Add(-time.Minute)
	f.db.Conn(ctx).Exec("UPDATE import_jobs SET status = 'running', attempts = 1, lease_until = ? WHERE id = ?", past, job.ID)
	due, err := f.io.DueImports(ctx, 10)
	if err != nil || len(due) != 1 || due[0] != (catalogio.Due{ID: job.ID, Attempts: 1}) {
		t.Fatalf("due %v %v", due, err)
	}
	if err := f.io.RunImport(ctx, job.ID); err != nil {
		t.Fatal(err)
	}
	job, _ = f.io.Import(ctx, job.ID)
	if job.Status != catalogio.StatusSucceeded || job.Attempts != 2 || job.DoneRows != 600 {
		t.Fatalf("job %+v", job)
	}
	if n := f.count(t, "SELECT COUNT(*) FROM skus"); n != 600 {
		t.Fatalf("%d SKUs", n)
	}
	if n := f.count(t, "SELECT COUNT(*) FROM inventory_movements"); n != 600 {
		t.Fatalf("%d movements, want one receipt per SKU", n)
	}
	f.ledgerMatchesStock(t)
	if due, _ := f.io.DueImports(ctx, 10); len(due) != 0 {
		t.Fatalf("finished import still due: %v", due)
	}
}

// Workers racing for one import (a retry and a sweep's job): one writes it,
// the others find it taken or finished, and every row is written once.
func TestImportRunsOnceWhenWorkersRace(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	var lines []string
	for i := range 300 {
		lines = append(lines, fmt.Sprintf("C-%04d,单品%d,类目,%d,%d", i, i, 10+i, 5))
	}
	job, problems, err := f.io.StartImport(ctx, "race.csv", []byte(csvLines(append([]string{"sku_code,product_title,category,price,stock"}, lines...)...)), actor)
	if err != nil || len(problems) > 0 {
		t.Fatal(err, problems)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for range 4 {
		wg.Go(func() { errs <- f.io.RunImport(ctx, job.ID) })
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	job, _ = f.io.Import(ctx, job.ID)
	if job.Status != catalogio.StatusSucceeded || job.Attempts != 1 {
		t.Fatalf("job %+v", job)
	}
	if n := f.count(t, "SELECT COUNT(*) FROM inventory_movements"); n != 300 {
		t.Fatalf("%d movements, want 300", n)
	}
	f.ledgerMatchesStock(t)
}

// A code taken between the upload's check and the run is caught by the
// run's own check: the job is rejected with the row, and nothing is written.
func TestImportRejectedWhenTheCatalogChangedSinceUpload(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.mustImport(t, "first.csv", teeFile)
	job, problems, err := f.io.StartImport(ctx, "late.csv", []byte(csvLines(header,
		"纯棉T恤,,TEE-G-M,颜色:绿;尺码:M,59,,1,1", "新品,服装,NEW-9,,10,,5,1")), actor)
	if err != nil || len(problems) > 0 {
		t.Fatal(err, problems)
	}
	tee := f.sku(t, "TEE-R-M")
	if _, err := f.catalog.AddSKUs(ctx, tee.ProductID, []catalog.NewSKU{{Code: "OTHER", SpecValues: []string{"绿", "M"}, Price: 100}}, "test"); err != nil {
		t.Fatal(err)
	}
	if err := f.io.RunImport(ctx, job.ID); err != nil {
		t.Fatal(err)
	}
	job, _ = f.io.Import(ctx, job.ID)
	if job.Status != catalogio.StatusRejected || len(job.Problems.V) != 1 || job.Problems.V[0].Line != 2 ||
		!strings.Contains(say(i18n.En, job.Problems.V[0]), "already has this spec, as SKU OTHER") ||
		say(i18n.ZhCN, job.Problems.V[0]) != "规格：商品“纯棉T恤”已有这个规格（SKU OTHER）。" {
		t.Fatalf("job %+v", job)
	}
	if n := f.count(t, "SELECT COUNT(*) FROM skus WHERE code = 'NEW-9'"); n != 0 {
		t.Fatal("a rejected import wrote a row")
	}
}

// en writes problems as an English reader reads them.
var en = i18n.For(i18n.En)
