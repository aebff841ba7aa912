package console_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/kaidian/kaidian/internal/app/apptest"
	"github.com/kaidian/kaidian/internal/clock"
	"github.com/kaidian/kaidian/internal/flashsale"
	"github.com/kaidian/kaidian/internal/staff"
)

// flashForm is a valid sale from start for an hour: one unit per shopper,
// five minutes to pay, and one row per SKU given as code or id, price, units.
func flashForm(start time.Time, rows ...[3]string) url.Values {
	start = start.In(clock.China)
	v := url.Values{"title": {"零点秒杀"}, "starts_at": {start.Format("2006-01-02T15:04")},
		"ends_at": {start.Add(time.Hour).Format("2006-01-02T15:04")}, "per_shopper_limit": {"1"}, "pay_minutes": {"5"}}
	for i, r := range append(rows, [3]string{}) { // and a blank row, as the form sends it
		v.Set(fmt.Sprintf("rows[%d].sku", i), r[0])
		v.Set(fmt.Sprintf("rows[%d].price", i), r[1])
		v.Set(fmt.Sprintf("rows[%d].units", i), r[2])
	}
	return v
}

func TestFlashSalePagesWithNoSales(t *testing.T) {
	e := apptest.Start(t)
	c := e.SignIn(t, "lily", staff.RoleStaff)
	p := c.Get("/console/flash-sales")
	if p.Status != http.StatusOK || !p.Has(zhCat.T("console.flash_sales.none")) || !p.Has("还没有秒杀") || !p.Has(`href="/console/flash-sales" class="on"`) {
		t.Fatalf("empty list: %d %s", p.Status, p.Body)
	}
	for _, phase := range []string{"upcoming", "live", "ended"} {
		if p := c.Get("/console/flash-sales?phase=" + phase); p.Status != http.StatusOK || !p.Has(zhCat.T("console.flash_sales.none_in", "phase", zhCat.Enum("flash_sale.phase", phase))) {
			t.Fatalf("empty %s tab: %d %s", phase, p.Status, p.Body)
		}
	}
	if p := c.Get("/console/flash-sales?phase=lost"); p.Status != http.StatusBadRequest {
		t.Fatalf("unknown phase: %d", p.Status)
	}
	p = c.Get("/console/flash-sales/new")
	if p.Status != http.StatusOK || !p.Has(`name="rows[2].sku"`) || p.Has(`name="rows[3].sku"`) || !p.Has(`name="pay_minutes" inputmode="numeric" required value="5"`) {
		t.Fatalf("new form: %d %s", p.Status, p.Body)
	}
	if !p.Has(`<a href="/console/flash-sales" class="on">秒杀</a>`) {
		t.Fatal("the navigation does not show Flash sales as the current page")
	}
	for _, path := range []string{"/console/flash-sales/424242", "/console/flash-sales/424242/edit"} {
		if p := c.Get(path); p.Status != http.StatusNotFound {
			t.Fatalf("%s: %d", path, p.Status)
		}
	}
	if p := c.Post("/console/flash-sales/424242/end", nil); p.Status != http.StatusNotFound {
		t.Fatalf("end an unknown sale: %d", p.Status)
	}
}

