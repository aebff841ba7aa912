package loadgen

import (
	"context"
	"testing"
	"time"

	"github.com/kaidian/kaidian/internal/app/apptest"
)

func TestCheckout(t *testing.T) {
	e := shop(t)
	o := options(e, "checkout")
	o.Requests = 6 * requestsPerLoop
	r := run(t, o)
	requirePass(t, r)
	if r.Figures["loops_per_s"] <= 0 {
		t.Fatalf("figures %v", r.Figures)
	}
	for _, s := range r.Steps {
		if s.Name == "loop" && s.Count != 6 {
			t.Fatalf("%d loops, want 6", s.Count)
		}
	}

	// The database check reads real rows: a second step to paid is caught.
	var nos []string
	db := e.App.DB.Conn(context.Background())
	db.Raw("SELECT order_no FROM orders WHERE status = 'paid' ORDER BY id").Scan(&nos)
	if len(nos) != 6 {
		t.Fatalf("%d paid orders in the database", len(nos))
	}
	err := db.Exec(`INSERT INTO order_transitions (order_id, from_status, to_status, actor, created_at)
	        SELECT id, 'pending_payment', 'paid', 'test', ? FROM orders WHERE order_no = ?`, time.Now().UTC(), nos[2]).Error
	if err != nil {
		t.Fatal(err)
	}
	again := &Report{}
	(&load{o: o}).checkPaidOnce(context.Background(), again, nos)
	requireFail(t, again.Checks, "paid exactly once (database)")
}

// A shop that runs out of stock mid-run fails "every loop ended paid" and
// says why.
func TestCheckoutReportsStockOut(t *testing.T) {
	e := apptest.Start(t)
	e.Product(t, apptest.SKU{Price: 1990, Stock: 2})
	o := options(e, "checkout")
	o.Requests = 4 * requestsPerLoop
	r := run(t, o)
	requireFail(t, r.Checks, "every loop ended paid")
	if r.Total.Answers["409 out_of_stock"] == 0 {
		t.Fatalf("answers %v", r.Total.Answers)
	}
}

// -restock tops the SKUs up through the ledger, so the same shop sells.
func TestCheckoutRestock(t *testing.T) {
	e := apptest.Start(t)
	p := e.Product(t, apptest.SKU{Price: 1990, Stock: 2})
	o := options(e, "checkout")
	o.Requests, o.Restock = 4*requestsPerLoop, 50
	requirePass(t, run(t, o))
	var stock, ledger int64
	db := e.App.DB.Conn(context.Background())
	db.Raw("SELECT stock FROM skus WHERE id = ?", p.SKUs[0].ID).Scan(&stock)
	db.Raw("SELECT SUM(quantity) FROM inventory_movements WHERE sku_id = ?", p.SKUs[0].ID).Scan(&ledger)
	if stock != 46 || ledger != stock {
		t.Fatalf("stock %d, ledger %d; want 50 - 4 sold", stock, ledger)
	}
}
