package console_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/kaidian/kaidian/internal/app/apptest"
	"github.com/kaidian/kaidian/internal/audit"
	"github.com/kaidian/kaidian/internal/i18n"
	"github.com/kaidian/kaidian/internal/order"
	"github.com/kaidian/kaidian/internal/page"
	"github.com/kaidian/kaidian/internal/payment"
	"github.com/kaidian/kaidian/internal/staff"
)

// requestRefund asks for amount fen back as the shopper and returns the request's id.
func requestRefund(t *testing.T, e *apptest.Env, tok, no string, amount int64, reason string) string {
	t.Helper()
	r := e.Post("/api/v1/orders/"+no+"/refund-requests", tok, map[string]any{"amount": amount, "reason": reason})
	if r.Status != http.StatusCreated {
		t.Fatalf("refund request: %d %s", r.Status, r.Body)
	}
	return strconv.FormatInt(int64(r.JSON(t)["id"].(float64)), 10)
}

// audited returns the audit log's entries for an order made by the shop,
// newest first (the shopper's after-sale steps are left out).
func audited(t *testing.T, e *apptest.Env, no string) []audit.Entry {
	t.Helper()
	var out []audit.Entry
	for _, a := range auditedAll(t, e, no) {
		if !strings.HasPrefix(a.Actor, "shopper:") {
			out = append(out, a)
		}
	}
	return out
}

// auditedAll returns every audit log entry for an order, newest first.
func auditedAll(t *testing.T, e *apptest.Env, no string) []audit.Entry {
	t.Helper()
	es, _, err := e.App.Audit.List(context.Background(), audit.Query{SubjectType: "order", SubjectID: no, Page: page.Request{Limit: 50}})
	if err != nil {
		t.Fatal(err)
	}
	return es
}

func refundsOf(t *testing.T, e *apptest.Env, no string) []payment.Refund {
	t.Helper()
	rs, err := e.App.Payments.Refunds(context.Background(), orderOf(t, e, no).ID)
	if err != nil {
		t.Fatal(err)
	}
	return rs
}

func TestRefundRequestsAreDeclinedOrApproved(t *testing.T) {
	e := apptest.Start(t, quick)
	c := e.SignIn(t, "lily", staff.RoleStaff)
	if p := c.Get("/console/refunds"); p.Status != http.StatusOK || !p.Has("暂无待处理的退款申请") || !p.Has(zh.T("console.refunds.none_yet")) {
		t.Fatalf("empty refunds page: %d %s", p.Status, p.Body)
	}
	sku := e.Product(t, apptest.SKU{Price: 2990, Stock: 10}).SKUs[0].ID
	tok, no := e.PaidOrder(t, "alice", sku, 2)
	id := requestRefund(t, e, tok, no, 2990, "少发了一件")
	if p := c.Get("/console/refunds"); !p.Has(no) || !p.Has("少发了一件") || !p.Has("¥29.90") {
		t.Fatalf("refunds page: %s", p.Body)
	}
	if p := c.Post("/console/refunds/requests/"+id+"/decline", url.Values{"note": {" "}}); p.Status != http.StatusBadRequest || !p.Has(says("payment.decline_note")) {
		t.Fatalf("decline without a note: %d %s", p.Status, p.Body)
	}
	p := c.Post("/console/refunds/requests/"+id+"/decline", url.Values{"note": {"两件都已发出"}, "back": {"/console/orders/" + no}})
	if p.Status != http.StatusSeeOther || p.Location != "/console/orders/"+no {
		t.Fatalf("decline: %d %s %s", p.Status, p.Location, p.Body)
	}
	if es := audited(t, e, no); len(es) != 1 || es[0].Action != "refund.decline" || es[0].Actor != c.Account.Actor() {
		t.Fatalf("audit after decline: %+v", es)
	}

	id = requestRefund(t, e, tok, no, 2990, "其实是坏了")
	if p := c.Get("/console/orders/" + no); !p.Has("其实是坏了") || !p.Has("/console/refunds/requests/"+id+"/approve") || !p.Has("两件都已发出") ||
		!p.Has("已拒绝") || !p.Has(zh.T("console.refunds.approve_confirm", "amount", "¥29.90")) || !p.Has(zh.Enum("console.refund_request_status", "pending")) {
		t.Fatalf("order page with a pending request: %s", p.Body)
	}
	if p := c.Post("/console/refunds/requests/"+id+"/approve", url.Values{"restock": {"on"}}); p.Status != http.StatusSeeOther || p.Location != "/console/refunds" {
		t.Fatalf("approve: %d %s", p.Status, p.Body)
	}
	if p := c.Get("/console/refunds"); !p.Has("已同意退款申请：退款 R" + no + "-01，金额 ¥29.90") {
		t.Fatalf("no notice of the approved refund: %s", p.Body)
	}
	waitFor(t, "the approved refund", func() bool { return orderOf(t, e, no).RefundedAmount == 2990 })
	if n := stockOf(t, e, sku); n != 10 {
		t.Fatalf("stock after a refund with restock: %d", n)
	}
	if es := audited(t, e, no); len(es) != 2 || es[0].Action != "refund.approve" {
		t.Fatalf("audit after approve: %+v", es)
	}
	if p := c.Post("/console/refunds/requests/"+id+"/approve", nil); p.Status != http.StatusConflict {
		t.Fatalf("approving twice: %d", p.Status)
	}
	if p := c.Get("/console/refunds"); !p.Has("R"+no+"-01") || !p.Has(zh.T("console.refunds.none_waiting")) {
		t.Fatalf("refunds page after: %s", p.Body)
	}
}

