package mpapi_test

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/kaidian/kaidian/internal/app/apptest"
	"github.com/kaidian/kaidian/internal/setting"
	"github.com/kaidian/kaidian/internal/shipping"
	"github.com/kaidian/kaidian/internal/worker"
)

type parcelBody struct {
	Carrier     string     `json:"carrier"`
	CarrierName string     `json:"carrier_name"`
	TrackingNo  string     `json:"tracking_no"`
	Delivered   bool       `json:"delivered"`
	UpdatedAt   *time.Time `json:"updated_at"`
	Events      []struct {
		Time time.Time `json:"time"`
		Text string    `json:"text"`
	} `json:"events"`
}

func tracking(t *testing.T, e *apptest.Env, tok, no string) parcelBody {
	t.Helper()
	var p parcelBody
	r := e.Get("/api/v1/orders/"+no+"/tracking", tok)
	if r.Status != http.StatusOK {
		t.Fatalf("tracking: %d %s", r.Status, r.Body)
	}
	r.Decode(t, &p)
	return p
}

// A shop that does not use WeChat's tracking tells its shoppers what it
// enters; the order and its tracking show the same parcel, newest first,
// to its shopper only.
func TestParcelShowsWhatTheMerchantEnters(t *testing.T) {
	e := apptest.Start(t)
	tok, no, _ := paidOrder(t, e, "alice", 1)
	if r := e.Get("/api/v1/orders/"+no+"/tracking", tok); r.Status != http.StatusNotFound || r.ErrorCode() != "not_shipped" {
		t.Fatalf("tracking before shipping: %d %s", r.Status, r.Body)
	}
	var o struct {
		Shipment *parcelBody `json:"shipment"`
	}
	e.Get("/api/v1/orders/"+no, tok).Decode(t, &o)
	if o.Shipment != nil {
		t.Fatalf("an unshipped order shows a shipment: %+v", o.Shipment)
	}
	ctx := context.Background()
	if _, err := e.App.Shipping.Ship(ctx, "merchant:1", shipping.Input{OrderNo: no, Carrier: "SF", TrackingNo: "SF1234567890"}); err != nil {
		t.Fatal(err)
	}
	now := e.App.Clock.Now()
	for i, text := range []string{"已揽件", "已到达深圳转运中心"} {
		if _, err := e.App.Shipping.AddEvent(ctx, "merchant:1", shipping.EventInput{OrderNo: no, At: now.Add(time.Duration(i-2) * time.Hour), Text: text}); err != nil {
			t.Fatal(err)
		}
	}
	for _, bad := range []shipping.EventInput{{OrderNo: no, At: now}, {OrderNo: no, Text: "明天到", At: now.Add(48 * time.Hour)},
		{OrderNo: no, At: now, Text: string(make([]rune, 201))}} {
		if _, err := e.App.Shipping.AddEvent(ctx, "merchant:1", bad); err == nil {
			t.Errorf("event %+v was taken", bad)
		}
	}
	p := tracking(t, e, tok, no)
	if p.Carrier != "SF" || p.CarrierName != "顺丰速运" || p.TrackingNo != "SF1234567890" || len(p.Events) != 2 ||
		p.Events[0].Text != "已到达深圳转运中心" || p.Delivered || p.UpdatedAt == nil {
		t.Fatalf("tracking: %+v", p)
	}
	e.Get("/api/v1/orders/"+no, tok).Decode(t, &o)
	if o.Shipment == nil || len(o.Shipment.Events) != 2 || o.Shipment.Events[1].Text != "已揽件" {
		t.Fatalf("order's shipment: %+v", o.Shipment)
	}
	if r := e.Get("/api/v1/orders/"+no+"/tracking", e.Login("mallory")); r.Status != http.StatusNotFound || r.ErrorCode() != "order_not_found" {
		t.Fatalf("someone else's tracking: %d %s", r.Status, r.Body)
	}
	if r := e.Get("/api/v1/orders/"+no+"/tracking", ""); r.Status != http.StatusUnauthorized {
		t.Fatalf("tracking without a token: %d %s", r.Status, r.Body)
	}
	var audited int64
	e.App.DB.Conn(ctx).Raw("SELECT COUNT(*) FROM audit_log WHERE action = 'shipment.event' AND subject_id = ?", no).Scan(&audited)
	if audited != 2 {
		t.Fatalf("%d parcel events audited, want 2", audited)
	}
}

