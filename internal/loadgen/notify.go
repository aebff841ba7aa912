package loadgen

import (
	"context"
	"fmt"
	"slices"
	"time"
)

// maxBurst is the most duplicates the sandbox sends in one redelivery.
const maxBurst = 1000

// notify pays one order, then has the sandbox send that order's signed
// TRANSACTION.SUCCESS notification again in bursts of up to a thousand at
// once (WeChat does deliver duplicates): the webhook must answer each
// quickly and pay the order exactly once. The sandbox measures each
// delivery; the figures come from its answers.
func (l *load) notify(ctx context.Context, r *Report) error {
	cat, err := l.discover(ctx, 1)
	if err != nil {
		return err
	}
	if err := l.restockAll(ctx, r, cat.skus); err != nil {
		return err
	}
	shoppers, err := l.login(ctx, 1)
	if err != nil {
		return err
	}
	r.Shoppers = 1
	s := shoppers[0]
	no, err := l.paidOrder(ctx, s, cat.skus[0].id)
	if err != nil {
		return err
	}
	notifyID, err := l.findNotification(ctx, s.base, no)
	if err != nil {
		return err
	}
	r.note("order %s, notification %s", no, notifyID)

	rec := newRecorder()
	b := l.newBudget()
	var sent, ok2xx int64
	var delivering time.Duration
	var p50s, p99s, maxes []float64
	cpu := l.meterCPU(ctx)
	start := time.Now()
	for i := 0; ctx.Err() == nil; i++ {
		times := int64(maxBurst)
		if l.o.Requests > 0 {
			times = min(times, l.o.Requests-sent)
		}
		if times <= 0 || !b.take(times) {
			break
		}
		a := l.cl.do(ctx, "POST", fmt.Sprintf("%s/sandbox/wxpay/notifications/%s/redeliver", l.target(i), notifyID), "",
			map[string]int64{"times": times}, true)
		rec.add("redeliver", a)
		if !a.ok() {
			return fmt.Errorf("redeliver: %s", a)
		}
		var burst struct {
			Statuses  []int   `json:"statuses"`
			PerSecond float64 `json:"per_second"`
			P50       float64 `json:"p50_ms"`
			P99       float64 `json:"p99_ms"`
			Max       float64 `json:"max_ms"`
		}
		if err := a.decode(&burst); err != nil {
			return err
		}
		sent += int64(len(burst.Statuses))
		for _, st := range burst.Statuses {
			if st >= 200 && st < 300 {
				ok2xx++
			}
		}
		if burst.PerSecond > 0 {
			delivering += time.Duration(float64(len(burst.Statuses)) / burst.PerSecond * float64(time.Second))
		}
		p50s, p99s, maxes = append(p50s, burst.P50), append(p99s, burst.P99), append(maxes, burst.Max)
	}
	r.finish(rec, time.Since(start), "redeliver")
	cpu.report(ctx, r, "notification", sent)
	r.figure("notifications", float64(sent))
	if delivering > 0 {
		r.figure("notifications_per_s", perSecond(sent, delivering))
		slices.Sort(p50s)
		r.figure("notification_p50_ms", p50s[len(p50s)/2])
		r.figure("notification_p99_ms", slices.Max(p99s)) // the worst burst's
		r.figure("notification_max_ms", slices.Max(maxes))
	}
	r.check("every notification answered 2xx", sent > 0 && ok2xx == sent, "%d of %d", ok2xx, sent)
	l.checkPaidOnce(ctx, r, []string{no})
	l.checkPaidOnceAPI(ctx, r, s, no)
	return nil
}

// paidOrder places a one-unit order of the SKU, pays it and waits until paid.
func (l *load) paidOrder(ctx context.Context, s *shopper, skuID int64) (string, error) {
	var o struct {
		OrderNo string `json:"order_no"`
	}
	err := l.cl.call(ctx, "POST", s.api("/orders"), s.token, map[string]any{
		"items": []map[string]int64{{"sku_id": skuID, "quantity": 1}}, "address_id": s.addressID}, &o)
	if err != nil {
		return "", err
	}
	if err := l.pay(ctx, s, o.OrderNo, nil); err != nil {
		return "", err
	}
	return o.OrderNo, l.waitStatus(ctx, s, o.OrderNo, "paid", paidWait, nil, "")
}

// findNotification is the sandbox's id of the order's payment notification.
func (l *load) findNotification(ctx context.Context, base, orderNo string) (string, error) {
	var list struct {
		Items []struct {
			ID         string `json:"id"`
			EventType  string `json:"event_type"`
			OutTradeNo string `json:"out_trade_no"`
		} `json:"items"`
	}
	if err := l.cl.call(ctx, "GET", base+"/sandbox/wxpay/notifications", "", nil, &list); err != nil {
		return "", err
	}
	for _, n := range list.Items {
		if n.OutTradeNo == orderNo && n.EventType == "TRANSACTION.SUCCESS" {
			return n.ID, nil
		}
	}
	return "", fmt.Errorf("the sandbox sent no payment notification for order %s", orderNo)
}

// checkPaidOnceAPI reads the order as its shopper: paid, with one step to
// paid in its history.
func (l *load) checkPaidOnceAPI(ctx context.Context, r *Report, s *shopper, orderNo string) {
	var o struct {
		Status  string `json:"status"`
		History []struct {
			To string `json:"to"`
		} `json:"history"`
	}
	if err := l.cl.call(ctx, "GET", s.api("/orders/"+orderNo), s.token, nil, &o); err != nil {
		r.check("paid exactly once (API)", false, "%v", err)
		return
	}
	n := 0
	for _, h := range o.History {
		if h.To == "paid" {
			n++
		}
	}
	r.check("paid exactly once (API)", o.Status == "paid" && n == 1, "status %s, %d steps to paid in its history", o.Status, n)
}
