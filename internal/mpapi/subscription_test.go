package mpapi_test

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/kaidian/kaidian/internal/app/apptest"
	"github.com/kaidian/kaidian/internal/database"
	"github.com/kaidian/kaidian/internal/page"
	"github.com/kaidian/kaidian/internal/payment"
	"github.com/kaidian/kaidian/internal/shipping"
	"github.com/kaidian/kaidian/internal/subscribe"
)

// mapSandboxTemplates maps order_paid, order_shipped and refund_result to
// the sandbox's templates of those names, as a merchant would in the console.
func mapSandboxTemplates(t *testing.T, e *apptest.Env) {
	t.Helper()
	for _, m := range []subscribe.Template{
		{Scene: subscribe.OrderPaid, TemplateID: "sandbox-order-paid", Page: "pages/order/detail?order_no={order_no}",
			Fields: fieldsOf("character_string1", "order_no", "thing2", "product_name", "amount3", "pay_amount", "time4", "paid_at")},
		{Scene: subscribe.OrderShipped, TemplateID: "sandbox-order-shipped", Fields: fieldsOf("character_string1", "order_no",
			"thing2", "product_name", "thing3", "carrier", "character_string4", "tracking_no", "time5", "shipped_at")},
		{Scene: subscribe.RefundResult, TemplateID: "sandbox-refund-result", Fields: fieldsOf("character_string1", "order_no",
			"amount2", "refund_amount", "phrase3", "result", "time4", "settled_at")},
	} {
		m.Enabled = true
		if _, err := e.App.Messages.SaveTemplate(context.Background(), "staff:1:owner", m); err != nil {
			t.Fatal(err)
		}
	}
}

func fieldsOf(kv ...string) database.JSON[map[string]string] {
	m := map[string]string{}
	for i := 0; i < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return database.JSON[map[string]string]{V: m}
}

// phoneAnswers plays the shopper's phone answering wx.requestSubscribeMessage:
// WeChat records it (the sandbox), and the mini program reports the same
// results to Kaidian. It returns the shopper's openid.
func phoneAnswers(t *testing.T, e *apptest.Env, user, token string, results map[string]string) string {
	t.Helper()
	r := e.Post("/sandbox/wx/subscribe", "", map[string]any{"user": user, "results": results})
	if r.Status != http.StatusOK {
		t.Fatalf("sandbox subscribe: %d %s", r.Status, r.Body)
	}
	openID := r.JSON(t)["openid"].(string)
	if r := e.Post("/api/v1/subscriptions", token, map[string]any{"results": results}); r.Status != http.StatusOK {
		t.Fatalf("report results: %d %s", r.Status, r.Body)
	}
	return openID
}

type sandboxMessages struct {
	Items []struct {
		TemplateID string                       `json:"template_id"`
		Page       string                       `json:"page"`
		Data       map[string]map[string]string `json:"data"`
	} `json:"items"`
}

// waitEvent waits for the order's event of the scene to leave pending/sending.
func waitEvent(t *testing.T, e *apptest.Env, orderNo string, scene subscribe.Scene) subscribe.Record {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		rs, _, err := e.App.Messages.Log(context.Background(), subscribe.Query{Ref: orderNo, Scene: scene, Page: page.Request{Limit: 10}})
		if err != nil {
			t.Fatal(err)
		}
		if len(rs) == 1 && rs[0].Status != subscribe.StatusPending && rs[0].Status != subscribe.StatusSending {
			return rs[0]
		}
		if time.Now().After(deadline) {
			t.Fatalf("order %s: no finished %s event: %+v", orderNo, scene, rs)
		}
	}
}

