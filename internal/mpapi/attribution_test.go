package mpapi_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/kaidian/kaidian/internal/app/apptest"
	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/order"
	"github.com/kaidian/kaidian/internal/promoter"
	"github.com/kaidian/kaidian/internal/setting"
)

func boundTo(t *testing.T, e *apptest.Env, shopperID int64) int64 {
	t.Helper()
	b, err := e.App.Attribution.BindingOf(context.Background(), shopperID)
	if err != nil {
		return 0
	}
	return b.PromoterID
}

// A shopper who scans an associate's code (a real scan entry with its
// scene key) is bound to that associate; another associate's scan does not
// take them during the lock, a scan after it does. A typed ref, a scene
// key opened from a chat card, or an associate scanning their own code
// binds no one. The merchant moves one customer, or all of an associate's,
// audited.
func TestBindingToAssociates(t *testing.T) {
	e := apptest.Start(t)
	s := newSocial(t, e)
	ctx := context.Background()
	keyA, keyB := sceneKey(t, e, s.associate.Ref()), sceneKey(t, e, s.associate2.Ref())
	alice, bob, carol := shopperOf(t, e, "b-alice"), shopperOf(t, e, "b-bob"), shopperOf(t, e, "b-carol")

	visit(t, e, e.Token("b-bob"), map[string]any{"ref": s.associate.Ref(), "entry": 1047}) // typed: no binding
	visit(t, e, e.Token("b-bob"), map[string]any{"scene": keyA, "entry": 1007})            // a chat card: no binding
	visit(t, e, e.Token("b-alice"), map[string]any{"scene": keyA, "entry": 1047})
	visit(t, e, e.Token("b-alice"), map[string]any{"scene": keyB, "entry": 1048}) // same batch: first wins
	syncVisits(t, e)
	if got := boundTo(t, e, bob); got != 0 {
		t.Fatalf("bob bound to %d without scanning", got)
	}
	if got := boundTo(t, e, alice); got != s.associate.ID {
		t.Fatalf("alice bound to %d, want associate %d", got, s.associate.ID)
	}
	visit(t, e, e.Token("b-alice"), map[string]any{"scene": keyB, "entry": 1049})
	syncVisits(t, e)
	if got := boundTo(t, e, alice); got != s.associate.ID {
		t.Fatalf("alice taken by %d during the lock", got)
	}

	// After the lock (30 days by default), a scan binds again.
	later := time.Now().Add(31 * 24 * time.Hour)
	e.App.Clock.Set(func() time.Time { return later })
	defer e.App.Clock.Set(time.Now)
	visit(t, e, e.Token("b-alice"), map[string]any{"scene": keyB, "entry": 1047})
	syncVisits(t, e)
	if got := boundTo(t, e, alice); got != s.associate2.ID {
		t.Fatalf("alice bound to %d after the lock, want %d", got, s.associate2.ID)
	}

	// An associate scanning their own code is not their own customer.
	self, err := e.App.Promoters.Create(ctx, "staff:1", promoter.Input{Kind: promoter.KindAssociate, Status: promoter.StatusActive,
		Name: "导购丙", StoreID: &s.store.ID, ShopperID: &carol})
	if err != nil {
		t.Fatal(err)
	}
	visit(t, e, e.Token("b-carol"), map[string]any{"scene": sceneKey(t, e, self.Ref()), "entry": 1047})
	syncVisits(t, e)
	if got := boundTo(t, e, carol); got != 0 {
		t.Fatalf("an associate bound to %d by their own code", got)
	}

	// The merchant moves alice back, then all of associate A's customers to B.
	if _, err := e.App.Attribution.Move(ctx, "staff:1:boss", alice, "ZZZZZZ"); !isField(err, "to_code") {
		t.Fatalf("move to a code of no associate: %v", err)
	}
	if _, err := e.App.Attribution.Move(ctx, "staff:1:boss", alice, s.kol.Code); !isField(err, "to_code") {
		t.Fatalf("move to a KOL: %v", err)
	}
	if _, err := e.App.Attribution.Move(ctx, "staff:1:boss", bob, s.associate.Code); err == nil {
		t.Fatal("moved bob, who is bound to no one")
	}
	if _, err := e.App.Attribution.Move(ctx, "staff:1:boss", alice, s.associate.Code); err != nil {
		t.Fatal(err)
	}
	n, err := e.App.Attribution.MoveAll(ctx, "staff:1:boss", s.associate.ID, s.associate2.Code)
	if err != nil || n != 1 || boundTo(t, e, alice) != s.associate2.ID {
		t.Fatalf("moved %d (%v), alice bound to %d", n, err, boundTo(t, e, alice))
	}
	var audited int64
	e.App.DB.Conn(ctx).Raw("SELECT COUNT(*) FROM audit_log WHERE action IN ('binding.move', 'binding.move_all')").Scan(&audited)
	if audited != 2 {
		t.Fatalf("%d moves audited, want 2", audited)
	}
}

