package mpapi_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/kaidian/kaidian/internal/app/apptest"
	"github.com/kaidian/kaidian/internal/config"
)

// The loop a shopper goes through: login → order → pay → WeChat (the
// sandbox) takes the money → signed, encrypted notification → order paid,
// reserved stock sold. Then the same notification delivered again changes
// nothing, and forged ones are refused.
func TestPayThroughTheSandbox(t *testing.T) {
	e := apptest.Start(t)
	sku := e.Product(t, apptest.SKU{Price: 2990, Stock: 3}).SKUs[0].ID
	tok := e.Login("alice")
	addr := int64(e.Post("/api/v1/addresses", tok, map[string]any{"name": "张三", "phone": "13800138000",
		"province": "广东省", "city": "深圳市", "district": "南山区", "detail": "科技园 1 号"}).JSON(t)["id"].(float64))
	no := e.Post("/api/v1/orders", tok, map[string]any{"items": []map[string]any{{"sku_id": sku, "quantity": 1}},
		"address_id": addr}).JSON(t)["order_no"].(string)

	r := e.Post("/api/v1/orders/"+no+"/pay", tok, nil)
	params := r.JSON(t)
	if r.Status != http.StatusOK || params["signType"] != "RSA" || !strings.HasPrefix(params["package"].(string), "prepay_id=") {
		t.Fatalf("pay: %d %s", r.Status, r.Body)
	}
	if r := e.Post("/api/v1/orders/"+no+"/pay", e.Token("mallory"), nil); r.Status != http.StatusNotFound {
		t.Fatalf("someone else paying: %d %s", r.Status, r.Body)
	}

	prepayID := strings.TrimPrefix(params["package"].(string), "prepay_id=")
	if r := e.Post("/sandbox/wxpay/pay", "", map[string]any{"prepay_id": prepayID, "result": "success"}); r.Status != http.StatusOK {
		t.Fatalf("sandbox pay: %d %s", r.Status, r.Body)
	}
	waitFor(t, "the order to be paid", func() bool {
		return e.Get("/api/v1/orders/"+no, tok).JSON(t)["status"] == "paid"
	})
	checkSoldOnce(t, e, sku, no)

	if r := e.Post("/api/v1/orders/"+no+"/pay", tok, nil); r.Status != http.StatusConflict || r.ErrorCode() != "order_not_payable" {
		t.Fatalf("paying a paid order: %d %s", r.Status, r.Body)
	}

	// WeChat delivers the same notification again, five times.
	db := e.App.DB.Conn(context.Background())
	for range 5 {
		if err := db.Exec("UPDATE sandbox_notifications SET delivered_at = NULL, next_attempt_at = ?", time.Now().UTC().Add(-time.Second)).Error; err != nil {
			t.Fatal(err)
		}
		waitFor(t, "redelivery", func() bool {
			var pending int64
			db.Raw("SELECT COUNT(*) FROM sandbox_notifications WHERE delivered_at IS NULL").Scan(&pending)
			return pending == 0
		})
	}
	checkSoldOnce(t, e, sku, no)

	for _, body := range []string{`{}`, `not json`, `{"id":"EV-1","resource":{"ciphertext":"x"}}`} {
		res, err := http.Post(e.URL+"/wechatpay/notify/transactions", "application/json", strings.NewReader(body))
		if err != nil || res.StatusCode != http.StatusUnauthorized {
			t.Fatalf("forged notification %q: %v %v", body, res, err)
		}
		res.Body.Close()
	}
	checkSoldOnce(t, e, sku, no)
}

// checkSoldOnce: the unit is sold (not reserved), once, and the order has one paid transition.
func checkSoldOnce(t *testing.T, e *apptest.Env, sku int64, no string) {
	t.Helper()
	db := e.App.DB.Conn(context.Background())
	var stock, reserved, sold, sells, paidMoves, applied int64
	db.Raw("SELECT stock FROM skus WHERE id = ?", sku).Scan(&stock)
	db.Raw("SELECT reserved FROM skus WHERE id = ?", sku).Scan(&reserved)
	db.Raw("SELECT sold FROM skus WHERE id = ?", sku).Scan(&sold)
	db.Raw("SELECT COUNT(*) FROM inventory_movements WHERE kind = 'sell' AND ref_id = ?", no).Scan(&sells)
	db.Raw(`SELECT COUNT(*) FROM order_transitions t JOIN orders o ON o.id = t.order_id
	        WHERE o.order_no = ? AND t.to_status = 'paid'`, no).Scan(&paidMoves)
	db.Raw("SELECT COUNT(*) FROM payment_notifications WHERE out_trade_no = ? AND outcome = 'applied'", no).Scan(&applied)
	if stock != 2 || reserved != 0 || sold != 1 || sells != 1 || paidMoves != 1 || applied != 1 {
		t.Fatalf("stock %d reserved %d sold %d; %d sell movements, %d paid transitions, %d applied notifications",
			stock, reserved, sold, sells, paidMoves, applied)
	}
}

