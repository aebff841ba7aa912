package loadgen

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"os"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/wechatpay-apiv3/wechatpay-go/core/auth/verifiers"
	"github.com/wechatpay-apiv3/wechatpay-go/core/notify"
	"github.com/wechatpay-apiv3/wechatpay-go/services/payments"

	"github.com/kaidian/kaidian/internal/wechat/sandbox"
)

// notifyRound is how many orders one round of notify-orders pays and then
// has notified: small enough that a round's setup ends well before the
// shop's reconciliation asks WeChat about its first order (10 s after the
// payment opens, KAIDIAN_PAY_POLL_AFTER), large enough that 32 senders
// spend most of the round at full concurrency.
const notifyRound = 500

// ceilingFor is how long notify-orders measures its ceiling.
const ceilingFor = 2 * time.Second

// notifyOrders measures WeChat Pay notifications of distinct orders, each
// paying its order, at a fixed concurrency (-concurrency, default 32). Each
// round places and prepays notifyRound orders and confirms their payments
// in the sandbox with the notification held (setup, not timed), then has
// the sandbox deliver the round's notifications, -concurrency at once,
// timing each delivery (the timed part). Beside it, the same run measures
// its ceiling: what making (the sandbox's seal and RSA signature) and
// checking (the SDK's verify, decrypt and parse, as the webhook does) one
// notification costs in CPU on this machine, on every core, without HTTP
// or the database.
func (l *load) notifyOrders(ctx context.Context, r *Report) error {
	cat, shoppers, err := l.buyers(ctx, r)
	if err != nil {
		return err
	}
	rec, setup := newRecorder(), newRecorder()
	b := l.newBudget()
	var orderNos []string
	var sent, ok2xx int64
	var delivering time.Duration
	cpu := &cpuMeter{l: l}
	start := time.Now()
	for round := 0; ctx.Err() == nil; round++ {
		n := int64(notifyRound)
		if l.o.Requests > 0 {
			n = min(n, l.o.Requests-sent)
		}
		if n <= 0 || !b.take(n) {
			break
		}
		ids, nos, err := l.heldPayments(ctx, shoppers, cat.skus, int(n), setup)
		if err != nil {
			return err
		}
		orderNos = append(orderNos, nos...)
		cpu.resume(ctx)
		a := l.cl.do(ctx, "POST", l.target(round)+"/sandbox/wxpay/notifications/deliver", "",
			map[string]any{"ids": ids, "concurrency": l.o.Concurrency}, true)
		cpu.pause(ctx)
		if !a.ok() {
			return fmt.Errorf("deliver: %s", a)
		}
		var got struct {
			Statuses  []int     `json:"statuses"`
			Took      []float64 `json:"took_ms"`
			PerSecond float64   `json:"per_second"`
		}
		if err := a.decode(&got); err != nil {
			return err
		}
		for i, st := range got.Statuses {
			rec.add("notification", answer{status: st, took: time.Duration(got.Took[i] * float64(time.Millisecond))})
			if st >= 200 && st < 300 {
				ok2xx++
			}
		}
		sent += int64(len(got.Statuses))
		if got.PerSecond > 0 {
			delivering += time.Duration(float64(len(got.Statuses)) / got.PerSecond * float64(time.Second))
		}
	}
	r.finish(rec, time.Since(start), "notification")
	cpu.report(ctx, r, "notification", sent)
	r.figure("notifications", float64(sent))
	if delivering > 0 {
		// Over the time spent delivering, not the rounds' setup.
		perS := perSecond(sent, delivering)
		r.figure("notifications_per_s", perS)
		lat := rec.total(delivering, "notification").Latency
		r.figure("notification_p50_ms", lat.P50)
		r.figure("notification_p99_ms", lat.P99)
		ceiling, err := notifyCeiling(ctx, ceilingFor)
		if err != nil {
			return err
		}
		r.figure("ceiling_notifications_per_s", ceiling)
		r.figure("ratio_to_ceiling", perS/ceiling)
		r.note("ceiling: %d cores making and checking signed notifications (seal + RSA sign, verify + decrypt + parse), no HTTP, no database", runtime.GOMAXPROCS(0))
	}
	r.note("setup (not timed): %d orders placed, prepaid and paid with the notification held", setup.count("sandbox_pay"))
	r.check("every notification answered 2xx", sent > 0 && ok2xx == sent, "%d of %d", ok2xx, sent)
	l.checkPaidOnce(ctx, r, orderNos)
	return nil
}

