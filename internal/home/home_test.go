package home_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/kaidian/kaidian/internal/audit"
	"github.com/kaidian/kaidian/internal/catalog"
	"github.com/kaidian/kaidian/internal/clock"
	"github.com/kaidian/kaidian/internal/coupon"
	"github.com/kaidian/kaidian/internal/customer"
	"github.com/kaidian/kaidian/internal/database/dbtest"
	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/flashsale"
	"github.com/kaidian/kaidian/internal/home"
	"github.com/kaidian/kaidian/internal/inventory"
	"github.com/kaidian/kaidian/internal/testkit"
)

func newService(t *testing.T) *home.Service {
	t.Helper()
	db := dbtest.Open(t)
	clk := clock.New()
	log := audit.New(db, clk)
	inv := inventory.New(db, clk)
	cat := catalog.New(db, inv, clk)
	return home.New(db, log, cat, coupon.New(db, log, cat, customer.New(db, clk), clk), flashsale.New(db, inv, cat, log, clk), clk)
}

// Many editors adding banners at once: the carousel never passes its
// limit, and every banner gets a position of its own.
func TestConcurrentEditorsKeepTheLimit(t *testing.T) {
	s := newService(t)
	ctx := context.Background()
	const editors = 3 * home.MaxBanners
	var wg sync.WaitGroup
	var mu sync.Mutex
	saved, full := 0, 0
	for i := 0; i < editors; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := s.SaveBanner(ctx, "staff:1:lily", 0, home.BannerDraft{Image: "/uploads/a.png", LinkType: home.LinkNone,
				Schedule: home.Schedule{Enabled: true}})
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				saved++
			case errs.Is(err, "home_full"):
				full++
			default:
				t.Errorf("save: %v", err)
			}
		}()
	}
	wg.Wait()
	l, err := s.Layout(ctx)
	testkit.Must(t, err)
	if saved != home.MaxBanners || full != editors-home.MaxBanners || len(l.Banners) != home.MaxBanners {
		t.Fatalf("saved %d, refused %d, stored %d; want %d saved", saved, full, len(l.Banners), home.MaxBanners)
	}
	seen := map[int]bool{}
	for _, b := range l.Banners {
		if seen[b.Position] {
			t.Fatalf("position %d twice: %+v", b.Position, l.Banners)
		}
		seen[b.Position] = true
	}
}

// Moving at the edges changes nothing; moving rewrites positions 1..n.
func TestMoveAtTheEdges(t *testing.T) {
	s := newService(t)
	ctx := context.Background()
	var ids []int64
	for i := 0; i < 3; i++ {
		sec, err := s.SaveSection(ctx, "test", 0, home.SectionDraft{Kind: home.KindCoupons, ItemLimit: 3})
		testkit.Must(t, err)
		ids = append(ids, sec.ID)
	}
	testkit.Must(t, s.Move(ctx, "test", "section", ids[0], true))
	testkit.Must(t, s.Move(ctx, "test", "section", ids[2], false))
	testkit.Must(t, s.Move(ctx, "test", "section", ids[2], true))
	l, err := s.Layout(ctx)
	testkit.Must(t, err)
	got := []int64{l.Sections[0].ID, l.Sections[1].ID, l.Sections[2].ID}
	if got[0] != ids[0] || got[1] != ids[2] || got[2] != ids[1] {
		t.Fatalf("order %v from %v", got, ids)
	}
	testkit.WantCode(t, s.Move(ctx, "test", "section", 987654, true), "section_not_found")
	_, err = s.DeleteBanner(ctx, "test", 987654)
	testkit.WantCode(t, err, "banner_not_found")
}

// Schedules: enabled and inside the window, bounds optional.
func TestScheduleLiveAt(t *testing.T) {
	now := time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC)
	before, after := now.Add(-time.Minute), now.Add(time.Minute)
	for _, tt := range []struct {
		s    home.Schedule
		live bool
	}{
		{home.Schedule{Enabled: true}, true},
		{home.Schedule{}, false},
		{home.Schedule{Enabled: true, StartsAt: &before, EndsAt: &after}, true},
		{home.Schedule{Enabled: true, StartsAt: &now}, true},
		{home.Schedule{Enabled: true, EndsAt: &now}, false},
		{home.Schedule{Enabled: true, StartsAt: &after}, false},
		{home.Schedule{Enabled: false, StartsAt: &before, EndsAt: &after}, false},
	} {
		if got := tt.s.LiveAt(now); got != tt.live {
			t.Errorf("%+v at %v: live %v, want %v", tt.s, now, got, tt.live)
		}
	}
}
