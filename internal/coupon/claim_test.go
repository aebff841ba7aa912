package coupon_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/kaidian/kaidian/internal/coupon"
	"github.com/kaidian/kaidian/internal/errs"
)

func TestClaimFollowsTheWindowTheLimitAndStop(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	alice := w.shopper(t)
	c := w.create(t, func(d *coupon.Draft) { d.StartsAt, d.EndsAt = w.now().Add(time.Hour), w.now().Add(2*time.Hour) })

	_, err := w.coupons.Claim(ctx, alice, c.ID)
	wantCode(t, err, "coupon_not_started")

	w.advance(time.Hour)
	h, err := w.coupons.Claim(ctx, alice, c.ID)
	must(t, err)
	if h.ID == 0 || h.Status != coupon.HeldUnused || !h.ValidUntil.Equal(c.EndsAt) || h.Source != coupon.SourceClaim {
		t.Fatalf("claimed %+v", h)
	}
	_, err = w.coupons.Claim(ctx, alice, c.ID)
	wantCode(t, err, "coupon_limit_reached")

	bob := w.shopper(t)
	_, err = w.coupons.Stop(ctx, merchant, c.ID)
	must(t, err)
	_, err = w.coupons.Claim(ctx, bob, c.ID)
	wantCode(t, err, "coupon_stopped")

	ended := w.create(t, nil)
	w.advance(25 * time.Hour)
	_, err = w.coupons.Claim(ctx, bob, ended.ID)
	wantCode(t, err, "coupon_ended")

	issuedOnly := w.create(t, func(d *coupon.Draft) { d.Claimable = false })
	_, err = w.coupons.Claim(ctx, bob, issuedOnly.ID)
	wantCode(t, err, "coupon_not_found")
	_, err = w.coupons.Claim(ctx, bob, 999999)
	wantCode(t, err, "coupon_not_found")
}

func TestDaysAfterClaimValidity(t *testing.T) {
	w := newWorld(t)
	c := w.create(t, func(d *coupon.Draft) { d.ValidDays = 3 })
	w.advance(time.Minute)
	h, err := w.coupons.Claim(context.Background(), w.shopper(t), c.ID)
	must(t, err)
	if !h.ValidFrom.Equal(w.now()) || !h.ValidUntil.Equal(w.now().AddDate(0, 0, 3)) {
		t.Fatalf("valid %s – %s, claimed at %s", h.ValidFrom, h.ValidUntil, w.now())
	}
}

// 50 shoppers race for 10 coupons: exactly 10 get one.
func TestClaimsNeverExceedTheTotal(t *testing.T) {
	w := newWorld(t)
	c := w.create(t, func(d *coupon.Draft) { d.TotalQuantity = 10 })
	shoppers := make([]int64, 50)
	for i := range shoppers {
		shoppers[i] = w.shopper(t)
	}
	codes := race(len(shoppers), func(i int) error {
		_, err := w.coupons.Claim(context.Background(), shoppers[i], c.ID)
		return err
	})
	if codes["ok"] != 10 || codes["coupon_sold_out"] != 40 {
		t.Fatalf("outcomes %v, want 10 ok and 40 coupon_sold_out", codes)
	}
	got, err := w.coupons.Get(context.Background(), c.ID)
	must(t, err)
	if got.Claimed != 10 || w.count(t, "SELECT COUNT(*) FROM shopper_coupons WHERE coupon_id = ?", c.ID) != 10 {
		t.Fatalf("claimed counter %d, rows %d", got.Claimed, w.count(t, "SELECT COUNT(*) FROM shopper_coupons"))
	}
}

// One shopper fires 20 claims at a limit of 2: exactly 2 succeed.
func TestOneShopperCannotPassTheLimit(t *testing.T) {
	w := newWorld(t)
	c := w.create(t, func(d *coupon.Draft) { d.PerShopperLimit = 2 })
	alice := w.shopper(t)
	codes := race(20, func(int) error {
		_, err := w.coupons.Claim(context.Background(), alice, c.ID)
		return err
	})
	if codes["ok"] != 2 || codes["coupon_limit_reached"] != 18 {
		t.Fatalf("outcomes %v, want 2 ok and 18 coupon_limit_reached", codes)
	}
	got, err := w.coupons.Get(context.Background(), c.ID)
	must(t, err)
	if got.Claimed != 2 || w.count(t, "SELECT COUNT(*) FROM shopper_coupons WHERE shopper_id = ?", alice) != 2 {
		t.Fatalf("claimed %d after the race", got.Claimed)
	}
}

// race runs n calls at once and counts their outcomes by error code.
func race(n int, call func(i int) error) map[string]int {
	var (
		mu    sync.Mutex
		codes = map[string]int{}
		start = make(chan struct{})
		wg    sync.WaitGroup
	)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			err := call(i)
			code := "ok"
			if err != nil {
				code = errs.As(err).Code
				if code == "internal" {
					code = err.Error()
				}
			}
			mu.Lock()
			codes[code]++
			mu.Unlock()
		}()
	}
	close(start)
	wg.Wait()
	return codes
}

func TestIssueIsAllOrNothing(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	c := w.create(t, func(d *coupon.Draft) { d.TotalQuantity, d.PerShopperLimit, d.Claimable = 3, 1, false })
	a, b, d := w.shopper(t), w.shopper(t), w.shopper(t)

	_, err := w.coupons.Issue(ctx, merchant, c.ID, []int64{a, 999999})
	wantMessage(t, err, "no shopper with id 999999")
	_, err = w.coupons.Issue(ctx, merchant, c.ID, nil)
	wantField(t, err, "shopper_ids")
	if n := w.count(t, "SELECT COUNT(*) FROM shopper_coupons"); n != 0 {
		t.Fatalf("a refused issue left %d coupons", n)
	}

	n, err := w.coupons.Issue(ctx, merchant, c.ID, []int64{a, b, a})
	must(t, err)
	if n != 2 {
		t.Fatalf("issued %d, want 2 (a repeated id counts once)", n)
	}
	_, err = w.coupons.Issue(ctx, merchant, c.ID, []int64{b})
	wantMessage(t, err, "already hold the limit of 1")
	_, err = w.coupons.Issue(ctx, merchant, c.ID, []int64{d, w.shopper(t)})
	wantMessage(t, err, "only 1 left")
	if _, err := w.coupons.Issue(ctx, merchant, c.ID, []int64{d}); err != nil {
		t.Fatal(err)
	}
	got, _ := w.coupons.Get(ctx, c.ID)
	if got.Claimed != 3 {
		t.Fatalf("claimed %d after issuing 3", got.Claimed)
	}
	if n := w.count(t, "SELECT COUNT(*) FROM shopper_coupons WHERE source = 'issue' AND actor = ?", merchant); n != 3 {
		t.Fatalf("%d coupons recorded as issued by the merchant", n)
	}
	if n := w.count(t, "SELECT COUNT(*) FROM audit_log WHERE action = 'coupon.issue' AND actor = ? AND subject_id = ?", merchant, fmt.Sprint(c.ID)); n != 2 {
		t.Fatalf("%d issue audit entries, want 2", n)
	}
	_, err = w.coupons.Stop(ctx, merchant, c.ID)
	must(t, err)
	_, err = w.coupons.Issue(ctx, merchant, c.ID, []int64{w.shopper(t)})
	wantCode(t, err, "coupon_stopped")
}
