package order_test

import (
	"context"
	"errors"
	"reflect"
	"testing"

	"github.com/kaidian/kaidian/internal/order"
)

// The hand-written read of an order with its lines (one statement, columns
// scanned by hand) gives exactly what gorm's reads of the same rows give,
// nullable columns both empty and set, on either database.
func TestGetReadsWhatGormReads(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	a, b := w.sku(t, 2999, 10), w.sku(t, 5000, 3)
	in := buy(1, line(a, 2), line(b, 1))
	in.Remark = "<门口> & \"快\""
	open, _, err := w.orders.Place(ctx, w.shop, in, "")
	must(t, err)
	closed, _, err := w.orders.Place(ctx, w.shop, buy(1, line(b, 1)), "")
	must(t, err)
	_, err = w.orders.Cancel(ctx, w.shop, closed.OrderNo) // closed_at and close_reason set
	must(t, err)

	for _, no := range []string{open.OrderNo, closed.OrderNo} {
		var want order.Order
		db := w.db.Conn(ctx)
		must(t, db.Where("order_no = ?", no).Take(&want).Error)
		must(t, db.Where("order_id = ?", want.ID).Order("id").Find(&want.Items).Error)
		lines := want
		must(t, db.Where("order_id = ?", want.ID).Order("id").Find(&want.History).Error)

		got, err := w.orders.Get(ctx, w.shop, no)
		must(t, err)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("Get(%s):\n got %+v\nwant %+v", no, got, want)
		}
		got, err = w.orders.GetLines(ctx, w.shop, no)
		must(t, err)
		if !reflect.DeepEqual(got, lines) {
			t.Errorf("GetLines(%s):\n got %+v\nwant %+v", no, got, lines)
		}
	}
	if len(open.Items) != 2 {
		t.Fatalf("%d lines placed", len(open.Items))
	}
	other := w.shopper(t, "bob")
	for name, read := range map[string]func() (order.Order, error){
		"someone else's": func() (order.Order, error) { return w.orders.Get(ctx, other, open.OrderNo) },
		"unknown":        func() (order.Order, error) { return w.orders.GetLines(ctx, w.shop, "20261206000000000000000") },
	} {
		if _, err := read(); !errors.Is(err, order.ErrNotFound) {
			t.Errorf("%s order: %v", name, err)
		}
	}
}
