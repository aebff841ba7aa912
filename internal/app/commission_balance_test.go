package app_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/kaidian/kaidian/internal/app/apptest"
	"github.com/kaidian/kaidian/internal/commission"
	"github.com/kaidian/kaidian/internal/database"
	"github.com/kaidian/kaidian/internal/order"
	"github.com/kaidian/kaidian/internal/testkit"
)

// attributeAtPlacement credits every order placed from now on to the
// promoter in the placing transaction itself, as attribution does at
// placement (testkit.CreditOrder can only do it after the commit, too late
// for an order the gift-card balance pays while it is placed).
func attributeAtPlacement(t testing.TB, e *apptest.Env, promoterID int64, source string) {
	t.Helper()
	db := e.App.DB.Conn(context.Background())
	if e.App.DB.Dialect == database.Postgres {
		testkit.Must(t, db.Exec(fmt.Sprintf(`CREATE FUNCTION test_attribute() RETURNS trigger AS $$
			BEGIN NEW.promoter_id := %d; NEW.source := '%s'; RETURN NEW; END $$ LANGUAGE plpgsql`, promoterID, source)).Error)
		testkit.Must(t, db.Exec(`CREATE TRIGGER test_attribute BEFORE INSERT ON orders FOR EACH ROW EXECUTE FUNCTION test_attribute()`).Error)
		return
	}
	testkit.Must(t, db.Exec(fmt.Sprintf(`CREATE TRIGGER test_attribute AFTER INSERT ON orders
		BEGIN UPDATE orders SET promoter_id = %d, source = '%s' WHERE id = NEW.id; END`, promoterID, source)).Error)
}

// An order the gift-card balance pays entirely, at placement, goes through
// the same "became paid" step as one WeChat Pay pays: its promoter earns
// the pending commission.
func TestCommissionOnOrderPaidByBalance(t *testing.T) {
	e := apptest.Start(t)
	ctx := context.Background()
	sku := e.Product(t, apptest.SKU{Price: 10000, Stock: 10}).SKUs[0].ID
	p := newPromoter(t, e, "达人小李", 1000)
	shopperID, err := e.App.Tokens.Verify(e.Login("buyer"))
	testkit.Must(t, err)
	// A ¥500 balance, as a claimed card leaves it (entry and sum together).
	now := e.App.Clock.Now()
	db := e.App.DB.Conn(ctx)
	testkit.Must(t, db.Exec("INSERT INTO gift_card_entries (shopper_id, kind, amount, created_at) VALUES (?, 'claim', 50000, ?)", shopperID, now).Error)
	testkit.Must(t, db.Exec("INSERT INTO gift_card_balances (shopper_id, balance, updated_at) VALUES (?, 50000, ?)", shopperID, now).Error)
	attributeAtPlacement(t, e, p.ID, p.Ref())

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
