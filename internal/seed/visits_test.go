package seed_test

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/kaidian/kaidian/internal/attribution"
	"github.com/kaidian/kaidian/internal/audit"
	"github.com/kaidian/kaidian/internal/channel"
	"github.com/kaidian/kaidian/internal/clock"
	"github.com/kaidian/kaidian/internal/customer"
	"github.com/kaidian/kaidian/internal/database/dbtest"
	"github.com/kaidian/kaidian/internal/promoter"
	"github.com/kaidian/kaidian/internal/report"
	"github.com/kaidian/kaidian/internal/seed"
	"github.com/kaidian/kaidian/internal/setting"
	"github.com/kaidian/kaidian/internal/share"
)

// Seeded visits and orders spread over the last 90 days and add up in the
// funnel exactly: every visit counted once, every order once.
func TestSeedVisits(t *testing.T) {
	ctx := context.Background()
	db := dbtest.Open(t)
	clk := clock.New()
	log := audit.New(db, clk)
	s := seed.Social{DB: db, Channels: channel.New(db, log, clk), Promoters: promoter.New(db, log, clk)}
	s.Attribution = attribution.New(attribution.Deps{DB: db, Channels: s.Channels, Promoters: s.Promoters,
		Scenes: share.NewScenes(db, clk), Customers: customer.New(db, clk), Settings: setting.New(db, log), Audit: log,
		Clock: clk, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err := seed.Visits(ctx, s, 6000, 500); err != nil {
		t.Fatal(err)
	}
	reports := report.New(db, clk)
	today := clk.Now().In(clock.China).Format(time.DateOnly)
	from, to, err := reports.FunnelPeriod(clk.Now().AddDate(0, 0, -89).In(clock.China).Format(time.DateOnly), today)
	if err != nil {
		t.Fatal(err)
	}
	f, err := reports.Funnel(ctx, from, to)
	if err != nil {
		t.Fatal(err)
	}
	var orders int64
	db.Conn(ctx).Raw("SELECT COUNT(*) FROM orders WHERE created_at >= ?", from.UTC()).Scan(&orders)
	if f.Total.Visits < 5900 || f.Total.Visits > 6000 || f.Total.Orders != orders || orders < 490 || len(f.Sources) < 15 {
		t.Fatalf("funnel over 90 days: %+v, %d sources; %d orders in the period", f.Total, len(f.Sources), orders)
	}
	busy := 0
	for _, d := range f.Days {
		if d.Total.Visits > 0 {
			busy++
		}
	}
	if busy < 85 {
		t.Fatalf("visits on %d of 90 days", busy)
	}
}
