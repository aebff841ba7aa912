package mpapi_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/kaidian/kaidian/internal/app/apptest"
)

// balanceFor gives the shopper user a ¥500 gift-card balance: alice buys a
// card, pays, sends it, and user claims it. It answers user's token.
func balanceFor(t *testing.T, e *apptest.Env, user string) string {
	t.Helper()
	d := giftCardDesign(t, e)
	alice, tok := e.Login("alice"), e.Login(user)
	buyAndPayGiftCards(t, e, alice, d.ID, 1)
	var link shareLinkBody
	e.Post(fmt.Sprintf("/api/v1/gift-cards/%d/send", myGiftCards(t, e, alice).Bought[0].ID), alice, map[string]any{}).Decode(t, &link)
	if r := e.Post("/api/v1/gift-card-shares/"+link.ShareToken+"/claim", tok, nil); r.Status != http.StatusCreated {
		t.Fatalf("claim: %d %s", r.Status, r.Body)
	}
	return tok
}

func addressFor(t *testing.T, e *apptest.Env, tok string) int64 {
	t.Helper()
	return int64(e.Post("/api/v1/addresses", tok, map[string]any{"name": "张三", "phone": "13800138000",
		"province": "广东省", "city": "深圳市", "district": "南山区", "detail": "科技园 1 号"}).JSON(t)["id"].(float64))
}

// The balance pays after coupons: an order it covers is paid at once
// without WeChat Pay; one it covers in part holds that part and WeChat Pay
// is asked for the rest, spent when paid; a cancelled one gives it back
// once. The balance is the sum of the entries throughout.
func TestGiftCardBalanceAtCheckout(t *testing.T) {
	e := apptest.Start(t)
	bob := balanceFor(t, e, "bob")
	sku := e.Product(t, apptest.SKU{Price: 30000, Stock: 10}).SKUs[0].ID
	addr := addressFor(t, e, bob)
	body := map[string]any{"items": []map[string]any{{"sku_id": sku, "quantity": 1}}, "address_id": addr, "coupon_id": 0}
	plain := e.Post("/api/v1/orders/preview", bob, body).JSON(t)
	total := int64(plain["pay_amount"].(float64))
	if total > 50000 || 2*total <= 50000 {
		t.Fatalf("the test needs one order under the balance and two over it: %d", total)
	}
	body["use_gift_card_balance"] = true
	pv := e.Post("/api/v1/orders/preview", bob, body).JSON(t)
	if pv["pay_amount"].(float64) != 0 || int64(pv["gift_card_amount"].(float64)) != total {
		t.Fatalf("preview with the balance: %v", pv)
	}

	// Covered entirely: paid at once.
	r := e.Post("/api/v1/orders", bob, body)
	o := r.JSON(t)
	if r.Status != http.StatusCreated || o["status"] != "paid" || o["pay_amount"].(float64) != 0 || int64(o["gift_card_amount"].(float64)) != total {
		t.Fatalf("an order the balance covers: %d %s", r.Status, r.Body)
	}
	if m := myGiftCards(t, e, bob); m.Balance != 50000-total {
		t.Fatalf("balance after the first order: %d", m.Balance)
	}
	if r := e.Post("/api/v1/orders/"+o["order_no"].(string)+"/pay", bob, nil); r.Status != http.StatusConflict {
		t.Fatalf("paying an order the balance paid: %d %s", r.Status, r.Body)
	}

	// Covered in part: the rest is paid with WeChat Pay.
	rest := 50000 - total
	o2 := e.Post("/api/v1/orders", bob, body).JSON(t)
	no2 := o2["order_no"].(string)
	if o2["status"] != "pending_payment" || int64(o2["gift_card_amount"].(float64)) != rest || int64(o2["pay_amount"].(float64)) != total-rest {
		t.Fatalf("an order the balance covers in part: %v", o2)
	}
	if m := myGiftCards(t, e, bob); m.Balance != 0 {
		t.Fatalf("balance while held: %d", m.Balance)
	}
	// Nothing left: a third order uses none of it and is placed anyway.
	o3 := e.Post("/api/v1/orders", bob, body).JSON(t)
	if o3["status"] != "pending_payment" || o3["gift_card_amount"] != nil || int64(o3["pay_amount"].(float64)) != total {
		t.Fatalf("an order with no balance left: %v", o3)
	}
	// Cancelling the second gives its part back, once.
	if r := e.Post("/api/v1/orders/"+no2+"/cancel", bob, nil); r.Status != http.StatusOK {
		t.Fatalf("cancel: %d %s", r.Status, r.Body)
	}
	e.Post("/api/v1/orders/"+no2+"/cancel", bob, nil)
	if m := myGiftCards(t, e, bob); m.Balance != rest {
		t.Fatalf("balance after the cancel: %d, want %d", m.Balance, rest)
	}
	// A fourth holds it again and is paid through WeChat: spent.
	o4 := e.Post("/api/v1/orders", bob, body).JSON(t)
	no4 := o4["order_no"].(string)
	pkg := e.Post("/api/v1/orders/"+no4+"/pay", bob, nil).JSON(t)["package"].(string)
	e.Post("/sandbox/wxpay/pay", "", map[string]any{"prepay_id": strings.TrimPrefix(pkg, "prepay_id="), "result": "success"})
	waitFor(t, "the fourth order to be paid", func() bool { return e.Get("/api/v1/orders/"+no4, bob).JSON(t)["status"] == "paid" })
	var spent, held int64
	db := e.App.DB.Conn(context.Background())
	db.Raw("SELECT COALESCE(SUM(-amount), 0) FROM gift_card_entries WHERE kind = 'spend'").Scan(&spent)
	db.Raw(`SELECT COALESCE(SUM(amount), 0) FROM gift_card_entries WHERE kind IN ('hold', 'release')`).Scan(&held)
	if spent != 50000 || held != 0 || myGiftCards(t, e, bob).Balance != 0 {
		t.Fatalf("spent %d, still held %d", spent, held)
	}
	checkLedger(t, e)
}

