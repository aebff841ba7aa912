package mpapi_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/kaidian/kaidian/internal/app/apptest"
	"github.com/kaidian/kaidian/internal/i18n"
	"github.com/kaidian/kaidian/internal/money"
	"github.com/kaidian/kaidian/internal/order"
	"github.com/kaidian/kaidian/internal/page"
	"github.com/kaidian/kaidian/internal/payment"
)

// settledRefund refunds amount fen of the order (0: all that is left) and
// waits until it succeeded.
func settledRefund(t *testing.T, e *apptest.Env, orderNo string, amount int64) payment.Refund {
	t.Helper()
	ctx := context.Background()
	r, err := e.App.Payments.Refund(ctx, quiet(), owner, payment.RefundInput{OrderNo: orderNo, Amount: amount, Reason: i18n.Text("test")})
	if err != nil {
		t.Fatalf("refund %d of %s: %v", amount, orderNo, err)
	}
	for deadline := time.Now().Add(20 * time.Second); r.Status == payment.RefundProcessing; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("refund %s never finished", r.OutRefundNo)
		}
		if r, err = e.App.Payments.SyncRefund(ctx, quiet(), r.ID); err != nil {
			t.Fatal(err)
		}
	}
	if r.Status != payment.RefundSucceeded {
		t.Fatalf("refund %s: %s (%s)", r.OutRefundNo, r.Status, r.LastError)
	}
	return r
}

// A refund of an order paid partly with the balance gives the balance its
// exact proportional share of each refund; the refunds together give back
// exactly what each part paid; a replayed refund notification adds nothing;
// the balance is the sum of its entries throughout.
func TestGiftCardBalanceRefundOfMixedOrder(t *testing.T) {
	e := apptest.Start(t)
	ctx := context.Background()
	bob := balanceFor(t, e, "bob")
	sku := e.Product(t, apptest.SKU{Price: 33333, Stock: 10}).SKUs[0].ID
	body := map[string]any{"items": []map[string]any{{"sku_id": sku, "quantity": 2}}, "address_id": addressFor(t, e, bob),
		"coupon_id": 0, "use_gift_card_balance": true}
	o := e.Post("/api/v1/orders", bob, body).JSON(t)
	no := o["order_no"].(string)
	b, w := int64(o["gift_card_amount"].(float64)), int64(o["pay_amount"].(float64))
	if b != 50000 || w <= 0 {
		t.Fatalf("a mixed order: %v", o)
	}
	pkg := e.Post("/api/v1/orders/"+no+"/pay", bob, nil).JSON(t)["package"].(string)
	e.Post("/sandbox/wxpay/pay", "", map[string]any{"prepay_id": strings.TrimPrefix(pkg, "prepay_id="), "result": "success"})
	waitFor(t, "the order to be paid", func() bool { s, _ := orderStatus(e, no); return s == "paid" })

	const first = 10001
	r1 := settledRefund(t, e, no, first)
	if want := money.Allocate(first, []int64{b, w})[0]; r1.GiftCardAmount != want || r1.WeChatAmount() != first-want {
		t.Fatalf("first refund: balance part %d, want %d", r1.GiftCardAmount, want)
	}
	if got := myGiftCards(t, e, bob).Balance; got != r1.GiftCardAmount {
		t.Fatalf("balance after the first refund: %d, want %d", got, r1.GiftCardAmount)
	}
	// The same refund's success told again (a notification delivered anew,
	// then the poll) changes nothing.
	for i, id := range []string{"replay-1", "replay-2"} {
		out, err := e.App.Payments.ApplyRefundNotification(ctx, quiet(), payment.RefundNotice{NotifyID: id, EventType: "REFUND.SUCCESS",
			MchID: e.App.PayClient.MchID(), RefundState: payment.RefundState{OutRefundNo: r1.OutRefundNo, OutTradeNo: no,
				Status: "SUCCESS", Amount: r1.WeChatAmount()}})
		if err != nil || out != payment.OutcomeDuplicate {
			t.Fatalf("replay %d: %s %v", i, out, err)
		}
	}
	if _, err := e.App.Payments.SyncRefund(ctx, quiet(), r1.ID); err != nil {
		t.Fatal(err)
	}
	if got := myGiftCards(t, e, bob).Balance; got != r1.GiftCardAmount {
		t.Fatalf("balance after replays: %d, want %d", got, r1.GiftCardAmount)
	}
	// More than is left is refused; everything left is refunded.
	if _, err := e.App.Payments.Refund(ctx, quiet(), owner, payment.RefundInput{OrderNo: no, Amount: b + w - first + 1,
		Reason: i18n.Text("test")}); err == nil {
		t.Fatal("a refund of more than is left was accepted")
	}
	r2 := settledRefund(t, e, no, 0)
	if r1.GiftCardAmount+r2.GiftCardAmount != b || r1.WeChatAmount()+r2.WeChatAmount() != w {
		t.Fatalf("refunds gave back %d to the balance and %d through WeChat; paid %d and %d",
			r1.GiftCardAmount+r2.GiftCardAmount, r1.WeChatAmount()+r2.WeChatAmount(), b, w)
	}
	if got := myGiftCards(t, e, bob).Balance; got != b {
		t.Fatalf("balance after the full refund: %d, want %d", got, b)
	}
	var refunded int64
	e.App.DB.Conn(ctx).Raw("SELECT refunded_amount FROM orders WHERE order_no = ?", no).Scan(&refunded)
	if refunded != b+w {
		t.Fatalf("order refunded %d, want %d", refunded, b+w)
	}
	checkLedger(t, e)
}

