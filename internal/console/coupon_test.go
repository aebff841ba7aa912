package console_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kaidian/kaidian/internal/app/apptest"
	"github.com/kaidian/kaidian/internal/clock"
	"github.com/kaidian/kaidian/internal/customer"
	"github.com/kaidian/kaidian/internal/i18n"
	"github.com/kaidian/kaidian/internal/staff"
)

// couponForm is a valid 满100减20 over the whole shop, claimable for a week.
func couponForm() url.Values {
	start := time.Now().In(clock.China).Add(-time.Hour)
	return url.Values{"name": {"新客满100减20"}, "kind": {"threshold"}, "threshold_min": {"100"}, "threshold_amount": {"20"},
		"scope": {"shop"}, "starts_at": {start.Format("2006-01-02T15:04")}, "ends_at": {start.AddDate(0, 0, 7).Format("2006-01-02T15:04")},
		"validity": {"window"}, "total_quantity": {"100"}, "per_shopper_limit": {"1"}, "claimable": {"on"}}
}

func TestCouponPagesWithNoCoupons(t *testing.T) {
	e := apptest.Start(t)
	c := e.SignIn(t, "lily", staff.RoleStaff)
	zh := i18n.For(i18n.ZhCN)
	if p := c.Get("/console/coupons"); p.Status != http.StatusOK || !p.Has(zh.T("console.coupons.none")) || !p.Has("还没有优惠券") {
		t.Fatalf("empty list: %d %s", p.Status, p.Body)
	}
	if p := c.Get("/console/coupons?status=live"); !p.Has("没有“进行中”的优惠券。") {
		t.Fatalf("empty filtered list: %s", p.Body)
	}
	if p := c.Get("/console/coupons?status=lost"); p.Status != http.StatusBadRequest {
		t.Fatalf("unknown status: %d", p.Status)
	}
	if p := c.Get("/console/coupons/new"); p.Status != http.StatusOK || !p.Has(`name="threshold_min"`) || !p.Has(`value="threshold" checked`) {
		t.Fatalf("new form: %d %s", p.Status, p.Body)
	}
	if p := c.Get("/console/coupons/424242"); p.Status != http.StatusNotFound {
		t.Fatalf("unknown coupon: %d", p.Status)
	}
}

func TestCreateEditIssueAndStopACoupon(t *testing.T) {
	e := apptest.Start(t)
	c := e.SignIn(t, "lily", staff.RoleStaff)
	zh := i18n.For(i18n.ZhCN)

	// A refused form keeps what was typed and says what is wrong where.
	bad := couponForm()
	bad.Set("threshold_amount", "120")
	p := c.Post("/console/coupons", bad)
	if p.Status != http.StatusBadRequest || !p.Has(says("coupon.amount_over_threshold")) || !p.Has(`value="120"`) || !p.Has(`value="新客满100减20"`) {
		t.Fatalf("bad amount: %d %s", p.Status, p.Body)
	}
	bad = couponForm()
	bad.Set("scope", "products")
	bad.Set("scope_ids", "12, x")
	if p := c.Post("/console/coupons", bad); p.Status != http.StatusBadRequest || !p.Has("“x”不是 ID") {
		t.Fatalf("bad ids: %d %s", p.Status, p.Body)
	}

	p = c.Post("/console/coupons", couponForm())
	if p.Status != http.StatusSeeOther || !strings.HasPrefix(p.Location, "/console/coupons/") {
		t.Fatalf("create: %d %s", p.Status, p.Body)
	}
	page := p.Location
	if p := c.Get(page); !p.Has("满100减20") || !p.Has("0 / 100") || !p.Has(`badge live">进行中`) || !p.Has(zh.T("console.coupon.issue_heading")) {
		t.Fatalf("coupon page: %s", p.Body)
	}
	if p := c.Get("/console/coupons"); !p.Has("新客满100减20") || !p.Has("全店通用") {
		t.Fatalf("list: %s", p.Body)
	}
	if p := c.Get(page + "/edit"); !p.Has(`value="100.00"`) || !p.Has(`value="20.00"`) {
		t.Fatalf("edit form: %s", p.Body)
	}
	edit := couponForm()
	edit.Set("threshold_amount", "25")
	if p := c.Post(page, edit); p.Status != http.StatusSeeOther {
		t.Fatalf("edit before anyone holds it: %d %s", p.Status, p.Body)
	}

	// Issue: all or nothing, naming who cannot get one.
	ids := make([]string, 2)
	for i := range ids {
		sh, err := e.App.Customers.Login(context.Background(), customer.Identity{OpenID: fmt.Sprint("issue-", i)})
		if err != nil {
			t.Fatal(err)
		}
		ids[i] = fmt.Sprint(sh.ID)
	}
	p = c.Post(page+"/issue", url.Values{"shopper_ids": {ids[0] + ", 99999"}})
	if p.Status != http.StatusBadRequest || !p.Has("客户不存在：99999") || !p.Has(ids[0]+", 99999</textarea>") {
		t.Fatalf("issue to an unknown shopper: %d %s", p.Status, p.Body)
	}
	if p := c.Post(page+"/issue", url.Values{"shopper_ids": {strings.Join(ids, "\n")}}); p.Status != http.StatusSeeOther {
		t.Fatalf("issue: %d %s", p.Status, p.Body)
	}
	if p := c.Get(page); !p.Has("2 / 100") || !p.Has("#"+ids[1]) || !p.Has(zh.T("console.coupon.issued_by", "actor", c.Account.Username)) {
		t.Fatalf("page after issuing: %s", p.Body)
	}
	// The same page in English writes the value the English way.
	en := *c
	en.Lang = "en"
	if p := en.Get(page); !p.Has("¥25 off ¥100") || !p.Has("Issue to shoppers") || !p.Has("issued by "+c.Account.Username) {
		t.Fatalf("page after issuing: %s", p.Body)
	}

	// Held now: the terms are fixed, the error shows at the amount, the quantity may change.
	edit.Set("threshold_amount", "30")
	p = c.Post(page, edit)
	if p.Status != http.StatusConflict || !p.Has(says("coupon.terms_locked")) || !p.Has(`value="30"`) {
		t.Fatalf("edit a held coupon's terms: %d %s", p.Status, p.Body)
	}
	if !strings.Contains(p.Body[strings.Index(p.Body, `name="threshold_amount"`):], says("coupon.terms_locked")) {
		t.Fatal("the error is not shown next to the amount")
	}
	edit.Set("threshold_amount", "25")
	edit.Set("total_quantity", "500")
	if p := c.Post(page, edit); p.Status != http.StatusSeeOther {
		t.Fatalf("raise the quantity: %d %s", p.Status, p.Body)
	}

	if p := c.Post(page+"/stop", nil); p.Status != http.StatusSeeOther {
		t.Fatalf("stop: %d %s", p.Status, p.Body)
	}
	if p := c.Get(page); !p.Has("badge stopped") || p.Has(zh.T("console.coupon.issue_heading")) {
		t.Fatalf("stopped page: %s", p.Body)
	}
	if p := c.Get("/console/coupons?status=stopped"); !p.Has("新客满100减20") {
		t.Fatalf("stopped filter: %s", p.Body)
	}
	if p := c.Post(page+"/stop", nil); p.Status != http.StatusUnprocessableEntity {
		t.Fatalf("second stop: %d", p.Status)
	}

	owner := e.SignIn(t, "boss", staff.RoleOwner)
	for _, action := range []string{"coupon.create", "coupon.update", "coupon.issue", "coupon.stop"} {
		if p := owner.Get("/console/audit?action=" + action); !p.Has(c.Account.Actor()) {
			t.Errorf("%s not in the audit log as lily's", action)
		}
	}
}

