package database_test

import (
	"context"
	"strings"
	"testing"

	"github.com/kaidian/kaidian/internal/database"
	"github.com/kaidian/kaidian/internal/database/dbtest"
)

// TestRowLocks holds a row with each of the three lock helpers in one
// transaction and, from a second transaction, checks that another writer's
// lock on the row is refused while a foreign-key check (FOR KEY SHARE, what
// an insert referencing the row takes) is not. The second transaction waits
// for at most lock_timeout, so a missing lock shows as success and a held one
// as lock_not_available, whatever the machine's speed.
func TestRowLocks(t *testing.T) {
	db := dbtest.Open(t)
	ctx := context.Background()
	if err := db.Conn(ctx).Exec("CREATE TABLE lock_probe (id BIGINT PRIMARY KEY, n BIGINT NOT NULL)").Error; err != nil {
		t.Fatal(err)
	}
	if err := db.Conn(ctx).Exec("INSERT INTO lock_probe (id, n) VALUES (1, 0), (2, 0)").Error; err != nil {
		t.Fatal(err)
	}
	helpers := []struct {
		name string
		lock func(ctx context.Context) error
	}{
		{"LockRow", func(ctx context.Context) error { return db.LockRow(ctx, "lock_probe", 1) }},
		{"Locking", func(ctx context.Context) error {
			var ids []int64
			return db.Locking(ctx).Table("lock_probe").Where("id = ?", 1).Pluck("id", &ids).Error
		}},
		{"LockSQL", func(ctx context.Context) error {
			var ids []int64
			return db.Conn(ctx).Raw("SELECT p.id FROM lock_probe p JOIN lock_probe q ON q.id = 2 WHERE p.id = 1" + db.LockSQL("p")).Scan(&ids).Error
		}},
	}
	for _, h := range helpers {
		t.Run(h.name, func(t *testing.T) {
			if db.Dialect != database.Postgres {
				// SQLite has no row locks: its transactions hold the whole
				// database from BEGIN, so the helpers only have to run.
				if err := db.Tx(ctx, h.lock); err != nil {
					t.Fatal(err)
				}
				if db.LockSQL("p") != "" {
					t.Errorf("LockSQL on SQLite = %q, want nothing", db.LockSQL("p"))
				}
				return
			}
			locked, release, done := make(chan error), make(chan struct{}), make(chan error)
			go func() {
				done <- db.Tx(ctx, func(ctx context.Context) error {
					err := h.lock(ctx)
					locked <- err
					<-release
					return err
				})
			}()
			if err := <-locked; err != nil {
				t.Fatal(err)
			}
			try := func(sql string) error {
				return db.Tx(ctx, func(ctx context.Context) error {
					if err := db.Conn(ctx).Exec("SET LOCAL lock_timeout = '200ms'").Error; err != nil {
						return err
					}
					return db.Conn(ctx).Exec(sql).Error
				})
			}
			if err := try("SELECT id FROM lock_probe WHERE id = 1 FOR NO KEY UPDATE"); err == nil || !strings.Contains(err.Error(), "55P03") {
				t.Errorf("a second writer got the locked row: %v", err)
			}
			if err := try("SELECT id FROM lock_probe WHERE id = 1 FOR KEY SHARE"); err != nil {
				t.Errorf("a foreign-key check was blocked: %v", err)
			}
			// Only the row named is held (LockSQL's OF p leaves the join's other side alone).
			if err := try("SELECT id FROM lock_probe WHERE id = 2 FOR NO KEY UPDATE"); err != nil {
				t.Errorf("a row the helper did not name was locked: %v", err)
			}
			close(release)
			if err := <-done; err != nil {
				t.Fatal(err)
			}
		})
	}
}

// TestIsDuplicateThroughRawScan: a unique violation raised by a statement
// whose rows are read (UPDATE … RETURNING through Raw().Scan()) is known as
// a duplicate on both databases, as one from Create is.
func TestIsDuplicateThroughRawScan(t *testing.T) {
	db := dbtest.Open(t)
	ctx := context.Background()
	for _, stmt := range []string{"CREATE TABLE dup_probe (id INTEGER PRIMARY KEY, k TEXT UNIQUE)",
		"INSERT INTO dup_probe (id, k) VALUES (1, 'a'), (2, 'b')"} {
		if err := db.Conn(ctx).Exec(stmt).Error; err != nil {
			t.Fatal(err)
		}
	}
	var ids []int64
	err := db.Conn(ctx).Raw("UPDATE dup_probe SET k = 'a' WHERE id = 2 RETURNING id").Scan(&ids).Error
	if err == nil || !database.IsDuplicate(err) {
		t.Fatalf("update into a taken key: %v (%T), not a duplicate", err, err)
	}
	if err := db.Conn(ctx).Raw("UPDATE dup_probe SET k = 'c' WHERE id = 2 RETURNING id").Scan(&ids).Error; database.IsDuplicate(err) || err != nil {
		t.Fatalf("a free key: %v", err)
	}
}
