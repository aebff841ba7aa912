package mpapi_test

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/kaidian/kaidian/internal/app/apptest"
	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/inventory"
	"github.com/kaidian/kaidian/internal/payment"
	"github.com/kaidian/kaidian/internal/setting"
	"github.com/kaidian/kaidian/internal/shipping"
)

// afterSaleBody is a refund request as the API answers it.
type afterSaleBody struct {
	ID      int64  `json:"id"`
	OrderNo string `json:"order_no"`
	Type    string `json:"type"`
	Amount  int64  `json:"amount"`
	Status  string `json:"status"`
	Items   []struct {
		OrderItemID int64 `json:"order_item_id"`
		Quantity    int64 `json:"quantity"`
		Amount      int64 `json:"amount"`
	} `json:"items"`
	Photos        []string `json:"photos"`
	ReturnAddress *struct {
		Name, Phone, Address string
	} `json:"return_address"`
	ReturnShipment *struct {
		Carrier    string `json:"carrier"`
		TrackingNo string `json:"tracking_no"`
	} `json:"return_shipment"`
	Refund *struct {
		Amount int64  `json:"amount"`
		Status string `json:"status"`
	} `json:"refund"`
}

// shippedOrder is paidOrder shipped by the shop; it returns the order's
// line id too.
func shippedOrder(t *testing.T, e *apptest.Env, user string, qty int) (tok, no string, sku, line int64) {
	t.Helper()
	tok, no, sku = paidOrder(t, e, user, qty)
	if _, err := e.App.Shipping.Ship(context.Background(), "merchant:1", shipping.Input{OrderNo: no, Carrier: "SF", TrackingNo: "SF" + no[len(no)-10:]}); err != nil {
		t.Fatalf("ship: %v", err)
	}
	return tok, no, sku, orderLine(t, e, tok, no)
}

func orderLine(t *testing.T, e *apptest.Env, tok, no string) int64 {
	t.Helper()
	var o struct{ Items []struct{ ID int64 } }
	e.Get("/api/v1/orders/"+no, tok).Decode(t, &o)
	return o.Items[0].ID
}

// returnAddress gives the shop a return address.
func returnAddress(t *testing.T, e *apptest.Env) {
	t.Helper()
	if _, err := e.App.Settings.UpdateAfterSale(context.Background(), "test", setting.AfterSale{AutoCompleteDays: 10,
		ReturnName: "王五", ReturnPhone: "13900139000", ReturnAddress: "广东省深圳市南山区退货仓 1 号"}); err != nil {
		t.Fatal(err)
	}
}

func myRequests(t *testing.T, e *apptest.Env, tok string) []afterSaleBody {
	t.Helper()
	var out struct{ Items []afterSaleBody }
	r := e.Get("/api/v1/me/refund-requests", tok)
	if r.Status != http.StatusOK {
		t.Fatalf("my requests: %d %s", r.Status, r.Body)
	}
	r.Decode(t, &out)
	return out.Items
}

