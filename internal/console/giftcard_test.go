package console_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/kaidian/kaidian/internal/app/apptest"
	"github.com/kaidian/kaidian/internal/audit"
	"github.com/kaidian/kaidian/internal/page"
	"github.com/kaidian/kaidian/internal/staff"
)

// A clerk creates a gift card design (a refused form says why); a shopper
// buys two, pays through the sandbox, sends one that a friend claims: the
// page counts sold, sent and claimed, shows the outstanding balance and the
// friend's ledger; taking a design off sale is audited.
func TestGiftCardPages(t *testing.T) {
	e := apptest.Start(t)
	c := e.SignIn(t, "mei", staff.RoleStaff)
	if p := c.Get("/console/gift-cards"); p.Status != http.StatusOK || !p.Has(zh.T("giftcard.console.empty")) {
		t.Fatalf("empty page: %d %s", p.Status, p.Body)
	}
	form := url.Values{"name": {"生日卡"}, "face_value": {"abc"}, "price": {"480"}, "valid_days": {"365"}}
	if p := c.Post("/console/gift-cards/designs", form); p.Status != http.StatusBadRequest || !p.Has(`value="生日卡"`) {
		t.Fatalf("bad face value: %d %s", p.Status, p.Body)
	}
	form.Set("face_value", "500")
	if p := c.Post("/console/gift-cards/designs", form); p.Status != http.StatusSeeOther || p.Location != "/console/gift-cards" {
		t.Fatalf("create: %d %s", p.Status, p.Body)
	}
	ds, err := e.App.GiftCards.Designs(context.Background())
	if err != nil || len(ds) != 1 || ds[0].FaceValue != 50000 || ds[0].Price != 48000 {
		t.Fatalf("designs: %+v %v", ds, err)
	}

	alice, bob := e.Login("alice"), e.Login("bob")
	no := e.Post("/api/v1/gift-cards", alice, map[string]any{"design_id": ds[0].ID, "quantity": 2}).JSON(t)["order_no"].(string)
	pkg := e.Post("/api/v1/orders/"+no+"/pay", alice, nil).JSON(t)["package"].(string)
	e.Post("/sandbox/wxpay/pay", "", map[string]any{"prepay_id": strings.TrimPrefix(pkg, "prepay_id="), "result": "success"})
	for deadline := time.Now().Add(20 * time.Second); e.Get("/api/v1/orders/"+no, alice).JSON(t)["status"] != "paid"; {
		if time.Now().After(deadline) {
			t.Fatal("the gift-card order was not paid")
		}
		time.Sleep(50 * time.Millisecond)
	}
	card := e.Get("/api/v1/me/gift-cards", alice).JSON(t)["bought"].([]any)[0].(map[string]any)["id"].(float64)
	token := e.Post("/api/v1/gift-cards/"+itoa(int64(card))+"/send", alice, map[string]any{"message": "生日快乐"}).JSON(t)["share_token"].(string)
	if r := e.Post("/api/v1/gift-card-shares/"+token+"/claim", bob, nil); r.Status != http.StatusCreated {
		t.Fatalf("bob claims: %d %s", r.Status, r.Body)
	}
	p := c.Get("/console/gift-cards")
	if !p.Has(`<td class="num">2</td><td class="num">0</td><td class="num">1</td>`) || !p.Has(zh.Money(50000)) {
		t.Fatalf("page with numbers: %s", p.Body)
	}
	bobID, _ := e.App.Tokens.Verify(bob)
	if p := c.Get("/console/gift-cards?shopper_id=" + itoa(bobID)); !p.Has(zh.T("giftcard.entry.claim")) ||
		!p.Has(zh.T("giftcard.console.card_ref", "id", int64(card))) {
		t.Fatalf("bob's ledger: %s", p.Body)
	}
	// The finance export: every entry, the claim among them, in yuan.
	if p := c.Get("/console/gift-cards/ledger.csv?headers=en"); p.Status != http.StatusOK ||
		!p.Has("entry_id,created_at,shopper_id,kind,amount,card_id,order_id") || !p.Has(","+itoa(bobID)+",claim,500.00,"+itoa(int64(card))+",") {
		t.Fatalf("ledger export: %d %s", p.Status, p.Body)
	}
	if p := c.Get("/console/gift-cards/ledger.csv"); !p.Has(zh.T("giftcard.export.amount")) || !p.Has(zh.T("giftcard.entry.claim")) {
		t.Fatalf("ledger export for people: %s", p.Body)
	}
	if p := c.Get("/console/gift-cards?shopper_id=x"); p.Status != http.StatusBadRequest {
		t.Fatalf("a bad shopper id: %d", p.Status)
	}
	if p := c.Post("/console/gift-cards/designs/"+itoa(ds[0].ID)+"/sale", url.Values{"on": {"false"}}); p.Status != http.StatusSeeOther {
		t.Fatalf("take off sale: %d %s", p.Status, p.Body)
	}
	if r := e.Post("/api/v1/gift-cards", alice, map[string]any{"design_id": ds[0].ID, "quantity": 1}); r.Status != http.StatusNotFound {
		t.Fatalf("buying a design off sale: %d %s", r.Status, r.Body)
	}
	for _, action := range []string{"gift_card_design.create", "gift_card_design.sale"} {
		entries, _, err := e.App.Audit.List(context.Background(), audit.Query{Action: action, Page: page.Request{Limit: 5}})
		if err != nil || len(entries) != 1 || entries[0].Actor == "" {
			t.Fatalf("audit %s: %+v %v", action, entries, err)
		}
	}
}
