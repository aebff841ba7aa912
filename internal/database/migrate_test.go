package database_test

import (
	"io/fs"
	"testing"

	"github.com/kaidian/kaidian/internal/database/dbtest"
	"github.com/kaidian/kaidian/migrations"
)

// The two dialect folders must carry the same versions, or one engine would
// silently lack a table the other has.
func TestMigrationFoldersInStep(t *testing.T) {
	pg, _ := fs.Glob(migrations.FS, "postgres/*.sql")
	lite, _ := fs.Glob(migrations.FS, "sqlite/*.sql")
	if len(pg) == 0 || len(pg) != len(lite) {
		t.Fatalf("postgres has %d migrations, sqlite %d", len(pg), len(lite))
	}
	for i := range pg {
		if pg[i][len("postgres/"):] != lite[i][len("sqlite/"):] {
			t.Errorf("migration %d differs: %s vs %s", i, pg[i], lite[i])
		}
	}
}

func TestMigrateAppliesAndIsRepeatable(t *testing.T) {
	db := dbtest.Open(t)
	var n int64
	if err := db.Conn(t.Context()).Raw("SELECT COUNT(*) FROM shop_settings").Scan(&n).Error; err != nil || n != 1 {
		t.Fatalf("shop_settings rows = %d, err %v", n, err)
	}
	if err := db.Migrate(t.Context(), discard()); err != nil {
		t.Fatalf("second migrate: %v", err)
	}
}
