package app_test

import (
	"context"
	"testing"

	"github.com/kaidian/kaidian/internal/app/apptest"
	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/order"
)

// Graceful shutdown stops the flash sale desk: once Serve has returned, its
// lanes are gone and a flash request is turned away rather than queued on a
// lane nothing would serve.
func TestShutdownStopsTheFlashDesk(t *testing.T) {
	e := apptest.Start(t)
	e.Stop()
	sale := int64(1)
	_, _, err := e.App.Orders.Place(context.Background(), 1, order.PlaceInput{
		Items: []order.LineInput{{SKUID: 1, Quantity: 1}}, AddressID: 1, FlashSaleID: &sale}, "")
	if !errs.Is(err, order.ErrBusy.Code) {
		t.Fatalf("flash request after shutdown: %v, want %s", err, order.ErrBusy.Code)
	}
}