// A merchant schedules a sale through the form (SKUs by code and by id),
// sees refused forms keep what was typed, edits it before it starts and
// cancels it; every unit goes through the ledger and back.
func TestScheduleEditAndCancelAFlashSale(t *testing.T) {
	e := apptest.Start(t)
	c := e.SignIn(t, "lily", staff.RoleStaff)
	p := e.Product(t, apptest.SKU{Price: 9900, Stock: 50}, apptest.SKU{Price: 5900, Stock: 20})
	one, two := p.SKUs[0], p.SKUs[1]
	start := time.Now().Add(2 * time.Hour)

	// Refused: a code no SKU has; the other rows and fields are kept, the SKU found is shown.
	page := c.Post("/console/flash-sales", flashForm(start, [3]string{one.Code, "19.90", "10"}, [3]string{"NOPE-1", "9.90", "5"}))
	if page.Status != http.StatusBadRequest || !page.Has("没有 SKU 使用这个编码或 ID") || !page.Has(`value="NOPE-1"`) ||
		!page.Has(`value="零点秒杀"`) || !page.Has(`value="19.90"`) || !page.Has(p.Title) || !page.Has("售价 ¥99.00 · 库存 50") {
		t.Fatalf("unknown SKU: %d %s", page.Status, page.Body)
	}
	if unknown := zhCat.T("console.flash_form.unknown_sku"); !strings.Contains(after(page.Body, `name="rows[1].sku"`), unknown) ||
		strings.Contains(after(page.Body, `name="rows[1].price"`), unknown) {
		t.Fatal("the unknown SKU is not marked at its own row")
	}
	// Refused by the ledger: more units than the SKU has, said at that row.
	page = c.Post("/console/flash-sales", flashForm(start, [3]string{one.Code, "19.90", "10"}, [3]string{itoa(two.ID), "9.90", "30"}))
	if page.Status != http.StatusConflict || !page.Has(zhCat.T("console.flash_form.only_in_stock", "n", 20)) || !page.Has(zhCat.T("console.flash_form.not_enough_stock")) || !page.Has(`value="30"`) {
		t.Fatalf("too many units: %d %s", page.Status, page.Body)
	}
	if !strings.Contains(after(page.Body, `name="rows[1].units"`), zhCat.T("console.flash_form.only_in_stock", "n", 20)) {
		t.Fatal("the stock error is not shown at the row that asked too much")
	}
	// Refused by the domain, named by its index among the filled rows: shown at the row as laid out.
	bad := flashForm(start, [3]string{one.Code, "19.90", "10"})
	bad.Set("rows[0].sku", "")
	bad.Set("rows[0].price", "")
	bad.Set("rows[0].units", "")
	bad.Set("rows[1].sku", one.Code)
	bad.Set("rows[1].price", "0")
	bad.Set("rows[1].units", "10")
	page = c.Post("/console/flash-sales", bad)
	if page.Status != http.StatusBadRequest || !strings.Contains(after(page.Body, `name="rows[1].price"`), "须大于 0") {
		t.Fatalf("zero price: %d %s", page.Status, page.Body)
	}
	bad = flashForm(start, [3]string{one.Code, "19.90", "10"})
	bad.Set("pay_minutes", "0")
	if page := c.Post("/console/flash-sales", bad); page.Status != http.StatusBadRequest || !page.Has(says("console.pay_minutes", "max", 120)) {
		t.Fatalf("no time to pay: %d %s", page.Status, page.Body)
	}
	bad = flashForm(start)
	if page := c.Post("/console/flash-sales", bad); page.Status != http.StatusBadRequest || !page.Has(says("flashsale.items_required")) {
		t.Fatalf("no SKU: %d %s", page.Status, page.Body)
	}
	if stockOf(t, e, one.ID) != 50 || stockOf(t, e, two.ID) != 20 {
		t.Fatal("a refused form moved stock")
	}

	// Looking up saves nothing: it shows what the rows name and adds rows.
	look := flashForm(start, [3]string{"#" + itoa(two.ID), "9.90", "5"})
	look.Set("more", "1")
	page = c.Post("/console/flash-sales", look)
	if page.Status != http.StatusOK || !page.Has(zhCat.T("console.flash_form.regular", "price", "¥59.00")+" · "+zhCat.T("console.flash_form.in_stock", "n", 20)) || !page.Has(`name="rows[3].sku"`) || page.Has(`name="rows[4].sku"`) {
		t.Fatalf("look up: %d %s", page.Status, page.Body)
	}

	page = c.Post("/console/flash-sales", flashForm(start, [3]string{one.Code, "19.90", "10"}, [3]string{itoa(two.ID), "9.90", "5"}))
	if page.Status != http.StatusSeeOther || !strings.HasPrefix(page.Location, "/console/flash-sales/") {
		t.Fatalf("schedule: %d %s", page.Status, page.Body)
	}
	sale := page.Location
	if stockOf(t, e, one.ID) != 40 || stockOf(t, e, two.ID) != 15 {
		t.Fatalf("stock after scheduling: %d, %d", stockOf(t, e, one.ID), stockOf(t, e, two.ID))
	}
	page = c.Get(sale)
	for _, want := range []string{zhCat.T("console.flash.scheduled_notice", "title", "零点秒杀"), "badge upcoming", zhCat.T("console.marketing.edit"),
		zhCat.T("console.flash.cancel"), "¥19.90", "¥99.00", "¥9.90", one.Code, "每人最多 1 件", "下单后 5 分 00 秒内付款"} {
		if !page.Has(want) {
			t.Errorf("upcoming sale's page lacks %q", want)
		}
	}
	if page.Has("data-refresh") {
		t.Error("an upcoming sale's page reloads itself")
	}
	if page := c.Get("/console/flash-sales?phase=upcoming"); !page.Has("零点秒杀") || !page.Has(p.Title+" · 规格1") || !page.Has(`<td class="num">15</td>`) {
		t.Fatalf("upcoming tab: %s", page.Body)
	}
	if page := c.Get("/console/flash-sales?phase=live"); page.Has("零点秒杀") {
		t.Fatal("an upcoming sale is listed as live")
	}
	if page := c.Get("/console/inventory/" + itoa(one.ID)); !page.Has(zhCat.Enum("stock.movement", "allot")) || !page.Has(`href="`+sale+`">秒杀 #`) || !page.Has("-10") {
		t.Fatalf("ledger after scheduling: %s", page.Body)
	}

	// Edit before the start: the form shows the sale (SKUs by code), changes move the difference.
	page = c.Get(sale + "/edit")
	if page.Status != http.StatusOK || !page.Has(`value="`+two.Code+`"`) || !page.Has(`value="19.90"`) || !page.Has(zhCat.T("console.flash_form.set_aside", "n", 10)) {
		t.Fatalf("edit form: %d %s", page.Status, page.Body)
	}
	edit := flashForm(start, [3]string{one.Code, "18.80", "55"})
	if page := c.Post(sale, edit); page.Status != http.StatusConflict || !page.Has(zhCat.T("console.flash_form.only_in_stock", "n", 50)) {
		t.Fatalf("edit asking more than stock plus what the sale holds: %d %s", page.Status, page.Body)
	}
	edit = flashForm(start, [3]string{one.Code, "18.80", "12"})
	edit.Set("title", "零点秒杀 加场")
	if page := c.Post(sale, edit); page.Status != http.StatusSeeOther || page.Location != sale {
		t.Fatalf("edit: %d %s", page.Status, page.Body)
	}
	if stockOf(t, e, one.ID) != 38 || stockOf(t, e, two.ID) != 20 {
		t.Fatalf("stock after the edit: %d, %d", stockOf(t, e, one.ID), stockOf(t, e, two.ID))
	}
	if page := c.Get(sale); !page.Has("零点秒杀 加场") || !page.Has("¥18.80") || page.Has(two.Code) {
		t.Fatalf("page after the edit: %s", page.Body)
	}

	// Cancel: every unit back; then nothing more to do with it.
	if page := c.Post(sale+"/end", nil); page.Status != http.StatusSeeOther {
		t.Fatalf("cancel: %d %s", page.Status, page.Body)
	}
	if stockOf(t, e, one.ID) != 50 {
		t.Fatalf("stock after cancelling: %d", stockOf(t, e, one.ID))
	}
	page = c.Get(sale)
	for _, want := range []string{zhCat.T("console.flash.cancelled", "title", "零点秒杀 加场", "n", 12), "badge ended", ">已取消<",
		zhCat.T("console.flash.returned"), zhCat.T("console.flash.not_sold_out"), zhCat.T("console.flash.no_orders")} {
		if !page.Has(want) {
			t.Errorf("cancelled sale's page lacks %q", want)
		}
	}
	if page.Has(zhCat.T("console.flash.cancel")) || page.Has(zhCat.T("console.flash.end")) || page.Has("/edit") {
		t.Error("a cancelled sale still offers to be edited or ended")
	}
	if page := c.Get(sale + "/edit"); page.Status != http.StatusConflict {
		t.Fatalf("edit an ended sale: %d", page.Status)
	}
	if page := c.Post(sale, edit); page.Status != http.StatusConflict || !page.Has(says("flashsale.started")) || !page.Has(`value="零点秒杀 加场"`) {
		t.Fatalf("save an ended sale: %d %s", page.Status, page.Body)
	}
	if page := c.Post(sale+"/end", nil); page.Status != http.StatusConflict {
		t.Fatalf("cancel twice: %d", page.Status)
	}
	if page := c.Get("/console/flash-sales?phase=ended"); !page.Has("零点秒杀 加场") || !page.Has("badge ended") {
		t.Fatalf("ended tab: %s", page.Body)
	}
	// One word for it: the shoppers' API says "ended" too, and a link with
	// the tab's former name still opens it.
	var api struct{ Status string }
	e.Get("/api/v1/flash-sales/"+strings.TrimPrefix(sale, "/console/flash-sales/"), "").Decode(t, &api)
	if api.Status != "ended" {
		t.Fatalf("the API calls the ended sale %q", api.Status)
	}
	if page := c.Get("/console/flash-sales?phase=finished"); page.Status != http.StatusOK || !page.Has("badge ended") ||
		!page.Has(`href="/console/flash-sales?phase=ended" class="on"`) {
		t.Fatalf("the former tab name: %d %s", page.Status, page.Body)
	}
	if page := c.Get("/console/inventory/" + itoa(one.ID)); !page.Has("秒杀退回") || !page.Has("+12") {
		t.Fatalf("ledger after cancelling: %s", page.Body)
	}

	owner := e.SignIn(t, "boss", staff.RoleOwner)
	for _, action := range []string{"flash_sale.create", "flash_sale.update", "flash_sale.end"} {
		if page := owner.Get("/console/audit?action=" + action); !page.Has(c.Account.Actor()) {
			t.Errorf("%s not in the audit log as lily's", action)
		}
	}
}

