// Package dbtest gives each test a fresh, migrated database: a SQLite file in
// the test's temp dir by default, or, when KAIDIAN_TEST_DATABASE_URL is set, a
// PostgreSQL schema of its own, so packages and tests can run in parallel.
package dbtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"io"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/kaidian/kaidian/internal/database"
)

// EnvURL names the variable that switches the suite to PostgreSQL.
const EnvURL = "KAIDIAN_TEST_DATABASE_URL"

// Open returns a migrated database that lives as long as the test.
func Open(t testing.TB) *database.DB {
	t.Helper()
	dbURL, sqlitePath := URL(t)
	db, err := database.Open(context.Background(), dbURL, sqlitePath)
	if err != nil {
		t.Fatalf("dbtest: open: %v", err)
	}
	t.Cleanup(db.Close)
	if err := db.Migrate(context.Background(), slog.New(slog.NewTextHandler(io.Discard, nil))); err != nil {
		t.Fatalf("dbtest: migrate: %v", err)
	}
	return db
}

// URL prepares an empty database for the test without opening it, for tests
// that start whole Kaidian processes: it returns either a PostgreSQL URL whose
// search_path is a fresh schema, or a SQLite file path.
func URL(t testing.TB) (postgresURL, sqlitePath string) {
	t.Helper()
	base := os.Getenv(EnvURL)
	if base == "" {
		return "", filepath.Join(t.TempDir(), "kaidian.db")
	}
	schema := "t_" + randomHex(8)
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Fatalf("dbtest: %s unreachable: %v", EnvURL, err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("dbtest: create schema: %v", err)
	}
	t.Cleanup(func() {
		c, err := pgx.Connect(ctx, base)
		if err != nil {
			return
		}
		defer c.Close(ctx)
		c.Exec(ctx, "DROP SCHEMA "+schema+" CASCADE")
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("dbtest: parse %s: %v", EnvURL, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String(), ""
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}
