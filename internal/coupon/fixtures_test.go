package coupon_test

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kaidian/kaidian/internal/audit"
	"github.com/kaidian/kaidian/internal/catalog"
	"github.com/kaidian/kaidian/internal/clock"
	"github.com/kaidian/kaidian/internal/coupon"
	"github.com/kaidian/kaidian/internal/customer"
	"github.com/kaidian/kaidian/internal/database"
	"github.com/kaidian/kaidian/internal/database/dbtest"
	"github.com/kaidian/kaidian/internal/i18n"
	"github.com/kaidian/kaidian/internal/inventory"
	"github.com/kaidian/kaidian/internal/page"
	"github.com/kaidian/kaidian/internal/testkit"
)

// world is a coupon service on a fresh database with a movable clock.
type world struct {
	db      *database.DB
	coupons *coupon.Service
	clock   *clock.Clock
}

const merchant = "staff:1:boss"

func newWorld(t testing.TB) *world {
	t.Helper()
	db := dbtest.Open(t)
	w := &world{db: db, clock: clock.New()}
	now := time.Now().UTC().Truncate(time.Second)
	w.clock.Set(func() time.Time { return now })
	w.coupons = coupon.New(db, audit.New(db, w.clock), catalog.New(db, inventory.New(db, w.clock), w.clock), customer.New(db, w.clock), w.clock)
	return w
}

func (w *world) now() time.Time { return w.clock.Now() }

func (w *world) advance(d time.Duration) {
	next := w.now().Add(d)
	w.clock.Set(func() time.Time { return next })
}

var names atomic.Int64

func (w *world) shopper(t testing.TB) int64 {
	return testkit.Shopper(t, w.db, fmt.Sprint(names.Add(1)))
}

// draft is a live threshold coupon (满100减20) over the whole shop.
func (w *world) draft() coupon.Draft {
	return coupon.Draft{Name: "满100减20", Kind: coupon.KindThreshold, Amount: 2000, MinAmount: 10000,
		Scope: coupon.ScopeShop, StartsAt: w.now().Add(-time.Hour), EndsAt: w.now().Add(24 * time.Hour),
		TotalQuantity: 100, PerShopperLimit: 1, Claimable: true}
}

func (w *world) create(t testing.TB, edit func(d *coupon.Draft)) coupon.Coupon {
	t.Helper()
	d := w.draft()
	if edit != nil {
		edit(&d)
	}
	c, err := w.coupons.Create(context.Background(), merchant, d)
	must(t, err)
	return c
}

// category creates a category under parent (0 for a root).
func (w *world) category(t testing.TB, parent int64) int64 {
	t.Helper()
	now := time.Now().UTC()
	c := catalog.Category{Name: fmt.Sprintf("分类%d", names.Add(1)), CreatedAt: now, UpdatedAt: now}
	if parent != 0 {
		c.ParentID = &parent
	}
	must(t, w.db.Conn(context.Background()).Create(&c).Error)
	return c.ID
}

func (w *world) product(t testing.TB, category int64) int64 {
	t.Helper()
	now := time.Now().UTC()
	p := catalog.Product{CategoryID: category, Title: fmt.Sprintf("商品%d", names.Add(1)), OnShelf: true, CreatedAt: now, UpdatedAt: now}
	must(t, w.db.Conn(context.Background()).Create(&p).Error)
	return p.ID
}

func (w *world) count(t testing.TB, query string, args ...any) (n int64) {
	t.Helper()
	must(t, w.db.Conn(context.Background()).Raw(query, args...).Scan(&n).Error)
	return n
}

// The shared helpers under this package's short names.
var (
	must      = testkit.Must
	wantCode  = testkit.WantCode
	wantField = testkit.WantField
)

func wantMessage(t testing.TB, err error, part string) {
	t.Helper()
	if err == nil || !strings.Contains(i18n.For(i18n.En).Error(err), part) {
		t.Fatalf("got error %v, want one saying %q", err, part)
	}
}

func firstPage() page.Request { return page.Request{Limit: page.DefaultLimit} }

func pageOf(limit int) page.Request { return page.Request{Limit: limit} }
