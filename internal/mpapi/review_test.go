package mpapi_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/kaidian/kaidian/internal/app/apptest"
)

func TestReviewsAfterReceiptShowOnTheProductPage(t *testing.T) {
	e := apptest.Start(t)
	p := e.Product(t, apptest.SKU{Price: 1000, Stock: 10}, apptest.SKU{Price: 2000, Stock: 10}, apptest.SKU{Price: 3000, Stock: 10})
	tok, no, lines := receivedOrder(t, e, "alice", "张三丰", p.SKUs[0].ID, p.SKUs[1].ID, p.SKUs[2].ID)
	photo := e.Upload(t, tok, "cup.png", apptest.PNG(t, 30, 20)).JSON(t)["url"].(string)
	r := e.Post("/api/v1/orders/"+no+"/reviews", tok, map[string]any{"reviews": []map[string]any{
		{"order_item_id": lines[0], "rating": 5, "text": "质量很好，物流也快", "photos": []string{photo}},
		{"order_item_id": lines[1], "rating": 4, "text": "不错", "anonymous": true},
		{"order_item_id": lines[2], "rating": 1},
	}})
	if r.Status != http.StatusCreated {
		t.Fatalf("submit: %d %s", r.Status, r.Body)
	}
	var mine myReviews
	r.Decode(t, &mine)
	for _, it := range mine.Items {
		if it.Status != "visible" {
			t.Fatalf("review %d is %s, want visible: %s", it.ID, it.Status, r.Body)
		}
	}
	path := fmt.Sprintf("/api/v1/products/%d/reviews", p.ID)
	got := readReviews(t, e, path)
	// 5, 4, 1: 3 reviews, average 3.3, 2 good of 3 → 67%, 1 bad.
	if s := got.Summary; s.Count != 3 || s.Average != 3.3 || s.GoodPercent != 67 || s.GoodCount != 2 || s.BadCount != 1 {
		t.Fatalf("summary %+v", s)
	}
	if len(got.Items) != 3 || got.Items[0].Rating != 1 || got.Items[2].Text != "质量很好，物流也快" {
		t.Fatalf("items not latest first: %+v", got.Items)
	}
	if got.Items[2].Shopper != "张**" || got.Items[1].Shopper != "匿名用户" || got.Items[2].SKUName != "规格1" {
		t.Fatalf("shoppers shown as %q and %q, SKU %q", got.Items[2].Shopper, got.Items[1].Shopper, got.Items[2].SKUName)
	}
	body := e.Get(path, "").Body
	if strings.Contains(string(body), "openid") || strings.Contains(string(body), "张三丰") {
		t.Fatalf("the product page shows who wrote it: %s", body)
	}
	en := e.Do(apptest.Request{Method: http.MethodGet, Path: path, Header: map[string]string{"Accept-Language": "en"}})
	if !strings.Contains(string(en.Body), `"shopper":"Anonymous"`) {
		t.Fatalf("anonymous in English: %s", en.Body)
	}
	if g := readReviews(t, e, path+"?filter=good"); len(g.Items) != 2 || g.Summary.Count != 3 {
		t.Fatalf("good: %+v", g)
	}
	if b := readReviews(t, e, path+"?filter=bad"); len(b.Items) != 1 || b.Items[0].Rating != 1 {
		t.Fatalf("bad: %+v", b)
	}
	if ph := readReviews(t, e, path+"?filter=with_photos"); len(ph.Items) != 1 || ph.Items[0].Photos[0] != photo || ph.Summary.WithPhotosCount != 1 {
		t.Fatalf("with photos: %+v", ph)
	}
	first := readReviews(t, e, path+"?limit=2")
	rest := readReviews(t, e, path+"?limit=2&cursor="+first.NextCursor)
	if len(first.Items) != 2 || first.NextCursor == "" || len(rest.Items) != 1 || rest.NextCursor != "" || rest.Items[0].Rating != 5 {
		t.Fatalf("pages: %+v then %+v", first, rest)
	}
	if again := e.Get("/api/v1/orders/"+no+"/reviews", tok); again.Status != http.StatusOK || len(again.JSON(t)["items"].([]any)) != 3 {
		t.Fatalf("my reviews: %d %s", again.Status, again.Body)
	}
}