// A live sale shows its numbers and reloads itself; ending it early sends
// the units left back to stock and the page shows the results.
func TestEndALiveFlashSale(t *testing.T) {
	e := apptest.Start(t)
	c := e.SignIn(t, "lily", staff.RoleStaff)
	sku := e.Product(t, apptest.SKU{Price: 9900, Stock: 10}).SKUs[0]
	form := flashForm(time.Now().Add(-time.Hour), [3]string{sku.Code, "19.90", "5"})
	form.Set("per_shopper_limit", "2")
	form.Set("ends_at", time.Now().In(clock.China).Add(time.Hour).Format("2006-01-02T15:04"))
	page := c.Post("/console/flash-sales", form)
	sale := page.Location
	if !strings.HasPrefix(sale, "/console/flash-sales/") {
		t.Fatalf("schedule a live sale: %d %s", page.Status, page.Body)
	}
	id := mustID(t, strings.TrimPrefix(sale, "/console/flash-sales/"))

	// Alice buys one and pays; Bob buys two and does not pay (yet).
	buy := func(user string, qty int) (string, string) {
		tok, addr := shopperWithAddress(t, e, user)
		r := e.Post("/api/v1/orders", tok, map[string]any{"flash_sale_id": id, "address_id": addr,
			"items": []map[string]any{{"sku_id": sku.ID, "quantity": qty}}})
		if r.Status != http.StatusCreated {
			t.Fatalf("%s buys: %d %s", user, r.Status, r.Body)
		}
		return tok, r.JSON(t)["order_no"].(string)
	}
	tok, no := buy("alice", 1)
	buy("bob", 2)
	pkg, _ := e.Post("/api/v1/orders/"+no+"/pay", tok, nil).JSON(t)["package"].(string)
	e.Post("/sandbox/wxpay/pay", "", map[string]any{"prepay_id": strings.TrimPrefix(pkg, "prepay_id="), "result": "success"})
	waitFor(t, "alice's order to be paid", func() bool { return orderOf(t, e, no).PaidAt != nil })

	page = c.Get(sale)
	if page.Status != http.StatusOK || !page.Has(`data-refresh="3000"`) || !page.Has("badge live") || !page.Has("立即结束") || page.Has("/edit") {
		t.Fatalf("live page: %d %s", page.Status, page.Body)
	}
	// Revenue is what paid orders paid: 19.90 and 10.00 shipping.
	for label, want := range map[string]string{zhCat.T("console.flash.units_sold"): "1", "待付款订单占用": "2", zhCat.T("console.flash.left"): "2 / 5",
		zhCat.T("console.flash.buyers"): "2", zhCat.T("console.marketing.paid_orders"): "1 / 2", "销售额": "¥29.90"} {
		if !page.Has("<span>" + label + "</span><b>" + want + "</b>") {
			t.Errorf("live page: %s is not %s: %.80s", label, want, after(page.Body, "<span>"+label))
		}
	}
	if page := c.Get("/console/flash-sales?phase=live"); !page.Has("badge live") || !page.Has(`<td class="num">2</td>`) {
		t.Fatalf("live tab: %s", page.Body)
	}
	// Its orders, and only those, through the orders list's flash-sale filter.
	e.PaidOrder(t, "not-in-the-sale", sku.ID, 1)
	if !page.Has(`href="/console/orders?flash_sale=` + itoa(id) + `"`) {
		t.Fatalf("live page lacks the link to its orders")
	}
	if page := c.Get("/console/orders?flash_sale=" + itoa(id)); page.Status != http.StatusOK || !page.Has(no) ||
		strings.Count(page.Body, `<td class="nowrap"><a href="/console/orders/`) != 2 {
		t.Fatalf("orders of the sale: %d %s", page.Status, page.Body)
	}
	if page := c.Get("/console/orders?flash_sale=abc"); page.Status != http.StatusBadRequest || !page.Has(says("console.flash_sale_id")) {
		t.Fatalf("bad flash sale filter: %d", page.Status)
	}
	if page := c.Get(sale + "/edit"); page.Status != http.StatusConflict {
		t.Fatalf("edit a live sale: %d", page.Status)
	}

	// A forged end changes nothing.
	if page := c.Post(sale+"/end", url.Values{"_csrf": {"forged"}}); page.Status != http.StatusForbidden {
		t.Fatalf("forged end: %d", page.Status)
	}
	page = c.Post(sale+"/end", nil)
	if page.Status != http.StatusSeeOther {
		t.Fatalf("end now: %d %s", page.Status, page.Body)
	}
	if n := stockOf(t, e, sku.ID); n != 6 { // 10 − 5 allotted − 1 bought outside the sale + 2 left
		t.Fatalf("stock after ending: %d", n)
	}
	page = c.Get(sale)
	for label, want := range map[string]string{zhCat.T("console.flash.units_sold"): "1 / 5", zhCat.T("console.flash.still_held"): "2",
		zhCat.T("console.flash.returned"): "2", zhCat.T("console.flash.orders"): "2", zhCat.T("console.marketing.paid_orders"): "1",
		zhCat.T("console.flash.closed_unpaid"): "0", zhCat.T("console.marketing.revenue"): "¥29.90"} {
		if !page.Has("<span>" + label + "</span><b>" + want + "</b>") {
			t.Errorf("results: %s is not %s: %.80s", label, want, after(page.Body, "<span>"+label))
		}
	}
	if !page.Has(zhCat.T("console.flash.ended", "title", "零点秒杀", "n", 2)) || !page.Has("badge ended") || page.Has("data-refresh") || page.Has(zhCat.T("console.flash.end")) {
		t.Fatalf("ended page: %s", page.Body)
	}
	if page := c.Get("/console/inventory/" + itoa(sku.ID)); !page.Has(zhCat.Enum("stock.movement", "return")) || !page.Has("+2") {
		t.Fatalf("ledger after ending: %s", page.Body)
	}
	got, err := e.App.Flash.Get(context.Background(), id)
	if err != nil || got.Items[0].Returned != 2 || got.EndedAt == nil {
		t.Fatalf("sale after ending: %+v %v", got, err)
	}
}

