package loadgen

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/kaidian/kaidian/internal/app/apptest"
	"github.com/kaidian/kaidian/internal/config"
	"github.com/kaidian/kaidian/internal/flashsale"
)

func fastSweep(c *config.Config) { c.ExpirySweep = 200 * time.Millisecond }

// flashOptions: 30 shoppers (three greedy) race for 10 units, 2 each at most.
func flashOptions(e *apptest.Env) Options {
	o := options(e, "flash")
	o.Shoppers, o.Concurrency, o.Requests = 30, 6, 0
	o.Flash = FlashOptions{CreateSale: true, Units: 10, Limit: 2, PayWindow: flashsale.MinPayWindow,
		StartsIn: 500 * time.Millisecond, SoldOutDuration: 300 * time.Millisecond}
	return o
}

// The whole flash run: race, pay half, let the rest expire, verify, end the
// sale and verify again. Then each ledger check is shown to fail on a
// database where its invariant was broken.
func TestFlash(t *testing.T) {
	e := shop(t, fastSweep)
	o := flashOptions(e)
	o.Flash.PayFraction, o.Flash.WaitExpiry = 0.5, true
	r := run(t, o)
	requirePass(t, r)
	f := r.Figures
	if f["accepted_orders"] != 10 || f["paid_orders"] != 5 || f["accepted_per_s"] <= 0 || f["sell_out_ms"] <= 0 || f["sold_out_per_s"] <= 0 {
		t.Fatalf("figures %v", f)
	}
	for _, name := range []string{"expiry jobs ran once each (River)", "ledger: every closed order closed exactly once after end"} {
		if c, ok := r.Check(name); !ok || !c.Pass {
			t.Fatalf("check %q: %+v", name, c)
		}
	}
	var saleID int64
	ctx := context.Background()
	db := e.App.DB.Conn(ctx)
	db.Raw("SELECT id FROM flash_sales").Scan(&saleID)

	// The database's own CHECK keeps an item balanced; lift it to show the
	// verifier would notice too (PostgreSQL rolls the DDL back with the rest).
	unbalance := []string{"ALTER TABLE flash_sale_items DROP CONSTRAINT flash_sale_items_check",
		"UPDATE flash_sale_items SET returned = returned + 1"}
	if e.App.DB.Dialect == "sqlite" {
		unbalance = []string{"PRAGMA ignore_check_constraints = ON", "UPDATE flash_sale_items SET returned = returned + 1"}
	}
	for _, c := range []struct {
		check  string
		tamper []string
	}{
		{"ledger: allotted = available + held + sold + returned", unbalance},
		{"ledger: held = units in unpaid orders", []string{"UPDATE flash_sale_items SET held = held + 1, returned = returned - 1"}},
		{"ledger: sold = units in paid orders", []string{"UPDATE flash_sale_items SET sold = sold - 1, returned = returned + 1"}},
		{"ledger: nobody over the limit", []string{`UPDATE order_items SET quantity = 3 WHERE order_id =
		    (SELECT MIN(id) FROM orders WHERE flash_sale_id IS NOT NULL AND status = 'paid')`}},
		{"ledger: buyers' counts = their open orders", []string{"UPDATE flash_sale_buyers SET units = units + 1 WHERE units > 0"}},
		{"ledger: SKU stock = sum of its movements", []string{"UPDATE skus SET stock = stock + 1"}},
		{"ledger: every closed order closed exactly once", []string{`INSERT INTO order_transitions (order_id, from_status, to_status, actor, created_at)
		    SELECT MIN(id), 'pending_payment', 'closed', 'test', CURRENT_TIMESTAMP FROM orders WHERE status = 'closed'`}},
	} {
		t.Run(c.check, func(t *testing.T) {
			// Tamper and check in one transaction, rolled back after, so each case starts clean.
			err := e.App.DB.Tx(ctx, func(ctx context.Context) error {
				for _, stmt := range c.tamper {
					if err := e.App.DB.Conn(ctx).Exec(stmt).Error; err != nil {
						return err
					}
				}
				checks, err := ledgerChecks(ctx, e.App.DB, saleID, 2, "")
				if err != nil {
					return err
				}
				requireFail(t, checks, c.check)
				return errRollback
			})
			if e.App.DB.Dialect == "sqlite" {
				db.Exec("PRAGMA ignore_check_constraints = OFF") // a connection setting, not rolled back
			}
			if !errors.Is(err, errRollback) {
				t.Fatal(err)
			}
		})
	}

	t.Run("an expiry job that ran twice", func(t *testing.T) {
		var no string
		db.Raw("SELECT order_no FROM orders WHERE status = 'closed' ORDER BY id LIMIT 1").Scan(&no)
		arg := "args->>'order_no'"
		if e.App.DB.Dialect == "sqlite" {
			arg = "json_extract(args, '$.order_no')"
		}
		if err := db.Exec("UPDATE river_job SET attempt = 2 WHERE kind = 'order.expire' AND "+arg+" = ?", no).Error; err != nil {
			t.Fatal(err)
		}
		again := &Report{}
		checkExpireJobs(ctx, again, e.App.DB, []string{no})
		requireFail(t, again.Checks, "expiry jobs ran once each (River)")
	})
}

