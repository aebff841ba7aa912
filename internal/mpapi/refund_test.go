package mpapi_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kaidian/kaidian/internal/app/apptest"
	"github.com/kaidian/kaidian/internal/config"
	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/i18n"
	"github.com/kaidian/kaidian/internal/inventory"
	"github.com/kaidian/kaidian/internal/payment"
)

func fastRefunds(c *config.Config) {
	c.SandboxRefundDelay = 100 * time.Millisecond
	c.SandboxRetryScale = 0.01
}

// paidOrder pays for qty units at 2990 of a fresh SKU as a fresh shopper.
func paidOrder(t *testing.T, e *apptest.Env, user string, qty int) (tok, no string, sku int64) {
	t.Helper()
	sku = e.Product(t, apptest.SKU{Price: 2990, Stock: 10}).SKUs[0].ID
	tok, no = e.PaidOrder(t, user, sku, qty)
	return tok, no, sku
}

type refundRequestBody struct {
	ID     int64  `json:"id"`
	Amount int64  `json:"amount"`
	Status string `json:"status"`
	Refund *struct {
		Amount int64  `json:"amount"`
		Status string `json:"status"`
	} `json:"refund"`
}

func refundRequests(t *testing.T, e *apptest.Env, tok, no string) []refundRequestBody {
	t.Helper()
	var out struct{ Items []refundRequestBody }
	r := e.Get("/api/v1/orders/"+no+"/refund-requests", tok)
	if r.Status != http.StatusOK {
		t.Fatalf("refund requests: %d %s", r.Status, r.Body)
	}
	r.Decode(t, &out)
	return out.Items
}

func quiet() *slog.Logger { return slog.New(slog.DiscardHandler) }

// owner is the shop owner acting in these tests (no refund limit applies).
var owner = payment.Authority{Actor: "merchant:1", Owner: true}

// The whole loop: login → order → pay → the sandbox takes the money →
// notification → paid → the shopper asks for part of it back → the shop
// approves → WeChat refunds → refund notification → succeeded; then the
// rest is refunded by the shop with its unit restocked. Redelivered refund
// notifications change nothing.
func TestPayAndRefundLoop(t *testing.T) {
	e := apptest.Start(t, fastRefunds)
	tok, no, sku := paidOrder(t, e, "alice", 2)

	r := e.Post("/api/v1/orders/"+no+"/refund-requests", tok, map[string]any{"amount": 2990, "reason": "少发了一件"})
	var req refundRequestBody
	r.Decode(t, &req)
	if r.Status != http.StatusCreated || req.Status != "pending" || req.Amount != 2990 || req.Refund != nil {
		t.Fatalf("request: %d %s", r.Status, r.Body)
	}
	if r := e.Post("/api/v1/orders/"+no+"/refund-requests", tok, map[string]any{"reason": "again"}); r.ErrorCode() != "refund_request_pending" {
		t.Fatalf("second pending request: %d %s", r.Status, r.Body)
	}

	ctx := context.Background()
	approved, err := e.App.Payments.ApproveRefundRequest(ctx, quiet(), owner, req.ID, false)
	if err != nil || approved.Status != payment.RequestApproved || approved.Refund.Status != payment.RefundProcessing {
		t.Fatalf("approve: %+v %v", approved, err)
	}
	if _, err := e.App.Payments.ApproveRefundRequest(ctx, quiet(), owner, req.ID, false); !errs.Is(err, payment.ErrRequestDecided.Code) {
		t.Fatalf("approving twice: %v", err)
	}
	waitFor(t, "the refund to succeed", func() bool {
		rs := refundRequests(t, e, tok, no)
		return len(rs) == 1 && rs[0].Refund != nil && rs[0].Refund.Status == "succeeded"
	})
	if got := e.Get("/api/v1/orders/"+no, tok).JSON(t)["refunded_amount"]; got != float64(2990) {
		t.Fatalf("refunded_amount %v", got)
	}

	rest, err := e.App.Payments.Refund(ctx, quiet(), owner, payment.RefundInput{OrderNo: no, Reason: i18n.Text("整单退款"),
		Restock: []inventory.Line{{SKUID: sku, Quantity: 1}}, Actor: "merchant:1"})
	paid := e.Get("/api/v1/orders/"+no, tok).JSON(t)["pay_amount"].(float64)
	if err != nil || rest.Amount != int64(paid)-2990 {
		t.Fatalf("refund the rest of %v: %+v %v", paid, rest, err)
	}
	waitFor(t, "the second refund", func() bool {
		return e.Get("/api/v1/orders/"+no, tok).JSON(t)["refunded_amount"] == paid
	})
	if _, err := e.App.Payments.Refund(ctx, quiet(), owner, payment.RefundInput{OrderNo: no, Amount: 1, Actor: "merchant:1"}); !errs.Is(err, payment.ErrRefundExceeds.Code) {
		t.Fatalf("refunding a fully refunded order: %v", err)
	}
	waitFor(t, "both refund notifications", func() bool { return appliedRefundNotifications(t, e) == 2 })

	// WeChat delivers every refund notification five more times.
	for _, n := range sandboxNotifications(t, e) {
		if !strings.HasPrefix(n["event_type"].(string), "REFUND.") {
			continue
		}
		var res struct{ Statuses []int }
		e.Post("/sandbox/wxpay/notifications/"+n["id"].(string)+"/redeliver", "", map[string]any{"times": 5}).Decode(t, &res)
		for _, s := range res.Statuses {
			if s != http.StatusNoContent {
				t.Fatalf("a redelivered refund notification was answered %d", s)
			}
		}
	}
	db := e.App.DB.Conn(ctx)
	var refunded, stock, sold, restocks int64
	db.Raw("SELECT refunded_amount FROM orders WHERE order_no = ?", no).Scan(&refunded)
	db.Raw("SELECT stock FROM skus WHERE id = ?", sku).Scan(&stock)
	db.Raw("SELECT sold FROM skus WHERE id = ?", sku).Scan(&sold)
	db.Raw("SELECT COUNT(*) FROM inventory_movements WHERE kind = 'restock' AND sku_id = ?", sku).Scan(&restocks)
	if refunded != int64(paid) || stock != 9 || sold != 1 || restocks != 1 || appliedRefundNotifications(t, e) != 2 {
		t.Fatalf("refunded %d, stock %d, sold %d, %d restocks, %d applied", refunded, stock, sold, restocks, appliedRefundNotifications(t, e))
	}
	if s, l := skuStock(t, e, sku); s != l {
		t.Fatalf("stock %d, ledger %d", s, l)
	}
}

