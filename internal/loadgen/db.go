package loadgen

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/kaidian/kaidian/internal/clock"
	"github.com/kaidian/kaidian/internal/database"
	"github.com/kaidian/kaidian/internal/i18n"
	"github.com/kaidian/kaidian/internal/inventory"
)

// errNoDatabase says a check or step needs the shop's database and none was
// given or found.
var errNoDatabase = errors.New("no database: set -database-url (or KAIDIAN_DATABASE_URL), or KAIDIAN_DATA_DIR to the shop's SQLite folder")

// database opens the shop's database the way the app does (internal/database),
// once per run. It never migrates: the shop under load owns its schema. A
// SQLite file that does not exist is not created: that shop is elsewhere.
func (l *load) database(ctx context.Context) (*database.DB, error) {
	if l.o.DB != nil {
		return l.o.DB, nil
	}
	if l.db != nil {
		return l.db, nil
	}
	if l.o.DatabaseURL == "" {
		if l.o.SQLitePath == "" {
			return nil, errNoDatabase
		}
		if _, err := os.Stat(l.o.SQLitePath); err != nil {
			return nil, fmt.Errorf("%w (%s: %v)", errNoDatabase, l.o.SQLitePath, err)
		}
	}
	db, err := database.Open(ctx, l.o.DatabaseURL, l.o.SQLitePath)
	if err != nil {
		return nil, err
	}
	if err := db.Ping(ctx); err != nil {
		db.Close()
		return nil, err
	}
	l.db, l.ownsDB = db, true
	return db, nil
}

func (l *load) closeDB() {
	if l.ownsDB {
		l.db.Close()
	}
}

// loadActor is who the ledger and the audit log name for what the load
// command writes.
const loadActor = "kaidian load"

// restock raises the SKU's stock to at least want units with a 'receive'
// movement, so the ledger stays exact. It returns how many units it added.
func (l *load) restock(ctx context.Context, skuID, want int64) (int64, error) {
	db, err := l.database(ctx)
	if err != nil {
		return 0, err
	}
	var stock int64
	if err := db.Conn(ctx).Raw("SELECT stock FROM skus WHERE id = ?", skuID).Scan(&stock).Error; err != nil {
		return 0, err
	}
	if stock >= want {
		return 0, nil
	}
	add := want - stock
	err = inventory.New(db, clock.New()).Adjust(ctx, skuID, add, inventory.KindReceive, i18n.Text("stock for a load test"),
		inventory.Ref{Type: "load", ID: l.o.Run}, loadActor)
	return add, err
}
