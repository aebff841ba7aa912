package app_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kaidian/kaidian/internal/app/apptest"
	"github.com/kaidian/kaidian/internal/commission"
	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/money"
	"github.com/kaidian/kaidian/internal/order"
	"github.com/kaidian/kaidian/internal/page"
	"github.com/kaidian/kaidian/internal/promoter"
	"github.com/kaidian/kaidian/internal/testkit"
)

// Payments notified, refunds succeeding, settlement runs and payout
// batches created and paid, all at once on two promoters. Afterwards every
// line's commission is exactly its rate on what was not refunded, the
// balances are the sums of the entries and add up to it, no line settled
// twice, no promoter sat in two open batches, and what was paid is exactly
// what the paid batches say, once each.
func TestCommissionLedgerUnderConcurrency(t *testing.T) {
	e := apptest.Start(t, fastRefunds)
	ctx := context.Background()
	owner := "staff:1:owner"
	testkit.Must(t, e.App.Settings.UpdateCommissionSettleDays(ctx, owner, 0)) // completed orders settle at once
	sku := e.Product(t, apptest.SKU{Price: 1999, Stock: 1000}).SKUs[0].ID
	sku2 := e.Product(t, apptest.SKU{Price: 777, Stock: 1000}).SKUs[0].ID
	ps := []promoter.Promoter{newPromoter(t, e, "达人甲", 1000), newPromoter(t, e, "达人乙", 1700)}
	cm := e.App.Commission

	// Completed orders, for refunds to race settlement and batches.
	var done []order.Order
	for i := range 6 {
		o := creditedOrder(t, e, "done-"+itoa(int64(i)), ps[i%2], map[int64]int{sku: 1 + i%3, sku2: 2})
		complete(t, e, o)
		done = append(done, o)
	}

	var wg sync.WaitGroup
	start := make(chan struct{})
	run := func(n int, f func(i int)) {
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				f(i)
			}()
		}
	}
	// Settlement and batches keep going while payments and refunds do.
	var busy atomic.Int64
	busy.Add(6 + int64(len(done)))
	run(6, func(i int) { // new payments
		defer busy.Add(-1)
		creditedOrder(t, e, "new-"+itoa(int64(i)), ps[i%2], map[int64]int{sku: 1, sku2: 1 + i%2})
	})
	run(len(done), func(i int) { // refunds, twice on each completed order
		defer busy.Add(-1)
		refund(t, e, done[i].OrderNo, 500+int64(i)*37)
		refund(t, e, done[i].OrderNo, 999)
	})
	run(2, func(int) { // settlement runs
		for busy.Load() > 0 {
			if _, err := cm.SettleDue(ctx); err != nil {
				t.Errorf("settle: %v", err)
			}
			time.Sleep(5 * time.Millisecond)
		}
	})
	run(3, func(i int) { // batches created (some paid, some cancelled) at once
		for j := 0; busy.Load() > 0; j++ {
			time.Sleep(3 * time.Millisecond)
			b, err := cm.CreateBatch(ctx, owner, e.App.Clock.Now(), nil)
			if e := errs.As(err); err != nil && (e == nil || (e.Code != "nothing_to_pay" && e.Code != "promoter_in_open_batch")) {
				t.Errorf("create batch: %v", err)
				continue
			}
			if err == nil && (i+j)%2 == 0 {
				_, err = cm.MarkPaid(ctx, owner, b.ID, "BANK-"+itoa(b.ID))
				testkit.Must(t, err)
			} else if err == nil {
				testkit.Must(t, cm.CancelBatch(ctx, owner, b.ID))
			}
		}
	})
	close(start)
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}
	_, err := cm.SettleDue(ctx)
	testkit.Must(t, err)

	var paidBatches []commission.Batch
	bs, err := cm.Batches(ctx, 1000)
	testkit.Must(t, err)
	for _, b := range bs {
		full, err := cm.Batch(ctx, b.ID)
		testkit.Must(t, err)
		if b.Status == commission.BatchPaid {
			paidBatches = append(paidBatches, full)
		}
		if b.Status == commission.BatchOpen {
			t.Errorf("batch %d left open", b.ID)
		}
	}
	if len(paidBatches) == 0 {
		t.Fatal("no batch was paid: the race tested nothing")
	}
	kinds := map[commission.Kind]int{}
	for _, p := range ps {
		es := entries(t, e, p.ID)
		for _, x := range es {
			kinds[x.Kind]++
		}
		got, err := cm.Balances(ctx, p.ID)
		testkit.Must(t, err)
		if sum := sums(t, e, p.ID); got != sum {
			t.Fatalf("%s: balances %+v, sum of entries %+v", p.Name, got, sum)
		}
		// Every line keeps exactly its rate on what was not refunded.
		os, _, err := e.App.Orders.ByPromoter(ctx, p.ID, page.Request{Limit: 100})
		testkit.Must(t, err)
		var due int64
		earned, settlements := map[int64]int64{}, map[int64]int{}
		for _, x := range es {
			switch x.Kind {
			case commission.KindCommission, commission.KindReversal, commission.KindClawback:
				earned[*x.OrderItemID] += x.Amount
			case commission.KindSettlement:
				settlements[*x.OrderItemID]++
			}
		}
		for _, o := range os {
			var goods int64
			pays := make([]int64, len(o.Items))
			for i, it := range o.Items {
				pays[i], goods = it.PayAmount, goods+it.PayAmount
			}
			refunded := money.Allocate(min(o.RefundedAmount, goods), pays)
			for i, it := range o.Items {
				want := money.Share(it.PayAmount-refunded[i], int64(p.RateBP), commission.BasisPoints)
				if earned[it.ID] != want {
					t.Errorf("%s order %s line %d: earns %d, want %d (paid %d, refunded %d)%s", p.Name, o.OrderNo, it.ID,
						earned[it.ID], want, it.PayAmount, refunded[i], describe(es))
				}
				if n := settlements[it.ID]; n != 0 && n != 2 {
					t.Errorf("line %d settled %d times", it.ID, n/2)
				}
				due += want
			}
		}
		if got.Pending+got.Settled+got.Paid != due {
			t.Errorf("%s: pending %d + settled %d + paid %d ≠ %d earned on money not refunded", p.Name, got.Pending, got.Settled, got.Paid, due)
		}
		// Paid is what the paid batches name for the promoter, each once.
		var batches int64
		for _, b := range paidBatches {
			for _, l := range b.Lines {
				if l.PromoterID == p.ID {
					batches += l.Amount
				}
			}
		}
		if got.Paid != batches {
			t.Errorf("%s: paid %d, paid batches name %d", p.Name, got.Paid, batches)
		}
	}
	if kinds[commission.KindSettlement] == 0 || kinds[commission.KindReversal]+kinds[commission.KindClawback] == 0 {
		t.Fatalf("entries by kind %v: the race never settled or never reversed", kinds)
	}
	t.Logf("entries by kind %v, %d batches paid", kinds, len(paidBatches))
}
