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
	"github.com/kaidian/kaidian/internal/promoter"
	"github.com/kaidian/kaidian/internal/staff"
	"github.com/kaidian/kaidian/internal/testkit"
)

// The merchant's side of promoters, over HTTP: stores, an associate and an
// application approved, rules and a campaign, the settle days, a paid
// order's commission settled and shown on the statement, a payout batch
// created, exported in both header languages and marked paid once; every
// change audited, bad input refused without a change, payouts owners' only.
func TestConsolePromotersToPayout(t *testing.T) {
	e := apptest.Start(t)
	ctx := context.Background()
	c := e.SignIn(t, "boss", staff.RoleOwner)
	if p := c.Get("/console/promoters"); p.Status != http.StatusOK || !p.Has(zh.T("console.promoters.none")) {
		t.Fatalf("empty promoters page: %d %s", p.Status, p.Body)
	}
	if p := c.Post("/console/stores", url.Values{"name": {" "}, "active": {"on"}}); p.Status != http.StatusBadRequest {
		t.Fatalf("a store without a name: %d", p.Status)
	}
	if p := c.Post("/console/stores", url.Values{"name": {"南京西路店"}, "city": {"上海"}, "active": {"on"}}); p.Status != http.StatusSeeOther {
		t.Fatalf("create store: %d %s", p.Status, p.Body)
	}
	stores, err := e.App.Promoters.Stores(ctx)
	testkit.Must(t, err)
	if len(stores) != 1 || !c.Get("/console/stores").Has("南京西路店") {
		t.Fatalf("stores: %+v", stores)
	}
	storeID := strconv.FormatInt(stores[0].ID, 10)
	if p := c.Post("/console/stores/"+storeID, url.Values{"name": {"南京西路旗舰店"}, "city": {"上海"}}); p.Status != http.StatusSeeOther {
		t.Fatalf("deactivate store: %d %s", p.Status, p.Body)
	}
	if st, _ := e.App.Promoters.Store(ctx, stores[0].ID); st.Active || st.Name != "南京西路旗舰店" {
		t.Fatalf("store after edit: %+v", st)
	}
	if p := c.Post("/console/promoters", url.Values{"kind": {"associate"}, "name": {"小王"}, "rate": {"800"}}); p.Status != http.StatusBadRequest {
		t.Fatalf("an associate without a store: %d", p.Status)
	}
	p := c.Post("/console/promoters", url.Values{"kind": {"associate"}, "name": {"小王"}, "rate": {"800"}, "store_id": {storeID}})
	if p.Status != http.StatusSeeOther || !strings.HasPrefix(p.Location, "/console/promoters/") {
		t.Fatalf("create associate: %d %s", p.Status, p.Body)
	}
	assoc := p.Location
	if p := c.Post(assoc+"/invite", url.Values{}); p.Status != http.StatusSeeOther {
		t.Fatalf("invite: %d %s", p.Status, p.Body)
	}
	if pg := c.Get(assoc); !pg.Has(zh.T("console.promoters.invite_code")) {
		t.Fatalf("the invite code is not shown: %s", pg.Body)
	}
	if list := c.Get("/console/promoters?kind=associate&store_id=" + storeID); !list.Has("小王") {
		t.Fatalf("filtered list: %s", list.Body)
	}

	// A shopper applies in the mini program; the merchant approves at 12%.
	kol := e.Login("console-kol")
	r := e.Post("/api/v1/promoter/apply", kol, map[string]any{"name": "达人阿May"})
	if r.Status != http.StatusCreated {
		t.Fatalf("apply: %d %s", r.Status, r.Body)
	}
	applicant, err := e.App.Promoters.ByCode(ctx, r.JSON(t)["code"].(string))
	testkit.Must(t, err)
	if list := c.Get("/console/promoters?status=pending"); !list.Has("达人阿May") || list.Has("小王") {
		t.Fatalf("pending applications: %s", list.Body)
	}
	base := fmt.Sprintf("/console/promoters/%d", applicant.ID)
	if p := c.Post(base+"/approve", url.Values{"rate": {"1200"}}); p.Status != http.StatusSeeOther {
		t.Fatalf("approve: %d %s", p.Status, p.Body)
	}
	if p := c.Post(base+"/approve", url.Values{"rate": {"1200"}}); p.Status != http.StatusConflict {
		t.Fatalf("approve twice: %d", p.Status)
	}
	page := c.Get(base)
	if !page.Has("ref=promoter%3A"+applicant.Code) || !page.Has("/console/share/code.png?") || !page.Has(zh.T("console.promoter_status.active")) {
		t.Fatalf("promoter page: %s", page.Body)
	}
	codeURL := "/console/share/code.png?" + url.Values{"download": {"1"}, "ref": {applicant.Ref()},
		"target": {"home"}, "width": {"430"}}.Encode() // one of the print widths the page offers
	if png := c.Get(codeURL); png.Status != http.StatusOK || !strings.HasPrefix(png.Body, "\x89PNG") || !page.Has(strings.ReplaceAll(codeURL, "&", "&amp;")) {
		t.Fatalf("the promoter's mini-program code %s: %d", codeURL, png.Status)
	}

	// Her own product rule (20%), a campaign refused then saved, settle at once.
	prod := e.Product(t, apptest.SKU{Price: 10000, Stock: 10})
	if p := c.Post("/console/commission/rules", url.Values{"scope": {"product"}, "target_id": {strconv.FormatInt(prod.ID, 10)},
		"rate": {"2000"}, "promoter_id": {strconv.FormatInt(applicant.ID, 10)}}); p.Status != http.StatusSeeOther || p.Location != base {
		t.Fatalf("rule: %d %s %s", p.Status, p.Location, p.Body)
	}
	if p := c.Post("/console/commission/rules", url.Values{"scope": {"product"}, "target_id": {"999999"}, "rate": {"100"}}); p.Status != http.StatusBadRequest {
		t.Fatalf("a rule for no product: %d", p.Status)
	}
	now := time.Now()
	camp := url.Values{"name": {"年终大促"}, "rate": {"99999"}, "starts_at": {now.Add(24 * time.Hour).Format("2006-01-02T15:04")},
		"ends_at": {now.Add(48 * time.Hour).Format("2006-01-02T15:04")}, "category_ids": {""}}
	if p := c.Post("/console/commission/campaigns", camp); p.Status != http.StatusBadRequest {
		t.Fatalf("a campaign at 999.99%%: %d", p.Status)
	}
	camp.Set("rate", "3000")
	if p := c.Post("/console/commission/campaigns", camp); p.Status != http.StatusSeeOther || !c.Get("/console/commission").Has("年终大促") {
		t.Fatalf("campaign: %d %s", p.Status, p.Body)
	}
	if p := c.Post("/console/settings/commission", url.Values{"commission_settle_days": {"91"}}); p.Status != http.StatusBadRequest {
		t.Fatalf("91 settle days: %d", p.Status)
	}
	if p := c.Post("/console/settings/commission", url.Values{"commission_settle_days": {"0"}}); p.Status != http.StatusSeeOther {
		t.Fatalf("settle days: %d %s", p.Status, p.Body)
	}
	if !c.Get("/console/settings").Has(`name="commission_settle_days" inputmode="numeric" value="0"`) {
		t.Fatal("the settings page does not show the settle days")
	}

	buyer := e.Login("console-buyer")
	no := creditedPaidOrder(t, e, buyer, applicant, prod.SKUs[0].ID)
	o, err := e.App.Orders.ByNo(ctx, no)
	testkit.Must(t, err)
	completeOrder(t, e, o.OrderNo, o.ShopperID)
	if _, err := e.App.Commission.SettleDue(ctx); err != nil {
		t.Fatal(err)
	}
	st := c.Get(base + "/statement?month=" + time.Now().Format("2006-01"))
	if st.Status != http.StatusOK || !st.Has("¥20.00") || !st.Has(zh.T("console.commission_kind.commission")) {
		t.Fatalf("statement: %d %s", st.Status, st.Body)
	}
	if p := c.Get(base + "/statement?month=December"); p.Status != http.StatusBadRequest {
		t.Fatalf("a bad month: %d", p.Status)
	}

	// Payouts: staff are refused; the owner batches, exports and pays once.
	if p := e.SignIn(t, "lily", staff.RoleStaff).Get("/console/payouts"); p.Status != http.StatusForbidden {
		t.Fatalf("staff on payouts: %d", p.Status)
	}
	if p := c.Get("/console/payouts"); !p.Has("¥20.00") || !p.Has(applicant.Code) {
		t.Fatalf("due: %s", p.Body)
	}
	p = c.Post("/console/payouts", url.Values{"cutoff": {time.Now().Format("2006-01-02")}})
	if p.Status != http.StatusSeeOther || !strings.HasPrefix(p.Location, "/console/payouts/") {
		t.Fatalf("create batch: %d %s", p.Status, p.Body)
	}
	batch := p.Location
	if p := c.Post("/console/payouts", url.Values{"cutoff": {time.Now().Format("2006-01-02")}}); p.Status != http.StatusConflict {
		t.Fatalf("a second batch of the same balance: %d", p.Status)
	}
	if csv := c.Get(batch + "/export.csv"); !strings.HasPrefix(csv.Body, "批次,推广码,姓名") || !strings.Contains(csv.Body, applicant.Code+",达人阿May,达人,,20.00,待打款,") {
		t.Fatalf("CSV: %s", csv.Body)
	}
	if csv := c.Get(batch + "/export.csv?headers=en"); !strings.HasPrefix(csv.Body, "batch,code,name,kind,phone,amount_yuan,status,reference") {
		t.Fatalf("CSV with English headers: %s", csv.Body)
	}
	if p := c.Post(batch+"/paid", url.Values{"reference": {""}}); p.Status != http.StatusBadRequest {
		t.Fatalf("paid without a reference: %d", p.Status)
	}
	if p := c.Post(batch+"/paid", url.Values{"reference": {"CMB-20261206-0001"}}); p.Status != http.StatusSeeOther {
		t.Fatalf("paid: %d %s", p.Status, p.Body)
	}
	if p := c.Post(batch+"/paid", url.Values{"reference": {"CMB-20261206-0002"}}); p.Status != http.StatusConflict {
		t.Fatalf("paid twice: %d", p.Status)
	}
	if b, _ := e.App.Commission.Balances(ctx, applicant.ID); b.Paid != 2000 || b.Settled != 0 || b.Pending != 0 {
		t.Fatalf("balances after payout: %+v", b)
	}
	// Every page renders whole (a template error would cut it short).
	for _, path := range []string{"/console/promoters", base, base + "/statement", "/console/stores", "/console/commission",
		"/console/commission?edit=1", "/console/payouts", batch, "/console/settings"} {
		if p := c.Get(path); p.Status != http.StatusOK || !p.Has("</html>") {
			t.Errorf("GET %s: %d, cut short: %s", path, p.Status, p.Body[max(0, len(p.Body)-300):])
		}
	}
	audit := c.Get("/console/audit")
	for _, action := range []string{"console.audit_action.promoter_approve", "console.audit_action.store_update",
		"console.audit_action.commission_rule", "console.audit_action.commission_campaign", "console.audit_action.payout_paid"} {
		if !audit.Has(zh.T(action)) {
			t.Errorf("audit log lacks %s", zh.T(action))
		}
	}
}

