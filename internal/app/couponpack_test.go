package app_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/kaidian/kaidian/internal/app/apptest"
	"github.com/kaidian/kaidian/internal/coupon"
	"github.com/kaidian/kaidian/internal/couponpack"
	"github.com/kaidian/kaidian/internal/order"
	"github.com/kaidian/kaidian/internal/page"
	"github.com/kaidian/kaidian/internal/payment"
)

// Eight orders of one shopper paid at once, each payment delivered twice
// (WeChat's retries, several replicas): the packs are given inside the
// notifications' transactions, so the shopper ends with exactly the
// campaign's per-shopper limit of packs, each for a different order, and a
// campaign whose minimum the orders did not reach gives none.
func TestPaidOrdersGivePacksWithinTheLimitAtOnce(t *testing.T) {
	e := apptest.Start(t)
	ctx := context.Background()
	now := time.Now().UTC()
	campaign := func(name string, minOrder int64) couponpack.Campaign {
		c, err := e.App.Packs.Create(ctx, "test", couponpack.Draft{Name: name, Total: 1000, Count: 4, MinAmount: 50,
			Scope: coupon.ScopeShop, ValidDays: 3, OnPaid: true, MinOrder: minOrder, PerShopper: 3, PackHours: 24,
			StartsAt: now.Add(-time.Hour), EndsAt: now.Add(time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	given := campaign("拼手气券", 0)
	campaign("大单拼手气", 1_000_000)
	sku := e.Product(t, apptest.SKU{Price: 1990, Stock: 100}).SKUs[0].ID
	shopperID, err := e.App.Tokens.Verify(e.Login("packs"))
	if err != nil {
		t.Fatal(err)
	}
	addr := e.Address(t, shopperID)
	const orders = 8
	placed := make([]order.Order, orders)
	for i := range placed {
		if placed[i], _, err = e.App.Orders.Place(ctx, shopperID, order.PlaceInput{AddressID: addr,
			Items: []order.LineInput{{SKUID: sku, Quantity: 1}}}, ""); err != nil {
			t.Fatal(err)
		}
	}
	errs := make([]error, 2*orders)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range errs {
		o := placed[i%orders]
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			_, errs[i] = e.App.Payments.ApplyNotification(ctx, e.App.Log, payment.Transaction{
				NotifyID: fmt.Sprintf("packs-%d", i), EventType: "TRANSACTION.SUCCESS",
				AppID: e.App.PayClient.AppID(), MchID: e.App.PayClient.MchID(), OutTradeNo: o.OrderNo,
				TransactionID: "4200000000packs" + o.OrderNo, TradeState: "SUCCESS", Total: o.PayAmount, SuccessTime: now})
		}()
	}
	close(start)
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("delivery %d: %v", i, err)
		}
	}
	for _, o := range placed {
		if got, err := e.App.Orders.Row(ctx, o.OrderNo); err != nil || got.Status != order.StatusPaid {
			t.Fatalf("order %s: %v %v", o.OrderNo, got.Status, err)
		}
	}
	mine, _, err := e.App.Packs.Mine(ctx, shopperID, page.Request{Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	byOrder := map[int64]bool{}
	for _, p := range mine {
		if p.CampaignID != given.ID || p.OrderID == nil || byOrder[*p.OrderID] || p.Ref != fmt.Sprint("share:", shopperID) {
			t.Fatalf("packs %+v", mine)
		}
		byOrder[*p.OrderID] = true
	}
	if len(mine) != 3 {
		t.Fatalf("%d packs for 8 paid orders, want the limit 3: %+v", len(mine), mine)
	}
}
