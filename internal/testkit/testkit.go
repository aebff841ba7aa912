// Package testkit is what the tests of the packages below internal/app
// share instead of each keeping a copy: failing on an error, checking an
// error's stable code or field, and the shopper and SKU fixtures. It
// imports domain packages and never internal/app, so a domain package's
// external tests (package x_test) can use it; the end-to-end tests boot the
// whole app with internal/app/apptest instead.
package testkit

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kaidian/kaidian/internal/catalog"
	"github.com/kaidian/kaidian/internal/clock"
	"github.com/kaidian/kaidian/internal/customer"
	"github.com/kaidian/kaidian/internal/database"
	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/i18n"
	"github.com/kaidian/kaidian/internal/inventory"
)

// Must fails the test at once on an error.
func Must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// WantCode fails the test unless err carries the stable error code.
func WantCode(t testing.TB, err error, code string) {
	t.Helper()
	if !errs.Is(err, code) {
		t.Fatalf("got error %v, want code %s", err, code)
	}
}

// WantField fails the test unless err is about the named input field.
func WantField(t testing.TB, err error, field string) {
	t.Helper()
	if e := errs.As(err); err == nil || e.Details["field"] != field {
		t.Fatalf("got error %v, want one on field %s", err, field)
	}
}

// Shopper logs a shopper in by the openid "openid-<name>" (the same name,
// the same shopper) and returns their id.
func Shopper(t testing.TB, db *database.DB, name string) int64 {
	t.Helper()
	sh, err := customer.New(db, clock.New()).Login(context.Background(), customer.Identity{OpenID: "openid-" + name})
	Must(t, err)
	return sh.ID
}

var skuSeq atomic.Int64

// SKU creates an on-sale SKU of an on-shelf product in a category of its
// own, at price fen, with stock received through the inventory ledger so
// the stock and the ledger agree; it returns the SKU's id.
func SKU(t testing.TB, db *database.DB, inv *inventory.Service, price, stock int64) int64 {
	t.Helper()
	ctx := context.Background()
	now := time.Now().UTC()
	c := catalog.Category{Name: "c", CreatedAt: now, UpdatedAt: now}
	Must(t, db.Conn(ctx).Create(&c).Error)
	p := catalog.Product{CategoryID: c.ID, Title: "T-shirt", OnShelf: true, MinPrice: price, CreatedAt: now, UpdatedAt: now}
	Must(t, db.Conn(ctx).Create(&p).Error)
	k := catalog.SKU{ProductID: p.ID, Code: fmt.Sprintf("SKU-%d", skuSeq.Add(1)), SpecText: "红 / M", Price: price,
		OnSale: true, CreatedAt: now, UpdatedAt: now}
	Must(t, db.Conn(ctx).Create(&k).Error)
	if stock > 0 {
		Must(t, inv.Adjust(ctx, k.ID, stock, inventory.KindReceive, i18n.Text("initial"), inventory.Ref{}, "test"))
	}
	return k.ID
}