// creditedPaidOrder has the shopper (token) arrive through the promoter's
// link and buy one unit of the SKU, the order credited to the promoter at
// placement, paid through the sandbox.
func creditedPaidOrder(t *testing.T, e *apptest.Env, token string, p promoter.Promoter, skuID int64) string {
	t.Helper()
	addr := e.Post("/api/v1/addresses", token, map[string]any{"name": "张三", "phone": "13800138000",
		"province": "广东省", "city": "深圳市", "district": "南山区", "detail": "科技园 1 号"}).JSON(t)["id"]
	e.Visit(t, token, p.Ref())
	r := e.Post("/api/v1/orders", token, map[string]any{"items": []map[string]any{{"sku_id": skuID, "quantity": 1}}, "address_id": addr})
	no := r.JSON(t)["order_no"].(string)
	o, err := e.App.Orders.ByNo(context.Background(), no)
	testkit.Must(t, err)
	if o.PromoterID == nil || *o.PromoterID != p.ID {
		t.Fatalf("order %s credited to %v, want promoter %d", no, o.PromoterID, p.ID)
	}
	e.Pay(t, token, no)
	return no
}

// completeOrder ships the order and has the shopper confirm receipt.
func completeOrder(t *testing.T, e *apptest.Env, orderNo string, shopperID int64) {
	t.Helper()
	c := e.SignIn(t, "shipper-"+orderNo[len(orderNo)-6:], staff.RoleStaff)
	if p := c.Post("/console/orders/"+orderNo+"/ship", url.Values{"carrier": {"SF"}, "tracking_no": {"SF" + orderNo[len(orderNo)-10:]}}); p.Status != http.StatusSeeOther {
		t.Fatalf("ship: %d %s", p.Status, p.Body)
	}
	_, err := e.App.Orders.ConfirmReceipt(context.Background(), shopperID, orderNo)
	testkit.Must(t, err)
}
