package subscribe_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/kaidian/kaidian/internal/page"
	"github.com/kaidian/kaidian/internal/subscribe"
	"github.com/kaidian/kaidian/internal/testkit"
)

var pageAll = page.Request{Limit: 1000}

func TestAnEventIsSentOncePerCreditAndBuiltToWeChatsRules(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	alice := testkit.Shopper(t, e.db, "alice")
	e.accept(t, alice, "tpl-paid", 1)

	id := e.emit(t, paidEvent(alice, "K20261206001"))
	testkit.Must(t, e.svc.Send(ctx, id, false))
	r := e.event(t, id)
	if r.Status != subscribe.StatusSent || r.SentAt == nil || e.sender.calls() != 1 {
		t.Fatalf("event %+v after one send of %d", r, e.sender.calls())
	}
	m := e.sender.sent[0]
	want := map[string]string{"thing1": "纯棉圆领短袖T恤（白色，加大码，两件装…", "amount2": "123.45元",
		"character_string3": "K20261206001", "time4": "2026年12月6日 10:30"}
	for k, v := range want {
		if m.Data[k] != v {
			t.Errorf("%s = %q, want %q", k, m.Data[k], v)
		}
	}
	if len(m.Data) != len(want) || m.OpenID != "openid-alice" || m.TemplateID != "tpl-paid" ||
		m.Page != "pages/order/detail?order_no=K20261206001" {
		t.Errorf("message %+v", m)
	}
	if n := e.credits(t, alice, "tpl-paid"); n != 0 {
		t.Errorf("credits after the send: %d", n)
	}
	// The job again (a duplicate delivery) sends nothing more.
	testkit.Must(t, e.svc.Send(ctx, id, false))
	if e.sender.calls() != 1 {
		t.Fatalf("a sent event was sent again")
	}

	// The next event finds no credit: skipped, WeChat never asked.
	id2 := e.emit(t, paidEvent(alice, "K20261206002"))
	testkit.Must(t, e.svc.Send(ctx, id2, false))
	if r := e.event(t, id2); r.Status != subscribe.StatusSkipped || r.Error.ID != "subscribe.log.no_credit" || e.sender.calls() != 1 {
		t.Fatalf("without a credit: %+v, %d calls", r, e.sender.calls())
	}
}

func TestWeChatsAnswersDecideRetriesAndCredits(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	bob := testkit.Shopper(t, e.db, "bob")

	// 43101: WeChat holds no consent. Skipped, not retried, and Kaidian's
	// ledger follows WeChat's (no credit left).
	e.accept(t, bob, "tpl-paid", 2)
	e.sender.answers = []error{&subscribe.Refused{Code: 43101, Message: "user refuse to accept the msg"}}
	id := e.emit(t, paidEvent(bob, "K1"))
	if err := e.svc.Send(ctx, id, false); err != nil {
		t.Fatalf("43101 asked for a retry: %v", err)
	}
	if r := e.event(t, id); r.Status != subscribe.StatusSkipped || r.ErrCode != 43101 {
		t.Fatalf("after 43101: %+v", r)
	}
	if n := e.credits(t, bob, "tpl-paid"); n != 0 {
		t.Fatalf("credits after 43101: %d, want 0", n)
	}

	// 47003: the data breaks a rule. Failed for good; the credit goes back.
	e.accept(t, bob, "tpl-paid", 1)
	e.sender.answers = []error{&subscribe.Refused{Code: 47003, Message: "argument invalid! data.thing1.value"}}
	id = e.emit(t, paidEvent(bob, "K2"))
	if err := e.svc.Send(ctx, id, false); err != nil {
		t.Fatalf("47003 asked for a retry: %v", err)
	}
	if r := e.event(t, id); r.Status != subscribe.StatusFailed || r.ErrCode != 47003 || r.Error.ID != "subscribe.log.wechat_refused" {
		t.Fatalf("after 47003: %+v", r)
	}
	if n := e.credits(t, bob, "tpl-paid"); n != 1 {
		t.Fatalf("credits after 47003: %d, want 1 (given back)", n)
	}

	// A network failure: retried (the error goes back to the job queue),
	// the credit held by the event, not taken twice.
	e.sender.answers = []error{errNetwork, &subscribe.Refused{Code: -1, Message: "system error"}}
	id = e.emit(t, paidEvent(bob, "K3"))
	if err := e.svc.Send(ctx, id, false); err == nil {
		t.Fatal("a network failure was not returned for a retry")
	}
	if r := e.event(t, id); r.Status != subscribe.StatusSending || r.LeaseUntil != nil {
		t.Fatalf("after a network failure: %+v", r)
	}
	if err := e.svc.Send(ctx, id, false); err == nil {
		t.Fatal("WeChat's -1 was not returned for a retry")
	}
	testkit.Must(t, e.svc.Send(ctx, id, false))
	if r := e.event(t, id); r.Status != subscribe.StatusSent || r.Attempts != 3 {
		t.Fatalf("after the retries: %+v", r)
	}
	if n := e.credits(t, bob, "tpl-paid"); n != 0 {
		t.Fatalf("credits after three attempts of one event: %d, want 0", n)
	}

	// The job's last attempt fails: the event is failed, with the error.
	e.accept(t, bob, "tpl-paid", 1)
	e.sender.answers = []error{errNetwork}
	id = e.emit(t, paidEvent(bob, "K4"))
	testkit.Must(t, e.svc.Send(ctx, id, true))
	if r := e.event(t, id); r.Status != subscribe.StatusFailed || r.Error.ID != "subscribe.log.gave_up" {
		t.Fatalf("after the last attempt: %+v", r)
	}
}

