package mpapi_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/kaidian/kaidian/internal/app/apptest"
	"github.com/kaidian/kaidian/internal/worker"
)

// TestSearchMatchesChineseWidthAndCase: "T恤", "t恤" and the full-width
// "Ｔ恤" all find the same titles, however the title spells it, and a
// search for LIKE's wildcards matches them literally.
func TestSearchMatchesChineseWidthAndCase(t *testing.T) {
	e := apptest.Start(t)
	c := e.Category(t, "服饰", nil)
	want := map[int64]bool{}
	for _, title := range []string{"纯棉圆领短袖T恤", "ｔ恤 宽松款", "Polo衫"} {
		p := e.ProductIn(t, c.ID, title, apptest.SKU{Price: 5900, Stock: 3})
		if title != "Polo衫" {
			want[p.ID] = true
		}
	}
	e.ProductIn(t, c.ID, "100%纯棉", apptest.SKU{Price: 100, Stock: 1})
	for _, q := range []string{"T恤", "t恤", "Ｔ恤", "ｔ恤", " T恤 "} {
		var pg productPage
		r := e.Get("/api/v1/products?q="+url.QueryEscape(q), "")
		r.Decode(t, &pg)
		got := map[int64]bool{}
		for _, it := range pg.Items {
			got[it.ID] = true
		}
		if r.Status != 200 || fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("q=%q: %d %s, want ids %v", q, r.Status, r.Body, want)
		}
	}
	for q, n := range map[string]int{"%": 1, "_": 0, "１００％": 1} {
		var pg productPage
		e.Get("/api/v1/products?q="+url.QueryEscape(q), "").Decode(t, &pg)
		if len(pg.Items) != n {
			t.Errorf("q=%q found %d, want %d", q, len(pg.Items), n)
		}
	}
}

// TestProductSortsAndFilters walks every sort two at a time with a price
// range and in_stock: each matching product exactly once, in the sort's
// order, ties broken by id.
func TestProductSortsAndFilters(t *testing.T) {
	e := apptest.Start(t)
	c := e.Category(t, "杂货", nil)
	var ids []int64
	for i, price := range []int64{300, 100, 300, 200, 100, 500} {
		p := e.ProductIn(t, c.ID, fmt.Sprintf("商品%d", i), apptest.SKU{Price: price, Stock: int64(i % 3)})
		ids = append(ids, p.ID)
	}
	// Units sold: 2, 0, 2, 5 for the first four, as payment leaves them.
	ctx := context.Background()
	for i, sold := range []int{2, 0, 2, 5} {
		if err := e.App.DB.Conn(ctx).Exec("UPDATE skus SET sold = ? WHERE product_id = ?", sold, ids[i]).Error; err != nil {
			t.Fatal(err)
		}
	}
	if _, err := e.App.Catalog.RefreshSales(ctx); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		query string
		want  []int // indexes into ids
	}{
		{"sort=default", []int{0, 1, 2, 3, 4, 5}},
		{"sort=newest", []int{5, 4, 3, 2, 1, 0}},
		{"sort=sales", []int{3, 2, 0, 5, 4, 1}},
		{"sort=price_asc", []int{1, 4, 3, 0, 2, 5}},
		{"sort=price_desc", []int{5, 2, 0, 3, 4, 1}},
		{"sort=price_asc&min_price=100&max_price=300", []int{1, 4, 3, 0, 2}},
		{"sort=price_desc&min_price=200", []int{5, 2, 0, 3}},
		{"sort=sales&in_stock=true", []int{2, 5, 4, 1}},
		{"in_stock=1&max_price=100", []int{1, 4}},
	} {
		var got []int64
		cursor := ""
		for pages := 0; pages < 10; pages++ {
			var pg struct {
				productPage
				Items []struct {
					ID    int64 `json:"id"`
					Sales int64 `json:"sales"`
				} `json:"items"`
			}
			r := e.Get("/api/v1/products?limit=2&"+tc.query+"&cursor="+url.QueryEscape(cursor), "")
			r.Decode(t, &pg)
			if r.Status != 200 {
				t.Fatalf("%s: %d %s", tc.query, r.Status, r.Body)
			}
			for _, it := range pg.Items {
				got = append(got, it.ID)
			}
			if cursor = pg.NextCursor; cursor == "" {
				break
			}
		}
		var want []int64
		for _, i := range tc.want {
			want = append(want, ids[i])
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s: got %v, want %v", tc.query, got, want)
		}
	}
	var detail struct {
		Sales int64 `json:"sales"`
	}
	e.Get(fmt.Sprintf("/api/v1/products/%d", ids[3]), "").Decode(t, &detail)
	if detail.Sales != 5 {
		t.Errorf("detail sales = %d, want 5", detail.Sales)
	}
}

