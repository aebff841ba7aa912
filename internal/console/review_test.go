package console_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/kaidian/kaidian/internal/app/apptest"
	"github.com/kaidian/kaidian/internal/audit"
	"github.com/kaidian/kaidian/internal/page"
	"github.com/kaidian/kaidian/internal/staff"
)

// reviewedOrder has a sandbox shopper buy one of each SKU, receive the
// order, and review the lines with these texts (5 stars each); it returns
// the reviews' ids.
func reviewedOrder(t *testing.T, e *apptest.Env, user string, skuIDs []int64, texts ...string) []int64 {
	t.Helper()
	tok := e.Login(user)
	addr := e.Post("/api/v1/addresses", tok, map[string]any{"name": "张三", "phone": "13800138000", "province": "广东省",
		"city": "深圳市", "district": "南山区", "detail": "科技园 1 号"}).JSON(t)["id"]
	items := make([]map[string]any, len(skuIDs))
	for i, id := range skuIDs {
		items[i] = map[string]any{"sku_id": id, "quantity": 1}
	}
	o := e.Post("/api/v1/orders", tok, map[string]any{"items": items, "address_id": addr}).JSON(t)
	no := o["order_no"].(string)
	if err := e.App.DB.Conn(context.Background()).Exec("UPDATE orders SET status = 'completed' WHERE order_no = ?", no).Error; err != nil {
		t.Fatal(err)
	}
	var reviews []map[string]any
	for i, it := range o["items"].([]any) {
		reviews = append(reviews, map[string]any{"order_item_id": it.(map[string]any)["id"], "rating": 5, "text": texts[i]})
	}
	r := e.Post("/api/v1/orders/"+no+"/reviews", tok, map[string]any{"reviews": reviews})
	if r.Status != http.StatusCreated {
		t.Fatalf("reviews: %d %s", r.Status, r.Body)
	}
	var ids []int64
	for _, it := range r.JSON(t)["items"].([]any) {
		ids = append(ids, int64(it.(map[string]any)["id"].(float64)))
	}
	return ids
}

func TestMerchantRepliesHidesAndApprovesReviews(t *testing.T) {
	e := apptest.Start(t)
	c := e.SignIn(t, "lily", staff.RoleStaff)
	if p := c.Get("/console/reviews"); p.Status != http.StatusOK || !p.Has(zh.T("console.reviews.none")) {
		t.Fatalf("empty reviews page: %d %s", p.Status, p.Body)
	}
	p := e.Product(t, apptest.SKU{Price: 1000, Stock: 10}, apptest.SKU{Price: 2000, Stock: 10})
	ids := reviewedOrder(t, e, "alice", []int64{p.SKUs[0].ID, p.SKUs[1].ID}, "杯子很好看", "需要的话加微信")
	shown, held := ids[0], ids[1]
	summary := func() float64 {
		return e.Get(fmt.Sprintf("/api/v1/products/%d/reviews", p.ID), "").JSON(t)["summary"].(map[string]any)["count"].(float64)
	}
	if n := summary(); n != 1 {
		t.Fatalf("%v reviews counted, want the one that passed the check", n)
	}
	list := c.Get("/console/reviews?status=pending")
	if !list.Has("需要的话加微信") || list.Has("杯子很好看") || !list.Has(zh.T("console.review_status.pending")) {
		t.Fatalf("pending filter: %s", list.Body)
	}
	if pg := c.Get("/console/reviews?rating=9"); pg.Status != http.StatusBadRequest {
		t.Fatalf("rating 9: %d", pg.Status)
	}
	base := fmt.Sprintf("/console/reviews/%d", held)
	if pg := c.Post(base+"/approve", url.Values{}); pg.Status != http.StatusSeeOther {
		t.Fatalf("approve: %d %s", pg.Status, pg.Body)
	}
	if n := summary(); n != 2 {
		t.Fatalf("after approval %v reviews counted", n)
	}
	if pg := c.Get(fmt.Sprintf("/console/products/%d", p.ID)); !pg.Has("2 条评价，平均 5 星，好评率 100%") {
		t.Fatalf("the product page's summary: %s", pg.Body)
	}
	if pg := c.Post(base+"/approve", url.Values{}); pg.Status != http.StatusConflict {
		t.Fatalf("approve twice: %d", pg.Status)
	}
	if pg := c.Post(fmt.Sprintf("/console/reviews/%d/reply", shown), url.Values{"reply": {"感谢支持，欢迎再来"}}); pg.Status != http.StatusSeeOther {
		t.Fatalf("reply: %d %s", pg.Status, pg.Body)
	}
	if pg := c.Post(fmt.Sprintf("/console/reviews/%d/reply", shown), url.Values{"reply": {strings.Repeat("谢", 501)}}); pg.Status != http.StatusBadRequest {
		t.Fatalf("a reply too long: %d", pg.Status)
	}
	body := e.Get(fmt.Sprintf("/api/v1/products/%d/reviews", p.ID), "").Body
	if !strings.Contains(string(body), `"merchant_reply":{"text":"感谢支持，欢迎再来"`) {
		t.Fatalf("reply on the product page: %s", body)
	}
	if pg := c.Post(fmt.Sprintf("/console/reviews/%d/hide", shown), url.Values{}); pg.Status != http.StatusSeeOther {
		t.Fatalf("hide: %d %s", pg.Status, pg.Body)
	}
	if n := summary(); n != 1 {
		t.Fatalf("after hiding %v reviews counted", n)
	}
	if pg := c.Get("/console/reviews?status=hidden"); !pg.Has("杯子很好看") || !pg.Has(zh.T("console.reviews.unhide")) {
		t.Fatalf("hidden filter: %s", pg.Body)
	}
	if pg := c.Post(fmt.Sprintf("/console/reviews/%d/unhide", shown), url.Values{}); pg.Status != http.StatusSeeOther || summary() != 2 {
		t.Fatalf("unhide: %d", pg.Status)
	}
	if pg := c.Post("/console/reviews/999999/hide", url.Values{}); pg.Status != http.StatusNotFound {
		t.Fatalf("hide an unknown review: %d", pg.Status)
	}
	es, _, err := e.App.Audit.List(context.Background(), audit.Query{SubjectType: "review", Page: page.Request{Limit: 50}})
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, en := range es {
		if en.Actor != c.Account.Actor() {
			t.Fatalf("audited as %q", en.Actor)
		}
		actions = append(actions, en.Action)
	}
	if got := strings.Join(actions, " "); got != "review.unhide review.hide review.reply review.approve" {
		t.Fatalf("audit log: %s", got)
	}
}