// TestSubscribeMessagesEndToEnd: a shopper accepts the templates on the
// phone, pays through the sandbox, is shipped to and refunded; each event
// reaches the sandbox's WeChat as a message built from the merchant's
// mapping. A shopper who accepted nothing gets nothing, and the log says
// why.
func TestSubscribeMessagesEndToEnd(t *testing.T) {
	e := apptest.Start(t)
	mapSandboxTemplates(t, e)
	sku := e.Product(t, apptest.SKU{Price: 9900, Stock: 10}).SKUs[0].ID

	var offers struct {
		Items []struct{ Scene, TemplateID string } `json:"items"`
	}
	e.Get("/api/v1/subscriptions/templates", "").Decode(t, &offers)
	if len(offers.Items) != 3 || offers.Items[0].Scene != "order_paid" {
		t.Fatalf("templates offered: %+v", offers)
	}

	token := e.Login("alice")
	openID := phoneAnswers(t, e, "alice", token, map[string]string{"sandbox-order-paid": "accept",
		"sandbox-order-shipped": "accept", "sandbox-refund-result": "accept"})
	_, orderNo := e.PaidOrder(t, "alice", sku, 1)
	if ev := waitEvent(t, e, orderNo, subscribe.OrderPaid); ev.Status != subscribe.StatusSent {
		t.Fatalf("order_paid: %+v", ev)
	}
	var got sandboxMessages
	e.Get("/sandbox/wx/messages?openid="+openID, "").Decode(t, &got)
	if len(got.Items) != 1 || got.Items[0].TemplateID != "sandbox-order-paid" ||
		got.Items[0].Data["character_string1"]["value"] != orderNo || got.Items[0].Data["amount3"]["value"] != "99.00元" ||
		got.Items[0].Page != "pages/order/detail?order_no="+orderNo {
		t.Fatalf("sandbox messages after paying: %+v", got)
	}

	if _, err := e.App.Shipping.Ship(context.Background(), "staff:1:owner", shipping.Input{OrderNo: orderNo, Carrier: "SF", TrackingNo: "SF1234567890"}); err != nil {
		t.Fatal(err)
	}
	if ev := waitEvent(t, e, orderNo, subscribe.OrderShipped); ev.Status != subscribe.StatusSent {
		t.Fatalf("order_shipped: %+v", ev)
	}
	if _, err := e.App.Payments.Refund(context.Background(), slog.New(slog.DiscardHandler), payment.Authority{Actor: "staff:1:owner", Owner: true},
		payment.RefundInput{OrderNo: orderNo, Amount: 100}); err != nil {
		t.Fatal(err)
	}
	if ev := waitEvent(t, e, orderNo, subscribe.RefundResult); ev.Status != subscribe.StatusSent {
		t.Fatalf("refund_result: %+v", ev)
	}
	e.Get("/sandbox/wx/messages?openid="+openID, "").Decode(t, &got)
	if len(got.Items) != 3 || got.Items[1].Data["thing3"]["value"] != "顺丰速运" || got.Items[0].Data["phrase3"]["value"] != "退款成功" {
		t.Fatalf("sandbox messages after shipping and refunding: %+v", got)
	}

	// Bob said no on the phone: his order's message is skipped, and the
	// sandbox has nothing for him.
	bobToken := e.Login("bob")
	bobOpenID := phoneAnswers(t, e, "bob", bobToken, map[string]string{"sandbox-order-paid": "reject"})
	_, bobOrder := e.PaidOrder(t, "bob", sku, 1)
	if ev := waitEvent(t, e, bobOrder, subscribe.OrderPaid); ev.Status != subscribe.StatusSkipped || ev.ErrCode != 0 {
		t.Fatalf("bob's order_paid: %+v", ev)
	}
	e.Get("/sandbox/wx/messages?openid="+bobOpenID, "").Decode(t, &got)
	if len(got.Items) != 0 {
		t.Fatalf("the sandbox got messages for bob: %+v", got)
	}

	// Carol's mini program reported an accept WeChat never saw: WeChat's
	// 43101, skipped, not retried, and her credit is gone.
	carolToken := e.Login("carol")
	if r := e.Post("/api/v1/subscriptions", carolToken, map[string]any{"results": map[string]string{"sandbox-order-paid": "accept"}}); r.Status != http.StatusOK {
		t.Fatalf("report: %d %s", r.Status, r.Body)
	}
	_, carolOrder := e.PaidOrder(t, "carol", sku, 1)
	if ev := waitEvent(t, e, carolOrder, subscribe.OrderPaid); ev.Status != subscribe.StatusSkipped || ev.ErrCode != 43101 {
		t.Fatalf("carol's order_paid: %+v", ev)
	}
}

func TestSubscriptionsBadInput(t *testing.T) {
	e := apptest.Start(t)
	mapSandboxTemplates(t, e)
	alice := e.Token("alice")
	e.RunScenarios(t, []apptest.Scenario{
		{Name: "no token", Req: apptest.Request{Method: http.MethodPost, Path: "/api/v1/subscriptions",
			Body: map[string]any{"results": map[string]string{"sandbox-order-paid": "accept"}}}, Status: http.StatusUnauthorized, Code: "unauthenticated"},
		{Name: "results not an object", Req: apptest.Request{Method: http.MethodPost, Path: "/api/v1/subscriptions", Token: alice,
			Body: map[string]any{"results": []string{"sandbox-order-paid"}}}, Status: http.StatusBadRequest, Code: "invalid_type"},
		{Name: "a result not a string", Req: apptest.Request{Method: http.MethodPost, Path: "/api/v1/subscriptions", Token: alice,
			Body: map[string]any{"results": map[string]any{"sandbox-order-paid": 1}}}, Status: http.StatusBadRequest, Code: "invalid_type"},
		{Name: "no results", Req: apptest.Request{Method: http.MethodPost, Path: "/api/v1/subscriptions", Token: alice,
			Body: map[string]any{"results": map[string]string{}}}, Status: http.StatusBadRequest, Code: "invalid_field"},
		{Name: "an unknown field", Req: apptest.Request{Method: http.MethodPost, Path: "/api/v1/subscriptions", Token: alice,
			Body: map[string]any{"tmplIds": []string{"x"}}}, Status: http.StatusBadRequest, Code: "unknown_field"},
		{Name: "an unknown result", Req: apptest.Request{Method: http.MethodPost, Path: "/api/v1/subscriptions", Token: alice,
			Body: map[string]any{"results": map[string]string{"sandbox-order-paid": "maybe"}}}, Status: http.StatusBadRequest, Code: "invalid_field"},
		{Name: "an unknown template", Req: apptest.Request{Method: http.MethodPost, Path: "/api/v1/subscriptions", Token: alice,
			Body: map[string]any{"results": map[string]string{"sandbox-order-paid": "accept", strings.Repeat("x", 10000): "accept"}}},
			Status: http.StatusBadRequest, Code: "unknown_template"},
		{Name: "a template not switched on", Req: apptest.Request{Method: http.MethodPost, Path: "/api/v1/subscriptions", Token: alice,
			Body: map[string]any{"results": map[string]string{"sandbox-after-sale": "accept"}}}, Status: http.StatusBadRequest, Code: "unknown_template"},
	})
	var cs struct {
		Credits map[string]int `json:"credits"`
	}
	e.Post("/api/v1/subscriptions", alice, map[string]any{"results": map[string]string{"sandbox-order-paid": "reject"}}).Decode(t, &cs)
	if cs.Credits["sandbox-order-paid"] != 0 {
		t.Fatalf("refused reports left credits: %+v", cs)
	}
}
