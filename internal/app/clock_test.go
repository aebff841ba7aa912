package app_test

import (
	"context"
	"testing"
	"time"

	"github.com/kaidian/kaidian/internal/app/apptest"
	"github.com/kaidian/kaidian/internal/audit"
	"github.com/kaidian/kaidian/internal/customer"
	"github.com/kaidian/kaidian/internal/order"
	"github.com/kaidian/kaidian/internal/page"
)

// TestOneClockMovesTheWholeShop sets the app's one clock and checks that
// every service it reaches through writes and judges by that time: the
// catalog's audit entries, a shopper's login, an order and its deadline, the
// flash-sale clock and shopper tokens. A service left with a clock of its own
// would write the real time instead.
func TestOneClockMovesTheWholeShop(t *testing.T) {
	e := apptest.Start(t)
	ctx := context.Background()
	at := time.Now().UTC().Add(48 * time.Hour).Truncate(time.Second)
	e.App.Clock.Set(func() time.Time { return at })

	sku := e.Product(t, apptest.SKU{Price: 100, Stock: 1}).SKUs[0].ID
	sh, err := e.App.Customers.Login(ctx, customer.Identity{OpenID: "clock-shopper"})
	if err != nil {
		t.Fatal(err)
	}
	if got, err := e.App.Customers.Get(ctx, sh.ID); err != nil || !got.LastLoginAt.Equal(at) {
		t.Errorf("customer: last login %v (%v), want %v", got.LastLoginAt, err, at)
	}
	o, _, err := e.App.Orders.Place(ctx, sh.ID, order.PlaceInput{
		Items: []order.LineInput{{SKUID: sku, Quantity: 1}}, AddressID: e.Address(t, sh.ID)}, "")
	if err != nil {
		t.Fatal(err)
	}
	stored, err := e.App.Orders.ByNo(ctx, o.OrderNo)
	if err != nil {
		t.Fatal(err)
	}
	if !stored.CreatedAt.Equal(at) || !stored.ExpiresAt.After(at) || stored.ExpiresAt.After(at.Add(24*time.Hour)) {
		t.Errorf("order: created %v, expires %v; want created at %v and due soon after", stored.CreatedAt, stored.ExpiresAt, at)
	}
	entries, _, err := e.App.Audit.List(ctx, audit.Query{Page: page.Request{Limit: 100}})
	if err != nil || len(entries) == 0 {
		t.Fatalf("audit: %d entries, %v", len(entries), err)
	}
	if !entries[0].CreatedAt.Equal(at) {
		t.Errorf("audit: newest entry (%s) at %v, want %v", entries[0].Action, entries[0].CreatedAt, at)
	}
	if got := e.App.Flash.Now(); !got.Equal(at) {
		t.Errorf("flash sales: now %v, want %v", got, at)
	}
	// A token lives for its lifetime on the shop's clock: past it, it is refused.
	tok, ttl, err := e.App.Tokens.Issue(sh.ID)
	if err != nil {
		t.Fatal(err)
	}
	if id, err := e.App.Tokens.Verify(tok); err != nil || id != sh.ID {
		t.Errorf("tokens: %d, %v", id, err)
	}
	e.App.Clock.Set(func() time.Time { return at.Add(time.Duration(ttl+1) * time.Second) })
	if _, err := e.App.Tokens.Verify(tok); err == nil {
		t.Error("tokens: a token verified after its lifetime on the shop's clock")
	}
}
