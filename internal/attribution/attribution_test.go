package attribution_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/kaidian/kaidian/internal/attribution"
	"github.com/kaidian/kaidian/internal/audit"
	"github.com/kaidian/kaidian/internal/channel"
	"github.com/kaidian/kaidian/internal/clock"
	"github.com/kaidian/kaidian/internal/customer"
	"github.com/kaidian/kaidian/internal/database"
	"github.com/kaidian/kaidian/internal/database/dbtest"
	"github.com/kaidian/kaidian/internal/promoter"
	"github.com/kaidian/kaidian/internal/setting"
	"github.com/kaidian/kaidian/internal/share"
	"github.com/kaidian/kaidian/internal/testkit"
)

// replica is the attribution service as one process of the shop builds it.
func replica(db *database.DB, clk *clock.Clock, cfg attribution.RecorderConfig) *attribution.Service {
	log := audit.New(db, clk)
	return attribution.New(attribution.Deps{DB: db, Channels: channel.New(db, log, clk), Promoters: promoter.New(db, log, clk),
		Scenes: share.NewScenes(db, clk), Customers: customer.New(db, clk), Settings: setting.New(db, log), Audit: log,
		Clock: clk, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Recorder: cfg})
}

// Two replicas recording visits from many goroutines at once, flushing
// every few milliseconds into the same rows (the same shoppers, days and
// sources): every visit saved once, the daily counts equal to the rows
// they count, one touch row per shopper, nothing refused or lost.
func TestReplicasRecordConcurrently(t *testing.T) {
	db := dbtest.Open(t)
	clk := clock.New()
	ctx := context.Background()
	cfg := attribution.RecorderConfig{BatchSize: 37, FlushEvery: 2 * time.Millisecond}
	replicas := []*attribution.Service{replica(db, clk, cfg), replica(db, clk, cfg)}
	ch, err := channel.New(db, audit.New(db, clk), clk).Create(ctx, "staff:1", channel.Input{Name: "海报", Active: true})
	if err != nil {
		t.Fatal(err)
	}
	shoppers := make([]int64, 30)
	for i := range shoppers {
		shoppers[i] = testkit.Shopper(t, db, fmt.Sprintf("race-%d", i))
	}
	for _, r := range replicas {
		r.Recorder().Start()
	}
	const perWorker, workers = 300, 4
	seen := map[int64]bool{} // the shoppers who visit logged in
	for i := range perWorker {
		if i%5 != 0 {
			seen[shoppers[i%len(shoppers)]] = true
		}
	}
	var wg sync.WaitGroup
	for _, r := range replicas {
		for w := range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range perWorker {
					ref := ch.Ref()
					if i%3 == 0 {
						ref = "share:" + fmt.Sprint(shoppers[(i+1)%len(shoppers)])
					}
					id := shoppers[(w*perWorker+i)%len(shoppers)]
					if i%5 == 0 {
						id = 0
					}
					if err := r.Recorder().Record(id, attribution.Visit{Ref: ref, Path: "pages/index/index", Entry: 1007}); err != nil {
						t.Error(err)
						return
					}
				}
			}()
		}
	}
	wg.Wait()
	var saved, refused, lost int64
	for _, r := range replicas {
		testkit.Must(t, r.Recorder().Stop(ctx))
		saved, refused, lost = saved+r.Recorder().Saved(), refused+r.Recorder().Refused(), lost+r.Recorder().Lost()
	}
	const total = 2 * workers * perWorker
	var visits, daily, visitors, counted, touches int64
	conn := db.Conn(ctx)
	conn.Raw("SELECT COUNT(*) FROM visits").Scan(&visits)
	conn.Raw("SELECT COALESCE(SUM(visits), 0) FROM visits_daily").Scan(&daily)
	conn.Raw("SELECT COALESCE(SUM(visitors), 0) FROM visits_daily").Scan(&visitors)
	conn.Raw("SELECT COUNT(*) FROM funnel_shoppers WHERE step = 'visit'").Scan(&counted)
	conn.Raw("SELECT COUNT(*) FROM shopper_touches").Scan(&touches)
	if saved != total || refused != 0 || lost != 0 || visits != total || daily != total {
		t.Fatalf("saved %d, refused %d, lost %d; %d visits, %d in the daily counts; want %d", saved, refused, lost, visits, daily, total)
	}
	if visitors != counted || counted == 0 || counted > 2*int64(len(seen)) || touches != int64(len(seen)) {
		t.Fatalf("%d visitors counted daily, %d funnel rows, %d touches for %d shoppers", visitors, counted, touches, len(seen))
	}
}

// Two replicas saving, at the same moment, a shopper's scans of two
// associates' codes: exactly one binding, to one of them, and it holds
// against the other's later scans during the lock.
func TestBindingRaceFirstWins(t *testing.T) {
	db := dbtest.Open(t)
	clk := clock.New()
	ctx := context.Background()
	a, b := replica(db, clk, attribution.RecorderConfig{}), replica(db, clk, attribution.RecorderConfig{})
	log := audit.New(db, clk)
	ps := promoter.New(db, log, clk)
	st, err := ps.CreateStore(ctx, "staff:1", promoter.StoreInput{Name: "店", Active: true})
	if err != nil {
		t.Fatal(err)
	}
	scenes := share.NewScenes(db, clk)
	var ids []int64
	var keys []string
	for _, name := range []string{"甲", "乙"} {
		p, err := ps.Create(ctx, "staff:1", promoter.Input{Kind: promoter.KindAssociate, Status: promoter.StatusActive, Name: name, StoreID: &st.ID})
		if err != nil {
			t.Fatal(err)
		}
		k, err := scenes.Key(ctx, "pages/index/index", "home", p.Ref())
		if err != nil {
			t.Fatal(err)
		}
		ids, keys = append(ids, p.ID), append(keys, k)
	}
	for n := range 20 {
		shopper := testkit.Shopper(t, db, fmt.Sprintf("bind-race-%d", n))
		var wg sync.WaitGroup
		for i, svc := range []*attribution.Service{a, b} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				err := svc.SaveVisits(ctx, []attribution.Recorded{{ShopperID: shopper,
					Visit: attribution.Visit{Scene: keys[i], Path: "pages/index/index", Entry: 1047}, At: clk.Now()}})
				if err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		first, err := a.BindingOf(ctx, shopper)
		if err != nil || (first.PromoterID != ids[0] && first.PromoterID != ids[1]) {
			t.Fatalf("shopper %d: binding %+v, %v", shopper, first, err)
		}
		other := keys[0]
		if first.PromoterID == ids[0] {
			other = keys[1]
		}
		testkit.Must(t, b.SaveVisits(ctx, []attribution.Recorded{{ShopperID: shopper,
			Visit: attribution.Visit{Scene: other, Path: "pages/index/index", Entry: 1047}, At: clk.Now().Add(time.Hour)}}))
		if again, _ := a.BindingOf(ctx, shopper); again.PromoterID != first.PromoterID {
			t.Fatalf("shopper %d taken from %d by %d during the lock", shopper, first.PromoterID, again.PromoterID)
		}
	}
}
