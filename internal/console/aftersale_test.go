package console_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/kaidian/kaidian/internal/app/apptest"
	"github.com/kaidian/kaidian/internal/clock"
	"github.com/kaidian/kaidian/internal/shipping"
	"github.com/kaidian/kaidian/internal/staff"
)

func TestAfterSaleSettings(t *testing.T) {
	e := apptest.Start(t, quick)
	c := e.SignIn(t, "boss", staff.RoleOwner)
	if p := c.Get("/console/settings"); !p.Has(`name="auto_complete_days"`) || !p.Has(`value="10"`) {
		t.Fatalf("settings page: %s", p.Body)
	}
	for _, bad := range []url.Values{
		{"auto_complete_days": {"0"}},
		{"auto_complete_days": {"ten"}},
		{"auto_complete_days": {"10"}, "return_name": {"王五"}, "return_address": {"深圳"}, "return_phone": {"12345"}},
		{"auto_complete_days": {"10"}, "return_name": {"王五"}},
	} {
		if p := c.Post("/console/settings/after-sale", bad); p.Status != http.StatusBadRequest || !p.Has(`class="field-error"`) {
			t.Errorf("%v: %d", bad, p.Status)
		}
	}
	p := c.Post("/console/settings/after-sale", url.Values{"auto_complete_days": {"7"}, "wechat_tracking": {"on"},
		"return_name": {"王五"}, "return_phone": {"0755-12345678"}, "return_address": {"广东省深圳市南山区退货仓 1 号"}})
	if p.Status != http.StatusSeeOther {
		t.Fatalf("save: %d %s", p.Status, p.Body)
	}
	sh, err := e.App.Settings.Get(context.Background())
	if err != nil || sh.AutoCompleteDays != 7 || !sh.WeChatTracking || sh.ReturnPhone != "0755-12345678" {
		t.Fatalf("saved: %+v %v", sh, err)
	}
	if p := c.Get("/console/audit?action=settings.update"); !p.Has("自动确认收货天数 10 → 7") || !p.Has("开启微信物流查询") {
		t.Fatalf("audit: %s", p.Body)
	}
	if p := e.SignIn(t, "lily", staff.RoleStaff).Post("/console/settings/after-sale", url.Values{"auto_complete_days": {"3"}}); p.Status != http.StatusForbidden {
		t.Fatalf("staff changing settings: %d", p.Status)
	}
}

