package subscribe_test

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/kaidian/kaidian/internal/audit"
	"github.com/kaidian/kaidian/internal/clock"
	"github.com/kaidian/kaidian/internal/customer"
	"github.com/kaidian/kaidian/internal/database"
	"github.com/kaidian/kaidian/internal/database/dbtest"
	"github.com/kaidian/kaidian/internal/subscribe"
	"github.com/kaidian/kaidian/internal/testkit"
)

// fakeSender plays WeChat's subscribeMessage.send: it answers with the
// queued errors in turn (nil when none is left) and keeps what it was sent.
type fakeSender struct {
	mu      sync.Mutex
	answers []error
	sent    []subscribe.Message
	delay   time.Duration
}

func (f *fakeSender) SendSubscribe(_ context.Context, m subscribe.Message) error {
	time.Sleep(f.delay)
	f.mu.Lock()
	defer f.mu.Unlock()
	f.sent = append(f.sent, m)
	if len(f.answers) == 0 {
		return nil
	}
	err := f.answers[0]
	f.answers = f.answers[1:]
	return err
}

func (f *fakeSender) calls() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.sent)
}

// env is a subscribe service on a fresh database, with the order_paid scene
// mapped to template "tpl-paid".
type env struct {
	db        *database.DB
	svc       *subscribe.Service
	sender    *fakeSender
	clock     *clock.Clock
	mu        sync.Mutex
	scheduled []int64
}

func newEnv(t *testing.T) *env {
	t.Helper()
	db := dbtest.Open(t)
	clk := clock.New()
	e := &env{db: db, sender: &fakeSender{}, clock: clk}
	e.svc = subscribe.New(subscribe.Deps{DB: db, Customers: customer.New(db, clk), Audit: audit.New(db, clk), Sender: e.sender,
		Schedule: func(_ context.Context, ids []int64) {
			e.mu.Lock()
			e.scheduled = append(e.scheduled, ids...)
			e.mu.Unlock()
		}, Log: slog.New(slog.DiscardHandler), Clock: clk, MappingTTL: time.Minute})
	_, err := e.svc.SaveTemplate(context.Background(), "staff:1:owner", paidTemplate("tpl-paid"))
	testkit.Must(t, err)
	return e
}

func paidTemplate(id string) subscribe.Template {
	return subscribe.Template{Scene: subscribe.OrderPaid, TemplateID: id, Enabled: true, Page: "pages/order/detail?order_no={order_no}",
		Fields: database.JSON[map[string]string]{V: map[string]string{"thing1": "product_name", "amount2": "pay_amount",
			"character_string3": "order_no", "time4": "paid_at"}}}
}

var paidAt = time.Date(2026, 12, 6, 2, 30, 0, 0, time.UTC) // 10:30 in China

func paidEvent(shopperID int64, orderNo string) subscribe.Event {
	return subscribe.Event{Scene: subscribe.OrderPaid, ShopperID: shopperID, Ref: orderNo, Values: subscribe.Values{
		"order_no": subscribe.Code(orderNo), "product_name": subscribe.Text("纯棉圆领短袖T恤（白色，加大码，两件装组合）"),
		"pay_amount": subscribe.Money(12345), "paid_at": subscribe.At(paidAt), "item_count": subscribe.Count(2),
		"status": subscribe.Phrase("subscribe.phrase.paid")}}
}

// emit records an event in a transaction of its own, as order.MarkPaid
// does in the payment's, and returns its id.
func (e *env) emit(t *testing.T, ev subscribe.Event) int64 {
	t.Helper()
	testkit.Must(t, e.db.Tx(context.Background(), func(ctx context.Context) error { return e.svc.Emit(ctx, ev) }))
	e.mu.Lock()
	defer e.mu.Unlock()
	if len(e.scheduled) == 0 {
		t.Fatal("the event's send was not scheduled after commit")
	}
	return e.scheduled[len(e.scheduled)-1]
}

func (e *env) event(t *testing.T, id int64) subscribe.Record {
	t.Helper()
	rs, _, err := e.svc.Log(context.Background(), subscribe.Query{Page: pageAll})
	testkit.Must(t, err)
	for _, r := range rs {
		if r.ID == id {
			return r
		}
	}
	t.Fatalf("event %d not in the log", id)
	return subscribe.Record{}
}

func (e *env) accept(t *testing.T, shopperID int64, templateID string, times int) {
	t.Helper()
	for range times {
		_, err := e.svc.RecordResults(context.Background(), shopperID, map[string]string{templateID: subscribe.ResultAccept})
		testkit.Must(t, err)
	}
}

func (e *env) credits(t *testing.T, shopperID int64, templateID string) int {
	t.Helper()
	cs, err := e.svc.Credits(context.Background(), shopperID)
	testkit.Must(t, err)
	return cs[templateID]
}

var errNetwork = errors.New("connection reset by peer")