// A sale that sold out while live says so in the list, and its page says
// how long it took.
func TestFlashSaleSoldOut(t *testing.T) {
	e := apptest.Start(t)
	c := e.SignIn(t, "lily", staff.RoleStaff)
	sku := e.Product(t, apptest.SKU{Price: 9900, Stock: 10}).SKUs[0]
	s, err := e.App.Flash.Create(context.Background(), "test", flashsale.Input{Title: "一件秒杀", StartsAt: time.Now().Add(-time.Minute),
		EndsAt: time.Now().Add(time.Hour), PerShopperLimit: 1, PayWindow: time.Minute,
		Items: []flashsale.ItemInput{{SKUID: sku.ID, Price: 100, Units: 1}}})
	if err != nil {
		t.Fatal(err)
	}
	tok, addr := shopperWithAddress(t, e, "carol")
	r := e.Post("/api/v1/orders", tok, map[string]any{"flash_sale_id": s.ID, "address_id": addr,
		"items": []map[string]any{{"sku_id": sku.ID, "quantity": 1}}})
	if r.Status != http.StatusCreated {
		t.Fatalf("buy the only unit: %d %s", r.Status, r.Body)
	}
	if page := c.Get("/console/flash-sales"); !page.Has("badge sold_out") || !page.Has(">已抢光<") {
		t.Fatalf("list of a sold-out sale: %s", page.Body)
	}
	if page := c.Get(flashURL(s.ID)); !page.Has("badge sold_out") || !page.Has(zhCat.T("console.flash.sold_out_after")) {
		t.Fatalf("page of a sold-out sale: %s", page.Body)
	}
}