var errRollback = errors.New("rolled back on purpose")

// A sale the merchant made (-flash-sale ID): the race and its checks, with
// no payments and no waiting. The client-side count is shown to catch an
// oversell: one order too many fails "exactly K units sold or held".
func TestFlashExistingSale(t *testing.T) {
	e := shop(t)
	ctx := context.Background()
	p := e.Product(t, apptest.SKU{Price: 5000, Stock: 50})
	sale, err := e.App.Flash.Create(ctx, "test", flashsale.Input{Title: "秒杀", StartsAt: time.Now().Add(400 * time.Millisecond),
		EndsAt: time.Now().Add(time.Hour), PerShopperLimit: 1, PayWindow: time.Minute,
		Items: []flashsale.ItemInput{{SKUID: p.SKUs[0].ID, Price: 100, Units: 5}}})
	if err != nil {
		t.Fatal(err)
	}
	o := options(e, "flash")
	o.Shoppers, o.Concurrency, o.Requests = 20, 5, 0
	o.Flash = FlashOptions{SaleID: sale.ID, SoldOutDuration: 200 * time.Millisecond}
	r := run(t, o)
	requirePass(t, r)
	if r.Figures["accepted_orders"] != 5 || r.Total.Answers["409 sold_out"] == 0 {
		t.Fatalf("figures %v, answers %v", r.Figures, r.Total.Answers)
	}

	l := &load{o: o, cl: newClient(1, 1)}
	fr := &flashRun{sale: flashSale{ID: sale.ID, Limit: 1}, item: flashItem{SKUID: p.SKUs[0].ID, Allotted: 5, Available: 5}, available: 5}
	fr.soldOut.Store(true)
	for i := range 6 {
		fr.orders = append(fr.orders, &flashOrder{no: fmt.Sprintf("phantom-%d", i)})
	}
	again := &Report{}
	l.checkTaken(ctx, again, fr)
	requireFail(t, again.Checks, "exactly K units sold or held")
	requireFail(t, again.Checks, "sale row holds what was accepted (database)")
	requireFail(t, again.Checks, "units left after the race (API)")
}

// A replica failing some order POSTs: buyers retry and the sale still ends
// right, but the run fails, naming the 503s.
func TestFlashReportsErrors(t *testing.T) {
	e := shop(t)
	o := flashOptions(e)
	o.Flash.SoldOutDuration = 100 * time.Millisecond
	o.Targets = []string{e.URL, faulty(t, e.URL, 4, func(r *http.Request) bool {
		return r.Method == http.MethodPost && r.URL.Path == "/api/v1/orders"
	})}
	r := run(t, o)
	requireFail(t, r.Checks, "buyers got orders or contract answers")
	if c, ok := r.Check("exactly K units sold or held"); !ok || !c.Pass {
		t.Fatalf("the sale itself went wrong: %+v", c)
	}
}