// A return through the console: the request's page shows what the shopper
// asked for and where the goods go, and its buttons take it from approval
// to the refund; the refunds list filters by type and state.
func TestReturnThroughTheConsole(t *testing.T) {
	e := apptest.Start(t, quick)
	boss := e.SignIn(t, "boss", staff.RoleOwner)
	if p := boss.Post("/console/settings/after-sale", url.Values{"auto_complete_days": {"10"}, "return_name": {"王五"},
		"return_phone": {"13900139000"}, "return_address": {"广东省深圳市南山区退货仓 1 号"}}); p.Status != http.StatusSeeOther {
		t.Fatalf("return address: %d %s", p.Status, p.Body)
	}
	c := e.SignIn(t, "lily", staff.RoleStaff)
	sku := e.Product(t, apptest.SKU{Price: 2990, Stock: 10}).SKUs[0].ID
	tok, no := e.PaidOrder(t, "alice", sku, 2)
	if _, err := e.App.Shipping.Ship(context.Background(), "merchant:1", shipping.Input{OrderNo: no, Carrier: "SF", TrackingNo: "SF1234567890"}); err != nil {
		t.Fatal(err)
	}
	line := orderOf(t, e, no).Items[0].ID
	pic := e.Photo(t, tok)
	r := e.Post("/api/v1/orders/"+no+"/refund-requests", tok, map[string]any{"type": "return_refund", "reason": "颜色和图片不一样",
		"items": []map[string]any{{"order_item_id": line, "quantity": 2}}, "photos": []string{pic}})
	if r.Status != http.StatusCreated {
		t.Fatalf("request: %d %s", r.Status, r.Body)
	}
	id := strconv.FormatInt(int64(r.JSON(t)["id"].(float64)), 10)
	page := "/console/refunds/requests/" + id

	if p := c.Get("/console/refunds?type=return_refund"); !p.Has(`href="` + page + `"`) {
		t.Fatalf("returns: %s", p.Body)
	}
	for _, q := range []string{"?type=refund_only", "?status=refunded"} {
		if p := c.Get("/console/refunds" + q); p.Has(`href="`+page+`"`) || p.Status != http.StatusOK {
			t.Fatalf("%s lists the pending return: %d", q, p.Status)
		}
	}
	if p := c.Get("/console/refunds?status=lost"); p.Status != http.StatusBadRequest {
		t.Fatalf("an unknown state: %d", p.Status)
	}
	p := c.Get(page)
	for _, want := range []string{"退货退款", "颜色和图片不一样", pic, "王五", "广东省深圳市南山区退货仓 1 号", "¥59.80", "客户还没有填写退货运单号"} {
		if !p.Has(want) {
			t.Errorf("request page lacks %q", want)
		}
	}
	if p.Has("/receive") {
		t.Fatal("receipt offered before approval")
	}
	if p := c.Post(page+"/approve", url.Values{"back": {page}}); p.Status != http.StatusSeeOther || p.Location != page {
		t.Fatalf("approve: %d %s", p.Status, p.Location)
	}
	if r := e.Post("/api/v1/refund-requests/"+id+"/return-shipment", tok, map[string]any{"carrier": "顺丰速运", "tracking_no": "SF100200300"}); r.Status != http.StatusOK {
		t.Fatalf("waybill: %d %s", r.Status, r.Body)
	}
	if p := c.Get(page); !p.Has("SF100200300") || !p.Has("/receive") || !p.Has(`name="restock_`+strconv.FormatInt(sku, 10)+`"`) {
		t.Fatalf("request page after the waybill: %s", p.Body)
	}
	if p := c.Post(page+"/receive", url.Values{"restock_" + strconv.FormatInt(sku, 10): {"3"}}); p.Status != http.StatusConflict {
		t.Fatalf("restocking more than came back: %d", p.Status)
	}
	if p := c.Post(page+"/refund", nil); p.Status != http.StatusConflict {
		t.Fatalf("refund before receipt: %d", p.Status)
	}
	if p := c.Post(page+"/receive", url.Values{"restock_" + strconv.FormatInt(sku, 10): {"2"}}); p.Status != http.StatusSeeOther {
		t.Fatalf("receive: %d %s", p.Status, p.Body)
	}
	if p := c.Post(page+"/refund", nil); p.Status != http.StatusSeeOther {
		t.Fatalf("refund: %d %s", p.Status, p.Body)
	}
	waitFor(t, "the refund and its restock", func() bool { return stockOf(t, e, sku) == 10 })
	if p := c.Get("/console/refunds?status=refunded&type=return_refund"); !p.Has(`href="` + page + `"`) {
		t.Fatalf("refunded returns: %s", p.Body)
	}
	actions := map[string]bool{}
	for _, a := range auditedAll(t, e, no) {
		actions[a.Action] = true
	}
	for _, want := range []string{"aftersale.request", "refund.approve", "aftersale.return_shipment", "aftersale.receive", "aftersale.refund"} {
		if !actions[want] {
			t.Errorf("audit lacks %s: %v", want, actions)
		}
	}
	if p := c.Get("/console/refunds/requests/999999"); p.Status != http.StatusNotFound {
		t.Fatalf("no such request: %d", p.Status)
	}
}

// The merchant tells the shopper where the parcel is from the order page.
func TestParcelEventsFromTheOrderPage(t *testing.T) {
	e := apptest.Start(t, quick)
	c := e.SignIn(t, "lily", staff.RoleStaff)
	sku := e.Product(t, apptest.SKU{Price: 2990, Stock: 10}).SKUs[0].ID
	tok, no := e.PaidOrder(t, "alice", sku, 1)
	if p := c.Post("/console/orders/"+no+"/parcel-events", url.Values{"at": {"2026-12-06T10:00"}, "text": {"已揽件"}}); p.Status != http.StatusNotFound {
		t.Fatalf("an event before shipping: %d", p.Status)
	}
	if p := c.Post("/console/orders/"+no+"/ship", url.Values{"carrier": {"SF"}, "tracking_no": {"SF1234567890"}}); p.Status != http.StatusSeeOther {
		t.Fatalf("ship: %d", p.Status)
	}
	at := time.Now().In(clock.China).Add(-time.Hour).Format("2006-01-02T15:04")
	for _, bad := range []url.Values{{"at": {"yesterday"}, "text": {"已揽件"}}, {"at": {at}, "text": {" "}},
		{"at": {time.Now().In(clock.China).Add(72 * time.Hour).Format("2006-01-02T15:04")}, "text": {"已签收"}}} {
		if p := c.Post("/console/orders/"+no+"/parcel-events", bad); p.Status != http.StatusBadRequest || !p.Has(`class="field-error"`) {
			t.Errorf("%v: %d", bad, p.Status)
		}
	}
	if p := c.Post("/console/orders/"+no+"/parcel-events", url.Values{"at": {at}, "text": {"已到达深圳转运中心"}}); p.Status != http.StatusSeeOther {
		t.Fatalf("add event: %d %s", p.Status, p.Body)
	}
	if p := c.Get("/console/orders/" + no); !p.Has("已到达深圳转运中心") {
		t.Fatal("the order page does not show the event")
	}
	r := e.Get("/api/v1/orders/"+no+"/tracking", tok)
	if r.Status != http.StatusOK || len(r.JSON(t)["events"].([]any)) != 1 {
		t.Fatalf("tracking: %d %s", r.Status, r.Body)
	}
}