// An order the balance paid entirely is refunded to the balance at once,
// without WeChat Pay, in part and then in full.
func TestGiftCardBalanceRefundOfBalanceOrder(t *testing.T) {
	e := apptest.Start(t)
	ctx := context.Background()
	bob := balanceFor(t, e, "bob")
	sku := e.Product(t, apptest.SKU{Price: 30000, Stock: 10}).SKUs[0].ID
	body := map[string]any{"items": []map[string]any{{"sku_id": sku, "quantity": 1}}, "address_id": addressFor(t, e, bob),
		"coupon_id": 0, "use_gift_card_balance": true}
	r := e.Post("/api/v1/orders", bob, body)
	o := r.JSON(t)
	if r.Status != http.StatusCreated || o["status"] != "paid" {
		t.Fatalf("an order the balance covers: %d %s", r.Status, r.Body)
	}
	no, b := o["order_no"].(string), int64(o["gift_card_amount"].(float64))
	before := myGiftCards(t, e, bob).Balance
	for _, amount := range []int64{1234, 0} {
		rf, err := e.App.Payments.Refund(ctx, quiet(), owner, payment.RefundInput{OrderNo: no, Amount: amount, Reason: i18n.Text("test")})
		if err != nil || rf.Status != payment.RefundSucceeded || rf.WeChatAmount() != 0 || rf.Submitted {
			t.Fatalf("refund %d of a balance order: %+v %v", amount, rf, err)
		}
	}
	if got := myGiftCards(t, e, bob).Balance; got != before+b {
		t.Fatalf("balance after refunding a balance order: %d, want %d", got, before+b)
	}
	if _, err := e.App.Payments.Refund(ctx, quiet(), owner, payment.RefundInput{OrderNo: no, Amount: 1, Reason: i18n.Text("test")}); err == nil {
		t.Fatal("a refund beyond the balance paid was accepted")
	}
	checkLedger(t, e)
}

// Paid gift-card orders have nothing to ship: the console's to-ship list
// (status paid) and the dashboard's count leave them out; the list of all
// orders still has them.
func TestGiftCardOrdersAreNotToShip(t *testing.T) {
	e := apptest.Start(t)
	ctx := context.Background()
	bob := balanceFor(t, e, "bob") // alice's paid gift-card order
	sku := e.Product(t, apptest.SKU{Price: 30000, Stock: 10}).SKUs[0].ID
	goods := e.Post("/api/v1/orders", bob, map[string]any{"items": []map[string]any{{"sku_id": sku, "quantity": 1}},
		"address_id": addressFor(t, e, bob), "coupon_id": 0, "use_gift_card_balance": true}).JSON(t)
	if goods["status"] != "paid" {
		t.Fatalf("an order the balance covers: %v", goods)
	}
	kinds := func(q order.AdminQuery) map[string]int {
		q.Page = page.Request{Limit: 50}
		os, _, err := e.App.Orders.Search(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]int{}
		for _, o := range os {
			out[o.Kind]++
		}
		return out
	}
	if got := kinds(order.AdminQuery{Status: order.StatusPaid}); got[order.KindGiftCard] != 0 || got[order.KindGoods] != 1 {
		t.Fatalf("to ship: %v", got)
	}
	if got := kinds(order.AdminQuery{}); got[order.KindGiftCard] != 1 || got[order.KindGoods] != 1 {
		t.Fatalf("all orders: %v", got)
	}
	d, err := e.App.Reports.Dashboard(ctx, 0)
	if err != nil || d.ToShip != 1 {
		t.Fatalf("dashboard to ship: %d %v", d.ToShip, err)
	}
}
