package console_test

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kaidian/kaidian/internal/app/apptest"
	"github.com/kaidian/kaidian/internal/clock"
	"github.com/kaidian/kaidian/internal/config"
	"github.com/kaidian/kaidian/internal/order"
	"github.com/kaidian/kaidian/internal/staff"
)

// quick makes the sandbox settle refunds and the shipping upload retry
// within a test's patience.
func quick(c *config.Config) {
	c.SandboxRefundDelay = 50 * time.Millisecond
	c.SandboxRetryScale = 0.01
	c.PayPollAfter = 200 * time.Millisecond
}

// unpaidOrder places an order for qty of the SKU as the user, without paying.
func unpaidOrder(t *testing.T, e *apptest.Env, user string, skuID int64, qty int) string {
	t.Helper()
	tok := e.Login(user)
	addr := e.Post("/api/v1/addresses", tok, map[string]any{"name": "李四", "phone": "13900139000",
		"province": "上海市", "city": "上海市", "district": "浦东新区", "detail": "世纪大道 1 号"}).JSON(t)["id"]
	r := e.Post("/api/v1/orders", tok, map[string]any{"items": []map[string]any{{"sku_id": skuID, "quantity": qty}}, "address_id": addr})
	if r.Status != http.StatusCreated {
		t.Fatalf("order: %d %s", r.Status, r.Body)
	}
	return r.JSON(t)["order_no"].(string)
}

// waitFor polls until ok holds, failing the test after 20 seconds.
func waitFor(t *testing.T, what string, ok func() bool) {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); !ok(); time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("waited 20s for %s", what)
		}
	}
}

func orderOf(t *testing.T, e *apptest.Env, no string) order.Order {
	t.Helper()
	o, err := e.App.Orders.ByNo(context.Background(), no)
	if err != nil {
		t.Fatal(err)
	}
	return o
}

