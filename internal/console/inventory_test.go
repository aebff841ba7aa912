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
	"github.com/kaidian/kaidian/internal/i18n"
	"github.com/kaidian/kaidian/internal/page"
	"github.com/kaidian/kaidian/internal/staff"
)

func TestInventoryListFiltersAndLinksToTheLedger(t *testing.T) {
	e := apptest.Start(t)
	c := e.SignIn(t, "lily", staff.RoleStaff)
	if p := c.Get("/console/inventory"); p.Status != http.StatusOK || !p.Has(zhCat.T("console.inventory.none")) {
		t.Fatalf("empty inventory: %d %s", p.Status, p.Body)
	}
	p := e.Product(t, apptest.SKU{Price: 2990, Stock: 3}, apptest.SKU{Price: 1990, Stock: 50})
	low, plenty := p.SKUs[0], p.SKUs[1]
	list := c.Get("/console/inventory")
	if !list.Has(low.Code) || !list.Has(plenty.Code) || !list.Has("¥29.90") || !list.Has(p.Title) {
		t.Fatalf("list: %s", list.Body)
	}
	// The dashboard's low-stock link: at or below the shop's threshold (5).
	if p := c.Get("/console/inventory?low=1"); !p.Has(low.Code) || p.Has(plenty.Code) || !p.Has(`badge low`) {
		t.Fatalf("low stock: %s", p.Body)
	}
	if p := c.Get("/console/inventory?q=" + url.QueryEscape(plenty.Code)); p.Has(low.Code) || !p.Has(plenty.Code) {
		t.Fatalf("search by code: %s", p.Body)
	}
	if p := c.Get("/console/inventory?q=" + url.QueryEscape("测试商品")); !p.Has(low.Code) || !p.Has(plenty.Code) {
		t.Fatalf("search by title: %s", p.Body)
	}
	if p := c.Get("/console/inventory?q=nothing-like-it"); !p.Has("没有符合条件的 SKU。") {
		t.Fatalf("no match: %s", p.Body)
	}

	// An order's movements link to the order.
	_, orderNo := e.PaidOrder(t, "alice", low.ID, 1)
	sku := c.Get(fmt.Sprintf("/console/inventory/%d", low.ID))
	for _, want := range []string{"初始库存", "下单占用", zhCat.Enum("stock.movement", "sell"), `href="/console/orders/` + orderNo + `"`, zhCat.T("console.inventory.reserved_long")} {
		if !sku.Has(want) {
			t.Errorf("SKU page lacks %q", want)
		}
	}
	if p := c.Get("/console/inventory/999999"); p.Status != http.StatusNotFound {
		t.Fatalf("unknown SKU: %d", p.Status)
	}
}

func TestInventoryLedgerPages(t *testing.T) {
	e := apptest.Start(t)
	c := e.SignIn(t, "lily", staff.RoleStaff)
	k := e.Product(t, apptest.SKU{Price: 100, Stock: 1}).SKUs[0]
	for i := range 55 {
		if _, err := e.App.CatalogIO.Adjust(context.Background(), k.ID, 1, fmt.Sprintf("count %02d", i), "test"); err != nil {
			t.Fatal(err)
		}
	}
	first := c.Get(fmt.Sprintf("/console/inventory/%d", k.ID))
	if !first.Has("count 54") || first.Has("count 04") || !first.Has(zhCat.T("console.catalog.older")) {
		t.Fatalf("first page: %s", first.Body)
	}
	older := first.Body[strings.Index(first.Body, `/console/inventory/`+fmt.Sprint(k.ID)+`?cursor=`):]
	older = strings.ReplaceAll(older[:strings.Index(older, `"`)], "&amp;", "&")
	second := c.Get(older)
	if !second.Has("count 04") || !second.Has(zhCat.T("record.stock.initial")) || second.Has("count 54") || second.Has(zhCat.T("console.catalog.older")) {
		t.Fatalf("second page: %s", second.Body)
	}
}

func TestInventoryAdjustment(t *testing.T) {
	e := apptest.Start(t)
	c := e.SignIn(t, "lily", staff.RoleStaff)
	k := e.Product(t, apptest.SKU{Price: 2990, Stock: 5}).SKUs[0]
	path := fmt.Sprintf("/console/inventory/%d", k.ID)
	c.Get(path)
	p := c.Post(path+"/adjust", url.Values{"quantity": {"+7"}, "reason": {"供应商到货"}})
	if p.Status != http.StatusSeeOther || p.Location != path {
		t.Fatalf("adjust: %d %s %s", p.Status, p.Location, p.Body)
	}
	if p := c.Get(path); !p.Has("库存 5 → 12。") || !p.Has("供应商到货") || !p.Has("<td>"+c.Account.Username+"</td>") || !p.Has("+7") {
		t.Fatalf("after adjusting: %s", p.Body)
	}
	for _, tc := range []struct {
		quantity, reason, want string
	}{
		{"-100", "丢失", says("catalogio.stock_short", "stock", 12)},
		{"3", " ", says("catalogio.reason_required")},
		{"three", "count", says("console.adjust_quantity")},
		{"0", "count", "不能为 0"},
	} {
		p := c.Post(path+"/adjust", url.Values{"quantity": {tc.quantity}, "reason": {tc.reason}})
		want := strings.TrimPrefix(tc.want, "reason ")
		if p.Status != http.StatusBadRequest || !p.Has(`<p class="field-error">`) || !p.Has(want) ||
			!p.Has(`value="`+tc.quantity+`"`) || !p.Has(`value="`+tc.reason+`"`) {
			t.Errorf("%s %q: %d, want %q and the input kept\n%s", tc.quantity, tc.reason, p.Status, want, p.Body)
		}
	}
	var stock, sum int64
	db := e.App.DB.Conn(context.Background())
	db.Raw("SELECT stock FROM skus WHERE id = ?", k.ID).Scan(&stock)
	db.Raw("SELECT SUM(quantity) FROM inventory_movements WHERE sku_id = ?", k.ID).Scan(&sum)
	if stock != 12 || sum != stock {
		t.Fatalf("stock %d, ledger sums to %d", stock, sum)
	}
	entries, _, _ := e.App.Audit.List(context.Background(), audit.Query{Action: "stock.adjust", SubjectID: fmt.Sprint(k.ID), Page: page.Request{Limit: 10}})
	if len(entries) != 1 || entries[0].Actor != c.Account.Actor() || !strings.Contains(i18n.For(i18n.En).Msg(entries[0].Detail), "stock 5 → 12 (供应商到货)") ||
		!strings.Contains(i18n.For(i18n.ZhCN).Msg(entries[0].Detail), "库存 5 → 12（供应商到货）") {
		t.Fatalf("audit: %+v", entries)
	}
	if p := c.Post("/console/inventory/999999/adjust", url.Values{"quantity": {"1"}, "reason": {"x"}}); p.Status != http.StatusNotFound {
		t.Fatalf("unknown SKU: %d", p.Status)
	}
}
