package app_test

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/kaidian/kaidian/internal/app/apptest"
	"github.com/kaidian/kaidian/internal/config"
	"github.com/kaidian/kaidian/internal/customer"
	"github.com/kaidian/kaidian/internal/database/dbtest"
	"github.com/kaidian/kaidian/internal/i18n"
	"github.com/kaidian/kaidian/internal/order"
	"github.com/kaidian/kaidian/internal/worker"
)

func fastSweep(c *config.Config) { c.ExpirySweep = 200 * time.Millisecond }

// placeOrders places n one-unit orders of a fresh SKU through the service and
// returns their numbers and the SKU.
func placeOrders(t *testing.T, e *apptest.Env, n int) ([]string, int64) {
	t.Helper()
	ctx := context.Background()
	sku := e.Product(t, apptest.SKU{Price: 100, Stock: int64(n)}).SKUs[0].ID
	var nos []string
	for i := range n {
		sh, err := e.App.Customers.Login(ctx, customerIdentity(i))
		if err != nil {
			t.Fatal(err)
		}
		addr := e.Address(t, sh.ID)
		o, _, err := e.App.Orders.Place(ctx, sh.ID, order.PlaceInput{
			Items: []order.LineInput{{SKUID: sku, Quantity: 1}}, AddressID: addr}, "")
		if err != nil {
			t.Fatal(err)
		}
		nos = append(nos, o.OrderNo)
	}
	return nos, sku
}

// overdue moves the orders' payment deadline into the past, as if the shop's
// timeout had elapsed.
func overdue(t *testing.T, e *apptest.Env, nos []string) {
	t.Helper()
	err := e.App.DB.Conn(context.Background()).Exec("UPDATE orders SET expires_at = ? WHERE order_no IN ?",
		time.Now().UTC().Add(-time.Second), nos).Error
	if err != nil {
		t.Fatal(err)
	}
}

// checkClosedOnce waits until every order is closed by expiry, then checks
// each was closed exactly once and its stock released exactly once.
func checkClosedOnce(t *testing.T, e *apptest.Env, nos []string, sku int64) {
	t.Helper()
	db := e.App.DB.Conn(context.Background())
	deadline := time.Now().Add(30 * time.Second)
	for {
		var open int64
		if err := db.Raw("SELECT COUNT(*) FROM orders WHERE order_no IN ? AND status <> 'closed'", nos).Scan(&open).Error; err != nil {
			t.Fatal(err)
		}
		if open == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d orders still open", open, len(nos))
		}
		time.Sleep(100 * time.Millisecond)
	}
	var closes, releases, stock, ledger int64
	db.Raw(`SELECT COUNT(*) FROM order_transitions t JOIN orders o ON o.id = t.order_id
	        WHERE o.order_no IN ? AND t.to_status = 'closed'`, nos).Scan(&closes)
	db.Raw("SELECT COUNT(*) FROM inventory_movements WHERE kind = 'release' AND ref_id IN ?", nos).Scan(&releases)
	db.Raw("SELECT stock FROM skus WHERE id = ?", sku).Scan(&stock)
	db.Raw("SELECT SUM(quantity) FROM inventory_movements WHERE sku_id = ?", sku).Scan(&ledger)
	if closes != int64(len(nos)) || releases != int64(len(nos)) {
		t.Fatalf("%d close transitions and %d releases for %d orders", closes, releases, len(nos))
	}
	if stock != int64(len(nos)) || ledger != stock {
		t.Fatalf("stock %d ledger %d, want %d", stock, ledger, len(nos))
	}
	var reasons []string
	db.Raw("SELECT DISTINCT close_reason FROM orders WHERE order_no IN ?", nos).Scan(&reasons)
	var reason i18n.Msg
	if len(reasons) == 1 {
		reason.Scan(reasons[0])
	}
	if len(reasons) != 1 || reason.ID != order.ReasonExpired.ID || i18n.For(i18n.ZhCN).Msg(reason) != "付款超时，自动关闭" {
		t.Fatalf("close reasons %v", reasons)
	}
}

