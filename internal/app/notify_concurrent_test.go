package app_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/kaidian/kaidian/internal/app/apptest"
	"github.com/kaidian/kaidian/internal/order"
	"github.com/kaidian/kaidian/internal/payment"
)

// Deliveries of one payment arriving at once (WeChat's retries, several
// replicas) queue on the order's row, read and locked in one statement:
// exactly one applies it, every other is a duplicate, and the order goes to
// paid once with its stock sold once.
func TestConcurrentNotificationsOfOnePaymentApplyOnce(t *testing.T) {
	e := apptest.Start(t)
	sku := e.Product(t, apptest.SKU{Price: 1990, Stock: 10}).SKUs[0].ID
	shopperID, err := e.App.Tokens.Verify(e.Login("concurrent"))
	if err != nil {
		t.Fatal(err)
	}
	addr := e.Address(t, shopperID)
	ctx := context.Background()
	o, _, err := e.App.Orders.Place(ctx, shopperID, order.PlaceInput{AddressID: addr, Items: []order.LineInput{{SKUID: sku, Quantity: 2}}}, "")
	if err != nil {
		t.Fatal(err)
	}
	const n = 16
	outcomes := make([]string, n)
	errs := make([]error, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			outcomes[i], errs[i] = e.App.Payments.ApplyNotification(ctx, e.App.Log, payment.Transaction{
				NotifyID: fmt.Sprintf("concurrent-%d", i), EventType: "TRANSACTION.SUCCESS",
				AppID: e.App.PayClient.AppID(), MchID: e.App.PayClient.MchID(), OutTradeNo: o.OrderNo,
				TransactionID: "4200000000concurrent", TradeState: "SUCCESS", Total: o.PayAmount, SuccessTime: time.Now().UTC()})
		}()
	}
	close(start)
	wg.Wait()
	applied := 0
	for i := range n {
		switch {
		case errs[i] != nil:
			t.Errorf("delivery %d: %v", i, errs[i])
		case outcomes[i] == payment.OutcomeApplied:
			applied++
		case outcomes[i] != payment.OutcomeDuplicate:
			t.Errorf("delivery %d: %s", i, outcomes[i])
		}
	}
	if applied != 1 {
		t.Fatalf("%d deliveries applied the payment, want 1", applied)
	}
	got, err := e.App.Orders.ByNo(ctx, o.OrderNo)
	if err != nil {
		t.Fatal(err)
	}
	toPaid := 0
	for _, h := range got.History {
		if h.To == order.StatusPaid {
			toPaid++
		}
	}
	if got.Status != order.StatusPaid || got.TransactionID != "4200000000concurrent" || toPaid != 1 {
		t.Fatalf("order %s, transaction %q, %d transitions to paid", got.Status, got.TransactionID, toPaid)
	}
	var sold, reserved int64
	if err := e.App.DB.SQL().QueryRowContext(ctx, "SELECT sold, reserved FROM skus WHERE id = "+fmt.Sprint(sku)).Scan(&sold, &reserved); err != nil {
		t.Fatal(err)
	}
	if sold != 2 || reserved != 0 {
		t.Fatalf("sku sold %d, reserved %d; want 2 and 0", sold, reserved)
	}
}