// A coupon's page counts what shoppers did with it: claimed, used, the paid
// orders and their revenue.
func TestCouponStatistics(t *testing.T) {
	e := apptest.Start(t)
	c := e.SignIn(t, "lily", staff.RoleStaff)
	sku := e.Product(t, apptest.SKU{Price: 6000, Stock: 10}).SKUs[0].ID
	page := c.Post("/console/coupons", couponForm()).Location
	id := strings.TrimPrefix(page, "/console/coupons/")
	couponID, _ := strconv.ParseInt(id, 10, 64)

	tok := e.Login("alice")
	if r := e.Post("/api/v1/coupons/"+id+"/claim", tok, nil); r.Status != http.StatusCreated {
		t.Fatalf("claim: %d %s", r.Status, r.Body)
	}
	addr := e.Post("/api/v1/addresses", tok, map[string]any{"name": "张三", "phone": "13800138000",
		"province": "广东省", "city": "深圳市", "district": "南山区", "detail": "科技园 1 号"}).JSON(t)["id"]
	r := e.Post("/api/v1/orders", tok, map[string]any{"items": []map[string]any{{"sku_id": sku, "quantity": 2}},
		"address_id": addr, "coupon_id": couponID})
	if r.Status != http.StatusCreated {
		t.Fatalf("order with the coupon: %d %s", r.Status, r.Body)
	}
	no := r.JSON(t)["order_no"].(string)
	pkg, _ := e.Post("/api/v1/orders/"+no+"/pay", tok, nil).JSON(t)["package"].(string)
	e.Post("/sandbox/wxpay/pay", "", map[string]any{"prepay_id": strings.TrimPrefix(pkg, "prepay_id="), "result": "success"})
	waitFor(t, "the order to be paid", func() bool { return orderOf(t, e, no).PaidAt != nil })

	p := c.Get(page)
	for _, want := range []string{"1 / 100", "1 (100%)", "¥100.00", "¥20.00"} { // 2 × 60 − 20 = 100 paid, 20 off
		if !p.Has(want) {
			t.Errorf("coupon page lacks %q", want)
		}
	}
	if p := c.Get("/console/coupons"); !p.Has("¥100.00") {
		t.Errorf("the list lacks the revenue: %s", p.Body)
	}
}