func TestUnpaidOrdersExpireThroughTheJob(t *testing.T) {
	e := apptest.Start(t, fastSweep)
	nos, sku := placeOrders(t, e, 5)
	overdue(t, e, nos[:3])
	checkClosedOnce(t, e, nos[:3], sku)
	for _, no := range nos[3:] {
		var st string
		e.App.DB.Conn(context.Background()).Raw("SELECT status FROM orders WHERE order_no = ?", no).Scan(&st)
		if st != "pending_payment" {
			t.Fatalf("order %s not yet due was %s", no, st)
		}
	}
}

// Orders that fall due while Kaidian is down are closed after it restarts.
func TestExpirySurvivesRestart(t *testing.T) {
	e := apptest.Start(t, fastSweep)
	nos, sku := placeOrders(t, e, 4)
	cfg := e.App.Config
	e.Stop()

	again := apptest.Boot(t, cfg)
	overdue(t, again, nos)
	checkClosedOnce(t, again, nos, sku)
}

// Three replicas on one database: every overdue order is closed exactly once.
// Replicas are a PostgreSQL deployment: the embedded SQLite file belongs to one process.
func TestExpiryRunsOnceAcrossReplicas(t *testing.T) {
	if os.Getenv(dbtest.EnvURL) == "" {
		t.Skip("replicas share PostgreSQL; set " + dbtest.EnvURL + " (.ci/run does)")
	}
	first := apptest.Start(t, fastSweep)
	cfg := first.App.Config
	replicas := []*apptest.Env{first, apptest.Boot(t, cfg), apptest.Boot(t, cfg)}
	nos, sku := placeOrders(t, first, 30)
	overdue(t, replicas[1], nos)
	checkClosedOnce(t, replicas[2], nos, sku)
	// Give any straggling duplicate a chance to misbehave before counting again.
	time.Sleep(time.Second)
	checkClosedOnce(t, first, nos, sku)
}

func customerIdentity(i int) customer.Identity {
	return customer.Identity{OpenID: fmt.Sprintf("expiry-shopper-%d", i)}
}

// An expiry job that ran before the order was due (a replica whose clock ran
// ahead) completed without closing it; it must not stop a later job for the
// same order from being enqueued and closing it once it is due.
func TestEarlyExpiryJobDoesNotBlockTheNextOne(t *testing.T) {
	// The sweeper stays out of the way: this test enqueues the jobs itself.
	e := apptest.Start(t, func(c *config.Config) { c.ExpirySweep = time.Hour })
	ctx := context.Background()
	nos, sku := placeOrders(t, e, 1)
	expire := river.InsertManyParams{Args: worker.ExpireOrderArgs{OrderNo: nos[0]}}
	db := e.App.DB.Conn(ctx)
	jobs := func(state string) (n int64) {
		t.Helper()
		q := db.Raw("SELECT COUNT(*) FROM river_job WHERE kind = 'order.expire'")
		if state != "" {
			q = db.Raw("SELECT COUNT(*) FROM river_job WHERE kind = 'order.expire' AND state = ?", state)
		}
		if err := q.Scan(&n).Error; err != nil {
			t.Fatal(err)
		}
		return n
	}

	if err := e.App.Jobs().Enqueue(ctx, expire); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(30 * time.Second); jobs("completed") < 1; time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the early expiry job never completed")
		}
	}
	var status string
	db.Raw("SELECT status FROM orders WHERE order_no = ?", nos[0]).Scan(&status)
	if status != "pending_payment" {
		t.Fatalf("an expiry before the deadline left the order %s", status)
	}

	overdue(t, e, nos)
	if err := e.App.Jobs().Enqueue(ctx, expire); err != nil {
		t.Fatal(err)
	}
	if n := jobs(""); n != 2 {
		t.Fatalf("%d order.expire jobs after the second enqueue: the completed early one swallowed it", n)
	}
	checkClosedOnce(t, e, nos, sku)
}
