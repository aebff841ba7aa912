package mpapi_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/kaidian/kaidian/internal/app/apptest"
	"github.com/kaidian/kaidian/internal/config"
	"github.com/kaidian/kaidian/internal/coupon"
	"github.com/kaidian/kaidian/internal/i18n"
	"github.com/kaidian/kaidian/internal/staff"
)

// payAndWait opens the order's payment, pays it in the sandbox and waits
// until it is paid.
func payAndWait(t *testing.T, e *apptest.Env, tok, no string) {
	t.Helper()
	pkg := e.Post("/api/v1/orders/"+no+"/pay", tok, nil).JSON(t)["package"].(string)
	e.Post("/sandbox/wxpay/pay", "", map[string]any{"prepay_id": strings.TrimPrefix(pkg, "prepay_id="), "result": "success"})
	waitFor(t, "order "+no+" to be paid", func() bool { s, _ := orderStatus(e, no); return s == "paid" })
}

// lateRefund pays a closed order's late prepay in the sandbox and waits for
// the automatic refund of all of it; it returns the order as the shopper
// sees it and the note in its history that says why.
func lateRefund(t *testing.T, e *apptest.Env, tok, no, prepayID string) (map[string]any, string) {
	t.Helper()
	e.Post("/sandbox/wxpay/pay", "", map[string]any{"prepay_id": prepayID, "result": "success"})
	waitFor(t, "the automatic refund", func() bool {
		o := e.Get("/api/v1/orders/"+no, tok).JSON(t)
		return o["refunded_amount"] == o["pay_amount"]
	})
	o := e.Get("/api/v1/orders/"+no, tok).JSON(t)
	for _, h := range o["history"].([]any) {
		// The shopper reads the history in the app's language, Chinese by default.
		if r := fmt.Sprint(h.(map[string]any)["reason"]); strings.Contains(r, "将全额退款") {
			return o, r
		}
	}
	t.Fatalf("no refund note in the history: %v", o["history"])
	return nil, ""
}

// A late payment for a closed order whose one-per-shopper coupon went to
// another (paid) order meanwhile does not revive it: the coupon would then
// discount two paid orders. It is refunded in full, and the order's history,
// the refund and the console say why.
func TestLatePaymentWhoseCouponIsUsedElsewhereIsRefunded(t *testing.T) {
	e := apptest.Start(t, fastRefunds)
	sku := e.Product(t, apptest.SKU{Price: 3000, Stock: 10}).SKUs[0].ID
	c := liveCoupon(t, e, coupon.Draft{Kind: coupon.KindFixed, Amount: 500, TotalQuantity: 10, Claimable: true})
	tok, addr := shopperWithAddress(t, e, "alice")
	e.Post(fmt.Sprintf("/api/v1/coupons/%d/claim", c.ID), tok, nil)
	body := map[string]any{"items": []map[string]any{{"sku_id": sku, "quantity": 1}}, "address_id": addr, "coupon_id": c.ID}
	first := e.Post("/api/v1/orders", tok, body).JSON(t)["order_no"].(string)
	if r := e.Post("/api/v1/orders/"+first+"/cancel", tok, nil); r.Status != http.StatusOK {
		t.Fatalf("cancel: %d %s", r.Status, r.Body)
	}
	prepayID := openLate(t, e, first)
	r := e.Post("/api/v1/orders", tok, body) // the coupon came back with the cancel
	if r.Status != http.StatusCreated {
		t.Fatalf("second order with the coupon: %d %s", r.Status, r.Body)
	}
	second := r.JSON(t)["order_no"].(string)
	payAndWait(t, e, tok, second)

	o, note := lateRefund(t, e, tok, first, prepayID)
	if o["status"] != "closed" || !strings.Contains(note, zh.T("record.order.unfulfillable_coupon_used")) {
		t.Fatalf("order %v, note %q", o["status"], note)
	}
	db := e.App.DB.Conn(context.Background())
	var held []struct {
		Status  string
		OrderNo string
	}
	db.Raw(`SELECT h.status, o.order_no FROM shopper_coupons h LEFT JOIN orders o ON o.id = h.order_id
		WHERE h.coupon_id = ?`, c.ID).Scan(&held)
	if len(held) != 1 || held[0].Status != "used" || held[0].OrderNo != second {
		t.Fatalf("the coupon is held as %+v, want used by %s only", held, second)
	}
	// WeChat showed the shopper the reason in Chinese; the console shows the
	// kept message in its reader's language.
	reason := sandboxRefundReason(t, e, first)
	if reason != zh.T("record.wechat.refund_coupon_used") || !strings.Contains(reason, "优惠券") {
		t.Fatalf("refund reason at WeChat %q", reason)
	}
	lily := e.SignIn(t, "lily", staff.RoleStaff)
	page := lily.Get("/console/orders/" + first)
	if page.Status != http.StatusOK || !page.Has(reason) || !page.Has("所用优惠券已用于其他订单") {
		t.Fatalf("the console's order page does not say why it refunded: %d\n%s", page.Status, page.Body)
	}
	lily.Lang = "en"
	if page := lily.Get("/console/orders/" + first); !page.Has("coupon is used by another order") ||
		!page.Has(i18n.For(i18n.En).T("record.wechat.refund_coupon_used")) {
		t.Fatalf("the English order page does not say why it refunded:\n%s", page.Body)
	}
}

