package database_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/kaidian/kaidian/internal/database"
)

// Two connections to one SQLite file (two processes, as `kaidian refunds`
// beside a serving shop): a transaction that reads, then writes, while the
// other connection writes in between. Begun deferred, the first failed at
// its write with SQLITE_BUSY_SNAPSHOT; begun immediate, the other's write
// waits for it under busy_timeout and both succeed.
func TestSQLiteTransactionsTakeTheWriteLockAtBegin(t *testing.T) {
	path := filepath.Join(t.TempDir(), "kaidian.db")
	ctx := context.Background()
	open := func() *database.DB {
		db, err := database.Open(ctx, "", path)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(db.Close)
		return db
	}
	a, b := open(), open()
	if err := a.Conn(ctx).Exec("CREATE TABLE probe (id INTEGER PRIMARY KEY, n INTEGER NOT NULL)").Error; err != nil {
		t.Fatal(err)
	}
	a.Conn(ctx).Exec("INSERT INTO probe (id, n) VALUES (1, 0)")

	other := make(chan error, 1)
	err := a.Tx(ctx, func(tx context.Context) error {
		var n int64
		if err := a.Conn(tx).Raw("SELECT n FROM probe WHERE id = 1").Scan(&n).Error; err != nil {
			return err
		}
		go func() { other <- b.Conn(ctx).Exec("UPDATE probe SET n = n + 10 WHERE id = 1").Error }()
		time.Sleep(100 * time.Millisecond) // b writes now, unless it must wait for this transaction
		return a.Conn(tx).Exec("UPDATE probe SET n = ? WHERE id = 1", n+1).Error
	})
	if err != nil {
		t.Fatalf("read-then-write transaction beside another writer: %v", err)
	}
	if err := <-other; err != nil {
		t.Fatalf("the other connection's write: %v", err)
	}
	var n int64
	a.Conn(ctx).Raw("SELECT n FROM probe WHERE id = 1").Scan(&n)
	if n != 11 {
		t.Fatalf("n = %d, want 11 (1 from the transaction, then +10)", n)
	}
}
