package catalogio_test

import (
	"context"
	"strings"
	"testing"

	"github.com/kaidian/kaidian/internal/audit"
	"github.com/kaidian/kaidian/internal/catalog"
	"github.com/kaidian/kaidian/internal/catalogio"
	"github.com/kaidian/kaidian/internal/clock"
	"github.com/kaidian/kaidian/internal/database"
	"github.com/kaidian/kaidian/internal/database/dbtest"
	"github.com/kaidian/kaidian/internal/i18n"
	"github.com/kaidian/kaidian/internal/inventory"
)

const actor = "staff:1:lily"

type fixture struct {
	db      *database.DB
	catalog *catalog.Service
	io      *catalogio.Service
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	db := dbtest.Open(t)
	inv := inventory.New(db, clock.New())
	cat := catalog.New(db, inv, clock.New())
	return &fixture{db: db, catalog: cat, io: catalogio.New(db, cat, inv, audit.New(db, clock.New()), clock.New(), nil)}
}

// importFile uploads a file and, when it is accepted, runs its job to the
// end as the worker would; it returns the finished job and the upload's
// problems.
func (f *fixture) importFile(t testing.TB, name, text string) (catalogio.Job, []catalogio.Problem) {
	t.Helper()
	ctx := context.Background()
	job, problems, err := f.io.StartImport(ctx, name, []byte(text), actor)
	if err != nil {
		t.Fatalf("start import: %v", err)
	}
	if len(problems) > 0 {
		return job, problems
	}
	if err := f.io.RunImport(ctx, job.ID); err != nil {
		t.Fatalf("run import: %v", err)
	}
	job, err = f.io.Import(ctx, job.ID)
	if err != nil {
		t.Fatal(err)
	}
	return job, nil
}

// mustImport imports a file that must succeed.
func (f *fixture) mustImport(t testing.TB, name, text string) catalogio.Job {
	t.Helper()
	job, problems := f.importFile(t, name, text)
	if len(problems) > 0 || job.Status != catalogio.StatusSucceeded {
		t.Fatalf("import %s: %s %s %+v", name, job.Status, job.Error, problems[:min(len(problems), 5)])
	}
	return job
}

func (f *fixture) sku(t testing.TB, code string) catalog.SKU {
	t.Helper()
	ks, err := f.catalog.SKUsByCode(context.Background(), []string{code})
	if err != nil || len(ks) != 1 {
		t.Fatalf("sku %s: %v %v", code, ks, err)
	}
	return ks[code]
}

func (f *fixture) count(t testing.TB, query string, args ...any) int64 {
	t.Helper()
	var n int64
	if err := f.db.Conn(context.Background()).Raw(query, args...).Scan(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

// countRead counts the rows of query (one message column) that read as
// want in English, and as wantZh, when given, in Chinese.
func (f *fixture) countRead(t testing.TB, want, wantZh, query string, args ...any) int64 {
	t.Helper()
	var rows []string
	if err := f.db.Conn(context.Background()).Raw(query, args...).Scan(&rows).Error; err != nil {
		t.Fatal(err)
	}
	var n int64
	for _, r := range rows {
		var m i18n.Msg
		if err := m.Scan(r); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(i18n.For(i18n.En).Msg(m), want) && (wantZh == "" || strings.Contains(i18n.For(i18n.ZhCN).Msg(m), wantZh)) {
			n++
		}
	}
	return n
}

// ledgerMatchesStock fails the test unless every SKU's ledger sums to its stock.
func (f *fixture) ledgerMatchesStock(t testing.TB) {
	t.Helper()
	n := f.count(t, `SELECT COUNT(*) FROM skus k WHERE k.stock <> COALESCE((SELECT SUM(quantity) FROM inventory_movements m WHERE m.sku_id = k.id), 0)`)
	if n != 0 {
		t.Fatalf("%d SKUs' ledgers do not sum to their stock", n)
	}
}

// csvLines joins lines into a file.
func csvLines(lines ...string) string { return strings.Join(lines, "\n") + "\n" }

const header = "product_title,category,sku_code,spec,price,original_price,stock,on_sale"

// say is a problem as a reader of l reads it on the import pages: the
// column's name, then what is wrong.
func say(l i18n.Lang, p catalogio.Problem) string {
	pr := i18n.For(l)
	s := pr.Msg(p.Message)
	if p.Column != "" {
		s = pr.Enum("csv.column", p.Column) + pr.T("error.field_separator") + s
	}
	return s
}
