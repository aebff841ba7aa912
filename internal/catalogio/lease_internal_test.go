package catalogio

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/kaidian/kaidian/internal/audit"
	"github.com/kaidian/kaidian/internal/catalog"
	"github.com/kaidian/kaidian/internal/clock"
	"github.com/kaidian/kaidian/internal/database/dbtest"
	"github.com/kaidian/kaidian/internal/i18n"
	"github.com/kaidian/kaidian/internal/inventory"
)

// A run whose process stalled past its lease, while another worker took
// the import over, finds out at its next batch and writes nothing more.
func TestARunThatLostItsLeaseWritesNothing(t *testing.T) {
	db := dbtest.Open(t)
	inv := inventory.New(db, clock.New())
	s := New(db, catalog.New(db, inv, clock.New()), inv, audit.New(db, clock.New()), clock.New(), nil)
	ctx := context.Background()
	job, problems, err := s.StartImport(ctx, "a.csv", []byte("sku_code,product_title,category,price,stock\nA-1,甲,类,1,1\n"), "staff:1:a")
	if err != nil || len(problems) > 0 {
		t.Fatal(err, problems)
	}
	stalled, ok, err := s.claim(ctx, job.ID)
	if err != nil || !ok {
		t.Fatal("first claim", ok, err)
	}
	if _, ok, _ := s.claim(ctx, job.ID); ok {
		t.Fatal("a job whose lease runs was claimed twice")
	}
	db.Conn(ctx).Exec("UPDATE import_jobs SET lease_until = ? WHERE id = ?", time.Now().UTC().Add(-time.Second), job.ID)
	taker, ok, err := s.claim(ctx, job.ID)
	if err != nil || !ok || taker.Attempts != 2 {
		t.Fatal("take-over claim", ok, err, taker.Attempts)
	}
	if err := s.run(ctx, stalled); !errors.Is(err, errLeaseLost) {
		t.Fatalf("stalled run: %v", err)
	}
	var n int64
	db.Conn(ctx).Raw("SELECT COUNT(*) FROM skus").Scan(&n)
	if n != 0 {
		t.Fatal("the run that lost its lease wrote")
	}
	if err := s.run(ctx, taker); err != nil {
		t.Fatal(err)
	}
	db.Conn(ctx).Raw("SELECT COUNT(*) FROM skus").Scan(&n)
	if j, _ := s.Import(ctx, job.ID); n != 1 || j.Status != StatusSucceeded {
		t.Fatalf("%d SKUs, job %s", n, j.Status)
	}
}

// An import that keeps failing on the server's side is given up after
// maxAttempts runs, with a message for the merchant.
func TestImportIsGivenUpAfterMaxAttempts(t *testing.T) {
	db := dbtest.Open(t)
	inv := inventory.New(db, clock.New())
	s := New(db, catalog.New(db, inv, clock.New()), inv, audit.New(db, clock.New()), clock.New(), nil)
	ctx := context.Background()
	job, _, err := s.StartImport(ctx, "a.csv", []byte("sku_code,product_title,category,price\nA-1,甲,类,1\n"), "staff:1:a")
	if err != nil {
		t.Fatal(err)
	}
	db.Conn(ctx).Exec("UPDATE import_jobs SET attempts = ? WHERE id = ?", maxAttempts, job.ID)
	if err := s.RunImport(ctx, job.ID); err != nil {
		t.Fatal(err)
	}
	j, _ := s.Import(ctx, job.ID)
	st := j.Stopped()
	if j.Status != StatusFailed || st == nil || st.Line != 0 || j.Listed() != nil || j.FinishedAt == nil {
		t.Fatalf("job %+v", j)
	}
	if msg := i18n.For(i18n.ZhCN).Msg(st.Message); !strings.Contains(msg, "已重试 5 次") || len(i18n.EnglishIn(msg)) > 0 {
		t.Errorf("given up, in Chinese: %q", msg)
	}
	if due, _ := s.DueImports(ctx, 10); len(due) != 0 {
		t.Fatalf("a given-up import is still due: %v", due)
	}
}
