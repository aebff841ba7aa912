package console_test

import (
	"context"
	"testing"
	"time"

	"github.com/kaidian/kaidian/internal/app/apptest"
	"github.com/kaidian/kaidian/internal/promoter"
	"github.com/kaidian/kaidian/internal/testkit"
)

// promoterFixtures gives the console walk a store with an associate, and a
// KOL credited with the paid order orderID whose commission settled and sits
// in an open payout batch (the order marked completed straight in the
// table, as the review fixtures do); it returns the two promoters' codes.
func promoterFixtures(t *testing.T, e *apptest.Env, orderID int64) [2]string {
	t.Helper()
	ctx := context.Background()
	st, err := e.App.Promoters.CreateStore(ctx, "test", promoter.StoreInput{Name: longZhStore, City: "上海", Active: true})
	testkit.Must(t, err)
	assoc, err := e.App.Promoters.Create(ctx, "test", promoter.Input{Kind: promoter.KindAssociate, Status: promoter.StatusActive,
		Name: "导购小王", StoreID: &st.ID, RateBP: 500})
	testkit.Must(t, err)
	kol, err := e.App.Promoters.Create(ctx, "test", promoter.Input{Kind: promoter.KindKOL, Status: promoter.StatusActive,
		Name: longZhPromoter, RateBP: 1000})
	testkit.Must(t, err)
	testkit.CreditOrder(t, e.App.DB, orderID, kol.ID, kol.Ref())
	o, err := e.App.Orders.ByID(ctx, orderID) // paid before it was credited: credit it as the payment would have
	testkit.Must(t, err)
	testkit.Must(t, e.App.Commission.OrderPaid(ctx, o))
	testkit.Must(t, e.App.DB.Conn(ctx).Exec("UPDATE orders SET status = 'completed', completed_at = ? WHERE id = ?",
		time.Now().UTC().Add(-30*24*time.Hour), orderID).Error)
	_, err = e.App.Commission.SettleDue(ctx)
	testkit.Must(t, err)
	_, err = e.App.Commission.CreateBatch(ctx, "test", time.Time{}, nil)
	testkit.Must(t, err)
	return [2]string{assoc.Code, kol.Code}
}