// place orders one unit of the SKU through the API and returns the order
// as the order service reads it.
func place(t *testing.T, e *apptest.Env, user string, skuID int64) order.Order {
	t.Helper()
	tok := e.Token(user)
	addr := e.Address(t, shopperOf(t, e, user))
	r := e.Post("/api/v1/orders", tok, map[string]any{"items": []map[string]any{{"sku_id": skuID, "quantity": 1}}, "address_id": addr})
	if r.Status != http.StatusCreated {
		t.Fatalf("order: %d %s", r.Status, r.Body)
	}
	o, err := e.App.Orders.Get(context.Background(), shopperOf(t, e, user), r.JSON(t)["order_no"].(string))
	if err != nil {
		t.Fatal(err)
	}
	return o
}

func credited(t *testing.T, o order.Order, source string, promoterID int64) {
	t.Helper()
	got := int64(0)
	if o.PromoterID != nil {
		got = *o.PromoterID
	}
	if o.Source != source || got != promoterID {
		t.Fatalf("order %s credited to %q / promoter %d, want %q / %d", o.OrderNo, o.Source, got, source, promoterID)
	}
}

// Orders are credited at placement: last touch within the window (else
// direct), or first touch when the shop says so; a bound associate is the
// order's promoter whatever the source; a promoter's own orders earn them
// nothing unless they earn commission on their own orders.
func TestOrderCredit(t *testing.T) {
	e := apptest.Start(t)
	s := newSocial(t, e)
	ctx := context.Background()
	sku := e.Product(t).SKUs[0].ID

	credited(t, place(t, e, "c-direct", sku), "", 0)

	visit(t, e, e.Token("c-ann"), map[string]any{"ref": s.channel.Ref()})
	syncVisits(t, e)
	visit(t, e, e.Token("c-ann"), map[string]any{"ref": s.kol.Ref()})
	syncVisits(t, e)
	credited(t, place(t, e, "c-ann", sku), s.kol.Ref(), s.kol.ID)

	// First touch: the channel that brought ann first.
	if _, err := e.App.Settings.UpdateAttribution(ctx, "staff:1", setting.Attribution{Rule: setting.FirstTouch, WindowDays: 7, LockDays: 30}); err != nil {
		t.Fatal(err)
	}
	credited(t, place(t, e, "c-ann", sku), s.channel.Ref(), 0)
	if _, err := e.App.Settings.UpdateAttribution(ctx, "staff:1", setting.Attribution{Rule: setting.LastTouch, WindowDays: 7, LockDays: 30}); err != nil {
		t.Fatal(err)
	}

	// Bound to an associate: the associate is the promoter, the source stays the last touch.
	visit(t, e, e.Token("c-ann"), map[string]any{"scene": sceneKey(t, e, s.associate.Ref()), "entry": 1047})
	syncVisits(t, e)
	visit(t, e, e.Token("c-ann"), map[string]any{"ref": s.kol.Ref()})
	syncVisits(t, e)
	credited(t, place(t, e, "c-ann", sku), s.kol.Ref(), s.associate.ID)

	// Beyond the window the last touch credits nothing; the binding still does.
	later := time.Now().Add(8 * 24 * time.Hour)
	e.App.Clock.Set(func() time.Time { return later })
	credited(t, place(t, e, "c-ann", sku), "", s.associate.ID)
	e.App.Clock.Set(time.Now)

	// A flash-sale order goes through the desk's batch insert: credited the same way.
	sale := scheduleFlash(t, e, sku, time.Now().UTC().Add(-time.Second), 5, 1)
	visit(t, e, e.Token("c-flash"), map[string]any{"ref": s.channel.Ref()})
	syncVisits(t, e)
	addr := e.Address(t, shopperOf(t, e, "c-flash"))
	r := e.Post("/api/v1/orders", e.Token("c-flash"), map[string]any{"flash_sale_id": sale.ID, "address_id": addr,
		"items": []map[string]any{{"sku_id": sku, "quantity": 1}}})
	if r.Status != http.StatusCreated {
		t.Fatalf("flash order: %d %s", r.Status, r.Body)
	}
	fo, err := e.App.Orders.Get(ctx, shopperOf(t, e, "c-flash"), r.JSON(t)["order_no"].(string))
	if err != nil || fo.FlashSaleID == nil {
		t.Fatalf("flash order %+v, %v", fo, err)
	}
	credited(t, fo, s.channel.Ref(), 0)

	// A KOL buying through their own link: no commission unless they earn on their own orders.
	kolShopper := shopperOf(t, e, "c-kol")
	self, err := e.App.Promoters.Create(ctx, "staff:1", promoter.Input{Kind: promoter.KindKOL, Status: promoter.StatusActive,
		Name: "达人丙", ShopperID: &kolShopper})
	if err != nil {
		t.Fatal(err)
	}
	visit(t, e, e.Token("c-kol"), map[string]any{"ref": self.Ref()})
	syncVisits(t, e)
	credited(t, place(t, e, "c-kol", sku), self.Ref(), 0)
}

