package order_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kaidian/kaidian/internal/audit"
	"github.com/kaidian/kaidian/internal/catalog"
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
	shop   int64 // a shopper
	clock  atomic.Pointer[time.Time]
}

func newWorld(t testing.TB) *world {
	t.Helper()
	db := dbtest.Open(t)
	w := &world{db: db, inv: inventory.New(db), cart: &fakeCart{lines: map[int64]order.LineInput{}}}
	now := time.Now().UTC()
	w.clock.Store(&now)
	cat := catalog.New(db, w.inv)
	w.coupon = coupon.New(db, audit.New(db), cat, customer.New(db))
	w.flash = flashsale.New(db, w.inv, cat, audit.New(db))
	w.orders = order.New(order.Deps{
		DB: db, Catalog: cat, Inventory: w.inv, Settings: setting.New(db, audit.New(db)),
		Coupons: w.coupon, Flash: w.flash, Cart: w.cart, Addresses: fakeAddresses{}, Metrics: metrics.New(),
	})
	w.orders.SetClock(func() time.Time { return *w.clock.Load() })
	w.flash.SetClock(func() time.Time { return *w.clock.Load() })
	w.shop = w.shopper(t, "alice")
	return w
}

// replica is a second order service on the same database, as another
// process would run: its own flash-sale desk and caches.
func (w *world) replica() *order.Service {
	inv := inventory.New(w.db)
	cat := catalog.New(w.db, inv)
	flash := flashsale.New(w.db, inv, cat, audit.New(w.db))
	flash.SetClock(func() time.Time { return *w.clock.Load() })
	s := order.New(order.Deps{
		DB: w.db, Catalog: cat, Inventory: inv, Settings: setting.New(w.db, audit.New(w.db)),
		Coupons: coupon.New(w.db, audit.New(w.db), cat, customer.New(w.db)), Flash: flash, Cart: w.cart, Addresses: fakeAddresses{}, Metrics: metrics.New(),
	})
	s.SetClock(func() time.Time { return *w.clock.Load() })
	return s
}

func (w *world) advance(d time.Duration) {
	next := w.clock.Load().Add(d)
	w.clock.Store(&next)
}

func (w *world) shopper(t testing.TB, name string) int64 {
	t.Helper()
	sh, err := customer.New(w.db).Login(context.Background(), customer.Identity{OpenID: "openid-" + name})
	if err != nil {
		t.Fatal(err)
	}
	return sh.ID
}

var skuSeq atomic.Int64

// sku creates an on-sale SKU with the given price and stock (through the ledger).
func (w *world) sku(t testing.TB, price, stock int64) int64 {
	t.Helper()
	ctx := context.Background()
	now := time.Now().UTC()
	c := catalog.Category{Name: "c", CreatedAt: now, UpdatedAt: now}
	must(t, w.db.Conn(ctx).Create(&c).Error)
	p := catalog.Product{CategoryID: c.ID, Title: "T-shirt", OnShelf: true, MinPrice: price, CreatedAt: now, UpdatedAt: now}
	must(t, w.db.Conn(ctx).Create(&p).Error)
	k := catalog.SKU{ProductID: p.ID, Code: fmt.Sprintf("SKU-%d", skuSeq.Add(1)), SpecText: "红 / M", Price: price,
		OnSale: true, CreatedAt: now, UpdatedAt: now}
	must(t, w.db.Conn(ctx).Create(&k).Error)
	if stock > 0 {
		must(t, w.inv.Adjust(ctx, k.ID, stock, inventory.KindReceive, "initial", inventory.Ref{}, "test"))
	}
	return k.ID
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

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if !errs.Is(err, code) {
		t.Fatalf("got error %v, want code %s", err, code)
	}
}

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

func pageAfter(cursor string, limit int) (page.Request, error) {
	return page.Parse(cursor, fmt.Sprint(limit))
}

func firstPage() page.Request { return page.Request{Limit: page.DefaultLimit} }