// heldPayments places n one-unit orders over the shoppers, prepays each and
// confirms it in the sandbox with its notification held, -concurrency at
// once; it returns the notifications' ids and the orders' numbers.
func (l *load) heldPayments(ctx context.Context, shoppers []*shopper, skus []skuRef, n int, rec *recorder) ([]string, []string, error) {
	ids, nos := make([]string, n), make([]string, n)
	var next atomic.Int64
	var mu sync.Mutex
	var firstErr error
	workers(min(l.o.Concurrency, n), func(w int) {
		for i := int(next.Add(1) - 1); i < n && ctx.Err() == nil; i = int(next.Add(1) - 1) {
			s := shoppers[i%len(shoppers)]
			id, no, err := l.heldPayment(ctx, s, skus[rand.IntN(len(skus))].id, rec)
			if err != nil {
				mu.Lock()
				firstErr = cmpErr(firstErr, err)
				mu.Unlock()
				return
			}
			ids[i], nos[i] = id, no
		}
	})
	if firstErr == nil {
		firstErr = ctx.Err()
	}
	return ids, nos, firstErr
}

func cmpErr(have, err error) error {
	if have != nil {
		return have
	}
	return err
}

// heldPayment is one order paid at WeChat whose notification the sandbox
// keeps until asked.
func (l *load) heldPayment(ctx context.Context, s *shopper, skuID int64, rec *recorder) (string, string, error) {
	a := l.cl.do(ctx, "POST", s.api("/orders"), s.token, map[string]any{
		"items": []map[string]int64{{"sku_id": skuID, "quantity": 1}}, "address_id": s.addressID}, true)
	rec.add("place", a)
	var o struct {
		OrderNo string `json:"order_no"`
	}
	if !a.ok() {
		return "", "", fmt.Errorf("place: %s", a)
	}
	if err := a.decode(&o); err != nil {
		return "", "", err
	}
	a = l.cl.do(ctx, "POST", s.api("/orders/"+o.OrderNo+"/pay"), s.token, nil, true)
	rec.add("pay", a)
	var rp struct {
		Package string `json:"package"`
	}
	if !a.ok() {
		return "", "", fmt.Errorf("pay %s: %s", o.OrderNo, a)
	}
	if err := a.decode(&rp); err != nil {
		return "", "", err
	}
	prepay, _ := strings.CutPrefix(rp.Package, "prepay_id=")
	a = l.cl.do(ctx, "POST", s.base+"/sandbox/wxpay/pay", "", map[string]any{"prepay_id": prepay, "result": "success", "hold": true}, true)
	rec.add("sandbox_pay", a)
	var paid struct {
		NotificationID string `json:"notification_id"`
	}
	if !a.ok() {
		return "", "", fmt.Errorf("sandbox pay %s: %s", o.OrderNo, a)
	}
	if err := a.decode(&paid); err != nil {
		return "", "", err
	}
	if paid.NotificationID == "" {
		return "", "", fmt.Errorf("sandbox pay %s: no notification queued (a sandbox older than notify-orders?)", o.OrderNo)
	}
	return paid.NotificationID, o.OrderNo, nil
}

// notifyCeiling is how many notifications per second this machine can make
// and check on all its cores, for d: the sandbox's own sealing and signing,
// then the WeChat Pay SDK's verification, decryption and parsing, which is
// what the webhook runs before it touches the database.
func notifyCeiling(ctx context.Context, d time.Duration) (float64, error) {
	dir, err := os.MkdirTemp("", "kaidian-load-keys-")
	if err != nil {
		return 0, err
	}
	defer os.RemoveAll(dir)
	keys, err := sandbox.LoadOrCreatePayKeys(dir)
	if err != nil {
		return 0, err
	}
	sb := sandbox.New(nil, slog.New(slog.NewTextHandler(io.Discard, nil)))
	sb.EnablePay(keys)
	h, err := notify.NewRSANotifyHandler(keys.APIv3Key, verifiers.NewSHA256WithRSAPubkeyVerifier(keys.PublicKeyID, keys.PlatformKey.PublicKey))
	if err != nil {
		return 0, err
	}
	resource := map[string]any{"appid": sandbox.AppID, "mchid": keys.MchID, "out_trade_no": "2026120600000001",
		"transaction_id": "4200002026120600000000000001", "trade_type": "JSAPI", "trade_state": "SUCCESS",
		"trade_state_desc": "支付成功", "bank_type": "OTHERS", "attach": "", "success_time": "2026-12-06T14:00:00+08:00",
		"payer": map[string]any{"openid": "o-load"}, "amount": map[string]any{"total": 2990, "payer_total": 2990, "currency": "CNY", "payer_currency": "CNY"}}
	var done atomic.Int64
	var firstErr error
	var mu sync.Mutex
	deadline := time.Now().Add(d)
	start := time.Now()
	workers(runtime.GOMAXPROCS(0), func(int) {
		for time.Now().Before(deadline) && ctx.Err() == nil {
			req, err := sb.NotificationRequest("http://127.0.0.1/wechatpay/notify/transactions", resource)
			if err == nil {
				var tx payments.Transaction
				_, err = h.ParseNotifyRequest(ctx, req, &tx)
			}
			if err != nil {
				mu.Lock()
				firstErr = cmpErr(firstErr, err)
				mu.Unlock()
				return
			}
			done.Add(1)
		}
	})
	if firstErr != nil {
		return 0, fmt.Errorf("ceiling: %w", firstErr)
	}
	return perSecond(done.Load(), time.Since(start)), nil
}