// A shop that uses WeChat's logistics tracking has its parcels in transit
// looked up by a River job once their interval has passed, never on a
// request; a parcel signed for is no longer looked up.
func TestParcelFollowedThroughWeChat(t *testing.T) {
	e := apptest.Start(t)
	ctx := context.Background()
	if _, err := e.App.Settings.UpdateAfterSale(ctx, "test", setting.AfterSale{AutoCompleteDays: 10, WeChatTracking: true}); err != nil {
		t.Fatal(err)
	}
	tok, no, _ := paidOrder(t, e, "alice", 1)
	sh, err := e.App.Shipping.Ship(ctx, "merchant:1", shipping.Input{OrderNo: no, Carrier: "YTO", TrackingNo: "YT9876543210"})
	if err != nil {
		t.Fatal(err)
	}
	scan := func(kind int, msg string, at time.Time) {
		r := e.Post("/sandbox/wx/express/path", "", map[string]any{"delivery_id": "YTO", "waybill_id": "YT9876543210",
			"action_type": kind, "action_msg": msg, "action_time": at.Unix()})
		if r.Status != http.StatusCreated {
			t.Fatalf("courier scan: %d %s", r.Status, r.Body)
		}
	}
	start := e.App.Clock.Now()
	scan(100001, "快递员已揽件", start.Add(-time.Hour))
	scan(200001, "到达杭州转运中心", start.Add(-30*time.Minute))

	due := func() []int64 {
		ids, err := e.App.Shipping.DueTracking(ctx, 10)
		if err != nil {
			t.Fatal(err)
		}
		return ids
	}
	if got := due(); len(got) != 0 {
		t.Fatalf("due right after shipping: %v", got)
	}
	if p := tracking(t, e, tok, no); len(p.Events) != 0 {
		t.Fatalf("a request looked WeChat up: %+v", p)
	}
	e.App.Clock.Set(func() time.Time { return start.Add(2*time.Hour + time.Minute) })
	tok = e.Login("alice") // a token from before the clock moved has expired
	// (The periodic sweep, which runs on its own in the background, may
	// have claimed it already; the job below then finds nothing to do.)
	if err := e.App.Jobs().Enqueue(ctx, river.InsertManyParams{Args: worker.TrackParcelArgs{ShipmentID: sh.ID}}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the tracking job", func() bool { return len(tracking(t, e, tok, no).Events) == 2 })
	p := tracking(t, e, tok, no)
	if p.Events[0].Text != "到达杭州转运中心" || p.Delivered || p.UpdatedAt == nil {
		t.Fatalf("after the job: %+v", p)
	}
	if got := due(); len(got) != 0 {
		t.Fatalf("due again right after the job: %v", got)
	}

	scan(300003, "已签收，签收人：本人", start.Add(2*time.Hour))
	e.App.Clock.Set(func() time.Time { return start.Add(4*time.Hour + 2*time.Minute) })
	tok = e.Login("alice")
	// Jobs and replicas racing for one parcel read it once and keep one copy of its path.
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := e.App.Shipping.RefreshTracking(ctx, sh.ID); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	p = tracking(t, e, tok, no)
	if !p.Delivered || len(p.Events) != 3 || p.Events[0].Text != "已签收，签收人：本人" {
		t.Fatalf("after delivery: %+v", p)
	}
	e.App.Clock.Set(func() time.Time { return start.Add(48 * time.Hour) })
	if got := due(); len(got) != 0 {
		t.Fatalf("a delivered parcel is still looked up: %v", got)
	}
}

// Shipped orders the shopper never confirms complete the shop's days after
// shipping, once, whatever runs the sweep how often; orders confirmed or
// shipped later are left alone.
func TestUnconfirmedOrdersCompleteAutomatically(t *testing.T) {
	e := apptest.Start(t)
	ctx := context.Background()
	if _, err := e.App.Settings.UpdateAfterSale(ctx, "test", setting.AfterSale{AutoCompleteDays: 7}); err != nil {
		t.Fatal(err)
	}
	start := e.App.Clock.Now()
	ship := func(user string) (string, string) {
		_, no, _ := paidOrder(t, e, user, 1)
		if _, err := e.App.Shipping.Ship(ctx, "merchant:1", shipping.Input{OrderNo: no, Carrier: "SF", TrackingNo: "SF" + no[len(no)-10:]}); err != nil {
			t.Fatal(err)
		}
		return user, no
	}
	oldUser, old := ship("alice")
	confirmedUser, confirmed := ship("bob")
	if r := e.Post("/api/v1/orders/"+confirmed+"/confirm-receipt", e.Login(confirmedUser), nil); r.Status != http.StatusOK {
		t.Fatalf("confirm: %d %s", r.Status, r.Body)
	}
	e.App.Clock.Set(func() time.Time { return start.Add(3 * 24 * time.Hour) })
	youngUser, young := ship("carol")

	var before struct{ History []any }
	e.Get("/api/v1/orders/"+confirmed, e.Login(confirmedUser)).Decode(t, &before)
	e.App.Clock.Set(func() time.Time { return start.Add(7*24*time.Hour - time.Minute) })
	if n, err := worker.CompleteOverdue(ctx, e.App.Orders, e.App.Settings, e.App.Clock.Now()); err != nil || n != 0 {
		t.Fatalf("a minute early: %d completed, %v", n, err)
	}
	e.App.Clock.Set(func() time.Time { return start.Add(7*24*time.Hour + time.Minute) })
	var wg sync.WaitGroup
	var mu sync.Mutex
	total := 0
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			n, err := worker.CompleteOverdue(ctx, e.App.Orders, e.App.Settings, e.App.Clock.Now())
			if err != nil {
				t.Error(err)
			}
			mu.Lock()
			total += n
			mu.Unlock()
		}()
	}
	wg.Wait()
	if total > 1 { // the background sweep may have been first
		t.Fatalf("four sweeps completed %d orders, want at most 1", total)
	}
	// Tokens from before the clock moved have expired: each look logs in again.
	status := func(user, no string) (string, []string) {
		var o struct {
			Status  string
			History []struct{ Reason string }
		}
		e.Get("/api/v1/orders/"+no, e.Login(user)).Decode(t, &o)
		var reasons []string
		for _, h := range o.History {
			reasons = append(reasons, h.Reason)
		}
		return o.Status, reasons
	}
	st, history := status(oldUser, old)
	auto := 0
	for _, h := range history {
		if h == "客户未确认收货，系统自动确认收货" {
			auto++
		}
	}
	if st != "completed" || auto != 1 {
		t.Fatalf("the overdue order: %s, history %q", st, history)
	}
	if st, _ := status(youngUser, young); st != "shipped" {
		t.Fatalf("the order shipped later: %s", st)
	}
	if _, history := status(confirmedUser, confirmed); len(history) != len(before.History) {
		t.Fatalf("the confirmed order's history changed: %q", history)
	}

	// Through River: the periodic sweep's job completes the younger one in its turn.
	e.App.Clock.Set(func() time.Time { return start.Add(10*24*time.Hour + time.Minute) })
	if err := e.App.Jobs().Enqueue(ctx, river.InsertManyParams{Args: worker.SweepParcelsArgs{}}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the sweep job", func() bool { st, _ := status(youngUser, young); return st == "completed" })
	var entries int64
	e.App.DB.Conn(ctx).Raw("SELECT COUNT(*) FROM order_transitions WHERE actor = 'system' AND to_status = 'completed'").Scan(&entries)
	if entries != 2 {
		t.Fatalf("%d automatic completions recorded, want 2", entries)
	}
}
