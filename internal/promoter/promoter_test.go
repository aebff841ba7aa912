package promoter_test

import (
	"context"
	"testing"

	"github.com/kaidian/kaidian/internal/audit"
	"github.com/kaidian/kaidian/internal/clock"
	"github.com/kaidian/kaidian/internal/database/dbtest"
	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/promoter"
	"github.com/kaidian/kaidian/internal/testkit"
)

func TestCreateAndFind(t *testing.T) {
	db := dbtest.Open(t)
	clk := clock.New()
	svc := promoter.New(db, audit.New(db, clk), clk)
	ctx := context.Background()
	st, err := svc.CreateStore(ctx, "staff:1", promoter.StoreInput{Name: "南京西路店", City: "上海", Active: true})
	if err != nil {
		t.Fatal(err)
	}
	shopper := testkit.Shopper(t, db, "a")
	p, err := svc.Create(ctx, "staff:1", promoter.Input{Kind: promoter.KindAssociate, Status: promoter.StatusActive,
		Name: "小王", ShopperID: &shopper, StoreID: &st.ID, RateBP: 500})
	if err != nil {
		t.Fatal(err)
	}
	for _, find := range []func() (promoter.Promoter, error){
		func() (promoter.Promoter, error) { return svc.Get(ctx, p.ID) },
		func() (promoter.Promoter, error) { return svc.ByCode(ctx, p.Code) },
		func() (promoter.Promoter, error) { return svc.ByShopper(ctx, shopper) },
	} {
		got, err := find()
		if err != nil || got.ID != p.ID || got.Ref() != "promoter:"+p.Code || !got.Active() {
			t.Fatalf("found %+v, %v; want promoter %d", got, err, p.ID)
		}
	}
	_, err = svc.Create(ctx, "staff:1", promoter.Input{Kind: promoter.KindKOL, Status: promoter.StatusActive, Name: "again", ShopperID: &shopper})
	if !errs.Is(err, "already_promoter") {
		t.Fatalf("second promoter for one shopper: %v", err)
	}
}

func TestCreateRefusesBadInput(t *testing.T) {
	db := dbtest.Open(t)
	clk := clock.New()
	svc := promoter.New(db, audit.New(db, clk), clk)
	missing := int64(999)
	for _, in := range []promoter.Input{
		{Kind: "boss", Status: promoter.StatusActive, Name: "x"},
		{Kind: promoter.KindKOL, Status: "maybe", Name: "x"},
		{Kind: promoter.KindKOL, Status: promoter.StatusActive, Name: " "},
		{Kind: promoter.KindKOL, Status: promoter.StatusActive, Name: "x", RateBP: -1},
		{Kind: promoter.KindKOL, Status: promoter.StatusActive, Name: "x", RateBP: promoter.MaxRateBP + 1},
		{Kind: promoter.KindAssociate, Status: promoter.StatusActive, Name: "x"},
		{Kind: promoter.KindAssociate, Status: promoter.StatusActive, Name: "x", StoreID: &missing},
	} {
		if _, err := svc.Create(context.Background(), "staff:1", in); errs.As(err) == nil {
			t.Errorf("Create(%+v) = %v, want a documented error", in, err)
		}
	}
	var n int64
	db.Conn(context.Background()).Raw("SELECT COUNT(*) FROM promoters").Scan(&n)
	if n != 0 {
		t.Fatalf("%d promoters written by refused input", n)
	}
}
