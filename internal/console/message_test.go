package console_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/kaidian/kaidian/internal/app/apptest"
	"github.com/kaidian/kaidian/internal/audit"
	"github.com/kaidian/kaidian/internal/database"
	"github.com/kaidian/kaidian/internal/page"
	"github.com/kaidian/kaidian/internal/staff"
	"github.com/kaidian/kaidian/internal/subscribe"
)

func TestOwnersMapScenesToTemplates(t *testing.T) {
	e := apptest.Start(t)
	boss := e.SignIn(t, "boss", staff.RoleOwner)
	p := boss.Get("/console/messages/templates")
	if p.Status != http.StatusOK || !p.Has(zh.Enum("subscribe.scene", "order_paid")) || !p.Has(zh.T("console.messages.not_set")) ||
		!p.Has(`href="/console/messages/templates/order_paid"`) {
		t.Fatalf("templates page: %d %s", p.Status, p.Body)
	}
	if p := boss.Get("/console/messages/templates/order_paid"); p.Status != http.StatusOK || !p.Has(`name="keyword1"`) ||
		!p.Has(zh.Enum("subscribe.source", "pay_amount")) {
		t.Fatalf("scene form: %d %s", p.Status, p.Body)
	}
	form := func(kv ...string) url.Values {
		v := url.Values{"template_id": {"sandbox-order-paid"}, "page": {"pages/order/detail?order_no={order_no}"}, "enabled": {"on"},
			"keyword1": {"character_string1"}, "source1": {"order_no"}, "keyword2": {"amount3"}, "source2": {"pay_amount"}}
		for i := 0; i < len(kv); i += 2 {
			v.Set(kv[i], kv[i+1])
		}
		return v
	}
	for _, tc := range []struct {
		name string
		form url.Values
		says string
	}{
		{"money in a thing is fine but in a phrase is not", form("keyword2", "phrase3"), says("subscribe.source_kind", "keyword", "phrase3", "source", "pay_amount")},
		{"a keyword without a value", form("source2", ""), says("console.messages.row_incomplete", "n", 2)},
		{"one keyword twice", form("keyword2", "character_string1", "source2", "order_no"), says("console.messages.keyword_twice", "keyword", "character_string1")},
		{"no template id", form("template_id", ""), says("subscribe.template_id_format", "max", 64)},
		{"a page from the root", form("page", "/pages/x"), says("subscribe.page_format", "max", 256)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if p := boss.Post("/console/messages/templates/order_paid", tc.form); p.Status != http.StatusBadRequest || !p.Has(tc.says) {
				t.Fatalf("%d, want 400 saying %q: %s", p.Status, tc.says, p.Body)
			}
		})
	}
	if p := boss.Post("/console/messages/templates/order_paid", form("_csrf", "forged")); p.Status != http.StatusForbidden {
		t.Fatalf("a forged CSRF token: %d", p.Status)
	}
	if ts, _ := e.App.Messages.Templates(context.Background()); len(ts) != 0 {
		t.Fatalf("refused forms saved something: %+v", ts)
	}
	if p := boss.Post("/console/messages/templates/order_paid", form()); p.Status != http.StatusSeeOther {
		t.Fatalf("save: %d %s", p.Status, p.Body)
	}
	if p := boss.Get("/console/messages/templates"); !p.Has("sandbox-order-paid") || !p.Has(zh.T("console.messages.enabled")) {
		t.Fatalf("templates page after saving: %s", p.Body)
	}
	if p := boss.Get("/console/messages/templates/order_paid"); !p.Has(`value="amount3"`) || !p.Has(`value="character_string1"`) {
		t.Fatalf("the form does not show what was saved: %s", p.Body)
	}
	es, _, _ := e.App.Audit.List(context.Background(), audit.Query{Action: "subscribe.template", Page: page.Request{Limit: 10}})
	if len(es) != 1 || es[0].SubjectID != "order_paid" {
		t.Fatalf("audit: %+v", es)
	}
	if p := boss.Get("/console/audit?action=subscribe.template"); !p.Has(zh.T("console.audit_action.subscribe_template")) || !p.Has("sandbox-order-paid") {
		t.Fatalf("audit page: %s", p.Body)
	}
	if p := boss.Get("/console/messages/templates/birthday"); p.Status != http.StatusNotFound {
		t.Fatalf("an unknown scene: %d", p.Status)
	}

	// Staff see the mapping but may not change it.
	lily := e.SignIn(t, "lily", staff.RoleStaff)
	if p := lily.Get("/console/messages/templates"); p.Status != http.StatusOK || p.Has(`href="/console/messages/templates/order_paid"`) {
		t.Fatalf("staff's templates page: %d", p.Status)
	}
	if p := lily.Get("/console/messages/templates/order_paid"); p.Status != http.StatusForbidden {
		t.Fatalf("staff opened the form: %d", p.Status)
	}
	if p := lily.Post("/console/messages/templates/order_paid", form("template_id", "hijack")); p.Status != http.StatusForbidden {
		t.Fatalf("staff saved: %d", p.Status)
	}
}

func TestTheMessagesLogFilters(t *testing.T) {
	e := apptest.Start(t)
	if _, err := e.App.Messages.SaveTemplate(context.Background(), "test", subscribe.Template{Scene: subscribe.OrderPaid,
		TemplateID: "sandbox-order-paid", Enabled: true, Fields: fieldsOf("character_string1", "order_no", "amount3", "pay_amount")}); err != nil {
		t.Fatal(err)
	}
	sku := e.Product(t, apptest.SKU{Price: 1990, Stock: 10}).SKUs[0].ID
	_, skippedNo := e.PaidOrder(t, "nobody", sku, 1) // accepted nothing
	lily := e.SignIn(t, "lily", staff.RoleStaff)
	var p apptest.Page
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if p = lily.Get("/console/messages?status=skipped"); p.Has(skippedNo) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the skipped message never showed: %s", p.Body)
		}
	}
	if !p.Has(zh.T("subscribe.log.no_credit")) || !p.Has(zh.Enum("subscribe.status", "skipped")) {
		t.Fatalf("log row: %s", p.Body)
	}
	for _, q := range []string{"status=sent", "scene=order_shipped", "ref=K-none"} {
		if p := lily.Get("/console/messages?" + q); p.Status != http.StatusOK || p.Has(skippedNo) || !p.Has(zh.T("console.messages.none_match")) {
			t.Fatalf("?%s: %d shows the skipped order", q, p.Status)
		}
	}
	if p := lily.Get("/console/messages?ref=" + skippedNo); !p.Has(skippedNo) {
		t.Fatalf("by order number: %s", p.Body)
	}
	if p := lily.Get("/console/messages?cursor=zz"); p.Status != http.StatusBadRequest {
		t.Fatalf("a bad cursor: %d", p.Status)
	}
}

func fieldsOf(kv ...string) database.JSON[map[string]string] {
	m := map[string]string{}
	for i := 0; i < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return database.JSON[map[string]string]{V: m}
}
