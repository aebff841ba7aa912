package app_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/kaidian/kaidian/internal/app/apptest"
	"github.com/kaidian/kaidian/internal/commission"
	"github.com/kaidian/kaidian/internal/promoter"
	"github.com/kaidian/kaidian/internal/testkit"
	"github.com/kaidian/kaidian/internal/worker"
)

// One order through its whole life, amounts worked out by hand: credited
// by the most specific rule of each line, reversed in part by a refund
// before settlement, settled once the after-sale window is over (and not a
// day before), clawed back by a refund after, paid in a batch once, and a
// refund after the payout carried as a negative settled balance.
func TestCommissionFromPaymentToPayout(t *testing.T) {
	e := apptest.Start(t, fastRefunds)
	ctx := context.Background()
	owner := "staff:1:owner"
	clothes := e.Category(t, "服装", nil)
	tees := e.Category(t, "T恤", &clothes.ID)
	a := e.ProductIn(t, tees.ID, "A", apptest.SKU{Price: 999, Stock: 100})
	b := e.ProductIn(t, tees.ID, "B", apptest.SKU{Price: 3333, Stock: 100})
	c := e.Product(t, apptest.SKU{Price: 1000, Stock: 100})
	p := newPromoter(t, e, "达人小李", 1000)
	other := newPromoter(t, e, "达人小张", 1000)
	cm := e.App.Commission

	// A: the parent category's rule (15%); B: the promoter's own product rule
	// (25%) beats the shop's (20%); C: a running campaign (30%) beats the
	// promoter's rate (10%). Another promoter's product rule changes nothing.
	for _, r := range []commission.Rule{
		{Scope: commission.ScopeCategory, TargetID: clothes.ID, RateBP: 1500},
		{Scope: commission.ScopeProduct, TargetID: b.ID, RateBP: 2000},
		{Scope: commission.ScopeProduct, TargetID: b.ID, RateBP: 2500, PromoterID: &p.ID},
		{Scope: commission.ScopeProduct, TargetID: a.ID, RateBP: 4000, PromoterID: &other.ID},
	} {
		_, err := cm.SaveRule(ctx, owner, r)
		testkit.Must(t, err)
	}
	now := e.App.Clock.Now()
	_, err := cm.SaveCampaign(ctx, owner, 0, commission.CampaignInput{Name: "双十二", RateBP: 3000,
		StartsAt: now.Add(-time.Hour), EndsAt: now.Add(time.Hour), ProductIDs: []int64{c.ID}})
	testkit.Must(t, err)
	_, err = cm.SaveCampaign(ctx, owner, 0, commission.CampaignInput{Name: "已结束", RateBP: 5000,
		StartsAt: now.Add(-3 * time.Hour), EndsAt: now.Add(-2 * time.Hour)})
	testkit.Must(t, err)

	o := creditedOrder(t, e, "buyer", p, map[int64]int{a.SKUs[0].ID: 2, b.SKUs[0].ID: 1, c.SKUs[0].ID: 1})
	check := func(step string, want commission.Balances) {
		t.Helper()
		got, err := cm.Balances(ctx, p.ID)
		testkit.Must(t, err)
		if sum := sums(t, e, p.ID); got != sum || got != want {
			t.Fatalf("%s: balances %+v, sum of entries %+v, want %+v%s", step, got, sum, want, describe(entries(t, e, p.ID)))
		}
	}
	// 1998×15% = 299.7 → 299; 3333×25% = 833.25 → 833; 1000×30% = 300.
	check("paid", commission.Balances{Pending: 299 + 833 + 300})
	rules := map[string]bool{}
	for _, x := range entries(t, e, p.ID) {
		rules[x.Rule] = true
	}
	if !rules["category:"+itoa(clothes.ID)] || !rules["product:"+itoa(b.ID)] || len(rules) != 3 {
		t.Fatalf("rules applied: %v", rules)
	}
	testkit.Must(t, cm.OrderPaid(ctx, o)) // the same payment again credits nothing
	check("paid twice", commission.Balances{Pending: 1432})

	// ¥10 back before settlement, spread over the lines by what each paid
	// (6331 fen): A 316, B 526, C 158 refunded; each keeps its rate on the rest.
	refund(t, e, o.OrderNo, 1000)
	check("refund before settlement", commission.Balances{Pending: 252 + 701 + 252})

	complete(t, e, o)
	at := func(days int) {
		e.App.Clock.Set(func() time.Time { return time.Now().Add(time.Duration(days) * 24 * time.Hour) })
	}
	at(6)
	n, err := cm.SettleDue(ctx)
	testkit.Must(t, err)
	check("within the after-sale window", commission.Balances{Pending: 1205})
	at(8)
	n, err = cm.SettleDue(ctx)
	testkit.Must(t, err)
	if n != 1 {
		t.Fatalf("settled %d orders, want 1", n)
	}
	n, _ = cm.SettleDue(ctx)
	check("settled", commission.Balances{Settled: 1205})
	if n != 0 {
		t.Fatalf("settled %d orders again", n)
	}

	// ¥20 more after settlement (¥30 in all: A 947, B 1579, C 474 refunded):
	// A 157, B 438, C 157 kept; the difference is clawed back from settled.
	refund(t, e, o.OrderNo, 2000)
	check("refund after settlement", commission.Balances{Settled: 752, Clawback: -453})

	batch, err := cm.CreateBatch(ctx, owner, time.Time{}, nil)
	testkit.Must(t, err)
	if batch.Total != 752 || len(batch.Lines) != 1 || batch.Lines[0].PromoterID != p.ID {
		t.Fatalf("batch %+v", batch)
	}
	_, err = cm.CreateBatch(ctx, owner, time.Time{}, nil)
	testkit.WantCode(t, err, "nothing_to_pay") // the balance is in the open batch
	_, err = cm.MarkPaid(ctx, owner, batch.ID, "  ")
	testkit.WantField(t, err, "reference")
	_, err = cm.MarkPaid(ctx, owner, batch.ID, "BANK-20261206-1")
	testkit.Must(t, err)
	_, err = cm.MarkPaid(ctx, owner, batch.ID, "BANK-20261206-2")
	testkit.WantCode(t, err, "payout_batch_not_open")
	check("paid out", commission.Balances{Paid: 752, Clawback: -453})

	// A refund after the payout: the clawback leaves settled below zero,
	// carried into the next statement, and no batch pays anything.
	refund(t, e, o.OrderNo, 1000)
	got, _ := cm.Balances(ctx, p.ID)
	if got.Settled >= 0 || got.Paid != 752 || got != sums(t, e, p.ID) {
		t.Fatalf("after a refund after payout: %+v", got)
	}
	_, err = cm.CreateBatch(ctx, owner, time.Time{}, nil)
	testkit.WantCode(t, err, "nothing_to_pay")
	st, err := cm.Statement(ctx, p.ID, e.App.Clock.Now(), e.App.Clock.Location())
	testkit.Must(t, err)
	if st.SettledClosing != got.Settled || st.Closing != got.Pending+got.Settled || st.Opening+sumOf(st.Entries) != st.Closing {
		t.Fatalf("statement %+v, balances %+v", st, got)
	}
	if b, _ := cm.Balances(ctx, other.ID); b != (commission.Balances{}) {
		t.Fatalf("the other promoter earned %+v", b)
	}
}

