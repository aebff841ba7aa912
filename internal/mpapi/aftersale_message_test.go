package mpapi_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/kaidian/kaidian/internal/app/apptest"
	"github.com/kaidian/kaidian/internal/inventory"
	"github.com/kaidian/kaidian/internal/subscribe"
)

// Each step the shop takes on an after-sale request (approving a return,
// receiving the goods, declining) reaches a shopper who accepted the
// after_sale_update template as a message; the shopper's own steps do not.
func TestAfterSaleStepsReachTheShopperAsMessages(t *testing.T) {
	e := apptest.Start(t, fastRefunds)
	returnAddress(t, e)
	ctx := context.Background()
	if _, err := e.App.Messages.SaveTemplate(ctx, "staff:1:owner", subscribe.Template{Scene: subscribe.AfterSaleUpdate,
		TemplateID: "sandbox-after-sale", Enabled: true, Fields: fieldsOf("character_string1", "order_no",
			"phrase2", "status", "thing3", "note", "time4", "updated_at")}); err != nil {
		t.Fatal(err)
	}
	tok, no, sku, line := shippedOrder(t, e, "alice", 3)
	openID := phoneAnswers(t, e, "alice", tok, map[string]string{"sandbox-after-sale": "accept"})
	// One consent per message: the shopper accepted at each moment the
	// mini program asked (requesting, sending back, …).
	phoneAnswers(t, e, "alice", tok, map[string]string{"sandbox-after-sale": "accept"})
	phoneAnswers(t, e, "alice", tok, map[string]string{"sandbox-after-sale": "accept"})

	var req afterSaleBody
	r := e.Post("/api/v1/orders/"+no+"/refund-requests", tok, map[string]any{"type": "return_refund", "reason": "尺码不合适",
		"items": []map[string]any{{"order_item_id": line, "quantity": 1}}})
	if r.Status != http.StatusCreated {
		t.Fatalf("request: %d %s", r.Status, r.Body)
	}
	r.Decode(t, &req)
	if _, err := e.App.Payments.ApproveRefundRequest(ctx, quiet(), owner, req.ID, true); err != nil {
		t.Fatal(err)
	}
	messages := func(want int) sandboxMessages {
		t.Helper()
		var got sandboxMessages
		waitFor(t, "the after-sale messages", func() bool {
			got = sandboxMessages{}
			e.Get("/sandbox/wx/messages?openid="+openID, "").Decode(t, &got)
			return len(got.Items) >= want
		})
		if len(got.Items) != want {
			t.Fatalf("%d messages, want %d: %+v", len(got.Items), want, got)
		}
		return got
	}
	got := messages(1)
	if d := got.Items[0].Data; d["character_string1"]["value"] != no || d["phrase2"]["value"] != "已同意退货" ||
		d["thing3"]["value"] == "" {
		t.Fatalf("approval message: %+v", d)
	}
	if r := e.Post("/api/v1/refund-requests/"+itoa(req.ID)+"/return-shipment", tok, map[string]any{"carrier": "顺丰速运", "tracking_no": "SF100200300"}); r.Status != http.StatusOK {
		t.Fatalf("waybill: %d %s", r.Status, r.Body)
	}
	if _, err := e.App.Payments.ReceiveReturn(ctx, owner, req.ID, []inventory.Line{{SKUID: sku, Quantity: 1}}); err != nil {
		t.Fatal(err)
	}
	got = messages(2) // the waybill, the shopper's own step, sent nothing
	if d := got.Items[0].Data; d["phrase2"]["value"] != "已收到退货" {
		t.Fatalf("receipt message: %+v", got.Items)
	}

	r = e.Post("/api/v1/orders/"+no+"/refund-requests", tok, map[string]any{"type": "refund_only", "reason": "不想要了",
		"items": []map[string]any{{"order_item_id": line, "quantity": 1}}})
	if r.Status != http.StatusCreated {
		t.Fatalf("second request: %d %s", r.Status, r.Body)
	}
	r.Decode(t, &req)
	if _, err := e.App.Payments.DeclineRefundRequest(ctx, owner, req.ID, "商品已拆封"); err != nil {
		t.Fatal(err)
	}
	got = messages(3)
	if d := got.Items[0].Data; d["phrase2"]["value"] != "已拒绝" || d["thing3"]["value"] != "商品已拆封" {
		t.Fatalf("decline message: %+v", got.Items[0])
	}
}