func TestReviewsRefuseBadInputAndChangeNothing(t *testing.T) {
	e := apptest.Start(t)
	p := e.Product(t)
	sku := p.SKUs[0].ID
	tok, no, lines := receivedOrder(t, e, "alice", "爱丽丝", sku)
	bobTok, bobNo, _ := receivedOrder(t, e, "bob", "鲍勃", sku)
	bobsPhoto := e.Upload(t, bobTok, "bob.png", apptest.PNG(t, 20, 20)).JSON(t)["url"].(string)
	pendingTok, addr := shopperWithAddress(t, e, "carol")
	unreceived := e.Post("/api/v1/orders", pendingTok, map[string]any{"items": []map[string]any{{"sku_id": sku, "quantity": 1}},
		"address_id": addr}).JSON(t)
	unreceivedNo := unreceived["order_no"].(string)
	unreceivedLine := int64(unreceived["items"].([]any)[0].(map[string]any)["id"].(float64))
	line := func(fields map[string]any) map[string]any {
		body := map[string]any{"order_item_id": lines[0], "rating": 5, "text": "好"}
		for k, v := range fields {
			body[k] = v
		}
		return map[string]any{"reviews": []map[string]any{body}}
	}
	post := func(orderNo, token string, body any) apptest.Request {
		return apptest.Request{Method: http.MethodPost, Path: "/api/v1/orders/" + orderNo + "/reviews", Token: token, Body: body}
	}
	tenPhotos := make([]string, 10)
	for i := range tenPhotos {
		tenPhotos[i] = fmt.Sprintf("/uploads/p%d.jpg", i)
	}
	e.RunScenarios(t, []apptest.Scenario{
		{Name: "rating 0", Req: post(no, tok, line(map[string]any{"rating": 0})), Status: 400, Code: "invalid_field"},
		{Name: "rating 6", Req: post(no, tok, line(map[string]any{"rating": 6})), Status: 400, Code: "invalid_field"},
		{Name: "rating x", Req: post(no, tok, line(map[string]any{"rating": "x"})), Status: 400, Code: "invalid_type"},
		{Name: "10,000 characters", Req: post(no, tok, line(map[string]any{"text": strings.Repeat("好", 10000)})), Status: 400, Code: "invalid_field"},
		{Name: "10 photos", Req: post(no, tok, line(map[string]any{"photos": tenPhotos})), Status: 400, Code: "invalid_field"},
		{Name: "photo not uploaded here", Req: post(no, tok, line(map[string]any{"photos": []string{"https://example.com/x.jpg"}})), Status: 400, Code: "invalid_field"},
		{Name: "photo uploaded by someone else", Req: post(no, tok, line(map[string]any{"photos": []string{bobsPhoto}})), Status: 400, Code: "invalid_field"},
		{Name: "unknown field", Req: post(no, tok, line(map[string]any{"stars": 5})), Status: 400, Code: "unknown_field"},
		{Name: "no reviews", Req: post(no, tok, map[string]any{"reviews": []any{}}), Status: 400, Code: "invalid_field"},
		{Name: "the same line twice", Req: post(no, tok, map[string]any{"reviews": []map[string]any{
			{"order_item_id": lines[0], "rating": 5}, {"order_item_id": lines[0], "rating": 4}}}), Status: 400, Code: "invalid_field"},
		{Name: "a line of another order", Req: post(no, tok, line(map[string]any{"order_item_id": unreceivedLine})), Status: 404, Code: "order_item_not_found"},
		{Name: "someone else's order", Req: post(bobNo, tok, line(nil)), Status: 404, Code: "order_not_found"},
		{Name: "before receipt", Req: post(unreceivedNo, pendingTok, line(map[string]any{"order_item_id": unreceivedLine})), Status: 409, Code: "order_not_received"},
		{Name: "no token", Req: post(no, "", line(nil)), Status: 401, Code: "unauthenticated"},
		{Name: "bad filter", Req: apptest.Request{Method: http.MethodGet, Path: fmt.Sprintf("/api/v1/products/%d/reviews?filter=best", p.ID)}, Status: 400, Code: "invalid_field"},
		{Name: "bad product id", Req: apptest.Request{Method: http.MethodGet, Path: "/api/v1/products/x/reviews"}, Status: 404, Code: "not_found"},
		{Name: "someone else's reviews", Req: apptest.Request{Method: http.MethodGet, Path: "/api/v1/orders/" + bobNo + "/reviews", Token: tok}, Status: 404, Code: "order_not_found"},
	})
	if n := reviewCount(t, e); n != 0 {
		t.Fatalf("%d reviews stored by refused requests", n)
	}
	if r := e.Do(post(no, tok, line(nil))); r.Status != http.StatusCreated {
		t.Fatalf("review: %d %s", r.Status, r.Body)
	}
	if r := e.Do(post(no, tok, line(map[string]any{"rating": 1}))); r.Status != http.StatusConflict || r.ErrorCode() != "already_reviewed" {
		t.Fatalf("review twice: %d %s", r.Status, r.Body)
	}
	if s := readReviews(t, e, fmt.Sprintf("/api/v1/products/%d/reviews", p.ID)).Summary; s.Count != 1 || s.Average != 5 {
		t.Fatalf("summary after a refused second review: %+v", s)
	}
}

