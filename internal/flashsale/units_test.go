package flashsale_test

import (
	"context"
	"testing"
	"time"

	"github.com/kaidian/kaidian/internal/audit"
	"github.com/kaidian/kaidian/internal/catalog"
	"github.com/kaidian/kaidian/internal/clock"
	"github.com/kaidian/kaidian/internal/database/dbtest"
	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/flashsale"
	"github.com/kaidian/kaidian/internal/i18n"
	"github.com/kaidian/kaidian/internal/inventory"
	"github.com/kaidian/kaidian/internal/testkit"
)

// units is where an item's units are: they always add up to the allotment.
type units struct{ available, held, sold, returned int64 }

// TestUnitMovesKeepEveryUnitAccountedFor walks one SKU's 10 units through
// the moves package order makes (take, sell, release, retake) and the end
// of the sale, checking after each step where every unit is and that a move
// the units do not allow changes nothing.
func TestUnitMovesKeepEveryUnitAccountedFor(t *testing.T) {
	db := dbtest.Open(t)
	ctx := context.Background()
	clk := clock.New()
	inv := inventory.New(db, clk)
	sales := flashsale.New(db, inv, catalog.New(db, inv, clk), audit.New(db, clk), clk)
	sku := testkit.SKU(t, db, inv, 2000, 30)
	now := time.Now().UTC()
	sale, err := sales.Create(ctx, "test", flashsale.Input{Title: "618", StartsAt: now.Add(-time.Minute), EndsAt: now.Add(time.Hour),
		PerShopperLimit: 5, PayWindow: time.Minute, Items: []flashsale.ItemInput{{SKUID: sku, Price: 990, Units: 10}}})
	testkit.Must(t, err)
	item := sale.Items[0].ID
	shopper := testkit.Shopper(t, db, "alice")
	unit := func(q int64) flashsale.Unit {
		return flashsale.Unit{SaleID: sale.ID, SKUID: sku, ShopperID: shopper, Quantity: q, Ref: inventory.Ref{Type: "order", ID: "F1"}}
	}
	take := func(q int64) func(context.Context) error {
		return func(ctx context.Context) error { _, err := sales.Take(ctx, item, q); return err }
	}
	sell := func(q int64) func(context.Context) error {
		return func(ctx context.Context) error { return sales.Sell(ctx, unit(q), "test") }
	}
	release := func(q int64) func(context.Context) error {
		return func(ctx context.Context) error {
			_, err := sales.Release(ctx, unit(q), "test", i18n.Text("closed"))
			return err
		}
	}
	retake := func(q int64) func(context.Context) error {
		return func(ctx context.Context) error { return sales.Retake(ctx, unit(q)) }
	}
	end := func(ctx context.Context) error { _, err := sales.End(ctx, "test", sale.ID); return err }
	ok := func(err error) bool { return err == nil }
	failed := func(err error) bool { return err != nil }
	is := func(target error) func(error) bool { return func(err error) bool { return err == target } }
	code := func(c string) func(error) bool { return func(err error) bool { return errs.Is(err, c) } }

	for _, step := range []struct {
		name  string
		move  func(context.Context) error
		check func(error) bool // what the move must answer
		want  units
		stock int64 // the SKU's own stock, outside the sale
	}{
		{"allotted", nil, ok, units{10, 0, 0, 0}, 20},
		{"take 3", take(3), ok, units{7, 3, 0, 0}, 20},
		{"sell 2 of them", sell(2), ok, units{7, 1, 2, 0}, 20},
		{"release the third while on sale", release(1), ok, units{8, 0, 2, 0}, 20},
		{"take more than are left", take(9), is(flashsale.ErrTakenMeanwhile), units{8, 0, 2, 0}, 20},
		{"sell units not held", sell(1), failed, units{8, 0, 2, 0}, 20},
		{"take the rest", take(8), ok, units{0, 8, 2, 0}, 20},
		{"retake when sold out", retake(1), code("sold_out"), units{0, 8, 2, 0}, 20},
		{"release 2", release(2), ok, units{2, 6, 2, 0}, 20},
		{"retake them", retake(2), ok, units{0, 8, 2, 0}, 20},
		{"release 3 for sale", release(3), ok, units{3, 5, 2, 0}, 20},
		{"end: the unheld go back to stock", end, ok, units{0, 5, 2, 3}, 23},
		{"release after the end: straight to stock", release(4), ok, units{0, 1, 2, 7}, 27},
		{"retake after the end", retake(1), code("ended"), units{0, 1, 2, 7}, 27},
		{"end again changes nothing", end, ok, units{0, 1, 2, 7}, 27},
	} {
		if step.move != nil {
			if err := db.Tx(ctx, step.move); !step.check(err) {
				t.Fatalf("%s: answered %v", step.name, err)
			}
		}
		h, err := sales.Item(ctx, sale.ID, sku, false)
		testkit.Must(t, err)
		got := units{h.Item.Available, h.Item.Held, h.Item.Sold, h.Item.Returned}
		if got != step.want || got.available+got.held+got.sold+got.returned != h.Item.Allotted {
			t.Fatalf("%s: units %+v of %d allotted, want %+v", step.name, got, h.Item.Allotted, step.want)
		}
		var stock int64
		testkit.Must(t, db.Conn(ctx).Raw("SELECT stock FROM skus WHERE id = ?", sku).Scan(&stock).Error)
		if stock != step.stock {
			t.Fatalf("%s: SKU stock %d, want %d", step.name, stock, step.stock)
		}
	}
}
