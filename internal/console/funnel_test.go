package console_test

import (
	"context"
	"encoding/csv"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/kaidian/kaidian/internal/app/apptest"
	"github.com/kaidian/kaidian/internal/channel"
	"github.com/kaidian/kaidian/internal/clock"
	"github.com/kaidian/kaidian/internal/money"
	"github.com/kaidian/kaidian/internal/promoter"
	"github.com/kaidian/kaidian/internal/report"
	"github.com/kaidian/kaidian/internal/staff"
)

func funnelVisit(t *testing.T, e *apptest.Env, token, ref string) {
	t.Helper()
	if r := e.Post("/api/v1/visits", token, map[string]any{"ref": ref, "path": "pages/index/index", "entry": 1007}); r.Status != http.StatusAccepted {
		t.Fatalf("visit: %d %s", r.Status, r.Body)
	}
}

// csvRows reads a CSV answer, without its byte-order mark.
func csvRows(t *testing.T, p apptest.Page) [][]string {
	t.Helper()
	if p.Status != http.StatusOK {
		t.Fatalf("export: %d %s", p.Status, p.Body)
	}
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(p.Body, "\ufeff"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// fen reads a CSV amount in yuan ("29.90").
func fen(t *testing.T, s string) int64 {
	t.Helper()
	n, err := money.Parse(s)
	if err != nil {
		t.Fatalf("amount %q: %v", s, err)
	}
	return n
}

// Orders placed, paid and refunded through the API from several sources
// show in the funnel exactly as the orders list (its CSV export, filtered
// by source and the same days) adds them up; visits, visitors and cart
// shoppers are counted by source; the page and its CSV (both header
// languages) show them.
func TestFunnelReconcilesWithOrders(t *testing.T) {
	e := apptest.Start(t)
	ctx := context.Background()
	ch, err := e.App.Channels.Create(ctx, "staff:1", channel.Input{Name: "橱窗海报", Active: true})
	if err != nil {
		t.Fatal(err)
	}
	kol, err := e.App.Promoters.Create(ctx, "staff:1", promoter.Input{Kind: promoter.KindKOL, Status: promoter.StatusActive, Name: "达人小美", RateBP: 800})
	if err != nil {
		t.Fatal(err)
	}
	sku := e.Product(t).SKUs[0].ID
	sync := func() {
		if err := e.App.Attribution.Recorder().Sync(ctx); err != nil {
			t.Fatal(err)
		}
	}

	funnelVisit(t, e, e.Login("f-ann"), ch.Ref())
	funnelVisit(t, e, e.Login("f-ann"), ch.Ref()) // twice: one visitor
	funnelVisit(t, e, e.Login("f-cat"), ch.Ref())
	funnelVisit(t, e, "", ch.Ref()) // before login: a visit, no visitor
	funnelVisit(t, e, e.Login("f-bob"), kol.Ref())
	funnelVisit(t, e, e.Login("f-eve"), "channel:FORGED")
	sync()
	if r := e.Post("/api/v1/cart/items", e.Login("f-ann"), map[string]any{"sku_id": sku, "quantity": 1}); r.Status != http.StatusCreated {
		t.Fatalf("cart: %d %s", r.Status, r.Body)
	}
	if r := e.Post("/api/v1/cart/items", e.Login("f-eve"), map[string]any{"sku_id": sku, "quantity": 1}); r.Status != http.StatusCreated {
		t.Fatalf("cart: %d %s", r.Status, r.Body)
	}
	_, annPaid := e.PaidOrder(t, "f-ann", sku, 2)
	_, bobPaid := e.PaidOrder(t, "f-bob", sku, 1)
	e.PaidOrder(t, "f-dan", sku, 1) // direct
	catTok := e.Login("f-cat")
	addr := e.Post("/api/v1/addresses", catTok, map[string]any{"name": "张三", "phone": "13800138000",
		"province": "广东省", "city": "深圳市", "district": "南山区", "detail": "科技园 1 号"}).JSON(t)["id"]
	if r := e.Post("/api/v1/orders", catTok, map[string]any{"items": []map[string]any{{"sku_id": sku, "quantity": 1}}, "address_id": addr}); r.Status != http.StatusCreated {
		t.Fatalf("unpaid order: %d %s", r.Status, r.Body)
	}
	c := e.SignIn(t, "funnel-owner", staff.RoleOwner)
	if p := c.Post("/console/orders/"+bobPaid+"/refund", url.Values{"amount": {"5.00"}, "reason": {"少发了一件"}}); p.Status != http.StatusSeeOther {
		t.Fatalf("refund: %d %s", p.Status, p.Body)
	}
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if o, err := e.App.Orders.ByNo(ctx, bobPaid); err == nil && o.RefundedAmount == 500 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the refund never succeeded")
		}
	}
	sync()

	today := clock.New().Now().In(clock.China).Format(time.DateOnly)
	from, to, err := e.App.Reports.FunnelPeriod(today, today)
	if err != nil {
		t.Fatal(err)
	}
	f, err := e.App.Reports.Funnel(ctx, from, to)
	if err != nil {
		t.Fatal(err)
	}
	by := map[string]report.FunnelSource{}
	for _, s := range f.Sources {
		by[s.Source] = s
	}
	want := map[string]report.FunnelStep{
		ch.Ref():  {Visits: 4, Visitors: 2, CartShoppers: 1, Orders: 2, PaidOrders: 1},
		kol.Ref(): {Visits: 1, Visitors: 1, Orders: 1, PaidOrders: 1, Refunds: 500},
		"unknown": {Visits: 1, Visitors: 1, CartShoppers: 1},
		"":        {Orders: 1, PaidOrders: 1},
	}
	for src, w := range want {
		got := by[src].FunnelStep
		w.PaidRevenue = got.PaidRevenue // checked against the orders below
		if got != w {
			t.Errorf("funnel %q: %+v, want %+v", src, got, w)
		}
	}
	if by[ch.Ref()].Name != "橱窗海报" || by[kol.Ref()].Name != "达人小美" {
		t.Errorf("names: %+v", f.Sources)
	}

	// Each source reconciles with the orders export filtered by it, over the same days.
	var total report.FunnelStep
	for _, s := range f.Sources {
		src := s.Source
		if src == "" {
			src = "direct"
		}
		rows := csvRows(t, c.Get("/console/orders/export.csv?headers=en&from="+today+"&to="+today+"&source="+url.QueryEscape(src)))
		col := map[string]int{}
		for i, name := range rows[0] {
			col[name] = i
		}
		var got report.FunnelStep
		for _, r := range rows[1:] {
			got.Orders++
			if st := r[col["status"]]; st == "paid" || st == "shipped" || st == "completed" {
				got.PaidOrders++
				got.PaidRevenue += fen(t, r[col["pay_amount"]])
				got.Refunds += fen(t, r[col["refunded_amount"]])
			}
			if r[col["source"]] != s.Source {
				t.Errorf("order %s of source %q in the export of %q", r[col["order_no"]], r[col["source"]], s.Source)
			}
		}
		if got.Orders != s.Orders || got.PaidOrders != s.PaidOrders || got.PaidRevenue != s.PaidRevenue || got.Refunds != s.Refunds {
			t.Errorf("source %q: funnel %+v, orders list %+v", s.Source, s.FunnelStep, got)
		}
		total.Orders += got.Orders
		total.PaidRevenue += got.PaidRevenue
	}
	all := csvRows(t, c.Get("/console/orders/export.csv?headers=en&from="+today+"&to="+today))
	if int64(len(all)-1) != total.Orders || f.Total.Orders != total.Orders || f.Total.PaidRevenue != total.PaidRevenue || f.Total.Orders != 4 {
		t.Errorf("%d orders listed, %d by source, funnel %+v", len(all)-1, total.Orders, f.Total)
	}
	if o, _ := e.App.Orders.ByNo(ctx, annPaid); by[ch.Ref()].PaidRevenue != o.PayAmount {
		t.Errorf("channel revenue %d, ann paid %d", by[ch.Ref()].PaidRevenue, o.PayAmount)
	}

	// The page and its CSV in both header languages.
	p := c.Get("/console/funnel?from=" + today + "&to=" + today)
	if p.Status != http.StatusOK || !p.Has("转化漏斗") || !p.Has("橱窗海报") || !p.Has("<svg") || !p.Has("未知来源") || !p.Has("直接访问") {
		t.Fatalf("funnel page: %d %s", p.Status, p.Body)
	}
	rows := csvRows(t, c.Get("/console/funnel/export.csv?headers=en&from="+today+"&to="+today))
	if strings.Join(rows[0], ",") != "day,source,source_name,visits,visitors,cart_shoppers,orders,paid_orders,paid_revenue,refunds,net_revenue" {
		t.Fatalf("header %v", rows[0])
	}
	found := false
	for _, r := range rows[1:] {
		if r[0] == "total" && r[1] == kol.Ref() {
			found = true
			if r[3] != "1" || r[6] != "1" || r[9] != "5.00" || fen(t, r[10]) != by[kol.Ref()].NetRevenue() {
				t.Errorf("KOL total row %v", r)
			}
		}
	}
	if !found {
		t.Errorf("no total row for the KOL: %v", rows)
	}
	if zh := csvRows(t, c.Get("/console/funnel/export.csv?from="+today+"&to="+today)); zh[0][3] != "访问" || zh[len(zh)-1][0] != "合计" {
		t.Errorf("zh export: %v", zh)
	}
	if p := c.Get("/console/funnel?from=2026-01-01&to=2026-12-31"); p.Status != http.StatusBadRequest || !p.Has("最多查看 90 天") {
		t.Errorf("a year: %d", p.Status)
	}
	if p := c.Get("/console/funnel?from=yesterday"); p.Status != http.StatusBadRequest {
		t.Errorf("a bad date: %d", p.Status)
	}
}