func TestReviewTextGoesThroughWeChatsContentCheck(t *testing.T) {
	e := apptest.Start(t)
	p := e.Product(t, apptest.SKU{Price: 1000, Stock: 10}, apptest.SKU{Price: 2000, Stock: 10})
	tok, no, lines := receivedOrder(t, e, "alice", "爱丽丝", p.SKUs[0].ID, p.SKUs[1].ID)
	path := fmt.Sprintf("/api/v1/products/%d/reviews", p.ID)
	// Risky text (the sandbox's default word list) refuses the whole request.
	r := e.Post("/api/v1/orders/"+no+"/reviews", tok, map[string]any{"reviews": []map[string]any{
		{"order_item_id": lines[0], "rating": 5, "text": "很好"}, {"order_item_id": lines[1], "rating": 5, "text": "这里有违禁词"}}})
	if r.Status != http.StatusUnprocessableEntity || r.ErrorCode() != "text_rejected" || reviewCount(t, e) != 0 {
		t.Fatalf("risky text: %d %s, %d stored", r.Status, r.Body, reviewCount(t, e))
	}
	// Doubtful text is held for the merchant and not shown.
	r = e.Post("/api/v1/orders/"+no+"/reviews", tok, map[string]any{"reviews": []map[string]any{
		{"order_item_id": lines[0], "rating": 5, "text": "想要优惠请加微信"}}})
	var held myReviews
	r.Decode(t, &held)
	if r.Status != http.StatusCreated || held.Items[0].Status != "pending" {
		t.Fatalf("doubtful text: %d %s", r.Status, r.Body)
	}
	if got := readReviews(t, e, path); got.Summary.Count != 0 || len(got.Items) != 0 {
		t.Fatalf("a held review is shown: %+v", got)
	}
	// WeChat unreachable: stored unchecked, never shown, then checked by the job.
	if r := e.Post("/sandbox/wx/sec-check/fail", "", map[string]any{"count": 1}); r.Status != http.StatusOK {
		t.Fatalf("sandbox fail: %d %s", r.Status, r.Body)
	}
	r = e.Post("/api/v1/orders/"+no+"/reviews", tok, map[string]any{"reviews": []map[string]any{
		{"order_item_id": lines[1], "rating": 4, "text": "包装很用心"}}})
	var unchecked myReviews
	r.Decode(t, &unchecked)
	if r.Status != http.StatusCreated || unchecked.Items[0].Status != "unchecked" {
		t.Fatalf("WeChat down: %d %s", r.Status, r.Body)
	}
	waitFor(t, "the unchecked review to be checked and shown", func() bool {
		return readReviews(t, e, path).Summary.Count == 1
	})
	if got := readReviews(t, e, path); len(got.Items) != 1 || got.Items[0].Text != "包装很用心" {
		t.Fatalf("after the check: %+v", got)
	}
}