// A late payment for a closed flash order whose shopper holds the sale's
// per-shopper limit by now (another order, paid) is refunded, not revived:
// paying an old order cannot get round the limit.
func TestLateFlashPaymentOverTheLimitIsRefunded(t *testing.T) {
	e := apptest.Start(t, fastRefunds)
	sku := e.Product(t, apptest.SKU{Price: 9900, Stock: 20}).SKUs[0].ID
	sale := scheduleFlash(t, e, sku, time.Now().UTC().Add(-time.Second), 5, 1)
	tok, addr := shopperWithAddress(t, e, "alice")
	buy := func() string {
		t.Helper()
		r := e.Post("/api/v1/orders", tok, map[string]any{"flash_sale_id": sale.ID, "address_id": addr,
			"items": []map[string]any{{"sku_id": sku, "quantity": 1}}})
		if r.Status != http.StatusCreated {
			t.Fatalf("flash order: %d %s", r.Status, r.Body)
		}
		return r.JSON(t)["order_no"].(string)
	}
	first := buy()
	if r := e.Post("/api/v1/orders/"+first+"/cancel", tok, nil); r.Status != http.StatusOK {
		t.Fatalf("cancel: %d %s", r.Status, r.Body)
	}
	prepayID := openLate(t, e, first)
	second := buy() // the cancel gave the shopper's share of the limit back
	payAndWait(t, e, tok, second)

	o, note := lateRefund(t, e, tok, first, prepayID)
	if o["status"] != "closed" || !strings.Contains(note, "秒杀每人限购数量") {
		t.Fatalf("order %v, note %q", o["status"], note)
	}
	db := e.App.DB.Conn(context.Background())
	var buyerUnits, paid int64
	var item struct{ Available, Held, Sold int64 }
	db.Raw("SELECT units FROM flash_sale_buyers WHERE flash_sale_id = ?", sale.ID).Scan(&buyerUnits)
	db.Raw("SELECT available, held, sold FROM flash_sale_items WHERE flash_sale_id = ?", sale.ID).Scan(&item)
	db.Raw("SELECT COUNT(*) FROM orders WHERE flash_sale_id = ? AND status = 'paid'", sale.ID).Scan(&paid)
	if buyerUnits != 1 || paid != 1 || item.Available != 4 || item.Held != 0 || item.Sold != 1 {
		t.Fatalf("buyer holds %d, %d paid orders, item %+v", buyerUnits, paid, item)
	}
	if s, l := skuStock(t, e, sku); s != l {
		t.Fatalf("stock %d, ledger %d", s, l)
	}
}