func appliedRefundNotifications(t *testing.T, e *apptest.Env) (n int64) {
	t.Helper()
	e.App.DB.Conn(context.Background()).Raw("SELECT COUNT(*) FROM payment_notifications WHERE event_type LIKE 'REFUND.%' AND outcome = 'applied'").Scan(&n)
	return n
}

// Refunds racing each other can never add up to more than was paid.
func TestConcurrentRefundsNeverExceedThePayment(t *testing.T) {
	e := apptest.Start(t, fastRefunds)
	tok, no, _ := paidOrder(t, e, "alice", 2)
	paid := int64(e.Get("/api/v1/orders/"+no, tok).JSON(t)["pay_amount"].(float64))
	fit := int(paid / 1000) // refunds of 1000 fen that fit

	var wg sync.WaitGroup
	var mu sync.Mutex
	outcomes := map[string]int{}
	for range 12 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := e.App.Payments.Refund(context.Background(), quiet(), owner, payment.RefundInput{OrderNo: no, Amount: 1000, Actor: "merchant:1"})
			code := "ok"
			var ee *errs.Error
			if errors.As(err, &ee) {
				code = ee.Code
			} else if err != nil {
				code = err.Error()
			}
			mu.Lock()
			outcomes[code]++
			mu.Unlock()
		}()
	}
	wg.Wait()
	if outcomes["ok"] != fit || outcomes["refund_exceeds_paid"] != 12-fit {
		t.Fatalf("paid %d: outcomes %v, want %d ok and the rest refused", paid, outcomes, fit)
	}
	waitFor(t, "the refunds to succeed", func() bool {
		return e.Get("/api/v1/orders/"+no, tok).JSON(t)["refunded_amount"] == float64(fit*1000)
	})
	// The shopper cannot ask for more than what is left.
	r := e.Post("/api/v1/orders/"+no+"/refund-requests", tok, map[string]any{"amount": paid - int64(fit*1000) + 1, "reason": "质量问题"})
	if r.Status != http.StatusConflict || r.ErrorCode() != "refund_exceeds_paid" {
		t.Fatalf("over-refund request: %d %s", r.Status, r.Body)
	}
}