func TestFollowUpOncePerReviewWithin30Days(t *testing.T) {
	e := apptest.Start(t)
	p := e.Product(t, apptest.SKU{Price: 1000, Stock: 10}, apptest.SKU{Price: 2000, Stock: 10})
	tok, no, lines := receivedOrder(t, e, "alice", "爱丽丝", p.SKUs[0].ID, p.SKUs[1].ID)
	bobTok, _, _ := receivedOrder(t, e, "bob", "鲍勃", p.SKUs[0].ID)
	var mine myReviews
	e.Post("/api/v1/orders/"+no+"/reviews", tok, map[string]any{"reviews": []map[string]any{
		{"order_item_id": lines[0], "rating": 5, "text": "好"}, {"order_item_id": lines[1], "rating": 3, "text": "一般"}}}).Decode(t, &mine)
	followUp := func(token string, id int64, body any) *apptest.Response {
		return e.Post(fmt.Sprintf("/api/v1/orders/%s/reviews/%d/follow-up", no, id), token, body)
	}
	if r := followUp(tok, mine.Items[0].ID, map[string]any{"text": ""}); r.Status != http.StatusBadRequest {
		t.Fatalf("empty follow-up: %d %s", r.Status, r.Body)
	}
	if r := followUp(bobTok, mine.Items[0].ID, map[string]any{"text": "用了一个月"}); r.Status != http.StatusNotFound {
		t.Fatalf("someone else's: %d %s", r.Status, r.Body)
	}
	if r := followUp(tok, mine.Items[0].ID, map[string]any{"text": "违禁词"}); r.Status != http.StatusUnprocessableEntity {
		t.Fatalf("risky follow-up: %d %s", r.Status, r.Body)
	}
	r := followUp(tok, mine.Items[0].ID, map[string]any{"text": "用了一个月，依然很好"})
	if r.Status != http.StatusCreated || r.JSON(t)["follow_up"].(map[string]any)["status"] != "visible" {
		t.Fatalf("follow-up: %d %s", r.Status, r.Body)
	}
	if r := followUp(tok, mine.Items[0].ID, map[string]any{"text": "再追一次"}); r.Status != http.StatusConflict || r.ErrorCode() != "already_followed_up" {
		t.Fatalf("second follow-up: %d %s", r.Status, r.Body)
	}
	got := readReviews(t, e, fmt.Sprintf("/api/v1/products/%d/reviews", p.ID))
	if len(got.Items) != 2 || got.Items[1].FollowUp == nil || got.Items[1].FollowUp.Text != "用了一个月，依然很好" || got.Items[0].FollowUp != nil {
		t.Fatalf("follow-up on the product page: %+v", got.Items)
	}
	// The second review was written 31 days ago (moving the clock instead
	// would expire the shopper's token).
	if err := e.App.DB.Conn(context.Background()).Exec("UPDATE reviews SET created_at = ? WHERE id = ?",
		time.Now().Add(-31*24*time.Hour), mine.Items[1].ID).Error; err != nil {
		t.Fatal(err)
	}
	if r := followUp(tok, mine.Items[1].ID, map[string]any{"text": "晚了"}); r.Status != http.StatusUnprocessableEntity || r.ErrorCode() != "follow_up_closed" {
		t.Fatalf("follow-up after 31 days: %d %s", r.Status, r.Body)
	}
}