// A return goes requested → approved (the shopper sees the return address)
// → returning (the waybill) → received (restock chosen) → refunded, and
// WeChat refunds it; every step is in the order's history and the audit log.
func TestReturnAndRefund(t *testing.T) {
	e := apptest.Start(t, fastRefunds)
	returnAddress(t, e)
	tok, no, sku, line := shippedOrder(t, e, "alice", 3)
	pic := e.Photo(t, tok)

	r := e.Post("/api/v1/orders/"+no+"/refund-requests", tok, map[string]any{"type": "return_refund", "reason": "尺码不合适",
		"items": []map[string]any{{"order_item_id": line, "quantity": 2}}, "photos": []string{pic}})
	var req afterSaleBody
	r.Decode(t, &req)
	if r.Status != http.StatusCreated || req.Type != "return_refund" || req.Status != "pending" || req.Amount != 2*2990 ||
		len(req.Items) != 1 || req.Items[0].Quantity != 2 || len(req.Photos) != 1 || req.ReturnAddress != nil {
		t.Fatalf("request: %d %s", r.Status, r.Body)
	}
	if r := e.Post("/api/v1/refund-requests/"+itoa(req.ID)+"/return-shipment", tok, map[string]any{"carrier": "顺丰速运", "tracking_no": "SF100200300"}); r.Status != http.StatusConflict || r.ErrorCode() != "refund_request_state" {
		t.Fatalf("waybill before approval: %d %s", r.Status, r.Body)
	}

	ctx := context.Background()
	approved, err := e.App.Payments.ApproveRefundRequest(ctx, quiet(), owner, req.ID, true)
	if err != nil || approved.Status != payment.RequestApproved || approved.RefundID != nil {
		t.Fatalf("approve: %+v %v", approved, err)
	}
	mine := myRequests(t, e, tok)
	if len(mine) != 1 || mine[0].Status != "approved" || mine[0].ReturnAddress == nil || mine[0].ReturnAddress.Name != "王五" || mine[0].OrderNo != no {
		t.Fatalf("my requests after approval: %+v", mine)
	}
	if _, err := e.App.Payments.RefundReturn(ctx, quiet(), owner, req.ID); !errs.Is(err, payment.ErrRequestState.Code) {
		t.Fatalf("refund before the goods came back: %v", err)
	}

	r = e.Post("/api/v1/refund-requests/"+itoa(req.ID)+"/return-shipment", tok, map[string]any{"carrier": "顺丰速运", "tracking_no": "SF100200300"})
	r.Decode(t, &req)
	if r.Status != http.StatusOK || req.Status != "returning" || req.ReturnShipment == nil || req.ReturnShipment.TrackingNo != "SF100200300" {
		t.Fatalf("waybill: %d %s", r.Status, r.Body)
	}
	if _, err := e.App.Payments.ReceiveReturn(ctx, owner, req.ID, []inventory.Line{{SKUID: sku, Quantity: 3}}); !errs.Is(err, payment.ErrRestockExceeds.Code) {
		t.Fatalf("restocking more than came back: %v", err)
	}
	if _, err := e.App.Payments.ReceiveReturn(ctx, owner, req.ID, []inventory.Line{{SKUID: sku, Quantity: 1}}); err != nil {
		t.Fatal(err)
	}
	if r := e.Post("/api/v1/refund-requests/"+itoa(req.ID)+"/return-shipment", tok, map[string]any{"carrier": "顺丰速运", "tracking_no": "SF100200301"}); r.Status != http.StatusConflict {
		t.Fatalf("a second waybill after receipt: %d %s", r.Status, r.Body)
	}
	refunded, err := e.App.Payments.RefundReturn(ctx, quiet(), owner, req.ID)
	if err != nil || refunded.Status != payment.RequestRefunded || refunded.Refund == nil || refunded.Refund.Amount != 2*2990 {
		t.Fatalf("refund: %+v %v", refunded, err)
	}
	if r := e.Post("/api/v1/refund-requests/"+itoa(req.ID)+"/cancel", tok, nil); r.Status != http.StatusConflict || r.ErrorCode() != "refund_request_state" {
		t.Fatalf("cancel after the refund: %d %s", r.Status, r.Body)
	}
	waitFor(t, "the refund to succeed", func() bool {
		m := myRequests(t, e, tok)
		return m[0].Refund != nil && m[0].Refund.Status == "succeeded"
	})
	if s, _ := skuStock(t, e, sku); s != 10-3+1 {
		t.Fatalf("stock %d, want 8: one of the two returned units restocked", s)
	}

	// The third unit can still be asked for; no fourth.
	if r := e.Post("/api/v1/orders/"+no+"/refund-requests", tok, map[string]any{"type": "return_refund", "reason": "也不合适",
		"items": []map[string]any{{"order_item_id": line, "quantity": 2}}}); r.Status != http.StatusConflict || r.ErrorCode() != "refund_items_exceed" {
		t.Fatalf("more than is left: %d %s", r.Status, r.Body)
	}

	var history []string
	var o struct{ History []struct{ Reason string } }
	e.Get("/api/v1/orders/"+no, tok).Decode(t, &o)
	for _, h := range o.History {
		history = append(history, h.Reason)
	}
	all := strings.Join(history, "\n")
	for _, want := range []string{"客户申请售后", "同意退货申请", "客户寄回商品", "SF100200300", "确认收到退货", "发起退款"} {
		if !strings.Contains(all, want) {
			t.Errorf("order history lacks %q:\n%s", want, all)
		}
	}
	var audited int64
	e.App.DB.Conn(ctx).Raw("SELECT COUNT(*) FROM audit_log WHERE subject_id = ? AND action IN ('aftersale.request', 'refund.approve', 'aftersale.return_shipment', 'aftersale.receive', 'aftersale.refund')", no).Scan(&audited)
	if audited != 5 {
		t.Errorf("%d after-sale steps audited, want 5", audited)
	}
}

