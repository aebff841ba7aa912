package order_test

import (
	"context"
	"io"
	"log/slog"
	"testing"

	"github.com/kaidian/kaidian/internal/attribution"
	"github.com/kaidian/kaidian/internal/audit"
	"github.com/kaidian/kaidian/internal/catalog"
	"github.com/kaidian/kaidian/internal/channel"
	"github.com/kaidian/kaidian/internal/coupon"
	"github.com/kaidian/kaidian/internal/customer"
	"github.com/kaidian/kaidian/internal/flashsale"
	"github.com/kaidian/kaidian/internal/inventory"
	"github.com/kaidian/kaidian/internal/metrics"
	"github.com/kaidian/kaidian/internal/order"
	"github.com/kaidian/kaidian/internal/promoter"
	"github.com/kaidian/kaidian/internal/setting"
	"github.com/kaidian/kaidian/internal/share"
)

// BenchmarkPlaceAttributed is BenchmarkPlace with attribution: the shopper
// came through a KOL's link and is bound to nobody, so every order reads
// the shopper's touches and is credited to the KOL (the promoter from the
// cache). Compare the two: go test -run '^$' -bench 'Place$|PlaceAttributed'
// ./internal/order/ (KAIDIAN_TEST_DATABASE_URL for PostgreSQL); the issue
// allows 10% more.
func BenchmarkPlaceAttributed(b *testing.B) {
	w := newWorld(b)
	ctx := context.Background()
	log := audit.New(w.db, w.clock)
	promoters := promoter.New(w.db, log, w.clock)
	settings := setting.New(w.db, log)
	att := attribution.New(attribution.Deps{DB: w.db, Channels: channel.New(w.db, log, w.clock), Promoters: promoters,
		Scenes: share.NewScenes(w.db, w.clock), Customers: customer.New(w.db, w.clock), Settings: settings, Audit: log,
		Clock: w.clock, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	kol, err := promoters.Create(ctx, "staff:1", promoter.Input{Kind: promoter.KindKOL, Status: promoter.StatusActive, Name: "kol"})
	if err != nil {
		b.Fatal(err)
	}
	rec := att.Recorder()
	if err := rec.Record(w.shop, attribution.Visit{Ref: kol.Ref(), Path: "pages/index/index", Entry: 1007}); err != nil {
		b.Fatal(err)
	}
	if err := rec.Stop(ctx); err != nil {
		b.Fatal(err)
	}
	inv := inventory.New(w.db, w.clock)
	cat := catalog.New(w.db, inv, w.clock)
	orders := order.New(order.Deps{DB: w.db, Catalog: cat, Inventory: inv, Settings: settings,
		Coupons: coupon.New(w.db, log, cat, customer.New(w.db, w.clock), w.clock), Flash: flashsale.New(w.db, inv, cat, log, w.clock),
		Cart: w.cart, Addresses: fakeAddresses{}, Metrics: metrics.New(), Clock: w.clock, Attributor: att})
	sku := w.sku(b, 100, 1_000_000)
	o, _, err := orders.Place(ctx, w.shop, buy(1, line(sku, 1)), "")
	if err != nil || o.Source != kol.Ref() || o.PromoterID == nil || *o.PromoterID != kol.ID {
		b.Fatalf("placed %+v (%v), want it credited to %s", o, err, kol.Ref())
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, _, err := orders.Place(ctx, w.shop, buy(1, line(sku, 1)), ""); err != nil {
			b.Fatal(err)
		}
	}
}
