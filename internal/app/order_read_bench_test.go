package app_test

import (
	"context"
	"testing"

	"github.com/kaidian/kaidian/internal/app/apptest"
	"github.com/kaidian/kaidian/internal/order"
)

// BenchmarkOrderPage reads one order as GET /orders/{no} does (what the
// mini program polls while the payment's notification is on its way) and
// as the pay call does (with its lines only), through the service.
//
//	go test -run '^$' -bench OrderPage -benchmem ./internal/app/
func BenchmarkOrderPage(b *testing.B) {
	e := apptest.Start(b)
	sku := e.Product(b, apptest.SKU{Price: 1990, Stock: 1000}).SKUs[0].ID
	shopperID, err := e.App.Tokens.Verify(e.Login("bench"))
	if err != nil {
		b.Fatal(err)
	}
	in := order.PlaceInput{Items: []order.LineInput{{SKUID: sku, Quantity: 1}}, AddressID: e.Address(b, shopperID)}
	ctx := context.Background()
	o, _, err := e.App.Orders.Place(ctx, shopperID, in, "")
	if err != nil {
		b.Fatal(err)
	}
	b.Run("get", func(b *testing.B) {
		cpu0 := processCPU(b)
		for b.Loop() {
			if got, err := e.App.Orders.Get(ctx, shopperID, o.OrderNo); err != nil || len(got.Items) != 1 {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64((processCPU(b)-cpu0).Nanoseconds())/float64(b.N), "cpu-ns/op")
	})
	b.Run("lines", func(b *testing.B) {
		cpu0 := processCPU(b)
		for b.Loop() {
			if got, err := e.App.Orders.GetLines(ctx, shopperID, o.OrderNo); err != nil || len(got.Items) != 1 {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64((processCPU(b)-cpu0).Nanoseconds())/float64(b.N), "cpu-ns/op")
	})
}