// Bad refund requests are refused with the documented error and change nothing.
func TestRefundRequestsAreChecked(t *testing.T) {
	e := apptest.Start(t, fastRefunds)
	tok, no, _ := paidOrder(t, e, "alice", 1)
	unpaid, _, _ := payOrder(t, e, "bob", 3)
	bob := e.Login("bob")
	for _, c := range []struct {
		no, token string
		body      map[string]any
		status    int
		code      string
	}{
		{no, tok, map[string]any{"amount": 100}, http.StatusBadRequest, "invalid_field"},
		{no, tok, map[string]any{"reason": "  "}, http.StatusBadRequest, "invalid_field"},
		{no, tok, map[string]any{"reason": strings.Repeat("长", 81)}, http.StatusBadRequest, "invalid_field"},
		{no, tok, map[string]any{"reason": "x", "amount": -1}, http.StatusBadRequest, "invalid_field"},
		{no, tok, map[string]any{"reason": "x", "surprise": 1}, http.StatusBadRequest, "unknown_field"},
		{no, e.Token("mallory"), map[string]any{"reason": "mine now"}, http.StatusNotFound, "order_not_found"},
		{unpaid, bob, map[string]any{"reason": "not paid yet"}, http.StatusConflict, "order_not_refundable"},
		{"NOPE", tok, map[string]any{"reason": "x"}, http.StatusNotFound, "order_not_found"},
	} {
		r := e.Post("/api/v1/orders/"+c.no+"/refund-requests", c.token, c.body)
		if r.Status != c.status || r.ErrorCode() != c.code {
			t.Errorf("%v: %d %s, want %d %s", c.body, r.Status, r.Body, c.status, c.code)
		}
	}
	if n := countRows(t, e, "refund_requests"); n != 0 {
		t.Fatalf("%d requests kept", n)
	}
	if r := e.Get("/api/v1/orders/"+no+"/refund-requests", e.Token("mallory")); r.Status != http.StatusNotFound {
		t.Fatalf("someone else's requests: %d", r.Status)
	}

	// A declined request tells the shopper why; they can ask again.
	id := int64(e.Post("/api/v1/orders/"+no+"/refund-requests", tok, map[string]any{"reason": "不想要了"}).JSON(t)["id"].(float64))
	if _, err := e.App.Payments.DeclineRefundRequest(context.Background(), owner, id, ""); err == nil {
		t.Fatal("declined without a note")
	}
	if _, err := e.App.Payments.DeclineRefundRequest(context.Background(), owner, id, "商品已拆封"); err != nil {
		t.Fatal(err)
	}
	got := e.Get("/api/v1/orders/"+no+"/refund-requests", tok).JSON(t)["items"].([]any)[0].(map[string]any)
	if got["status"] != "declined" || got["decision_note"] != "商品已拆封" {
		t.Fatalf("declined request: %v", got)
	}
	if r := e.Post("/api/v1/orders/"+no+"/refund-requests", tok, map[string]any{"reason": "再申请"}); r.Status != http.StatusCreated {
		t.Fatalf("asking again: %d %s", r.Status, r.Body)
	}
}

// With no notification ever arriving (WeChat cannot reach us), the payment
// is found by the check scheduled when the shopper paid, and the refund by
// the refund sweep: nothing waits for the order's deadline.
func TestPollingRecoversLostNotifications(t *testing.T) {
	e := apptest.Start(t, fastRefunds, func(c *config.Config) {
		c.PublicURL = "http://127.0.0.1:9" // nothing listens: every notification is lost
		c.PayPollAfter = 200 * time.Millisecond
	})
	no, prepayID, sku := payOrder(t, e, "alice", 3)
	e.Post("/sandbox/wxpay/pay", "", map[string]any{"prepay_id": prepayID, "result": "success"})
	waitFor(t, "reconciliation", func() bool { s, _ := orderStatus(e, no); return s == "paid" })
	checkSoldOnce(t, e, sku, no)

	if _, err := e.App.Payments.Refund(context.Background(), quiet(), owner, payment.RefundInput{OrderNo: no, Actor: "merchant:1"}); err != nil {
		t.Fatal(err)
	}
	tok := e.Login("alice")
	waitFor(t, "the refund poll", func() bool {
		o := e.Get("/api/v1/orders/"+no, tok).JSON(t)
		return o["refunded_amount"] == o["pay_amount"]
	})
}