func stockOf(t *testing.T, e *apptest.Env, sku int64) (n int64) {
	t.Helper()
	if err := e.App.DB.Conn(context.Background()).Raw("SELECT stock FROM skus WHERE id = ?", sku).Scan(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

// shopperIDs returns each shopper's id and openid, in order of creation.
func shoppers(t *testing.T, e *apptest.Env) (ids []int64, openids []string) {
	t.Helper()
	var rows []struct {
		ID     int64
		OpenID string `gorm:"column:openid"`
	}
	if err := e.App.DB.Conn(context.Background()).Raw("SELECT id, openid FROM shoppers ORDER BY id").Scan(&rows).Error; err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		ids, openids = append(ids, r.ID), append(openids, r.OpenID)
	}
	return ids, openids
}

func shopDay(d time.Time) string { return d.In(clock.China).Format("2006-01-02") }

func TestOrderListFiltersAndExport(t *testing.T) {
	e := apptest.Start(t)
	c := e.SignIn(t, "lily", staff.RoleStaff)
	if p := c.Get("/console/orders"); p.Status != http.StatusOK || !p.Has("暂无订单") || !p.Has(zh.T("console.orders.none_yet")) {
		t.Fatalf("empty list: %d %s", p.Status, p.Body)
	}
	cat := e.Category(t, "杯具", nil)
	mug := e.ProductIn(t, cat.ID, "Blue Mug", apptest.SKU{Price: 2990, Stock: 10})
	tee := e.ProductIn(t, cat.ID, "White Tee", apptest.SKU{Price: 5900, Stock: 10})
	_, paidMug := e.PaidOrder(t, "alice", mug.SKUs[0].ID, 1)
	_, paidTee := e.PaidOrder(t, "bob", tee.SKUs[0].ID, 2)
	unpaid := unpaidOrder(t, e, "alice", tee.SKUs[0].ID, 1)
	ids, openids := shoppers(t, e)
	today, yesterday := shopDay(time.Now()), shopDay(time.Now().Add(-24*time.Hour))

	for _, tc := range []struct {
		query    string
		want     []string
		wantNone bool
	}{
		{"", []string{paidMug, paidTee, unpaid}, false},
		{"status=paid", []string{paidMug, paidTee}, false},
		{"status=pending_payment", []string{unpaid}, false},
		{"order_no=" + paidTee, []string{paidTee}, false},
		{"shopper=" + strconv.FormatInt(ids[0], 10), []string{paidMug, unpaid}, false},
		{"shopper=" + openids[1], []string{paidTee}, false},
		{"product=" + strconv.FormatInt(mug.ID, 10), []string{paidMug}, false},
		{"product=white+tee", []string{paidTee, unpaid}, false},
		{"product=100%25", nil, true},
		{"from=" + today + "&to=" + today, []string{paidMug, paidTee, unpaid}, false},
		{"to=" + yesterday, nil, true},
		{"status=paid&shopper=" + openids[0] + "&product=mug&from=" + today, []string{paidMug}, false},
	} {
		p := c.Get("/console/orders?" + tc.query)
		if p.Status != http.StatusOK {
			t.Fatalf("%s: %d %s", tc.query, p.Status, p.Body)
		}
		for _, no := range []string{paidMug, paidTee, unpaid} {
			want := false
			for _, w := range tc.want {
				want = want || w == no
			}
			if p.Has(no) != want {
				t.Errorf("%s: shows %s = %v, want %v", tc.query, no, p.Has(no), want)
			}
		}
		if tc.wantNone && !p.Has(zh.T("console.orders.none_match")) {
			t.Errorf("%s: no empty message", tc.query)
		}
	}
	for query, msg := range map[string]string{"from=2026-13-01": says("console.date"), "status=lost": says("invalid.order_status")} {
		if p := c.Get("/console/orders?" + query); p.Status != http.StatusBadRequest || !p.Has(msg) {
			t.Errorf("%s: %d, want 400 with %q", query, p.Status, msg)
		}
	}
	if p := c.Get("/console/orders?from=2026-13-01"); !p.Has("开始日期：") {
		t.Errorf("a wrong date's error is not under the filter's Chinese name: %s", p.Body)
	}

	// Pages of two follow each other newest first through the "Older" link.
	first := c.Get("/console/orders?limit=2")
	if !first.Has(unpaid) || !first.Has(paidTee) || first.Has(paidMug) || !first.Has("更早 →") {
		t.Fatalf("first page: %s", first.Body)
	}
	next := first.Body[strings.Index(first.Body, `class="pager"><a href="`)+len(`class="pager"><a href="`):]
	next = strings.ReplaceAll(next[:strings.Index(next, `"`)], "&amp;", "&")
	if p := c.Get("/console/orders" + next); !p.Has(paidMug) || p.Has(paidTee) {
		t.Fatalf("second page (%s): %s", next, p.Body)
	}
	// Within a date range the pages run by placing time, and meet the same way.
	first = c.Get("/console/orders?limit=2&from=" + today + "&to=" + today)
	next = first.Body[strings.Index(first.Body, `class="pager"><a href="`)+len(`class="pager"><a href="`):]
	next = strings.ReplaceAll(next[:strings.Index(next, `"`)], "&amp;", "&")
	if p := c.Get("/console/orders" + next); !first.Has(unpaid) || !first.Has(paidTee) || !p.Has(paidMug) || p.Has(paidTee) || p.Has(zh.T("console.orders.older")) {
		t.Fatalf("pages of a day (%s): %s", next, p.Body)
	}

	// Export: a UTF-8 BOM, a header, every order of the range, oldest first;
	// the header and statuses in the reader's language unless the export is
	// for tools (headers=en); amounts plain decimals, times China's.
	if p := c.Get("/console/orders/export.csv"); p.Status != http.StatusBadRequest {
		t.Fatalf("export without dates: %d", p.Status)
	}
	if p := c.Get("/console/orders?from=" + today + "&to=" + today); !p.Has("导出 CSV（英文表头，供系统导入）") || !p.Has("headers=en") {
		t.Fatalf("no export for tools offered: %s", p.Body)
	}
	placed := time.Now().In(clock.China).Format("2006-01-02 ")
	for _, tc := range []struct{ name, lang, query, header, paid, unpaid string }{
		{"zh-CN", "", "", "\ufeff订单号,下单时间,订单状态,客户 ID,收货人,", ",待发货,", ",待付款,"},
		{"en", "en", "", "\ufeffOrder number,Placed at,Status,Shopper ID,", `,"` + en.Enum("order.status", "paid") + `",`, "," + en.Enum("order.status", "pending_payment") + ","},
		{"for tools", "", "&headers=en", "\ufefforder_no,placed_at,status,shopper_id,", ",paid,", ",pending_payment,"},
	} {
		c.Lang = tc.lang
		p := c.Get("/console/orders/export.csv?from=" + today + "&to=" + today + tc.query)
		if p.Status != http.StatusOK || !strings.HasPrefix(p.Body, tc.header) {
			t.Fatalf("%s export: %d %.200s", tc.name, p.Status, p.Body)
		}
		lines := strings.Split(strings.TrimSpace(p.Body), "\n")
		if len(lines) != 4 || !strings.HasPrefix(lines[1], paidMug+","+placed) || !strings.HasPrefix(lines[3], unpaid+",") ||
			!strings.Contains(lines[1], "Blue Mug ×1") || !strings.Contains(lines[2], ",118.00,") ||
			!strings.Contains(lines[1], tc.paid) || !strings.Contains(lines[3], tc.unpaid) {
			t.Fatalf("%s export rows:\n%s", tc.name, p.Body)
		}
	}
	c.Lang = ""
	if p := c.Get("/console/orders/export.csv?from=" + yesterday + "&to=" + yesterday); strings.Count(p.Body, "\n") != 1 {
		t.Fatalf("export of a day without orders: %q", p.Body)
	}
}

func TestOrderPageShowsTheWholeOrder(t *testing.T) {
	e := apptest.Start(t)
	c := e.SignIn(t, "lily", staff.RoleStaff)
	sku := e.Product(t, apptest.SKU{Price: 2990, Stock: 10}).SKUs[0].ID
	_, no := e.PaidOrder(t, "alice", sku, 2)
	o := orderOf(t, e, no)
	_, openids := shoppers(t, e)
	p := c.Get("/console/orders/" + no)
	for _, want := range []string{no, o.Items[0].Title, "¥29.90", "¥59.80", yuanOf(o.PayAmount), o.TransactionID, openids[0],
		"张三", "13800138000", "科技园 1 号", "待付款 → ", "已付款，微信支付单号 " + o.TransactionID, zh.T("console.order.ship"), "确认发货", "发起退款"} {
		if !p.Has(want) {
			t.Errorf("order page lacks %q", want)
		}
	}
	if p.Has(zh.T("console.order.cancel")) {
		t.Error("a paid order offers to cancel")
	}
	if p := c.Get("/console/orders/404404404"); p.Status != http.StatusNotFound {
		t.Fatalf("unknown order: %d", p.Status)
	}
}

func yuanOf(fen int64) string { return fmt.Sprintf("¥%d.%02d", fen/100, fen%100) }

func TestCancelAnUnpaidOrder(t *testing.T) {
	e := apptest.Start(t)
	c := e.SignIn(t, "lily", staff.RoleStaff)
	sku := e.Product(t, apptest.SKU{Price: 2990, Stock: 10}).SKUs[0].ID
	no := unpaidOrder(t, e, "alice", sku, 3)
	if n := stockOf(t, e, sku); n != 7 {
		t.Fatalf("stock after ordering: %d", n)
	}
	if p := c.Get("/console/orders/" + no); !p.Has("取消订单") || p.Has(zh.T("console.order.ship")) {
		t.Fatalf("unpaid order page: %s", p.Body)
	}
	if p := c.Post("/console/orders/"+no+"/cancel", nil); p.Status != http.StatusSeeOther {
		t.Fatalf("cancel: %d %s", p.Status, p.Body)
	}
	o := orderOf(t, e, no)
	if o.Status != order.StatusClosed || o.CloseReason.ID != order.ReasonCancelledByMerchant.ID || stockOf(t, e, sku) != 10 {
		t.Fatalf("after cancel: %s %q, stock %d", o.Status, o.CloseReason, stockOf(t, e, sku))
	}
	if last := o.History[len(o.History)-1]; last.Actor != c.Account.Actor() {
		t.Fatalf("cancelled by %q", last.Actor)
	}
	if p := c.Post("/console/orders/"+no+"/cancel", nil); p.Status != http.StatusConflict || stockOf(t, e, sku) != 10 {
		t.Fatalf("second cancel: %d, stock %d", p.Status, stockOf(t, e, sku))
	}
	_, paid := e.PaidOrder(t, "bob", sku, 1)
	if p := c.Post("/console/orders/"+paid+"/cancel", nil); p.Status != http.StatusConflict {
		t.Fatalf("cancelling a paid order: %d", p.Status)
	}
}
