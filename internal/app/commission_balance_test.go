package app_test

import (
	"context"
	"testing"

	"github.com/kaidian/kaidian/internal/app/apptest"
	"github.com/kaidian/kaidian/internal/commission"
	"github.com/kaidian/kaidian/internal/order"
	"github.com/kaidian/kaidian/internal/testkit"
)

// An order the gift-card balance pays entirely, at placement, goes through
// the same "became paid" step as one WeChat Pay pays: its promoter earns
// the pending commission.
func TestCommissionOnOrderPaidByBalance(t *testing.T) {
	e := apptest.Start(t)
	ctx := context.Background()
	sku := e.Product(t, apptest.SKU{Price: 10000, Stock: 10}).SKUs[0].ID
	p := newPromoter(t, e, "达人小李", 1000)
	token := e.Login("buyer")
	shopperID, err := e.App.Tokens.Verify(token)
	testkit.Must(t, err)
	// A ¥500 balance, as a claimed card leaves it (entry and sum together).
	now := e.App.Clock.Now()
	db := e.App.DB.Conn(ctx)
	testkit.Must(t, db.Exec("INSERT INTO gift_card_entries (shopper_id, kind, amount, created_at) VALUES (?, 'claim', 50000, ?)", shopperID, now).Error)
	testkit.Must(t, db.Exec("INSERT INTO gift_card_balances (shopper_id, balance, updated_at) VALUES (?, 50000, ?)", shopperID, now).Error)
	e.Visit(t, token, p.Ref()) // arrived through the promoter's link: credited at placement

	o, _, err := e.App.Orders.Place(ctx, shopperID, order.PlaceInput{AddressID: e.Address(t, shopperID),
		Items: []order.LineInput{{SKUID: sku, Quantity: 1}}, UseGiftCardBalance: true}, "")
	testkit.Must(t, err)
	if o.Status != order.StatusPaid || o.PayAmount != 0 || o.GiftCardAmount == 0 {
		t.Fatalf("an order the balance covers: %s, pay %d, balance %d", o.Status, o.PayAmount, o.GiftCardAmount)
	}
	got, err := e.App.Commission.Balances(ctx, p.ID)
	testkit.Must(t, err)
	// 10000 × 10% = 1000.
	if want := (commission.Balances{Pending: 1000}); got != want || sums(t, e, p.ID) != want {
		t.Fatalf("balances %+v, want %+v%s", got, want, describe(entries(t, e, p.ID)))
	}
}
