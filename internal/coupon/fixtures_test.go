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
	"github.com/kaidian/kaidian/internal/coupon"
	"github.com/kaidian/kaidian/internal/customer"
	"github.com/kaidian/kaidian/internal/database"
	"github.com/kaidian/kaidian/internal/database/dbtest"
	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/inventory"
	"github.com/kaidian/kaidian/internal/page"
)

// world is a coupon service on a fresh database with a movable clock.
type world struct {
	db      *database.DB
	coupons *coupon.Service
	clock   atomic.Pointer[time.Time]
}

const merchant = "staff:1:boss"

func newWorld(t testing.TB) *world {
	t.Helper()
	db := dbtest.Open(t)
	w := &world{db: db, coupons: coupon.New(db, audit.New(db), catalog.New(db, inventory.New(db)), customer.New(db))}
	now := time.Now().UTC().Truncate(time.Second)
	w.clock.Store(&now)
	w.coupons.SetClock(func() time.Time { return *w.clock.Load() })
	return w
}

func (w *world) now() time.Time { return *w.clock.Load() }

func (w *world) advance(d time.Duration) {
	next := w.now().Add(d)
	w.clock.Store(&next)
}

var names atomic.Int64

func (w *world) shopper(t testing.TB) int64 {
	t.Helper()
	sh, err := customer.New(w.db).Login(context.Background(), customer.Identity{OpenID: fmt.Sprintf("openid-%d", names.Add(1))})
	must(t, err)
	return sh.ID
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

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func wantCode(t testing.TB, err error, code string) {
	t.Helper()
	if !errs.Is(err, code) {
		t.Fatalf("got error %v, want code %s", err, code)
	}
}

func wantField(t testing.TB, err error, field string) {
	t.Helper()
	if e := errs.As(err); err == nil || e.Details["field"] != field {
		t.Fatalf("got error %v, want one on field %s", err, field)
	}
}

func wantMessage(t testing.TB, err error, part string) {
	t.Helper()
	if err == nil || !strings.Contains(errs.As(err).Message, part) {
		t.Fatalf("got error %v, want one saying %q", err, part)
	}
}

func firstPage() page.Request { return page.Request{Limit: page.DefaultLimit} }

func pageOf(limit int) page.Request { return page.Request{Limit: limit} }
