package catalogio_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"strings"
	"testing"

	"github.com/kaidian/kaidian/internal/catalogio"
	"github.com/kaidian/kaidian/internal/database"
	"github.com/kaidian/kaidian/internal/i18n"
)

func (f *fixture) export(t testing.TB, l i18n.Lang) string {
	t.Helper()
	var buf bytes.Buffer
	if err := f.io.Export(context.Background(), l, func() io.Writer { return &buf }); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

// An export is a file that imports back as no change, whichever language
// its header is in: Chinese for the merchant's spreadsheet, English for tools.
func TestExportImportsBackUnchangedInEitherLanguage(t *testing.T) {
	f := newFixture(t)
	f.mustImport(t, "tee.csv", teeFile)
	for _, tc := range []struct {
		lang   i18n.Lang
		header string
	}{
		{i18n.ZhCN, "商品名称,分类,SKU 编码,规格,售价,原价,库存,在售"},
		{i18n.En, header},
	} {
		file := f.export(t, tc.lang)
		if !strings.HasPrefix(file, "\ufeff"+tc.header+"\n") {
			t.Fatalf("%s export starts %q", tc.lang, file[:min(len(file), 120)])
		}
		before := f.count(t, "SELECT COUNT(*) FROM inventory_movements")
		job := f.mustImport(t, "export-"+string(tc.lang)+".csv", file)
		if job.Status != catalogio.StatusSucceeded || job.UnchangedSKUs != job.TotalRows || job.TotalRows != 4 ||
			job.UpdatedSKUs != 0 || job.NewSKUs != 0 || job.NewProducts != 0 || job.NewCategories != 0 {
			t.Errorf("%s export imported back as %+v", tc.lang, job)
		}
		if after := f.count(t, "SELECT COUNT(*) FROM inventory_movements"); after != before {
			t.Errorf("%s export imported back moved stock: %d movements, were %d", tc.lang, after, before)
		}
		if again := f.export(t, tc.lang); again != file {
			t.Errorf("%s export changed after importing it back:\n%s\n%s", tc.lang, file, again)
		}
	}
	if catalogio.Header(i18n.En)[2] != "sku_code" || catalogio.Header(i18n.ZhCN)[2] != "SKU 编码" {
		t.Errorf("headers %v / %v", catalogio.Header(i18n.En), catalogio.Header(i18n.ZhCN))
	}
}

// A Chinese header imports like an English one, with Chinese "on sale" values.
func TestImportReadsAChineseHeader(t *testing.T) {
	f := newFixture(t)
	f.mustImport(t, "tee.csv", teeFile)
	job := f.mustImport(t, "zh.csv", "\ufeffSKU编码, 库存 ,在售\nTEE-R-M,7,否\n")
	if job.UpdatedSKUs != 1 {
		t.Fatalf("job %+v", job)
	}
	if k := f.sku(t, "TEE-R-M"); k.Stock != 7 || k.OnSale {
		t.Errorf("TEE-R-M %+v", k)
	}
}

// Problems stored before they were translated (plain English text) are
// still read, and shown as they are.
func TestOldProblemsStayReadable(t *testing.T) {
	var old database.JSON[[]catalogio.Problem]
	if err := old.Scan(`[{"line":3,"code":"A-1","message":"price: \"x\" is not an amount"}]`); err != nil {
		t.Fatal(err)
	}
	p := old.V[0]
	if p.Line != 3 || p.Code != "A-1" || say(i18n.ZhCN, p) != `price: "x" is not an amount` {
		t.Errorf("old problem %+v", p)
	}
	b, err := json.Marshal(catalogio.Problem{Line: 2, Column: catalogio.ColStock,
		Message: i18n.M("import.problem.bad_stock", "value", "-1", "max", "10000000")})
	if err != nil {
		t.Fatal(err)
	}
	var back catalogio.Problem
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if got := say(i18n.ZhCN, back); got != "库存：“-1”不是 0 到 10000000 之间的整数。" {
		t.Errorf("stored problem reads %q", got)
	}
}
