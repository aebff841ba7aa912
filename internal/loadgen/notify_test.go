package loadgen

import (
	"context"
	"testing"
	"time"
)

func TestNotify(t *testing.T) {
	e := shop(t)
	o := options(e, "notify")
	o.Requests = 40
	r := run(t, o)
	requirePass(t, r)
	if r.Figures["notifications"] != 40 || r.Figures["notifications_per_s"] <= 0 || r.Figures["notification_p99_ms"] <= 0 {
		t.Fatalf("figures %v", r.Figures)
	}

	// Had a duplicate paid the order twice, both readings would say so.
	ctx := context.Background()
	var no string
	var shopperID int64
	db := e.App.DB.Conn(ctx)
	db.Raw("SELECT order_no, shopper_id FROM orders WHERE status = 'paid'").Row().Scan(&no, &shopperID)
	err := db.Exec(`INSERT INTO order_transitions (order_id, from_status, to_status, actor, created_at)
	        SELECT id, 'pending_payment', 'paid', 'test', ? FROM orders WHERE order_no = ?`, time.Now().UTC(), no).Error
	if err != nil {
		t.Fatal(err)
	}
	tok, _, err := e.App.Tokens.Issue(shopperID)
	if err != nil {
		t.Fatal(err)
	}
	l := &load{o: o, cl: newClient(1, 1)}
	again := &Report{}
	l.checkPaidOnce(ctx, again, []string{no})
	l.checkPaidOnceAPI(ctx, again, &shopper{base: e.URL, token: tok}, no)
	requireFail(t, again.Checks, "paid exactly once (database)")
	requireFail(t, again.Checks, "paid exactly once (API)")
}
