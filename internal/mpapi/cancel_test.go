package mpapi_test

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kaidian/kaidian/internal/app/apptest"
	"github.com/kaidian/kaidian/internal/config"
	"github.com/kaidian/kaidian/internal/wechat/wxpay"
)

// The shopper's cancel closes WeChat's order first: the prepay_id the
// shopper already holds can no longer be paid, so it cannot revive the order.
func TestShopperCancelClosesTheWeChatOrder(t *testing.T) {
	e := apptest.Start(t)
	no, prepayID, sku := payOrder(t, e, "alice", 3)
	tok := e.Login("alice")
	if r := e.Post("/api/v1/orders/"+no+"/cancel", tok, nil); r.Status != http.StatusOK || r.JSON(t)["status"] != "closed" {
		t.Fatalf("cancel: %d %s", r.Status, r.Body)
	}
	if _, wechat := orderStatus(e, no); wechat != "CLOSED" {
		t.Fatalf("WeChat's order is %s after the cancel", wechat)
	}
	r := e.Post("/sandbox/wxpay/pay", "", map[string]any{"prepay_id": prepayID, "result": "success"})
	if got := r.JSON(t); got["trade_state"] != "CLOSED" || got["notified"] != false {
		t.Fatalf("paying the old prepay_id: %d %s", r.Status, r.Body)
	}
	if s, _ := orderStatus(e, no); s != "closed" {
		t.Fatalf("order is %s", s)
	}
	if n := countRows(t, e, "payment_notifications"); n != 0 {
		t.Fatalf("%d payment notifications", n)
	}
	if s, l := skuStock(t, e, sku); s != 3 || l != 3 {
		t.Fatalf("stock %d, ledger %d", s, l)
	}
}

// If WeChat already took the money (its notification not yet here), the
// cancel applies the payment instead: 409 order_paid, and the order is paid.
func TestShopperCancelOfAPaidOrderAppliesThePayment(t *testing.T) {
	e := apptest.Start(t)
	no, prepayID, sku := payOrder(t, e, "alice", 3)
	if r := e.Post("/sandbox/wxpay/pay", "", map[string]any{"prepay_id": prepayID, "result": "success", "notify": false}); r.Status != http.StatusOK {
		t.Fatalf("sandbox pay: %d %s", r.Status, r.Body)
	}
	tok := e.Login("alice")
	if r := e.Post("/api/v1/orders/"+no+"/cancel", tok, nil); r.Status != http.StatusConflict || r.ErrorCode() != "order_paid" {
		t.Fatalf("cancel of a paid order: %d %s", r.Status, r.Body)
	}
	if s := e.Get("/api/v1/orders/"+no, tok).JSON(t)["status"]; s != "paid" {
		t.Fatalf("order is %v", s)
	}
	checkSoldOnce(t, e, sku, no)
}

// When WeChat Pay cannot be reached the shopper's cancel changes nothing and
// says so (503), like the merchant's: closing anyway would leave a payable
// order at WeChat for an order closed here.
func TestShopperCancelWithoutWeChatCancelsNothing(t *testing.T) {
	e := apptest.Start(t)
	no, _, sku := payOrder(t, e, "alice", 3)
	tok := e.Login("alice")
	db := e.App.DB.Conn(context.Background())
	// WeChat's side briefly fails: the sandbox answers SYSTEM_ERROR to the query.
	if err := db.Exec("ALTER TABLE sandbox_pay_orders RENAME TO sandbox_pay_orders_away").Error; err != nil {
		t.Fatal(err)
	}
	r := e.Post("/api/v1/orders/"+no+"/cancel", tok, nil)
	if err := db.Exec("ALTER TABLE sandbox_pay_orders_away RENAME TO sandbox_pay_orders").Error; err != nil {
		t.Fatal(err)
	}
	if r.Status != http.StatusServiceUnavailable || r.ErrorCode() != "wechatpay_unavailable" {
		t.Fatalf("cancel without WeChat: %d %s", r.Status, r.Body)
	}
	if s, wechat := orderStatus(e, no); s != "pending_payment" || wechat != "NOTPAY" {
		t.Fatalf("order %s, WeChat %s", s, wechat)
	}
	var reserved int64
	db.Raw("SELECT reserved FROM skus WHERE id = ?", sku).Scan(&reserved)
	if reserved != 1 {
		t.Fatalf("reserved %d", reserved)
	}
	if r := e.Post("/api/v1/orders/"+no+"/cancel", tok, nil); r.Status != http.StatusOK {
		t.Fatalf("cancel once WeChat is back: %d %s", r.Status, r.Body)
	}
}

// openLate opens WeChat's order for an order that already closed, as a pay
// call does when its prepay reaches WeChat just after a cancel found nothing
// to close there (the race a late payment comes from), and returns the
// prepay_id the shopper can pay.
func openLate(t *testing.T, e *apptest.Env, no string) string {
	t.Helper()
	var o struct {
		OpenID    string    `gorm:"column:openid"`
		PayAmount int64     `gorm:"column:pay_amount"`
		ExpiresAt time.Time `gorm:"column:expires_at"`
	}
	if err := e.App.DB.Conn(context.Background()).Raw(`SELECT s.openid, o.pay_amount, o.expires_at FROM orders o
		JOIN shoppers s ON s.id = o.shopper_id WHERE o.order_no = ?`, no).Scan(&o).Error; err != nil {
		t.Fatal(err)
	}
	rp, err := e.App.PayClient.Prepay(context.Background(), wxpay.PrepayInput{OutTradeNo: no, Description: "late",
		OpenID: o.OpenID, NotifyURL: e.URL + "/wechatpay/notify/transactions", Amount: o.PayAmount, ExpiresAt: o.ExpiresAt})
	if err != nil {
		t.Fatalf("late prepay: %v", err)
	}
	return strings.TrimPrefix(rp.Package, "prepay_id=")
}

// Shoppers tapping pay and cancel at the same moment: whichever wins, every
// order is closed here and no WeChat order is left that could still take
// money. The payment check is an hour away, so this is the close path and
// the pay call alone: the close closes WeChat's order again after closing
// here, and the pay call looks at the order again after its prepay.
func TestPayRacingCancelLeavesNothingPayable(t *testing.T) {
	e := apptest.Start(t, func(c *config.Config) { c.PayPollAfter = time.Hour })
	const n = 12
	sku := e.Product(t, apptest.SKU{Price: 2990, Stock: n}).SKUs[0].ID
	tok, addr := shopperWithAddress(t, e, "alice")
	nos := make([]string, n)
	for i := range nos {
		nos[i] = e.Post("/api/v1/orders", tok, map[string]any{"items": []map[string]any{{"sku_id": sku, "quantity": 1}},
			"address_id": addr}).JSON(t)["order_no"].(string)
	}
	var wg sync.WaitGroup
	start := make(chan struct{})
	for _, no := range nos {
		for _, path := range []string{"/pay", "/cancel"} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				e.Post("/api/v1/orders/"+no+path, tok, nil)
			}()
		}
	}
	close(start)
	wg.Wait()
	for _, no := range nos {
		if s, _ := orderStatus(e, no); s != "closed" {
			t.Fatalf("order %s is %s after its cancel", no, s)
		}
		waitFor(t, "WeChat's order of "+no+" to be closed or never opened", func() bool {
			_, wechat := orderStatus(e, no)
			return wechat == "" || wechat == "CLOSED"
		})
	}
	if s, l := skuStock(t, e, sku); s != n || l != n {
		t.Fatalf("stock %d, ledger %d", s, l)
	}
}