// TestSearchBadInput: every bad parameter is a 400 in the error shape,
// and a refused search is not counted.
func TestSearchBadInput(t *testing.T) {
	e := apptest.Start(t)
	var salesCursor struct {
		NextCursor string `json:"next_cursor"`
	}
	e.Product(t)
	e.Product(t)
	e.Get("/api/v1/products?sort=sales&limit=1", "").Decode(t, &salesCursor)
	if salesCursor.NextCursor == "" {
		t.Fatal("no second page")
	}
	long := strings.Repeat("长", 10_000)
	get := func(path string) apptest.Request { return apptest.Request{Method: http.MethodGet, Path: path} }
	e.RunScenarios(t, []apptest.Scenario{
		{Name: "unknown sort", Req: get("/api/v1/products?sort=cheapest"), Status: 400, Code: "invalid_field"},
		{Name: "negative min", Req: get("/api/v1/products?min_price=-1"), Status: 400, Code: "invalid_field"},
		{Name: "negative max", Req: get("/api/v1/products?max_price=-5"), Status: 400, Code: "invalid_field"},
		{Name: "min over max", Req: get("/api/v1/products?min_price=500&max_price=100"), Status: 400, Code: "invalid_field"},
		{Name: "price not a number", Req: get("/api/v1/products?min_price=1.5"), Status: 400, Code: "invalid_field"},
		{Name: "price overflow", Req: get("/api/v1/products?max_price=99999999999999999999"), Status: 400, Code: "invalid_field"},
		{Name: "in_stock not a bool", Req: get("/api/v1/products?in_stock=maybe"), Status: 400, Code: "invalid_field"},
		{Name: "10,000-character q", Req: get("/api/v1/products?q=" + url.QueryEscape(long)), Status: 400, Code: "invalid_field"},
		{Name: "another sort's cursor", Req: get("/api/v1/products?sort=price_asc&cursor=" + salesCursor.NextCursor), Status: 400, Code: "invalid_field"},
		{Name: "default cursor under sales", Req: get("/api/v1/products?sort=sales&cursor=azE6MQ"), Status: 400, Code: "invalid_field"},
		{Name: "suggest without q", Req: get("/api/v1/search/suggest"), Status: 400, Code: "invalid_field"},
		{Name: "suggest blank q", Req: get("/api/v1/search/suggest?q=%20%20"), Status: 400, Code: "invalid_field"},
		{Name: "suggest 10,000-character q", Req: get("/api/v1/search/suggest?q=" + url.QueryEscape(long)), Status: 400, Code: "invalid_field"},
		{Name: "suggest limit 0", Req: get("/api/v1/search/suggest?q=a&limit=0"), Status: 400, Code: "invalid_field"},
		{Name: "suggest limit 21", Req: get("/api/v1/search/suggest?q=a&limit=21"), Status: 400, Code: "invalid_field"},
		{Name: "history without token", Req: get("/api/v1/me/search-history"), Status: 401, Code: "unauthenticated"},
		{Name: "clear without token", Req: apptest.Request{Method: http.MethodDelete, Path: "/api/v1/me/search-history"}, Status: 401, Code: "unauthenticated"},
	})
	if err := e.App.Search.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	if top, err := e.App.Search.Top(context.Background(), 10); err != nil || len(top) != 0 {
		t.Fatalf("refused searches counted: %+v %v", top, err)
	}
}

