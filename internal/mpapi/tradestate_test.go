package mpapi_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/kaidian/kaidian/internal/app/apptest"
	"github.com/kaidian/kaidian/internal/i18n"
	"github.com/kaidian/kaidian/internal/wechat/wxpay"
)

// paidThenRefundedAtWeChat opens a payment, has the shopper pay with the
// notification lost, and refunds part of it at WeChat without Kaidian (as
// from the merchant platform), so WeChat's query now answers REFUND. It
// returns the order number and SKU.
func paidThenRefundedAtWeChat(t *testing.T, e *apptest.Env) (no string, sku int64) {
	t.Helper()
	no, prepayID, sku := payOrder(t, e, "alice", 3)
	if r := e.Post("/sandbox/wxpay/pay", "", map[string]any{"prepay_id": prepayID, "result": "success", "notify": false}); r.Status != http.StatusOK {
		t.Fatalf("sandbox pay: %d %s", r.Status, r.Body)
	}
	ctx := context.Background()
	tx, err := e.App.PayClient.Query(ctx, no)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.App.PayClient.CreateRefund(ctx, wxpay.RefundInput{OutRefundNo: "MP" + no, OutTradeNo: no,
		Amount: 100, Total: *tx.Amount.Total}); err != nil {
		t.Fatal(err)
	}
	if tx, err = e.App.PayClient.Query(ctx, no); err != nil || *tx.TradeState != "REFUND" {
		t.Fatalf("WeChat's view after the refund: %v %v", tx.TradeState, err)
	}
	return no, sku
}

// checkFoundRefunded: the payment was applied from a query that said REFUND.
func checkFoundRefunded(t *testing.T, e *apptest.Env, no string, sku int64) {
	t.Helper()
	checkSoldOnce(t, e, sku, no)
	var n int64
	e.App.DB.Conn(context.Background()).Raw(`SELECT COUNT(*) FROM payment_notifications
		WHERE out_trade_no = ? AND event_type = 'QUERY' AND trade_state = 'REFUND' AND outcome = 'applied'`, no).Scan(&n)
	if n != 1 {
		t.Fatalf("%d payments applied from a REFUND query, want 1", n)
	}
	// Kaidian does not know how much went back: the merchant is told to look
	// before shipping, in the order's history.
	var stored string
	e.App.DB.Conn(context.Background()).Raw(`SELECT t.reason FROM order_transitions t JOIN orders o ON o.id = t.order_id
		WHERE o.order_no = ? AND t.to_status = 'paid'`, no).Scan(&stored)
	var m i18n.Msg
	m.Scan(stored)
	if reason := i18n.For(i18n.En).Msg(m); !strings.Contains(reason, "refunded since, outside Kaidian") ||
		!strings.Contains(zh.Msg(m), "发货前请先到商户平台核对") {
		t.Fatalf("the paid entry in the history does not warn of the refund: %q", reason)
	}
}

// A payment whose notification was lost and which was refunded since is
// still a payment: the payment check applies it instead of giving up.
func TestReconciliationAppliesARefundedPayment(t *testing.T) {
	e := apptest.Start(t) // the scheduled check waits 10 s: the test calls it itself
	no, sku := paidThenRefundedAtWeChat(t, e)
	done, _, err := e.App.Payments.Reconcile(context.Background(), no, time.Minute)
	if err != nil || !done {
		t.Fatalf("reconcile: done %v, %v", done, err)
	}
	if s, _ := orderStatus(e, no); s != "paid" {
		t.Fatalf("order is %s", s)
	}
	checkFoundRefunded(t, e, no, sku)
}

// At the deadline such an order is paid, never closed as unpaid.
func TestExpiryNeverClosesARefundedPayment(t *testing.T) {
	e := apptest.Start(t, fastExpiry)
	no, sku := paidThenRefundedAtWeChat(t, e)
	overdue(t, e, no)
	waitFor(t, "expiry to find the payment", func() bool { s, _ := orderStatus(e, no); return s == "paid" })
	checkFoundRefunded(t, e, no, sku)
}