// A refund_only request of chosen items keeps today's flow: approval starts
// the refund of their share at once, restocking them when asked.
func TestRefundOnlyOfItems(t *testing.T) {
	e := apptest.Start(t, fastRefunds)
	tok, no, sku := paidOrder(t, e, "alice", 2)
	line := orderLine(t, e, tok, no)
	r := e.Post("/api/v1/orders/"+no+"/refund-requests", tok, map[string]any{"reason": "不想要了",
		"items": []map[string]any{{"order_item_id": line, "quantity": 1}}})
	var req afterSaleBody
	r.Decode(t, &req)
	if r.Status != http.StatusCreated || req.Type != "refund_only" || req.Amount != 2990 {
		t.Fatalf("request: %d %s", r.Status, r.Body)
	}
	approved, err := e.App.Payments.ApproveRefundRequest(context.Background(), quiet(), owner, req.ID, true)
	if err != nil || approved.Refund == nil || approved.Refund.Amount != 2990 || len(approved.Refund.Restock.V) != 1 || approved.Refund.Restock.V[0].SKUID != sku {
		t.Fatalf("approve: %+v %v", approved, err)
	}
	waitFor(t, "the refund to succeed", func() bool { s, _ := skuStock(t, e, sku); return s == 9 })
}

// Withdrawing a request frees its items and amount for another.
func TestCancelRefundRequest(t *testing.T) {
	e := apptest.Start(t, fastRefunds)
	returnAddress(t, e)
	tok, no, _, line := shippedOrder(t, e, "alice", 1)
	body := map[string]any{"type": "return_refund", "reason": "坏了", "items": []map[string]any{{"order_item_id": line, "quantity": 1}}}
	var req afterSaleBody
	e.Post("/api/v1/orders/"+no+"/refund-requests", tok, body).Decode(t, &req)
	if _, err := e.App.Payments.ApproveRefundRequest(context.Background(), quiet(), owner, req.ID, false); err != nil {
		t.Fatal(err)
	}
	if r := e.Post("/api/v1/orders/"+no+"/refund-requests", tok, body); r.ErrorCode() != "refund_items_exceed" {
		t.Fatalf("asking again while the return is open: %d %s", r.Status, r.Body)
	}
	if r := e.Post("/api/v1/refund-requests/"+itoa(req.ID)+"/cancel", e.Login("mallory"), nil); r.Status != http.StatusNotFound {
		t.Fatalf("someone else cancelling: %d %s", r.Status, r.Body)
	}
	r := e.Post("/api/v1/refund-requests/"+itoa(req.ID)+"/cancel", tok, nil)
	r.Decode(t, &req)
	if r.Status != http.StatusOK || req.Status != "cancelled" {
		t.Fatalf("cancel: %d %s", r.Status, r.Body)
	}
	if r := e.Post("/api/v1/refund-requests/"+itoa(req.ID)+"/cancel", tok, nil); r.Status != http.StatusConflict {
		t.Fatalf("cancelling twice: %d %s", r.Status, r.Body)
	}
	if _, err := e.App.Payments.ReceiveReturn(context.Background(), owner, req.ID, nil); !errs.Is(err, payment.ErrRequestState.Code) {
		t.Fatalf("receiving a cancelled return: %v", err)
	}
	if r := e.Post("/api/v1/orders/"+no+"/refund-requests", tok, body); r.Status != http.StatusCreated {
		t.Fatalf("asking again after cancelling: %d %s", r.Status, r.Body)
	}
	if got := myRequests(t, e, tok); len(got) != 2 || got[0].Status != "pending" || got[1].Status != "cancelled" {
		t.Fatalf("my requests, latest first: %+v", got)
	}
}

