package order_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/kaidian/kaidian/internal/audit"
	"github.com/kaidian/kaidian/internal/catalog"
	"github.com/kaidian/kaidian/internal/clock"
	"github.com/kaidian/kaidian/internal/coupon"
	"github.com/kaidian/kaidian/internal/customer"
	"github.com/kaidian/kaidian/internal/database"
	"github.com/kaidian/kaidian/internal/database/dbtest"
	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/flashsale"
	"github.com/kaidian/kaidian/internal/inventory"
	"github.com/kaidian/kaidian/internal/metrics"
	"github.com/kaidian/kaidian/internal/order"
	"github.com/kaidian/kaidian/internal/page"
	"github.com/kaidian/kaidian/internal/setting"
	"github.com/kaidian/kaidian/internal/testkit"
)

// world is an order service on a fresh database with fakes for the cart and
// address book (their own packages test them; the HTTP tests use the real ones).
type world struct {
	db     *database.DB
	orders *order.Service
	inv    *inventory.Service
	coupon *coupon.Service
	flash  *flashsale.Service
	cart   *fakeCart
	meters *metrics.Metrics
	shop   int64        // a shopper
	clock  *clock.Clock // every service's, replicas' too; advance moves it
}

func newWorld(t testing.TB) *world {
	t.Helper()
	db := dbtest.Open(t)
	w := &world{db: db, clock: clock.New(), cart: &fakeCart{lines: map[int64]order.LineInput{}}, meters: metrics.New()}
	now := time.Now().UTC()
	w.clock.Set(func() time.Time { return now })
	w.inv = inventory.New(db, w.clock)
	cat := catalog.New(db, w.inv, w.clock)
	w.coupon = coupon.New(db, audit.New(db, w.clock), cat, customer.New(db, w.clock), w.clock)
	w.flash = flashsale.New(db, w.inv, cat, audit.New(db, w.clock), w.clock)
	w.orders = order.New(order.Deps{
		DB: db, Catalog: cat, Inventory: w.inv, Settings: setting.New(db, audit.New(db, w.clock)),
		Coupons: w.coupon, Flash: w.flash, Cart: w.cart, Addresses: fakeAddresses{}, Metrics: w.meters, Clock: w.clock,
	})
	w.shop = w.shopper(t, "alice")
	return w
}

// replica is a second order service on the same database, as another
// process would run: its own flash-sale desk and caches.
func (w *world) replica() *order.Service {
	inv := inventory.New(w.db, w.clock)
	cat := catalog.New(w.db, inv, w.clock)
	flash := flashsale.New(w.db, inv, cat, audit.New(w.db, w.clock), w.clock)
	return order.New(order.Deps{
		DB: w.db, Catalog: cat, Inventory: inv, Settings: setting.New(w.db, audit.New(w.db, w.clock)),
		Coupons: coupon.New(w.db, audit.New(w.db, w.clock), cat, customer.New(w.db, w.clock), w.clock), Flash: flash, Cart: w.cart, Addresses: fakeAddresses{},
		Metrics: metrics.New(), Clock: w.clock,
	})
}

func (w *world) advance(d time.Duration) {
	next := w.clock.Now().Add(d)
	w.clock.Set(func() time.Time { return next })
}

func (w *world) shopper(t testing.TB, name string) int64 { return testkit.Shopper(t, w.db, name) }

// sku creates an on-sale SKU with the given price and stock (through the ledger).
func (w *world) sku(t testing.TB, price, stock int64) int64 {
	return testkit.SKU(t, w.db, w.inv, price, stock)
}

// stock returns the SKU's stock and the sum of its ledger, which must agree.
func (w *world) stock(t *testing.T, skuID int64) (stock, ledger int64) {
	t.Helper()
	ctx := context.Background()
	must(t, w.db.Conn(ctx).Raw("SELECT stock FROM skus WHERE id = ?", skuID).Scan(&stock).Error)
	must(t, w.db.Conn(ctx).Raw("SELECT COALESCE(SUM(quantity), 0) FROM inventory_movements WHERE sku_id = ?", skuID).Scan(&ledger).Error)
	return stock, ledger
}

func (w *world) count(t *testing.T, table string) (n int64) {
	t.Helper()
	must(t, w.db.Conn(context.Background()).Raw("SELECT COUNT(*) FROM "+table).Scan(&n).Error)
	return n
}

func buy(address int64, lines ...order.LineInput) order.PlaceInput {
	return order.PlaceInput{Items: lines, AddressID: address}
}

func line(sku int64, qty int) order.LineInput { return order.LineInput{SKUID: sku, Quantity: qty} }

// The shared helpers under this package's short names.
var (
	must     = testkit.Must
	wantCode = testkit.WantCode
)

type fakeCart struct{ lines map[int64]order.LineInput }

func (c *fakeCart) CheckoutLines(_ context.Context, _ int64, ids []int64) ([]order.LineInput, error) {
	var out []order.LineInput
	for _, id := range ids {
		l, ok := c.lines[id]
		if !ok {
			return nil, errs.NotFound("cart_item_not_found", "no such cart item")
		}
		out = append(out, l)
	}
	return out, nil
}

func (c *fakeCart) RemoveItems(_ context.Context, _ int64, ids []int64) error {
	for _, id := range ids {
		delete(c.lines, id)
	}
	return nil
}

// fakeAddresses knows address 1 for everyone and nothing else.
type fakeAddresses struct{}

func (fakeAddresses) ShippingAddress(_ context.Context, _, id int64) (order.Address, error) {
	if id != 1 {
		return order.Address{}, errs.NotFound("address_not_found", "no such address")
	}
	return order.Address{Name: "张三", Phone: "13800138000", Province: "广东省", City: "深圳市", District: "南山区", Detail: "科技园 1 号"}, nil
}

func (f fakeAddresses) ShippingAddresses(ctx context.Context, refs []order.AddressRef) (map[order.AddressRef]order.Address, error) {
	out := map[order.AddressRef]order.Address{}
	for _, r := range refs {
		if a, err := f.ShippingAddress(ctx, r.ShopperID, r.AddressID); err == nil {
			out[r] = a
		}
	}
	return out, nil
}

func pageAfter(cursor string, limit int) (page.Request, error) {
	return page.Parse(cursor, fmt.Sprint(limit))
}

func firstPage() page.Request { return page.Request{Limit: page.DefaultLimit} }