// payOrder places a one-unit order for a fresh shopper and opens its payment;
// it returns the order number, the prepay id and the SKU.
func payOrder(t *testing.T, e *apptest.Env, user string, stock int64) (no, prepayID string, sku int64) {
	t.Helper()
	sku = e.Product(t, apptest.SKU{Price: 2990, Stock: stock}).SKUs[0].ID
	tok := e.Login(user)
	addr := int64(e.Post("/api/v1/addresses", tok, map[string]any{"name": "张三", "phone": "13800138000",
		"province": "广东省", "city": "深圳市", "district": "南山区", "detail": "科技园 1 号"}).JSON(t)["id"].(float64))
	no = e.Post("/api/v1/orders", tok, map[string]any{"items": []map[string]any{{"sku_id": sku, "quantity": 1}},
		"address_id": addr}).JSON(t)["order_no"].(string)
	pkg := e.Post("/api/v1/orders/"+no+"/pay", tok, nil).JSON(t)["package"].(string)
	return no, strings.TrimPrefix(pkg, "prepay_id="), sku
}

func sandboxNotifications(t *testing.T, e *apptest.Env) []map[string]any {
	t.Helper()
	var out struct{ Items []map[string]any }
	e.Get("/sandbox/wxpay/notifications", "").Decode(t, &out)
	return out.Items
}

// Twenty deliveries of one payment racing each other: paid once, sold once.
func TestConcurrentNotificationsApplyOnce(t *testing.T) {
	e := apptest.Start(t)
	no, prepayID, sku := payOrder(t, e, "alice", 3)
	e.Post("/sandbox/wxpay/pay", "", map[string]any{"prepay_id": prepayID, "result": "success"})
	waitFor(t, "the first delivery", func() bool {
		ns := sandboxNotifications(t, e)
		return len(ns) == 1 && ns[0]["delivered"] == true
	})
	// Undo what the first delivery did, so the race is for the first application.
	db := e.App.DB.Conn(context.Background())
	for _, q := range []string{
		"UPDATE orders SET status = 'pending_payment', transaction_id = '', paid_at = NULL WHERE order_no = '" + no + "'",
		"DELETE FROM order_transitions WHERE to_status = 'paid'",
		"DELETE FROM inventory_movements WHERE kind = 'sell'",
		"UPDATE skus SET reserved = 1, sold = 0",
		"DELETE FROM payment_notifications",
	} {
		if err := db.Exec(q).Error; err != nil {
			t.Fatal(err)
		}
	}
	id := sandboxNotifications(t, e)[0]["id"].(string)
	var res struct{ Statuses []int }
	e.Post("/sandbox/wxpay/notifications/"+id+"/redeliver", "", map[string]any{"times": 20}).Decode(t, &res)
	for _, s := range res.Statuses {
		if s != http.StatusNoContent {
			t.Fatalf("a concurrent delivery was answered %d: %v", s, res.Statuses)
		}
	}
	checkSoldOnce(t, e, sku, no)
}

// WeChat reporting another amount than the order's: recorded, not applied.
func TestAmountMismatchIsNotApplied(t *testing.T) {
	e := apptest.Start(t)
	no, prepayID, sku := payOrder(t, e, "alice", 3)
	e.Post("/sandbox/wxpay/pay", "", map[string]any{"prepay_id": prepayID, "result": "success", "amount": 1})
	waitFor(t, "the delivery", func() bool {
		ns := sandboxNotifications(t, e)
		return len(ns) == 1 && ns[0]["delivered"] == true
	})
	db := e.App.DB.Conn(context.Background())
	var status string
	var mismatches, reserved int64
	db.Raw("SELECT status FROM orders WHERE order_no = ?", no).Scan(&status)
	db.Raw("SELECT COUNT(*) FROM payment_notifications WHERE out_trade_no = ? AND outcome = 'mismatch'", no).Scan(&mismatches)
	db.Raw("SELECT reserved FROM skus WHERE id = ?", sku).Scan(&reserved)
	if status != "pending_payment" || mismatches != 1 || reserved != 1 {
		t.Fatalf("status %s, %d mismatches recorded, %d reserved", status, mismatches, reserved)
	}
}

// A payment that does not match its order (here another amount) does not
// make the order paid, so a close must not answer order_paid for it: the
// cancel is refused with payment_mismatch and the order stays open with its
// stock (money was taken; the shop must look), instead of every close and
// expiry saying "just paid" for ever.
func TestCancelOfAnOrderWithAMismatchedPaymentSaysSo(t *testing.T) {
	e := apptest.Start(t)
	no, prepayID, sku := payOrder(t, e, "alice", 3)
	e.Post("/sandbox/wxpay/pay", "", map[string]any{"prepay_id": prepayID, "result": "success", "amount": 1})
	r := e.Post("/api/v1/orders/"+no+"/cancel", e.Login("alice"), nil)
	if r.Status != http.StatusConflict || r.ErrorCode() != "payment_mismatch" {
		t.Fatalf("cancel: %d %s", r.Status, r.Body)
	}
	var reserved int64
	e.App.DB.Conn(context.Background()).Raw("SELECT reserved FROM skus WHERE id = ?", sku).Scan(&reserved)
	if status, _ := orderStatus(e, no); status != "pending_payment" || reserved != 1 {
		t.Fatalf("order %s, %d reserved", status, reserved)
	}
}