// Flash sale pages need a session; staff run them as they run coupons.
func TestFlashSalePagesNeedASession(t *testing.T) {
	e := apptest.Start(t)
	anon := e.Anonymous(t)
	for _, path := range []string{"/console/flash-sales", "/console/flash-sales/new", "/console/flash-sales/1", "/console/flash-sales/1/edit"} {
		if p := anon.Get(path); p.Status != http.StatusSeeOther || !strings.HasPrefix(p.Location, "/console/login") {
			t.Errorf("anonymous GET %s: %d %s", path, p.Status, p.Location)
		}
	}
	for _, path := range []string{"/console/flash-sales", "/console/flash-sales/1", "/console/flash-sales/1/end"} {
		if p := anon.Post(path, nil); p.Status != http.StatusSeeOther || !strings.HasPrefix(p.Location, "/console/login") {
			t.Errorf("anonymous POST %s: %d %s", path, p.Status, p.Location)
		}
	}
	if p := e.SignIn(t, "lily", staff.RoleStaff).Get("/console/flash-sales/new"); p.Status != http.StatusOK {
		t.Fatalf("staff schedule flash sales: %d", p.Status)
	}
}

// after is the page from the first occurrence of marker on.
func after(body, marker string) string {
	i := strings.Index(body, marker)
	if i < 0 {
		return ""
	}
	end := min(len(body), i+400)
	return body[i:end]
}

func flashURL(id int64) string { return "/console/flash-sales/" + itoa(id) }

func mustID(t *testing.T, s string) int64 {
	t.Helper()
	var id int64
	if _, err := fmt.Sscan(s, &id); err != nil {
		t.Fatal(err)
	}
	return id
}

// shopperWithAddress signs the user in through the sandbox and gives them an address.
func shopperWithAddress(t *testing.T, e *apptest.Env, user string) (token string, addressID any) {
	t.Helper()
	token = e.Login(user)
	addressID = e.Post("/api/v1/addresses", token, map[string]any{"name": "张三", "phone": "13800138000",
		"province": "广东省", "city": "深圳市", "district": "南山区", "detail": "科技园 1 号"}).JSON(t)["id"]
	return token, addressID
}