// Reconciliation keeps checking a closed order whose WeChat order is still
// open: it closes WeChat's order and checks again until WeChat says CLOSED,
// and a payment it finds there first is applied (here: revived, the stock
// being there) without waiting for WeChat's notification.
func TestReconcileKeepsCheckingAClosedOrder(t *testing.T) {
	e := apptest.Start(t)
	ctx := context.Background()
	sku := e.Product(t, apptest.SKU{Price: 2990, Stock: 3}).SKUs[0].ID
	tok, addr := shopperWithAddress(t, e, "alice")
	place := func() string {
		no := e.Post("/api/v1/orders", tok, map[string]any{"items": []map[string]any{{"sku_id": sku, "quantity": 1}},
			"address_id": addr}).JSON(t)["order_no"].(string)
		if r := e.Post("/api/v1/orders/"+no+"/cancel", tok, nil); r.Status != http.StatusOK {
			t.Fatalf("cancel: %d %s", r.Status, r.Body)
		}
		return no
	}

	unpaid := place()
	openLate(t, e, unpaid)
	done, _, err := e.App.Payments.Reconcile(ctx, unpaid, time.Second)
	if err != nil || done {
		t.Fatalf("first check of a closed order open at WeChat: done=%v err=%v", done, err)
	}
	if _, wechat := orderStatus(e, unpaid); wechat != "CLOSED" {
		t.Fatalf("WeChat's order is %s after the check", wechat)
	}
	if done, _, err := e.App.Payments.Reconcile(ctx, unpaid, time.Second); err != nil || !done {
		t.Fatalf("check once WeChat says CLOSED: done=%v err=%v", done, err)
	}

	paid := place()
	prepayID := openLate(t, e, paid)
	if r := e.Post("/sandbox/wxpay/pay", "", map[string]any{"prepay_id": prepayID, "result": "success", "notify": false}); r.Status != http.StatusOK {
		t.Fatalf("sandbox pay: %d %s", r.Status, r.Body)
	}
	if done, _, err := e.App.Payments.Reconcile(ctx, paid, time.Second); err != nil || !done {
		t.Fatalf("check of a closed order paid at WeChat: done=%v err=%v", done, err)
	}
	if s, _ := orderStatus(e, paid); s != "paid" {
		t.Fatalf("the payment found was not applied: order %s", s)
	}
	if s, l := skuStock(t, e, sku); s != 2 || l != 2 {
		t.Fatalf("stock %d, ledger %d", s, l)
	}
}

