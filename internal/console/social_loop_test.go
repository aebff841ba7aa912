package console_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kaidian/kaidian/internal/app/apptest"
	"github.com/kaidian/kaidian/internal/clock"
	"github.com/kaidian/kaidian/internal/staff"
	"github.com/kaidian/kaidian/internal/testkit"
)

// TestSocialLoopWalkThrough is the README's walk-through, end to end: the
// merchant creates a channel and downloads its mini-program code; a shopper
// scans it (the code's scene, a scan entry), orders and pays; the funnel
// shows the channel's visit, order and revenue. Then a KOL's code brings a
// friend whose paid order earns the KOL their rate of the goods, pending,
// on the console's promoter page and in the promoter's own API.
func TestSocialLoopWalkThrough(t *testing.T) {
	e := apptest.Start(t)
	ctx := context.Background()
	c := e.SignIn(t, "boss", staff.RoleOwner)
	sku := e.Product(t, apptest.SKU{Price: 10000, Stock: 10}).SKUs[0].ID
	today := time.Now().In(clock.China).Format(time.DateOnly)

	// 1. A channel and its code.
	p := c.Post("/console/channels", url.Values{"name": {"静安店橱窗"}, "active": {"on"}})
	if p.Status != http.StatusSeeOther {
		t.Fatalf("create channel: %d %s", p.Status, p.Body)
	}
	show := c.Get(p.Location)
	links := codeLink.FindAllStringSubmatch(show.Body, -1)
	if len(links) == 0 {
		t.Fatalf("channel page offers no code: %s", show.Body)
	}
	code := c.Get(html.UnescapeString(links[0][1]))
	text, _ := testkit.ReadQR(t, []byte(code.Body))
	page, scene, ok := strings.Cut(text, "?scene=")
	if !ok || page != "pages/index/index" {
		t.Fatalf("the channel's code reads %q", text)
	}
	id, _ := strconv.ParseInt(strings.TrimPrefix(p.Location, "/console/channels/"), 10, 64)
	ch, err := e.App.Channels.Get(ctx, id)
	testkit.Must(t, err)

	// 2. A shopper scans it, orders and pays.
	tok := e.Login("walker")
	if r := e.Post("/api/v1/visits", tok, map[string]any{"scene": scene, "path": page, "entry": 1047}); r.Status != http.StatusAccepted {
		t.Fatalf("visit: %d %s", r.Status, r.Body)
	}
	testkit.Must(t, e.App.Attribution.Recorder().Sync(ctx))
	no := placeOne(t, e, tok, sku)
	e.Pay(t, tok, no)
	o, err := e.App.Orders.ByNo(ctx, no)
	testkit.Must(t, err)
	if o.Source != ch.Ref() || o.PromoterID != nil {
		t.Fatalf("order credited to %q / %v, want %q and no promoter", o.Source, o.PromoterID, ch.Ref())
	}

	// 3. The funnel shows it, and its CSV agrees with the order.
	if f := c.Get("/console/funnel?from=" + today + "&to=" + today); f.Status != http.StatusOK || !f.Has("静安店橱窗") {
		t.Fatalf("funnel page: %d %s", f.Status, f.Body)
	}
	rows := csvRows(t, c.Get("/console/funnel/export.csv?headers=en&from="+today+"&to="+today))
	var row []string
	for _, r := range rows[1:] {
		if r[0] == "total" && r[1] == ch.Ref() {
			row = r
		}
	}
	if row == nil || row[3] != "1" || row[6] != "1" || row[7] != "1" || fen(t, row[8]) != o.PayAmount {
		t.Fatalf("funnel total for the channel %v (order paid %d fen); all rows %v", row, o.PayAmount, rows)
	}

	// 4. A KOL at 10% and their code; a friend scans it, orders and pays.
	p = c.Post("/console/promoters", url.Values{"kind": {"kol"}, "name": {"达人小美"}, "rate": {"1000"}})
	if p.Status != http.StatusSeeOther {
		t.Fatalf("create KOL: %d %s", p.Status, p.Body)
	}
	page2 := c.Get(p.Location)
	links = codeLink.FindAllStringSubmatch(page2.Body, -1)
	if len(links) != 4 { // every print width, as a channel's
		t.Fatalf("promoter page offers %d code downloads, want 4: %s", len(links), page2.Body)
	}
	text, _ = testkit.ReadQR(t, []byte(c.Get(html.UnescapeString(links[0][1])).Body))
	_, scene, _ = strings.Cut(text, "?scene=")
	friend := e.Login("friend")
	if r := e.Post("/api/v1/visits", friend, map[string]any{"scene": scene, "path": "pages/index/index", "entry": 1048}); r.Status != http.StatusAccepted {
		t.Fatalf("friend's visit: %d %s", r.Status, r.Body)
	}
	testkit.Must(t, e.App.Attribution.Recorder().Sync(ctx))
	no = placeOne(t, e, friend, sku)
	e.Pay(t, friend, no)
	o, err = e.App.Orders.ByNo(ctx, no)
	testkit.Must(t, err)
	if o.PromoterID == nil {
		t.Fatalf("the friend's order was not credited to the KOL (source %q)", o.Source)
	}
	goods := o.PayAmount - o.ShippingFee
	b, err := e.App.Commission.Balances(ctx, *o.PromoterID)
	testkit.Must(t, err)
	if b.Pending != goods/10 || b.Settled != 0 || b.Paid != 0 {
		t.Fatalf("KOL balances %+v, want %d pending (10%% of %d)", b, goods/10, goods)
	}
	if pp := c.Get(p.Location); !pp.Has(yuan(goods / 10)) {
		t.Fatalf("promoter page does not show the pending ¥%s: %s", yuan(goods/10), pp.Body)
	}
}

// placeOne orders one unit of the SKU as the shopper, to a new address.
func placeOne(t *testing.T, e *apptest.Env, token string, skuID int64) string {
	t.Helper()
	addr := e.Post("/api/v1/addresses", token, map[string]any{"name": "张三", "phone": "13800138000",
		"province": "广东省", "city": "深圳市", "district": "南山区", "detail": "科技园 1 号"}).JSON(t)["id"]
	r := e.Post("/api/v1/orders", token, map[string]any{"items": []map[string]any{{"sku_id": skuID, "quantity": 1}}, "address_id": addr})
	if r.Status != http.StatusCreated {
		t.Fatalf("order: %d %s", r.Status, r.Body)
	}
	return r.JSON(t)["order_no"].(string)
}

// yuan writes fen as the console shows money, "12.34".
func yuan(fen int64) string {
	return strconv.FormatInt(fen/100, 10) + "." + strconv.FormatInt(fen%100/10, 10) + strconv.FormatInt(fen%10, 10)
}
