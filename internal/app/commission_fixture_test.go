package app_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/kaidian/kaidian/internal/app/apptest"
	"github.com/kaidian/kaidian/internal/commission"
	"github.com/kaidian/kaidian/internal/config"
	"github.com/kaidian/kaidian/internal/i18n"
	"github.com/kaidian/kaidian/internal/order"
	"github.com/kaidian/kaidian/internal/payment"
	"github.com/kaidian/kaidian/internal/promoter"
	"github.com/kaidian/kaidian/internal/shipping"
	"github.com/kaidian/kaidian/internal/testkit"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// fastRefunds makes the sandbox's refunds succeed within a tenth of a second.
func fastRefunds(c *config.Config) { c.SandboxRefundDelay = 100 * time.Millisecond }

// newPromoter makes an active KOL at rate basis points.
func newPromoter(t testing.TB, e *apptest.Env, name string, rate int) promoter.Promoter {
	t.Helper()
	p, err := e.App.Promoters.Create(context.Background(), "staff:1:owner", promoter.Input{Kind: promoter.KindKOL,
		Status: promoter.StatusActive, Name: name, RateBP: rate})
	testkit.Must(t, err)
	return p
}

// creditedOrder has user arrive through the promoter's link and place an
// order of the lines (sku → quantity), credited to the promoter by
// attribution at placement, and pays it through the sandbox, waiting for
// WeChat Pay's notification to mark it paid.
func creditedOrder(t testing.TB, e *apptest.Env, user string, p promoter.Promoter, lines map[int64]int) order.Order {
	t.Helper()
	ctx := context.Background()
	token := e.Login(user)
	shopperID, err := e.App.Tokens.Verify(token)
	testkit.Must(t, err)
	e.Visit(t, token, p.Ref()) // the shopper arrives through the promoter's link: the order is theirs
	var in order.PlaceInput
	in.AddressID = e.Address(t, shopperID)
	for sku, q := range lines {
		in.Items = append(in.Items, order.LineInput{SKUID: sku, Quantity: q})
	}
	o, _, err := e.App.Orders.Place(ctx, shopperID, in, "")
	testkit.Must(t, err)
	if o.Source != p.Ref() { // the promoter too, unless it is their own order (TestCommissionOnOwnOrders)
		t.Fatalf("order %s credited to source %q, want %q", o.OrderNo, o.Source, p.Ref())
	}
	e.Pay(t, token, o.OrderNo)
	got, err := e.App.Orders.ByID(ctx, o.ID)
	testkit.Must(t, err)
	return got
}

// complete ships the order and has its shopper confirm receipt.
func complete(t testing.TB, e *apptest.Env, o order.Order) {
	t.Helper()
	ctx := context.Background()
	_, err := e.App.Shipping.Ship(ctx, "staff:1:owner", shipping.Input{OrderNo: o.OrderNo, Carrier: "SF", TrackingNo: "SF" + o.OrderNo[len(o.OrderNo)-10:]})
	testkit.Must(t, err)
	_, err = e.App.Orders.ConfirmReceipt(ctx, o.ShopperID, o.OrderNo)
	testkit.Must(t, err)
}

// refund refunds amount fen of the order and waits until WeChat Pay (the
// sandbox) says it succeeded.
func refund(t testing.TB, e *apptest.Env, orderNo string, amount int64) {
	t.Helper()
	ctx := context.Background()
	r, err := e.App.Payments.Refund(ctx, quiet, payment.Authority{Actor: "staff:1:owner", Owner: true},
		payment.RefundInput{OrderNo: orderNo, Amount: amount, Reason: i18n.Text("test")})
	testkit.Must(t, err)
	for deadline := time.Now().Add(20 * time.Second); r.Status == payment.RefundProcessing; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("refund %s never finished", r.OutRefundNo)
		}
		rs, err := e.App.Payments.Refunds(ctx, r.OrderID)
		testkit.Must(t, err)
		for _, x := range rs {
			if x.ID == r.ID {
				r = x
			}
		}
	}
	if r.Status != payment.RefundSucceeded {
		t.Fatalf("refund %s: %s (%s)", r.OutRefundNo, r.Status, r.LastError)
	}
}

// entries lists every ledger entry of a promoter, oldest first.
func entries(t testing.TB, e *apptest.Env, promoterID int64) []commission.Entry {
	t.Helper()
	var all []commission.Entry
	testkit.Must(t, e.App.DB.Conn(context.Background()).Where("promoter_id = ?", promoterID).Order("id").Find(&all).Error)
	return all
}

// sums adds a promoter's entries up by state, the way nothing else does:
// the balances the service reports must equal it.
func sums(t testing.TB, e *apptest.Env, promoterID int64) commission.Balances {
	t.Helper()
	var b commission.Balances
	for _, x := range entries(t, e, promoterID) {
		switch x.State {
		case commission.StatePending:
			b.Pending += x.Amount
		case commission.StateSettled:
			b.Settled += x.Amount
		case commission.StatePaid:
			b.Paid += x.Amount
		default:
			t.Fatalf("entry %d in state %q", x.ID, x.State)
		}
		if x.Kind == commission.KindClawback {
			b.Clawback += x.Amount
		}
	}
	return b
}

func describe(es []commission.Entry) string {
	var b strings.Builder
	for _, x := range es {
		fmt.Fprintf(&b, "\n  %s/%s %d item=%v refund=%v payout=%v rule=%s", x.State, x.Kind, x.Amount, deref(x.OrderItemID), deref(x.RefundID), deref(x.PayoutID), x.Rule)
	}
	return b.String()
}

func deref(p *int64) any {
	if p == nil {
		return "-"
	}
	return *p
}