// Returns need the shop's return address before they can be approved.
func TestReturnNeedsAReturnAddress(t *testing.T) {
	e := apptest.Start(t)
	tok, no, _, line := shippedOrder(t, e, "alice", 1)
	var req afterSaleBody
	e.Post("/api/v1/orders/"+no+"/refund-requests", tok, map[string]any{"type": "return_refund", "reason": "坏了",
		"items": []map[string]any{{"order_item_id": line, "quantity": 1}}}).Decode(t, &req)
	if _, err := e.App.Payments.ApproveRefundRequest(context.Background(), quiet(), owner, req.ID, false); !errs.Is(err, payment.ErrNoReturnAddress.Code) {
		t.Fatalf("approve without a return address: %v", err)
	}
	if got := myRequests(t, e, tok); got[0].Status != "pending" {
		t.Fatalf("the refused approval changed the request: %+v", got[0])
	}
}

// Bad after-sale input is refused with the documented error and changes nothing.
func TestAfterSaleInputIsChecked(t *testing.T) {
	e := apptest.Start(t)
	returnAddress(t, e)
	tok, no, _, line := shippedOrder(t, e, "alice", 2)
	_, other, _, otherLine := shippedOrder(t, e, "bob", 1)
	bob := e.Login("bob")
	item := func(id, q any) []map[string]any { return []map[string]any{{"order_item_id": id, "quantity": q}} }
	tooMany := make([]string, 10)
	for i := range tooMany {
		tooMany[i] = e.Photo(t, tok)
	}
	for _, c := range []struct {
		name   string
		no     string
		body   map[string]any
		status int
		code   string
	}{
		{"a 10,000-character reason", no, map[string]any{"reason": strings.Repeat("长", 10000)}, http.StatusBadRequest, "invalid_field"},
		{"ten photos", no, map[string]any{"reason": "坏了", "photos": tooMany}, http.StatusBadRequest, "invalid_field"},
		{"a photo from elsewhere", no, map[string]any{"reason": "坏了", "photos": []string{"https://evil.example/x.jpg"}}, http.StatusBadRequest, "invalid_field"},
		{"someone else's photo", no, map[string]any{"reason": "坏了", "photos": []string{e.Photo(t, bob)}}, http.StatusBadRequest, "invalid_field"},
		{"one photo twice", no, map[string]any{"reason": "坏了", "photos": []string{tooMany[0], tooMany[0]}}, http.StatusBadRequest, "invalid_field"},
		{"a photo never uploaded", no, map[string]any{"reason": "坏了", "photos": []string{"/uploads/0123456789abcdef0123456789abcdef.jpg"}}, http.StatusBadRequest, "invalid_field"},
		{"an unknown type", no, map[string]any{"reason": "坏了", "type": "exchange", "items": item(line, 1)}, http.StatusBadRequest, "invalid_field"},
		{"a return without items", no, map[string]any{"reason": "坏了", "type": "return_refund"}, http.StatusBadRequest, "invalid_field"},
		{"a quantity as text", no, map[string]any{"reason": "坏了", "items": item(line, "two")}, http.StatusBadRequest, ""},
		{"zero units", no, map[string]any{"reason": "坏了", "items": item(line, 0)}, http.StatusBadRequest, "invalid_field"},
		{"more units than bought", no, map[string]any{"reason": "坏了", "type": "return_refund", "items": item(line, 3)}, http.StatusConflict, "refund_items_exceed"},
		{"someone else's order line", no, map[string]any{"reason": "坏了", "items": item(otherLine, 1)}, http.StatusNotFound, "order_item_not_found"},
		{"someone else's order", other, map[string]any{"reason": "坏了", "items": item(otherLine, 1)}, http.StatusNotFound, "order_not_found"},
		{"an amount and items", no, map[string]any{"reason": "坏了", "amount": 100, "items": item(line, 1)}, http.StatusBadRequest, "invalid_field"},
	} {
		r := e.Post("/api/v1/orders/"+c.no+"/refund-requests", tok, c.body)
		if r.Status != c.status || c.code != "" && r.ErrorCode() != c.code {
			t.Errorf("%s: %d %s, want %d %s", c.name, r.Status, r.Body, c.status, c.code)
		}
	}
	if got := myRequests(t, e, tok); len(got) != 0 {
		t.Fatalf("refused requests left %d behind", len(got))
	}

	// A return of an order not yet shipped is refused.
	ptok, paidNo, _ := paidOrder(t, e, "carol", 1)
	if r := e.Post("/api/v1/orders/"+paidNo+"/refund-requests", ptok, map[string]any{"reason": "坏了", "type": "return_refund",
		"items": item(orderLine(t, e, ptok, paidNo), 1)}); r.Status != http.StatusConflict || r.ErrorCode() != "order_not_returnable" {
		t.Fatalf("return before shipping: %d %s", r.Status, r.Body)
	}

	var req afterSaleBody
	e.Post("/api/v1/orders/"+no+"/refund-requests", tok, map[string]any{"reason": "坏了", "type": "return_refund", "items": item(line, 1)}).Decode(t, &req)
	id := itoa(req.ID)
	for _, c := range []struct {
		name, path, token string
		body              any
		status            int
	}{
		{"a waybill for a pending request", "/api/v1/refund-requests/" + id + "/return-shipment", tok, map[string]any{"carrier": "顺丰", "tracking_no": "SF100200300"}, http.StatusConflict},
		{"a waybill for someone else's request", "/api/v1/refund-requests/" + id + "/return-shipment", bob, map[string]any{"carrier": "顺丰", "tracking_no": "SF100200300"}, http.StatusNotFound},
		{"a waybill for no request", "/api/v1/refund-requests/999999/return-shipment", tok, map[string]any{"carrier": "顺丰", "tracking_no": "SF100200300"}, http.StatusNotFound},
		{"a bad tracking number", "/api/v1/refund-requests/" + id + "/return-shipment", tok, map[string]any{"carrier": "顺丰", "tracking_no": "<script>"}, http.StatusBadRequest},
		{"a 10,000-character carrier", "/api/v1/refund-requests/" + id + "/return-shipment", tok, map[string]any{"carrier": strings.Repeat("顺", 10000), "tracking_no": "SF100200300"}, http.StatusBadRequest},
		{"a request id that is no number", "/api/v1/refund-requests/abc/cancel", tok, nil, http.StatusNotFound},
		{"cancelling someone else's request", "/api/v1/refund-requests/" + id + "/cancel", bob, nil, http.StatusNotFound},
	} {
		if r := e.Post(c.path, c.token, c.body); r.Status != c.status {
			t.Errorf("%s: %d %s, want %d", c.name, r.Status, r.Body, c.status)
		}
	}
	if got := myRequests(t, e, tok); len(got) != 1 || got[0].Status != "pending" || got[0].ReturnShipment != nil {
		t.Fatalf("refused steps changed the request: %+v", got)
	}
	if r := e.Get("/api/v1/me/refund-requests?limit=abc", tok); r.Status != http.StatusBadRequest {
		t.Fatalf("a bad limit: %d %s", r.Status, r.Body)
	}
}