// TestTwoEventsRaceForOneCredit: the shopper accepted once; two events
// sent at the same moment by two runners spend that one credit once — one
// message goes out, the other event is skipped — on either database.
func TestTwoEventsRaceForOneCredit(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	for round := range 10 {
		shopper := testkit.Shopper(t, e.db, "racer"+string(rune('a'+round)))
		e.accept(t, shopper, "tpl-paid", 1)
		ids := []int64{e.emit(t, paidEvent(shopper, "R1")), e.emit(t, paidEvent(shopper, "R2"))}
		before := e.sender.calls()
		var wg sync.WaitGroup
		errs := make([]error, len(ids))
		for i, id := range ids {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs[i] = e.svc.Send(ctx, id, false)
			}()
		}
		wg.Wait()
		sent, skipped := 0, 0
		for i, id := range ids {
			testkit.Must(t, errs[i])
			switch e.event(t, id).Status {
			case subscribe.StatusSent:
				sent++
			case subscribe.StatusSkipped:
				skipped++
			}
		}
		if sent != 1 || skipped != 1 || e.sender.calls()-before != 1 || e.credits(t, shopper, "tpl-paid") != 0 {
			t.Fatalf("round %d: %d sent, %d skipped, %d calls to WeChat, %d credits left",
				round, sent, skipped, e.sender.calls()-before, e.credits(t, shopper, "tpl-paid"))
		}
	}
}

// TestOneEventTwoRunners: the job and the sweep's copy of it run at once;
// the claim lets one of them send.
func TestOneEventTwoRunners(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	carol := testkit.Shopper(t, e.db, "carol")
	e.accept(t, carol, "tpl-paid", 3)
	id := e.emit(t, paidEvent(carol, "T1"))
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			testkit.Must(t, e.svc.Send(ctx, id, false))
		}()
	}
	wg.Wait()
	if e.sender.calls() != 1 || e.credits(t, carol, "tpl-paid") != 2 {
		t.Fatalf("%d sends, %d credits left; want 1 and 2", e.sender.calls(), e.credits(t, carol, "tpl-paid"))
	}
}

func TestAnEventRolledBackIsNeitherRecordedNorScheduled(t *testing.T) {
	e := newEnv(t)
	dave := testkit.Shopper(t, e.db, "dave")
	err := e.db.Tx(context.Background(), func(ctx context.Context) error {
		if err := e.svc.Emit(ctx, paidEvent(dave, "X1")); err != nil {
			return err
		}
		return subscribe.ErrUnknownScene // the state change failed after the event
	})
	if err == nil {
		t.Fatal("the transaction did not fail")
	}
	rs, _, err := e.svc.Log(context.Background(), subscribe.Query{Page: pageAll})
	testkit.Must(t, err)
	if len(rs) != 0 || len(e.scheduled) != 0 {
		t.Fatalf("a rolled-back event left %d rows and %d jobs", len(rs), len(e.scheduled))
	}
}

func TestEmitNeedsTheScenesValuesAndAMapping(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	erin := testkit.Shopper(t, e.db, "erin")
	ev := paidEvent(erin, "V1")
	delete(ev.Values, "paid_at")
	if err := e.svc.Emit(ctx, ev); err == nil {
		t.Error("an event without one of its values was recorded")
	}
	ev = paidEvent(erin, "V1")
	ev.Values["paid_at"] = subscribe.Text("yesterday")
	if err := e.svc.Emit(ctx, ev); err == nil {
		t.Error("an event with a value of the wrong kind was recorded")
	}
	// order_shipped is not mapped: nothing is recorded and nobody wants it.
	if e.svc.Wants(ctx, subscribe.OrderShipped) || !e.svc.Wants(ctx, subscribe.OrderPaid) {
		t.Error("Wants does not follow the mapping")
	}
	testkit.Must(t, e.svc.Emit(ctx, subscribe.Event{Scene: subscribe.GiftReceived, ShopperID: erin, Ref: "G1",
		Values: subscribe.Values{"product_name": subscribe.Text("礼盒"), "sender": subscribe.Text("小明"), "received_at": subscribe.At(paidAt)}}))
	rs, _, err := e.svc.Log(ctx, subscribe.Query{Page: pageAll})
	testkit.Must(t, err)
	if len(rs) != 0 {
		t.Fatalf("events of unmapped scenes were recorded: %+v", rs)
	}
}

// TestTheSweepFindsEventsAJobNeverTook: an event whose job was lost (the
// process died between the commit and the enqueue) is due for the sweep
// once it is a minute old; one that is done, or held by a runner, is not.
func TestTheSweepFindsEventsAJobNeverTook(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	henry := testkit.Shopper(t, e.db, "henry")
	lost := e.emit(t, paidEvent(henry, "L1"))
	done := e.emit(t, paidEvent(henry, "L2"))
	testkit.Must(t, e.svc.Send(ctx, done, false)) // skipped: no credit
	if ids, err := e.svc.Due(ctx, 10); err != nil || len(ids) != 0 {
		t.Fatalf("due at once: %v %v", ids, err)
	}
	later := time.Now().Add(2 * time.Minute)
	e.clock.Set(func() time.Time { return later })
	ids, err := e.svc.Due(ctx, 10)
	if err != nil || len(ids) != 1 || ids[0] != lost {
		t.Fatalf("due a minute later: %v %v, want [%d]", ids, err, lost)
	}
	// The sweep's job sends it like any other.
	e.accept(t, henry, "tpl-paid", 1)
	testkit.Must(t, e.svc.Send(ctx, lost, false))
	if r := e.event(t, lost); r.Status != subscribe.StatusSent {
		t.Fatalf("the swept event: %+v", r)
	}
	if ids, _ := e.svc.Due(ctx, 10); len(ids) != 0 {
		t.Fatalf("still due after sending: %v", ids)
	}
}