// Two closed orders that used the same one-per-shopper coupon, both paid
// late and applied at the same moment: the coupon revives one of them only,
// and the other payment is refunded, so it never discounts two paid orders.
func TestConcurrentLatePaymentsShareOneCouponOnce(t *testing.T) {
	e := apptest.Start(t, fastRefunds)
	ctx := context.Background()
	sku := e.Product(t, apptest.SKU{Price: 3000, Stock: 10}).SKUs[0].ID
	c := liveCoupon(t, e, coupon.Draft{Kind: coupon.KindFixed, Amount: 500, TotalQuantity: 10, Claimable: true})
	tok, addr := shopperWithAddress(t, e, "alice")
	e.Post(fmt.Sprintf("/api/v1/coupons/%d/claim", c.ID), tok, nil)
	body := map[string]any{"items": []map[string]any{{"sku_id": sku, "quantity": 1}}, "address_id": addr, "coupon_id": c.ID}
	var nos []string
	for range 2 {
		r := e.Post("/api/v1/orders", tok, body)
		if r.Status != http.StatusCreated {
			t.Fatalf("order with the coupon: %d %s", r.Status, r.Body)
		}
		no := r.JSON(t)["order_no"].(string)
		e.Post("/api/v1/orders/"+no+"/cancel", tok, nil)
		prepayID := openLate(t, e, no)
		if r := e.Post("/sandbox/wxpay/pay", "", map[string]any{"prepay_id": prepayID, "result": "success", "notify": false}); r.Status != http.StatusOK {
			t.Fatalf("sandbox pay: %d %s", r.Status, r.Body)
		}
		nos = append(nos, no)
	}
	errs := make(chan error, len(nos))
	start := make(chan struct{})
	for _, no := range nos {
		go func() {
			<-start
			_, _, err := e.App.Payments.Reconcile(ctx, no, time.Second)
			errs <- err
		}()
	}
	close(start)
	for range nos {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	var paid []string
	for _, no := range nos {
		if s, _ := orderStatus(e, no); s == "paid" {
			paid = append(paid, no)
		}
	}
	if len(paid) != 1 {
		t.Fatalf("%d of the two orders revived, want one", len(paid))
	}
	var used []string
	e.App.DB.Conn(ctx).Raw(`SELECT o.order_no FROM shopper_coupons h JOIN orders o ON o.id = h.order_id
		WHERE h.coupon_id = ? AND h.status = 'used'`, c.ID).Scan(&used)
	if len(used) != 1 || used[0] != paid[0] {
		t.Fatalf("coupon used by %v, want %s only", used, paid[0])
	}
	waitFor(t, "the other payment's refund", func() bool {
		var refunded int64
		e.App.DB.Conn(ctx).Raw("SELECT COUNT(*) FROM orders WHERE order_no IN ? AND status = 'closed' AND refunded_amount = pay_amount", nos).Scan(&refunded)
		return refunded == 1
	})
}

// The payment check scheduled by the pay call stays alive once the order
// closed here while WeChat's order stayed open (what a close racing a pay
// call leaves; here the close is made without the payment side): the real
// job closes WeChat's order, or applies the payment it finds there.
func TestPaymentCheckJobOutlivesTheClose(t *testing.T) {
	e := apptest.Start(t, func(c *config.Config) { c.PayPollAfter = 200 * time.Millisecond })
	ctx := context.Background()
	closeHereOnly := func(no string) {
		t.Helper()
		var shopperID int64
		e.App.DB.Conn(ctx).Raw("SELECT shopper_id FROM orders WHERE order_no = ?", no).Scan(&shopperID)
		e.App.Orders.UsePaymentCloser(nil)
		defer e.App.Orders.UsePaymentCloser(e.App.Payments)
		if _, err := e.App.Orders.Cancel(ctx, shopperID, no); err != nil {
			t.Fatal(err)
		}
	}

	open, _, _ := payOrder(t, e, "alice", 3)
	closeHereOnly(open)
	waitFor(t, "the check to close WeChat's order", func() bool { _, wechat := orderStatus(e, open); return wechat == "CLOSED" })
	if s, _ := orderStatus(e, open); s != "closed" {
		t.Fatalf("order %s", s)
	}

	paid, prepayID, sku := payOrder(t, e, "bob", 3)
	closeHereOnly(paid)
	if r := e.Post("/sandbox/wxpay/pay", "", map[string]any{"prepay_id": prepayID, "result": "success", "notify": false}); r.Status != http.StatusOK {
		t.Fatalf("sandbox pay: %d %s", r.Status, r.Body)
	}
	waitFor(t, "the check to apply the payment", func() bool { s, _ := orderStatus(e, paid); return s == "paid" })
	checkSoldOnce(t, e, sku, paid)
}

// zh writes messages as the mini program's shoppers read them by default.
var zh = i18n.For(i18n.ZhCN)

// sandboxRefundReason is the reason the sandbox's WeChat Pay was given for
// the refund of order no, as WeChat would show it to the shopper.
func sandboxRefundReason(t *testing.T, e *apptest.Env, no string) string {
	t.Helper()
	var reason string
	if err := e.App.DB.Conn(context.Background()).Raw("SELECT reason FROM sandbox_refunds WHERE out_trade_no = ?", no).
		Scan(&reason).Error; err != nil {
		t.Fatal(err)
	}
	return reason
}
