package mpapi_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/kaidian/kaidian/internal/app/apptest"
)

// receivedOrder has user (nicknamed nickname) order one of each SKU and
// moves the order to completed, as confirming receipt does (paying and
// shipping have their own tests). It returns the token, the order number
// and the lines' ids in SKU order.
func receivedOrder(t *testing.T, e *apptest.Env, user, nickname string, skuIDs ...int64) (string, string, []int64) {
	t.Helper()
	tok, addr := loggedInWithAddress(t, e, user)
	items := make([]map[string]any, len(skuIDs))
	for i, id := range skuIDs {
		items[i] = map[string]any{"sku_id": id, "quantity": 1}
	}
	r := e.Post("/api/v1/orders", tok, map[string]any{"items": items, "address_id": addr})
	if r.Status != http.StatusCreated {
		t.Fatalf("order: %d %s", r.Status, r.Body)
	}
	var o struct {
		OrderNo string `json:"order_no"`
		Items   []struct {
			ID    int64 `json:"id"`
			SKUID int64 `json:"sku_id"`
		} `json:"items"`
	}
	r.Decode(t, &o)
	db := e.App.DB.Conn(context.Background())
	if err := db.Exec("UPDATE orders SET status = 'completed', completed_at = created_at WHERE order_no = ?", o.OrderNo).Error; err != nil {
		t.Fatal(err)
	}
	if err := db.Exec("UPDATE shoppers SET nickname = ? WHERE id = (SELECT shopper_id FROM orders WHERE order_no = ?)", nickname, o.OrderNo).Error; err != nil {
		t.Fatal(err)
	}
	lines := make([]int64, len(skuIDs))
	for i, id := range skuIDs {
		for _, it := range o.Items {
			if it.SKUID == id {
				lines[i] = it.ID
			}
		}
		if lines[i] == 0 {
			t.Fatalf("no line for SKU %d in %s", id, r.Body)
		}
	}
	return tok, o.OrderNo, lines
}

// loggedInWithAddress logs user in through the sandbox's wx.login, as the
// phone does, so WeChat's content check knows the openid (a shopper made
// with e.Token is unknown to WeChat, whose check then answers 40003).
func loggedInWithAddress(t *testing.T, e *apptest.Env, user string) (string, int64) {
	t.Helper()
	tok := e.Login(user)
	r := e.Post("/api/v1/addresses", tok, map[string]any{"name": "张三", "phone": "13800138000", "province": "广东省",
		"city": "深圳市", "district": "南山区", "detail": "科技园南区 1 栋 101"})
	if r.Status != http.StatusCreated {
		t.Fatalf("create address: %d %s", r.Status, r.Body)
	}
	return tok, int64(r.JSON(t)["id"].(float64))
}

// productReviews is the answer of GET /api/v1/products/{id}/reviews.
type productReviews struct {
	Summary struct {
		Count           int64   `json:"count"`
		Average         float64 `json:"average"`
		GoodPercent     int64   `json:"good_percent"`
		GoodCount       int64   `json:"good_count"`
		BadCount        int64   `json:"bad_count"`
		WithPhotosCount int64   `json:"with_photos_count"`
	} `json:"summary"`
	Items []struct {
		ID        int64    `json:"id"`
		Rating    int      `json:"rating"`
		Text      string   `json:"text"`
		Photos    []string `json:"photos"`
		SKUName   string   `json:"sku_name"`
		Shopper   string   `json:"shopper"`
		Anonymous bool     `json:"anonymous"`
		FollowUp  *struct {
			Text string `json:"text"`
		} `json:"follow_up"`
		Reply *struct {
			Text string `json:"text"`
		} `json:"merchant_reply"`
	} `json:"items"`
	NextCursor string `json:"next_cursor"`
}

func readReviews(t *testing.T, e *apptest.Env, path string) productReviews {
	t.Helper()
	r := e.Get(path, "")
	if r.Status != http.StatusOK {
		t.Fatalf("GET %s: %d %s", path, r.Status, r.Body)
	}
	var out productReviews
	r.Decode(t, &out)
	return out
}

// myReviews is the answer of POST or GET /api/v1/orders/{no}/reviews.
type myReviews struct {
	Items []struct {
		ID       int64  `json:"id"`
		Status   string `json:"status"`
		FollowUp *struct {
			Status string `json:"status"`
		} `json:"follow_up"`
	} `json:"items"`
}

// reviewCount is how many reviews are stored, for "nothing changed".
func reviewCount(t *testing.T, e *apptest.Env) int64 {
	t.Helper()
	var n int64
	if err := e.App.DB.Conn(context.Background()).Raw("SELECT COUNT(*) FROM reviews").Scan(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}
