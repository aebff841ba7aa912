package database_test

import (
	"context"
	"testing"

	"github.com/kaidian/kaidian/internal/database"
	"github.com/kaidian/kaidian/internal/database/dbtest"
)

// Read runs on the raw driver, which gorm's callbacks do not see: it counts
// its statements itself, and on PostgreSQL, where its queries go in one
// pipelined batch, one round trip for them all. Inside a transaction it
// runs through gorm and is counted there, once.
func TestReadIsCounted(t *testing.T) {
	db := dbtest.Open(t)
	qs := []database.Query{{SQL: "SELECT 1"}, {SQL: "SELECT 2"}}
	skip := func(rows database.Rows) error {
		for rows.Next() {
		}
		return nil
	}
	ctx, c := database.Counting(context.Background())
	if err := db.Read(ctx, qs, skip, skip); err != nil {
		t.Fatal(err)
	}
	wantTrips := 2
	if db.Dialect == database.Postgres {
		wantTrips = 1
	}
	if c.Statements() != 2 || c.RoundTrips() != wantTrips {
		t.Errorf("read: %d statements, %d round trips; want 2 and %d", c.Statements(), c.RoundTrips(), wantTrips)
	}
	c.Reset()
	err := db.Tx(ctx, func(ctx context.Context) error { return db.Read(ctx, qs, skip, skip) })
	if err != nil {
		t.Fatal(err)
	}
	if c.Statements() != 2 || c.RoundTrips() != 4 {
		t.Errorf("read in a transaction: %d statements, %d round trips; want 2 and 4", c.Statements(), c.RoundTrips())
	}
}