// Fifty checkouts by one shopper at once, each wanting more than a third
// of the balance: the balance never goes below zero, what the orders took
// is exactly what left it, and the balance is the sum of its entries.
func TestGiftCardBalanceConcurrentCheckouts(t *testing.T) {
	e := apptest.Start(t)
	bob := balanceFor(t, e, "bob")
	sku := e.Product(t, apptest.SKU{Price: 17000, Stock: 100}).SKUs[0].ID
	addr := addressFor(t, e, bob)
	body := map[string]any{"items": []map[string]any{{"sku_id": sku, "quantity": 1}}, "address_id": addr, "coupon_id": 0,
		"use_gift_card_balance": true}
	statuses := make([]int, 50)
	var wg sync.WaitGroup
	for i := range statuses {
		wg.Add(1)
		go func() {
			defer wg.Done()
			statuses[i] = e.Post("/api/v1/orders", bob, body).Status
		}()
	}
	wg.Wait()
	for _, s := range statuses {
		if s != http.StatusCreated && s != http.StatusConflict {
			t.Fatalf("a checkout was answered %d: %v", s, statuses)
		}
	}
	var took, balance, negative int64
	db := e.App.DB.Conn(context.Background())
	db.Raw("SELECT COALESCE(SUM(gift_card_amount), 0) FROM orders WHERE kind = 'goods'").Scan(&took)
	db.Raw("SELECT balance FROM gift_card_balances WHERE shopper_id = (SELECT shopper_id FROM orders WHERE kind = 'goods' LIMIT 1)").Scan(&balance)
	db.Raw("SELECT COUNT(*) FROM gift_card_balances WHERE balance < 0").Scan(&negative)
	if took+balance != 50000 || balance != 0 || negative != 0 {
		t.Fatalf("orders took %d, balance left %d (sum must be 50000, nothing left)", took, balance)
	}
	checkLedger(t, e)
}

// A payment that lands after the order closed revives it only when the
// balance can be held again: one whose balance part went to another order
// meanwhile stays closed and its payment is refunded in full; one whose
// part is still there takes it back and is paid.
func TestGiftCardBalanceLatePayment(t *testing.T) {
	e := apptest.Start(t)
	bob := balanceFor(t, e, "bob")
	sku := e.Product(t, apptest.SKU{Price: 30000, Stock: 10}).SKUs[0].ID
	body := map[string]any{"items": []map[string]any{{"sku_id": sku, "quantity": 1}}, "address_id": addressFor(t, e, bob),
		"coupon_id": 0, "use_gift_card_balance": true}
	if o := e.Post("/api/v1/orders", bob, body).JSON(t); o["status"] != "paid" { // most of the balance
		t.Fatalf("an order the balance covers: %v", o)
	}
	b := myGiftCards(t, e, bob).Balance
	placeAndCancel := func() string {
		o := e.Post("/api/v1/orders", bob, body).JSON(t)
		if int64(o["gift_card_amount"].(float64)) != b {
			t.Fatalf("an order the balance covers in part: %v", o)
		}
		no := o["order_no"].(string)
		if r := e.Post("/api/v1/orders/"+no+"/cancel", bob, nil); r.JSON(t)["status"] != "closed" {
			t.Fatalf("cancel: %s", r.Body)
		}
		return no
	}
	lateNo := placeAndCancel()
	// Another order holds the balance part meanwhile.
	holder := e.Post("/api/v1/orders", bob, body).JSON(t)["order_no"].(string)
	prepayID := openLate(t, e, lateNo)
	e.Post("/sandbox/wxpay/pay", "", map[string]any{"prepay_id": prepayID, "result": "success"})
	waitFor(t, "the late payment's refund", func() bool {
		var n int64
		e.App.DB.Conn(context.Background()).Raw("SELECT COUNT(*) FROM payment_notifications WHERE out_trade_no = ? AND outcome = 'refunding'", lateNo).Scan(&n)
		return n == 1
	})
	if s, _ := orderStatus(e, lateNo); s != "closed" || myGiftCards(t, e, bob).Balance != 0 {
		t.Fatalf("an order whose balance part is gone: %s, balance %d", s, myGiftCards(t, e, bob).Balance)
	}
	// The holder closes; its part is back, and its own late payment takes it again.
	if r := e.Post("/api/v1/orders/"+holder+"/cancel", bob, nil); r.JSON(t)["status"] != "closed" || myGiftCards(t, e, bob).Balance != b {
		t.Fatalf("cancel the holder: %s", r.Body)
	}
	prepayID = openLate(t, e, holder)
	e.Post("/sandbox/wxpay/pay", "", map[string]any{"prepay_id": prepayID, "result": "success"})
	waitFor(t, "the revival", func() bool { s, _ := orderStatus(e, holder); return s == "paid" })
	if got := myGiftCards(t, e, bob).Balance; got != 0 {
		t.Fatalf("balance after the revival: %d, want 0", got)
	}
	checkLedger(t, e)
}