// Requests for the same items racing each other can never hold more units
// than were bought, nor more money than was paid.
func TestConcurrentRequestsNeverExceedWhatWasBought(t *testing.T) {
	e := apptest.Start(t)
	returnAddress(t, e)
	tok, no, _, line := shippedOrder(t, e, "alice", 5)
	race := func(quantity int) map[string]int {
		var wg sync.WaitGroup
		var mu sync.Mutex
		outcomes := map[string]int{}
		for range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r := e.Post("/api/v1/orders/"+no+"/refund-requests", tok, map[string]any{"type": "return_refund", "reason": "坏了",
					"items": []map[string]any{{"order_item_id": line, "quantity": quantity}}})
				code := r.ErrorCode()
				if r.Status == http.StatusCreated {
					code = "created"
				}
				mu.Lock()
				outcomes[code]++
				mu.Unlock()
			}()
		}
		wg.Wait()
		return outcomes
	}
	approvePending := func() {
		for _, r := range myRequests(t, e, tok) {
			if r.Status == "pending" {
				if _, err := e.App.Payments.ApproveRefundRequest(context.Background(), quiet(), owner, r.ID, false); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	if got := race(3); got["created"] != 1 {
		t.Fatalf("8 requests for 3 of 5 units: %v, want exactly one", got)
	}
	approvePending()
	if got := race(3); got["created"] != 0 || got["refund_items_exceed"] != 8 {
		t.Fatalf("8 requests for 3 of the 2 units left: %v, want all refused", got)
	}
	for range 2 {
		if got := race(1); got["created"] != 1 {
			t.Fatalf("8 requests for 1 unit: %v, want exactly one", got)
		}
		approvePending()
	}
	if got := race(1); got["created"] != 0 {
		t.Fatalf("requests past the last unit: %v", got)
	}
	var units, amount int64
	for _, r := range myRequests(t, e, tok) {
		for _, it := range r.Items {
			units += it.Quantity
		}
		amount += r.Amount
	}
	if units != 5 || amount != 5*2990 {
		t.Fatalf("requests hold %d units and %d fen, want 5 and %d", units, amount, 5*2990)
	}
}

// The owner refund limit applies to a return's refund as to any other.
func TestReturnRefundNeedsAnOwnerAboveTheLimit(t *testing.T) {
	e := apptest.Start(t, fastRefunds)
	returnAddress(t, e)
	ctx := context.Background()
	sh, err := e.App.Settings.Get(ctx)
	if err != nil {
		t.Fatal(err)
	}
	sh.OwnerRefundLimit = 1000
	if _, err := e.App.Settings.Update(ctx, "test", sh); err != nil {
		t.Fatal(err)
	}
	tok, no, _, line := shippedOrder(t, e, "alice", 1)
	var req afterSaleBody
	e.Post("/api/v1/orders/"+no+"/refund-requests", tok, map[string]any{"type": "return_refund", "reason": "坏了",
		"items": []map[string]any{{"order_item_id": line, "quantity": 1}}}).Decode(t, &req)
	clerk := payment.Authority{Actor: "staff:2:lily"}
	if _, err := e.App.Payments.ApproveRefundRequest(ctx, quiet(), clerk, req.ID, false); err != nil {
		t.Fatalf("staff approving a return (no money moves): %v", err)
	}
	if _, err := e.App.Payments.ReceiveReturn(ctx, clerk, req.ID, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := e.App.Payments.RefundReturn(ctx, quiet(), clerk, req.ID); !errs.Is(err, payment.ErrNeedsOwner.Code) {
		t.Fatalf("staff refunding 2990 above a 1000 limit: %v", err)
	}
	if got := myRequests(t, e, tok); got[0].Status != "received" || got[0].Refund != nil {
		t.Fatalf("the refused refund changed the request: %+v", got[0])
	}
	if r, err := e.App.Payments.RefundReturn(ctx, quiet(), owner, req.ID); err != nil || r.Status != payment.RequestRefunded {
		t.Fatalf("the owner refunds it: %+v %v", r, err)
	}
}