func fastExpiry(c *config.Config) { c.ExpirySweep = 200 * time.Millisecond }

func overdue(t *testing.T, e *apptest.Env, no string) {
	t.Helper()
	if err := e.App.DB.Conn(context.Background()).Exec("UPDATE orders SET expires_at = ? WHERE order_no = ?",
		time.Now().UTC().Add(-time.Second), no).Error; err != nil {
		t.Fatal(err)
	}
}

func orderStatus(e *apptest.Env, no string) (status, wechat string) {
	db := e.App.DB.Conn(context.Background())
	db.Raw("SELECT status FROM orders WHERE order_no = ?", no).Scan(&status)
	db.Raw("SELECT trade_state FROM sandbox_pay_orders WHERE out_trade_no = ?", no).Scan(&wechat)
	return status, wechat
}

// An unpaid order closes at its deadline on both sides: WeChat's order is
// closed first, so no payment can land after the stock is released.
func TestExpiryClosesTheWeChatOrderFirst(t *testing.T) {
	e := apptest.Start(t, fastExpiry)
	no, _, _ := payOrder(t, e, "alice", 3)
	overdue(t, e, no)
	waitFor(t, "expiry", func() bool { s, _ := orderStatus(e, no); return s == "closed" })
	if _, wechat := orderStatus(e, no); wechat != "CLOSED" {
		t.Fatalf("WeChat side is %s", wechat)
	}
}

// A payment whose notification never came is found when the order falls due:
// the order is paid, not closed.
func TestLostNotificationIsRecoveredAtTheDeadline(t *testing.T) {
	e := apptest.Start(t, fastExpiry)
	no, prepayID, sku := payOrder(t, e, "alice", 3)
	if r := e.Post("/sandbox/wxpay/pay", "", map[string]any{"prepay_id": prepayID, "result": "success", "notify": false}); r.Status != http.StatusOK {
		t.Fatalf("sandbox pay: %d %s", r.Status, r.Body)
	}
	overdue(t, e, no)
	waitFor(t, "reconciliation", func() bool { s, _ := orderStatus(e, no); return s == "paid" })
	checkSoldOnce(t, e, sku, no)
}

// A payment that lands after the shopper cancelled (its prepay reached
// WeChat just after the cancel) revives the order when its stock is still there.
func TestPaymentAfterCancelRevivesTheOrder(t *testing.T) {
	e := apptest.Start(t)
	sku := e.Product(t, apptest.SKU{Price: 2990, Stock: 3}).SKUs[0].ID
	tok, addr := shopperWithAddress(t, e, "alice")
	no := e.Post("/api/v1/orders", tok, map[string]any{"items": []map[string]any{{"sku_id": sku, "quantity": 1}},
		"address_id": addr}).JSON(t)["order_no"].(string)
	if r := e.Post("/api/v1/orders/"+no+"/cancel", tok, nil); r.JSON(t)["status"] != "closed" {
		t.Fatalf("cancel: %s", r.Body)
	}
	prepayID := openLate(t, e, no)
	e.Post("/sandbox/wxpay/pay", "", map[string]any{"prepay_id": prepayID, "result": "success"})
	waitFor(t, "the late payment", func() bool { s, _ := orderStatus(e, no); return s == "paid" })
	checkSoldOnce(t, e, sku, no)
	history := e.Get("/api/v1/orders/"+no, tok).JSON(t)["history"].([]any)
	last := history[len(history)-1].(map[string]any)
	if last["from"] != "closed" || !strings.Contains(last["reason"].(string), "已恢复订单") {
		t.Fatalf("revival not visible on the order: %v", last)
	}
}

// If recording the payment fails (here: its table is briefly gone), the
// notification is answered 5xx, nothing is kept, and WeChat's retry later
// succeeds.
func TestFailedCommitIsRetriedByWeChat(t *testing.T) {
	e := apptest.Start(t, func(c *config.Config) { c.SandboxRetryScale = 0.01 })
	no, prepayID, sku := payOrder(t, e, "alice", 3)
	db := e.App.DB.Conn(context.Background())
	if err := db.Exec("ALTER TABLE payment_notifications RENAME TO payment_notifications_away").Error; err != nil {
		t.Fatal(err)
	}
	e.Post("/sandbox/wxpay/pay", "", map[string]any{"prepay_id": prepayID, "result": "success"})
	waitFor(t, "a failed delivery", func() bool {
		ns := sandboxNotifications(t, e)
		return len(ns) == 1 && ns[0]["last_status"] == float64(http.StatusInternalServerError)
	})
	if s, _ := orderStatus(e, no); s != "pending_payment" {
		t.Fatalf("a failed commit left the order %s", s)
	}
	if err := db.Exec("ALTER TABLE payment_notifications_away RENAME TO payment_notifications").Error; err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the retry", func() bool { s, _ := orderStatus(e, no); return s == "paid" })
	checkSoldOnce(t, e, sku, no)
}
