package mpapi_test

import (
	"context"
	"net/http"
	"sync"
	"testing"

	"github.com/kaidian/kaidian/internal/app/apptest"
	"github.com/kaidian/kaidian/internal/config"
)

// WeChat Pay refuses to reopen an order number it holds: as documented
// (ORDERPAID, ORDER_CLOSED, OUT_TRADE_NO_USED) or, as the live API has been
// seen to, with 400 INVALID_REQUEST "201 商户订单号重复". Whatever the form,
// Kaidian asks WeChat what became of the order and answers accordingly,
// through the real client against the sandbox answering in each form.
func TestPayingAnOrderWeChatAlreadyHolds(t *testing.T) {
	for _, form := range []string{config.SandboxDuplicateDocumented, config.SandboxDuplicateLive} {
		t.Run(form, func(t *testing.T) {
			e := apptest.Start(t, func(c *config.Config) { c.SandboxDuplicateForm = form })
			tok := e.Login("alice")
			pay := func(no string) *apptest.Response { return e.Post("/api/v1/orders/"+no+"/pay", tok, nil) }
			// otherDetails changes what Kaidian sends WeChat for the order (here
			// its description), as a changed notification address would.
			otherDetails := func(no string) {
				if err := e.App.DB.Conn(context.Background()).Exec(
					"UPDATE order_items SET title = 'changed' WHERE order_id = (SELECT id FROM orders WHERE order_no = ?)", no).Error; err != nil {
					t.Fatal(err)
				}
			}

			// Paid at WeChat, the notification lost: the payment is applied
			// and the shopper told the order is paid (documented: ORDERPAID;
			// live: 201, the details differing).
			no, prepayID, sku := payOrder(t, e, "alice", 3)
			if r := e.Post("/sandbox/wxpay/pay", "", map[string]any{"prepay_id": prepayID, "result": "success", "notify": false}); r.Status != http.StatusOK {
				t.Fatalf("sandbox pay: %d %s", r.Status, r.Body)
			}
			otherDetails(no)
			if r := pay(no); r.Status != http.StatusConflict || r.ErrorCode() != "order_paid" {
				t.Fatalf("paying an order paid at WeChat: %d %s", r.Status, r.Body)
			}
			if s, _ := orderStatus(e, no); s != "paid" {
				t.Fatalf("the payment WeChat took was not applied: %s", s)
			}
			checkSoldOnce(t, e, sku, no)
			// Again: still sold once.
			if r := pay(no); r.Status != http.StatusConflict {
				t.Fatalf("paying it again: %d %s", r.Status, r.Body)
			}
			checkSoldOnce(t, e, sku, no)

			// Closed at WeChat (documented: ORDER_CLOSED; live: 201).
			no, _, _ = payOrder(t, e, "alice", 3)
			if err := e.App.PayClient.Close(context.Background(), no); err != nil {
				t.Fatal(err)
			}
			if r := pay(no); r.Status != http.StatusConflict || r.ErrorCode() != "order_not_payable" {
				t.Fatalf("paying an order closed at WeChat: %d %s", r.Status, r.Body)
			}

			// Unpaid at WeChat, opened with other details (documented:
			// OUT_TRADE_NO_USED; live: 201): a clear conflict, nothing applied.
			no, _, _ = payOrder(t, e, "alice", 3)
			otherDetails(no)
			if r := pay(no); r.Status != http.StatusConflict || r.ErrorCode() != "order_payment_conflict" {
				t.Fatalf("paying an order WeChat holds with other details: %d %s", r.Status, r.Body)
			}
			if s, _ := orderStatus(e, no); s != "pending_payment" {
				t.Fatalf("order is %s", s)
			}
		})
	}
}

// A shopper tapping pay many times at once on an order WeChat took the money
// for (its notification lost): every call is refused, the payment applied once.
func TestConcurrentPaysOfAnOrderPaidAtWeChatApplyOnce(t *testing.T) {
	e := apptest.Start(t, func(c *config.Config) { c.SandboxDuplicateForm = config.SandboxDuplicateLive })
	no, prepayID, sku := payOrder(t, e, "alice", 3)
	if r := e.Post("/sandbox/wxpay/pay", "", map[string]any{"prepay_id": prepayID, "result": "success", "notify": false}); r.Status != http.StatusOK {
		t.Fatalf("sandbox pay: %d %s", r.Status, r.Body)
	}
	tok := e.Login("alice")
	answers := make([]*apptest.Response, 10)
	var wg sync.WaitGroup
	for i := range answers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			answers[i] = e.Post("/api/v1/orders/"+no+"/pay", tok, nil)
		}()
	}
	wg.Wait()
	for _, r := range answers {
		// order_paid from WeChat's refusal, or order_not_payable once the order is paid here
		if r.Status != http.StatusConflict || (r.ErrorCode() != "order_paid" && r.ErrorCode() != "order_not_payable") {
			t.Fatalf("pay: %d %s", r.Status, r.Body)
		}
	}
	checkSoldOnce(t, e, sku, no)
}