// A promoter's own order earns nothing unless they are paid on their own
// orders; an order credited to nobody earns nothing.
func TestCommissionOnOwnOrders(t *testing.T) {
	e := apptest.Start(t)
	ctx := context.Background()
	sku := e.Product(t, apptest.SKU{Price: 10000, Stock: 100}).SKUs[0].ID
	shopper, err := e.App.Tokens.Verify(e.Login("self"))
	testkit.Must(t, err)
	p, err := e.App.Promoters.Create(ctx, "staff:1:owner", promoter.Input{Kind: promoter.KindKOL, Status: promoter.StatusActive,
		Name: "自购达人", ShopperID: &shopper, RateBP: 1000})
	testkit.Must(t, err)
	creditedOrder(t, e, "self", p, map[int64]int{sku: 1})
	if b, _ := e.App.Commission.Balances(ctx, p.ID); b.Pending != 0 {
		t.Fatalf("own order earned %+v without commission_on_self", b)
	}
	testkit.Must(t, e.App.DB.Conn(ctx).Exec("UPDATE promoters SET commission_on_self = TRUE WHERE id = ?", p.ID).Error)
	creditedOrder(t, e, "self", p, map[int64]int{sku: 1})
	if b, _ := e.App.Commission.Balances(ctx, p.ID); b.Pending != 1000 {
		t.Fatalf("own order earned %+v with commission_on_self, want 1000 pending", b)
	}
}

func sumOf(es []commission.Entry) int64 {
	var n int64
	for _, x := range es {
		n += x.Amount
	}
	return n
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// Statements are by month in China time: commission earned at 00:30 on
// 1 December in Beijing (16:30 UTC on 30 November) is December's.
func TestStatementMonthsInChinaTime(t *testing.T) {
	e := apptest.Start(t)
	ctx := context.Background()
	at := time.Date(2026, 11, 30, 16, 30, 0, 0, time.UTC)
	e.App.Clock.Set(func() time.Time { return at })
	sku := e.Product(t, apptest.SKU{Price: 5000, Stock: 10}).SKUs[0].ID
	p := newPromoter(t, e, "月初达人", 1000)
	creditedOrder(t, e, "month-buyer", p, map[int64]int{sku: 1})
	china := e.App.Clock.Location()
	nov, err := e.App.Commission.Statement(ctx, p.ID, time.Date(2026, 11, 15, 0, 0, 0, 0, china), china)
	testkit.Must(t, err)
	dec, err := e.App.Commission.Statement(ctx, p.ID, time.Date(2026, 12, 15, 0, 0, 0, 0, china), china)
	testkit.Must(t, err)
	if len(nov.Entries) != 0 || nov.Closing != 0 || len(dec.Entries) != 1 || dec.Opening != 0 || dec.Closing != 500 || dec.Earned != 500 {
		t.Fatalf("November %+v, December %+v", nov, dec)
	}
}

// Settlement runs as the durable commission.settle job (periodic on the
// leader; enqueued here so the test need not wait for the interval).
func TestCommissionSettlesInTheJob(t *testing.T) {
	e := apptest.Start(t)
	ctx := context.Background()
	testkit.Must(t, e.App.Settings.UpdateCommissionSettleDays(ctx, "test", 0))
	sku := e.Product(t, apptest.SKU{Price: 3000, Stock: 10}).SKUs[0].ID
	p := newPromoter(t, e, "任务达人", 1000)
	complete(t, e, creditedOrder(t, e, "job-buyer", p, map[int64]int{sku: 1}))
	testkit.Must(t, e.App.Jobs().Enqueue(ctx, river.InsertManyParams{Args: worker.SettleCommissionArgs{}}))
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		b, err := e.App.Commission.Balances(ctx, p.ID)
		testkit.Must(t, err)
		if b.Settled == 300 && b.Pending == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the job never settled: %+v", b)
		}
	}
}
