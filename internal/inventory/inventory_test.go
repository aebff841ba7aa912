package inventory_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/kaidian/kaidian/internal/clock"
	"github.com/kaidian/kaidian/internal/database"
	"github.com/kaidian/kaidian/internal/database/dbtest"
	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/i18n"
	"github.com/kaidian/kaidian/internal/inventory"
)

func newSKU(t *testing.T, db *database.DB) int64 {
	t.Helper()
	ctx := context.Background()
	now := time.Now().UTC()
	exec := func(sql string, args ...any) int64 {
		var id int64
		if err := db.Conn(ctx).Raw(sql+" RETURNING id", args...).Scan(&id).Error; err != nil {
			t.Fatal(err)
		}
		return id
	}
	cat := exec("INSERT INTO categories (name, created_at, updated_at) VALUES (?, ?, ?)", "c", now, now)
	prod := exec("INSERT INTO products (category_id, title, created_at, updated_at) VALUES (?, ?, ?, ?)", cat, "p", now, now)
	return exec("INSERT INTO skus (product_id, code, price, created_at, updated_at) VALUES (?, ?, ?, ?, ?)", prod, "K"+now.Format("150405.000000000"), 100, now, now)
}

func levels(t *testing.T, db *database.DB, sku int64) (stock, reserved, ledger int64) {
	t.Helper()
	c := db.Conn(context.Background())
	c.Raw("SELECT stock FROM skus WHERE id = ?", sku).Scan(&stock)
	c.Raw("SELECT reserved FROM skus WHERE id = ?", sku).Scan(&reserved)
	c.Raw("SELECT COALESCE(SUM(quantity), 0) FROM inventory_movements WHERE sku_id = ?", sku).Scan(&ledger)
	return
}

func TestLedgerFollowsEveryMove(t *testing.T) {
	db := dbtest.Open(t)
	inv := inventory.New(db, clock.New())
	ctx := context.Background()
	sku := newSKU(t, db)
	ref := inventory.Ref{Type: "order", ID: "A1"}

	if err := inv.Adjust(ctx, sku, 10, inventory.KindReceive, i18n.Text("delivery"), inventory.Ref{}, "merchant:1"); err != nil {
		t.Fatal(err)
	}
	if err := inv.Reserve(ctx, []inventory.Line{{SKUID: sku, Quantity: 3}, {SKUID: sku, Quantity: 1}}, ref, "shopper:1"); err != nil {
		t.Fatal(err)
	}
	if s, r, l := levels(t, db, sku); s != 6 || r != 4 || l != 6 {
		t.Fatalf("after reserve: stock %d reserved %d ledger %d", s, r, l)
	}
	err := inv.Reserve(ctx, []inventory.Line{{SKUID: sku, Quantity: 7}}, ref, "shopper:2")
	if !errs.Is(err, "out_of_stock") || errs.As(err).Details["sku_id"] != sku {
		t.Fatalf("over-reserve: %v", err)
	}
	if err := inv.Release(ctx, []inventory.Line{{SKUID: sku, Quantity: 4}}, ref, "system", i18n.Text("expired")); err != nil {
		t.Fatal(err)
	}
	if err := inv.Release(ctx, []inventory.Line{{SKUID: sku, Quantity: 1}}, ref, "system", i18n.Text("again")); err == nil {
		t.Fatal("released more than was reserved")
	}
	if err := inv.Adjust(ctx, sku, -11, inventory.KindAdjust, i18n.Text("count"), inventory.Ref{}, "merchant:1"); !errs.Is(err, "out_of_stock") {
		t.Fatalf("adjust below zero: %v", err)
	}
	if err := inv.Adjust(ctx, sku, 0, inventory.KindAdjust, i18n.Text("nothing"), inventory.Ref{}, "merchant:1"); err == nil {
		t.Fatal("zero adjustment accepted")
	}
	if err := inv.Adjust(ctx, sku, 5, inventory.KindReserve, i18n.Text("sneaky"), inventory.Ref{}, "merchant:1"); err == nil {
		t.Fatal("adjust accepted an order movement kind")
	}
	if s, r, l := levels(t, db, sku); s != 10 || r != 0 || l != 10 {
		t.Fatalf("at the end: stock %d reserved %d ledger %d", s, r, l)
	}
	ms, err := inv.Movements(ctx, sku)
	if err != nil {
		t.Fatal(err)
	}
	kinds := ""
	for _, m := range ms {
		kinds += string(m.Kind) + " "
		if m.Actor == "" {
			t.Fatalf("movement without actor: %+v", m)
		}
	}
	if kinds != "receive reserve release " || ms[1].Quantity != -4 || ms[1].StockAfter != 6 || ms[1].RefID != "A1" {
		t.Fatalf("movements %s %+v", kinds, ms)
	}
}

// Reservers racing one SKU never take more than there is, and failed
// reservations leave no trace in the ledger.
func TestReserveUnderContention(t *testing.T) {
	db := dbtest.Open(t)
	inv := inventory.New(db, clock.New())
	ctx := context.Background()
	sku := newSKU(t, db)
	if err := inv.Adjust(ctx, sku, 25, inventory.KindReceive, i18n.Msg{}, inventory.Ref{}, "test"); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	got := int64(0)
	for range 40 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := db.Tx(ctx, func(ctx context.Context) error {
				return inv.Reserve(ctx, []inventory.Line{{SKUID: sku, Quantity: 2}}, inventory.Ref{Type: "order"}, "test")
			})
			if err == nil {
				mu.Lock()
				got += 2
				mu.Unlock()
			} else if !errs.Is(err, "out_of_stock") {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	s, r, l := levels(t, db, sku)
	if got != 24 || s != 1 || r != 24 || l != 1 {
		t.Fatalf("reserved %d; stock %d reserved %d ledger %d", got, s, r, l)
	}
}