func TestPartialRefundPutsChosenUnitsBack(t *testing.T) {
	e := apptest.Start(t, quick)
	c := e.SignIn(t, "boss", staff.RoleOwner)
	sku := e.Product(t, apptest.SKU{Price: 2990, Stock: 10}).SKUs[0].ID
	_, no := e.PaidOrder(t, "alice", sku, 3)
	restock := "restock_" + strconv.FormatInt(sku, 10)
	if p := c.Post("/console/orders/"+no+"/refund", url.Values{"amount": {"12.345"}, "reason": {"瑕疵"}}); p.Status != http.StatusBadRequest ||
		!p.Has(says("console.yuan")) || !p.Has(`value="瑕疵"`) {
		t.Fatalf("bad amount: %d %s", p.Status, p.Body)
	}
	if p := c.Post("/console/orders/"+no+"/refund", url.Values{"amount": {"10"}, restock: {"4"}}); p.Status != http.StatusConflict ||
		!p.Has(says("payment.restock_exceeds_sold")) {
		t.Fatalf("restocking more than sold: %d %s", p.Status, p.Body)
	}
	if rs := refundsOf(t, e, no); len(rs) != 0 {
		t.Fatalf("refused refunds were recorded: %+v", rs)
	}
	p := c.Post("/console/orders/"+no+"/refund", url.Values{"amount": {"29.9"}, "reason": {"退一件"}, restock: {"1"}})
	if p.Status != http.StatusSeeOther {
		t.Fatalf("partial refund: %d %s", p.Status, p.Body)
	}
	waitFor(t, "the partial refund", func() bool { return orderOf(t, e, no).RefundedAmount == 2990 })
	if n := stockOf(t, e, sku); n != 8 {
		t.Fatalf("stock: %d, want 7 + 1", n)
	}
	page := c.Get("/console/orders/" + no)
	if !page.Has("R"+no+"-01") || !page.Has("退款成功") || !page.Has("退一件") || !page.Has("SKU "+strconv.FormatInt(sku, 10)+" ×1") {
		t.Fatalf("order page: %s", page.Body)
	}
	if es := audited(t, e, no); len(es) != 1 || es[0].Action != "refund.create" || i18n.For(i18n.En).Msg(es[0].Detail) != "¥29.90 refund R"+no+"-01, 1 back on sale: 退一件" ||
		i18n.For(i18n.ZhCN).Msg(es[0].Detail) != "退款 ¥29.90，退款单号 R"+no+"-01，1 件退回库存：退一件" {
		t.Fatalf("audit: %+v", es)
	}
	if o := orderOf(t, e, no); o.Status != order.StatusPaid {
		t.Fatalf("a partial refund moved the order to %s", o.Status)
	}
}