// If the stock went to someone else meanwhile, the late payment is never
// dropped: it is recorded on the closed order and refunded in full, and the
// units another order took are untouched.
func TestPaymentAfterCancelWithoutStockIsRefunded(t *testing.T) {
	e := apptest.Start(t, fastRefunds)
	p := e.Product(t, apptest.SKU{Price: 1000, Stock: 5}, apptest.SKU{Price: 2000, Stock: 1})
	plenty, scarce := p.SKUs[0].ID, p.SKUs[1].ID
	tok, addr := shopperWithAddress(t, e, "alice")
	no := e.Post("/api/v1/orders", tok, map[string]any{"items": []map[string]any{{"sku_id": plenty, "quantity": 1},
		{"sku_id": scarce, "quantity": 1}}, "address_id": addr}).JSON(t)["order_no"].(string)
	e.Post("/api/v1/orders/"+no+"/cancel", tok, nil)
	prepayID := openLate(t, e, no)
	bob, bobAddr := shopperWithAddress(t, e, "bob")
	if r := e.Post("/api/v1/orders", bob, map[string]any{"items": []map[string]any{{"sku_id": scarce, "quantity": 1}}, "address_id": bobAddr}); r.Status != http.StatusCreated {
		t.Fatalf("bob takes the last unit: %d %s", r.Status, r.Body)
	}
	e.Post("/sandbox/wxpay/pay", "", map[string]any{"prepay_id": prepayID, "result": "success"})
	waitFor(t, "the automatic refund", func() bool {
		return e.Get("/api/v1/orders/"+no, tok).JSON(t)["refunded_amount"] == float64(3000+1000) // goods + shipping
	})
	o := e.Get("/api/v1/orders/"+no, tok).JSON(t)
	history := o["history"].([]any)
	note := fmt.Sprint(history[len(history)-2].(map[string]any)["reason"])
	if o["status"] != "closed" || !strings.Contains(note, "将全额退款") || !strings.Contains(note, zh.T("record.order.unfulfillable_sold_out")) {
		t.Fatalf("order %v; history %v", o["status"], history)
	}
	ns := sandboxNotifications(t, e)
	if ns[0]["delivered"] != true {
		t.Fatalf("the payment notification was not acknowledged: %v", ns[0])
	}
	// The partly reserved lines were rolled back: the plentiful SKU is as it was.
	db := e.App.DB.Conn(context.Background())
	var stock, reserved int64
	db.Raw("SELECT stock FROM skus WHERE id = ?", plenty).Scan(&stock)
	db.Raw("SELECT reserved FROM skus WHERE id = ?", plenty).Scan(&reserved)
	if stock != 5 || reserved != 0 {
		t.Fatalf("plentiful SKU: stock %d reserved %d", stock, reserved)
	}
	for _, sku := range []int64{plenty, scarce} {
		if s, l := skuStock(t, e, sku); s != l {
			t.Fatalf("sku %d: stock %d, ledger %d", sku, s, l)
		}
	}
}

// A retried pay call with the same Idempotency-Key answers the very same
// parameters; the key cannot be reused for another order.
func TestPayHonoursIdempotencyKey(t *testing.T) {
	e := apptest.Start(t)
	no, _, _ := payOrder(t, e, "alice", 3)
	other, _, _ := payOrder(t, e, "alice", 3)
	tok := e.Login("alice")
	pay := func(no string) *apptest.Response {
		return e.Do(apptest.Request{Method: http.MethodPost, Path: "/api/v1/orders/" + no + "/pay", Token: tok,
			Header: map[string]string{"Idempotency-Key": "pay-1"}})
	}
	first, again := pay(no), pay(no)
	if first.Status != http.StatusOK || again.Status != http.StatusOK || string(first.Body) != string(again.Body) ||
		again.Header.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("first %d %s\nagain %d %s %v", first.Status, first.Body, again.Status, again.Body, again.Header)
	}
	if r := pay(other); r.Status != http.StatusUnprocessableEntity || r.ErrorCode() != "idempotency_key_reused" {
		t.Fatalf("key reused for another order: %d %s", r.Status, r.Body)
	}
}