// TestSearchHotSuggestAndHistory: searches through the list are counted
// for the hot words (pinned words first) and kept in the logged-in
// shopper's history, newest first and distinct; suggestions find
// categories and titles whatever the width and case; clearing the
// history forgets it and touches no one else's.
func TestSearchHotSuggestAndHistory(t *testing.T) {
	e := apptest.Start(t)
	ctx := context.Background()
	tees := e.Category(t, "T恤专区", nil)
	e.ProductIn(t, tees.ID, "纯棉圆领短袖T恤", apptest.SKU{Price: 5900, Stock: 3})
	alice, bob := e.Token("alice"), e.Token("bob")
	for _, s := range []struct{ q, token string }{
		{"T恤", alice}, {"t恤", bob}, {"Ｔ恤", ""}, {"衬衫", alice}, {"袜子", ""}, {"T恤", alice},
	} {
		if r := e.Get("/api/v1/products?q="+url.QueryEscape(s.q), s.token); r.Status != 200 {
			t.Fatalf("search %q: %d %s", s.q, r.Status, r.Body)
		}
	}
	// A later page is the same search: not counted again.
	e.Get("/api/v1/products?q=%E8%A2%9C%E5%AD%90&cursor=azE6MQ", "")
	if _, err := e.App.Search.AddPin(ctx, "新品", "test"); err != nil {
		t.Fatal(err)
	}
	if err := e.App.Search.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	var hot struct {
		Items []struct {
			Word   string `json:"word"`
			Pinned bool   `json:"pinned"`
		} `json:"items"`
	}
	e.Get("/api/v1/search/hot", "").Decode(t, &hot)
	if got := fmt.Sprint(hot.Items); got != "[{新品 true} {T恤 false} {衬衫 false} {袜子 false}]" {
		t.Errorf("hot = %s", got)
	}

	var hist struct {
		Items []struct {
			Word string `json:"word"`
		} `json:"items"`
	}
	e.Get("/api/v1/me/search-history", alice).Decode(t, &hist)
	if got := fmt.Sprint(hist.Items); got != "[{T恤} {衬衫}]" {
		t.Errorf("alice's history = %s", got)
	}
	if r := e.Delete("/api/v1/me/search-history", alice); r.Status != http.StatusNoContent {
		t.Fatalf("clear = %d %s", r.Status, r.Body)
	}
	e.Get("/api/v1/me/search-history", alice).Decode(t, &hist)
	if len(hist.Items) != 0 {
		t.Errorf("alice's history after clearing = %v", hist.Items)
	}
	e.Get("/api/v1/me/search-history", bob).Decode(t, &hist)
	if got := fmt.Sprint(hist.Items); got != "[{t恤}]" {
		t.Errorf("bob's history = %s", got)
	}

	var sug struct {
		Items []struct {
			Kind string `json:"kind"`
			Text string `json:"text"`
		} `json:"items"`
	}
	e.Get("/api/v1/search/suggest?q="+url.QueryEscape("ｔ恤"), "").Decode(t, &sug)
	if got := fmt.Sprint(sug.Items); got != "[{category T恤专区} {product 纯棉圆领短袖T恤}]" {
		t.Errorf("suggest = %s", got)
	}
}

// TestSearchHistoryIsBounded keeps the newest HistoryLen distinct searches.
func TestSearchHistoryIsBounded(t *testing.T) {
	e := apptest.Start(t)
	ctx := context.Background()
	tok := e.Token("many")
	for i := range 25 {
		e.Get(fmt.Sprintf("/api/v1/products?q=w%02d", i), tok)
		if i%10 == 9 { // several batches, as a live replica writes them
			if err := e.App.Search.Flush(ctx); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := e.App.Search.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	var hist struct {
		Items []struct {
			Word string `json:"word"`
		} `json:"items"`
	}
	e.Get("/api/v1/me/search-history", tok).Decode(t, &hist)
	if len(hist.Items) != 20 || hist.Items[0].Word != "w24" || hist.Items[19].Word != "w05" {
		t.Fatalf("history = %v", hist.Items)
	}
}

// TestSalesFollowPayment: a paid order's units show in the product's sales
// once the periodic refresh has run (enqueued here rather than awaited).
func TestSalesFollowPayment(t *testing.T) {
	e := apptest.Start(t)
	p := e.Product(t, apptest.SKU{Price: 1990, Stock: 10})
	e.PaidOrder(t, "buyer", p.SKUs[0].ID, 3)
	if err := e.App.Jobs().Enqueue(context.Background(), river.InsertManyParams{Args: worker.RefreshSalesArgs{}}); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		var d struct {
			Sales int64 `json:"sales"`
		}
		e.Get(fmt.Sprintf("/api/v1/products/%d", p.ID), "").Decode(t, &d)
		if d.Sales == 3 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("sales = %d, want 3", d.Sales)
		}
	}
}