func TestOnlyOwnersRefundAboveTheLimit(t *testing.T) {
	e := apptest.Start(t, quick)
	ctx := context.Background()
	sh, _ := e.App.Settings.Get(ctx)
	sh.OwnerRefundLimit = 5000
	if _, err := e.App.Settings.Update(ctx, "test", sh); err != nil {
		t.Fatal(err)
	}
	lily := e.SignIn(t, "lily", staff.RoleStaff)
	boss := e.SignIn(t, "boss", staff.RoleOwner)
	sku := e.Product(t, apptest.SKU{Price: 2990, Stock: 10}).SKUs[0].ID
	tok, no := e.PaidOrder(t, "alice", sku, 4) // 119.60 and shipping

	if p := lily.Post("/console/orders/"+no+"/refund", url.Values{"amount": {"60"}}); p.Status != http.StatusForbidden || !p.Has("需由店主操作") {
		t.Fatalf("staff above the limit: %d %s", p.Status, p.Body)
	}
	if p := lily.Post("/console/orders/"+no+"/refund", url.Values{"amount": {"30"}}); p.Status != http.StatusSeeOther {
		t.Fatalf("staff within the limit: %d %s", p.Status, p.Body)
	}
	// A second slice that takes the order's refunds past the limit is refused too.
	if p := lily.Post("/console/orders/"+no+"/refund", url.Values{"amount": {"25"}}); p.Status != http.StatusForbidden {
		t.Fatalf("staff slicing past the limit: %d %s", p.Status, p.Body)
	}
	if rs := refundsOf(t, e, no); len(rs) != 1 || rs[0].Amount != 3000 || rs[0].Actor != lily.Account.Actor() {
		t.Fatalf("refunds after staff: %+v", rs)
	}
	id := requestRefund(t, e, tok, no, 4000, "还要退")
	if p := lily.Post("/console/refunds/requests/"+id+"/approve", nil); p.Status != http.StatusForbidden || !p.Has("需由店主操作") {
		t.Fatalf("staff approving past the limit: %d %s", p.Status, p.Body)
	}
	if p := boss.Post("/console/refunds/requests/"+id+"/approve", nil); p.Status != http.StatusSeeOther {
		t.Fatalf("owner approving: %d %s", p.Status, p.Body)
	}
	if p := boss.Post("/console/orders/"+no+"/refund", url.Values{"amount": {"25"}}); p.Status != http.StatusSeeOther {
		t.Fatalf("owner above the limit: %d %s", p.Status, p.Body)
	}
	rs := refundsOf(t, e, no)
	if len(rs) != 3 || rs[1].Actor != boss.Account.Actor() || rs[2].Amount != 2500 {
		t.Fatalf("refunds: %+v", rs)
	}
	var actions []string
	for _, a := range audited(t, e, no) {
		actions = append(actions, a.Action+" "+a.Actor)
	}
	want := []string{"refund.create " + boss.Account.Actor(), "refund.approve " + boss.Account.Actor(), "refund.create " + lily.Account.Actor()}
	if len(actions) != 3 || actions[0] != want[0] || actions[1] != want[1] || actions[2] != want[2] {
		t.Fatalf("audit: %v", actions)
	}
}

func TestAnOrderRefundedInFullCannotBeShipped(t *testing.T) {
	e := apptest.Start(t, quick)
	c := e.SignIn(t, "boss", staff.RoleOwner)
	sku := e.Product(t, apptest.SKU{Price: 2990, Stock: 10}).SKUs[0].ID
	_, no := e.PaidOrder(t, "alice", sku, 1)
	if p := c.Post("/console/orders/"+no+"/refund", url.Values{"reason": {"缺货"}, "restock_all": {"on"}}); p.Status != http.StatusSeeOther {
		t.Fatalf("full refund: %d %s", p.Status, p.Body)
	}
	// Refused while the refund is processing, and after it succeeded.
	if p := c.Post("/console/orders/"+no+"/ship", url.Values{"carrier": {"SF"}, "tracking_no": {"SF12345678"}}); p.Status != http.StatusConflict ||
		!p.Has(says("order.refunded_in_full")) {
		t.Fatalf("shipping a refunding order: %d %s", p.Status, p.Body)
	}
	waitFor(t, "the full refund", func() bool { o := orderOf(t, e, no); return o.RefundedAmount == o.PayAmount })
	if p := c.Post("/console/orders/"+no+"/ship", url.Values{"carrier": {"SF"}, "tracking_no": {"SF12345678"}}); p.Status != http.StatusConflict {
		t.Fatalf("shipping a refunded order: %d", p.Status)
	}
	if p := c.Get("/console/orders/" + no); p.Has(zh.T("console.order.ship")) || !p.Has("已全额退款，无需发货。") {
		t.Fatalf("order page: %s", p.Body)
	}
	if p := c.Post("/console/orders/ship-csv", url.Values{"csv": {no + ",SF,SF12345678"}}); p.Status != http.StatusBadRequest || !p.Has(says("order.refunded_in_full")) {
		t.Fatalf("bulk shipping a refunded order: %d %s", p.Status, p.Body)
	}
}
