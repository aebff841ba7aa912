package coupon_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/kaidian/kaidian/internal/coupon"
	"github.com/kaidian/kaidian/internal/i18n"
	"github.com/kaidian/kaidian/internal/report"
)

func TestCreateEditAndStopAreAudited(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	c := w.create(t, nil)
	if c.ID == 0 || c.StatusAt(w.now()) != coupon.StatusLive || i18n.For(i18n.ZhCN).Msg(c.Value()) != "满100减20" {
		t.Fatalf("created %+v", c)
	}

	// Before anyone holds it, everything may change.
	d := c.Draft()
	d.Kind, d.Amount, d.MinAmount, d.PercentOff, d.MaxDiscount = coupon.KindPercent, 0, 0, 10, 3000
	edited, err := w.coupons.Update(ctx, merchant, c.ID, d)
	must(t, err)
	if v := i18n.For(i18n.ZhCN).Msg(edited.Value()); v != "9折，最多减30元" {
		t.Fatalf("edited to %s", v)
	}

	// Once held, the terms are fixed; the name and quantity are not.
	_, err = w.coupons.Claim(ctx, w.shopper(t), c.ID)
	must(t, err)
	d.PercentOff = 20
	_, err = w.coupons.Update(ctx, merchant, c.ID, d)
	wantCode(t, err, "coupon_terms_locked")
	wantField(t, err, "percent_off")
	d.PercentOff, d.TotalQuantity = 10, 0
	_, err = w.coupons.Update(ctx, merchant, c.ID, d)
	wantField(t, err, "total_quantity")
	d.Name, d.TotalQuantity = "九折券", 500
	_, err = w.coupons.Update(ctx, merchant, c.ID, d)
	must(t, err)

	stopped, err := w.coupons.Stop(ctx, merchant, c.ID)
	must(t, err)
	if stopped.StatusAt(w.now()) != coupon.StatusStopped {
		t.Fatalf("stop gave %+v", stopped)
	}
	_, err = w.coupons.Stop(ctx, merchant, c.ID)
	wantCode(t, err, "coupon_stopped")
	_, err = w.coupons.Update(ctx, merchant, c.ID, d)
	wantCode(t, err, "coupon_stopped")

	for action, want := range map[string]int64{"coupon.create": 1, "coupon.update": 2, "coupon.stop": 1} {
		if n := w.count(t, "SELECT COUNT(*) FROM audit_log WHERE action = ? AND actor = ? AND subject_type = 'coupon' AND subject_id = ?",
			action, merchant, fmt.Sprint(c.ID)); n != want {
			t.Errorf("%d %s entries, want %d", n, action, want)
		}
	}
	var rows []string
	must(t, w.db.Conn(ctx).Raw("SELECT detail FROM audit_log WHERE action = 'coupon.update' ORDER BY id").Scan(&rows).Error)
	var last i18n.Msg
	if len(rows) == 2 {
		must(t, last.Scan(rows[1]))
	}
	if !strings.Contains(i18n.For(i18n.En).Msg(last), "total quantity 100 → 500") ||
		!strings.Contains(i18n.For(i18n.ZhCN).Msg(last), "九折券：名称 满100减20 → 九折券；发放总量 100 → 500") {
		t.Errorf("the audit entry does not say what changed: %q", rows)
	}
}

func TestCreateRefusesBadInputAndSavesNothing(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	d := w.draft()
	d.Scope, d.ScopeIDs = coupon.ScopeProducts, []int64{w.product(t, w.category(t, 0)), 424242}
	_, err := w.coupons.Create(ctx, merchant, d)
	wantMessage(t, err, "no product with id 424242")
	d = w.draft()
	d.EndsAt = w.now().Add(-time.Minute)
	d.StartsAt = d.EndsAt.Add(-time.Hour)
	_, err = w.coupons.Create(ctx, merchant, d)
	wantField(t, err, "ends_at")
	if n := w.count(t, "SELECT COUNT(*) FROM coupons") + w.count(t, "SELECT COUNT(*) FROM audit_log"); n != 0 {
		t.Fatalf("refused creates left %d rows", n)
	}
}

func TestListByStatusAndStats(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	live := w.create(t, nil)
	upcoming := w.create(t, func(d *coupon.Draft) { d.StartsAt = w.now().Add(time.Hour) })
	stopped := w.create(t, nil)
	_, err := w.coupons.Stop(ctx, merchant, stopped.ID)
	must(t, err)

	for status, want := range map[coupon.Status]int64{coupon.StatusLive: live.ID, coupon.StatusUpcoming: upcoming.ID, coupon.StatusStopped: stopped.ID} {
		cs, _, err := w.coupons.List(ctx, coupon.Query{Status: status, Page: firstPage()})
		must(t, err)
		if len(cs) != 1 || cs[0].ID != want {
			t.Errorf("%s: %d coupons", status, len(cs))
		}
	}
	all, next, err := w.coupons.List(ctx, coupon.Query{Page: pageOf(2)})
	must(t, err)
	if len(all) != 2 || all[0].ID != stopped.ID || next == "" {
		t.Fatalf("first page of all: %d, next %q", len(all), next)
	}

	// Two shoppers claim; one uses it on an order that is paid, with 5 yuan refunded.
	a, b := w.shopper(t), w.shopper(t)
	for _, sh := range []int64{a, b} {
		_, err := w.coupons.Claim(ctx, sh, live.ID)
		must(t, err)
	}
	o := w.order(t, a)
	must(t, w.coupons.Redeem(ctx, a, live.ID, o))
	must(t, w.db.Conn(ctx).Exec(`UPDATE orders SET coupon_id = ?, status = 'paid', paid_at = ?, pay_amount = 10000,
		discount_amount = 2000, refunded_amount = 500 WHERE id = ?`, live.ID, w.now(), o).Error)
	w.order(t, b) // unpaid and without the coupon: counts nowhere
	cs, _, err := w.coupons.List(ctx, coupon.Query{Page: firstPage()})
	must(t, err)
	stats, err := report.New(w.db, w.clock).CouponStats(ctx, cs)
	must(t, err)
	got := stats[live.ID]
	if got != (report.CouponStats{Claimed: 2, Used: 1, Orders: 1, Revenue: 10000, Discount: 2000, Refunded: 500}) || got.UseRate() != 50 {
		t.Fatalf("stats %+v", got)
	}
	if stats[upcoming.ID] != (report.CouponStats{}) {
		t.Fatalf("an untouched coupon has stats %+v", stats[upcoming.ID])
	}
}