func isField(err error, field string) bool {
	e := errs.As(err)
	return e != nil && e.Details["field"] == field
}

// Disabling a promoter stops crediting them from the next order on, without
// waiting for what this server remembers of promoters to expire.
func TestDisabledPromoterIsNotCreditedAtOnce(t *testing.T) {
	e := apptest.Start(t)
	s := newSocial(t, e)
	sku := e.Product(t).SKUs[0].ID
	tok := e.Token("d-fan")
	e.Visit(t, tok, s.kol.Ref())
	credited(t, place(t, e, "d-fan", sku), s.kol.Ref(), s.kol.ID)
	if _, err := e.App.Promoters.Disable(context.Background(), "staff:1:boss", s.kol.ID); err != nil {
		t.Fatal(err)
	}
	e.Visit(t, tok, s.kol.Ref())
	o := place(t, e, "d-fan", sku)
	if o.PromoterID != nil {
		t.Fatalf("order placed after the promoter was disabled credited to promoter %d", *o.PromoterID)
	}
}

// An associate's customers are the shoppers bound to them, whether they
// bought yet or not, with the orders credited to the associate; a KOL's
// are those who bought through them.
func TestAssociateCustomersAreTheirBoundShoppers(t *testing.T) {
	e := apptest.Start(t)
	ctx := context.Background()
	s := newSocial(t, e)
	sku := e.Product(t).SKUs[0].ID
	assocTok := e.Token("a-assoc")
	assocID := shopperOf(t, e, "a-assoc") // the associate's own mini-program account
	assoc, err := e.App.Promoters.Create(ctx, "staff:1", promoter.Input{Kind: promoter.KindAssociate, Status: promoter.StatusActive,
		Name: "导购丁", StoreID: &s.store.ID, ShopperID: &assocID, RateBP: 500})
	if err != nil {
		t.Fatal(err)
	}
	key := sceneKey(t, e, assoc.Ref())
	for _, u := range []string{"a-buyer", "a-browser"} {
		visit(t, e, e.Token(u), map[string]any{"scene": key, "entry": 1047})
	}
	syncVisits(t, e)
	credited(t, place(t, e, "a-buyer", sku), assoc.Ref(), assoc.ID)

	var me struct {
		CustomersCount int64 `json:"customers_count"`
	}
	e.Get("/api/v1/promoter/me", assocTok).Decode(t, &me)
	var list struct {
		Items []struct {
			Buyer   string     `json:"buyer"`
			Orders  int64      `json:"orders"`
			BoundAt *time.Time `json:"bound_at"`
		} `json:"items"`
	}
	e.Get("/api/v1/promoter/customers", assocTok).Decode(t, &list)
	if me.CustomersCount != 2 || len(list.Items) != 2 {
		t.Fatalf("associate sees %d customers, listed %+v; want the 2 bound shoppers", me.CustomersCount, list.Items)
	}
	orders := map[int64]int{}
	for _, c := range list.Items {
		if c.BoundAt == nil {
			t.Fatalf("customer %+v without bound_at", c)
		}
		orders[c.Orders]++
	}
	if orders[1] != 1 || orders[0] != 1 {
		t.Fatalf("orders per customer %v, want one with 1 and one with 0", orders)
	}
}
