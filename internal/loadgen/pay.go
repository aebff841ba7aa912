package loadgen

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
)

// paidWait bounds how long a paid order may take to show as paid: the
// sandbox delivers its notification within a tick (100 ms), so seconds mean
// something is wrong.
const paidWait = 30 * time.Second

// pollEvery is how often an order's status is read while waiting.
const pollEvery = 20 * time.Millisecond

// pay opens the WeChat payment of the order (POST /orders/{no}/pay) and
// confirms it in the sandbox as the shopper's phone would. rec may be nil
// (setup). It returns once the sandbox has accepted the payment; the order
// becomes paid when WeChat Pay's notification reaches Kaidian.
func (l *load) pay(ctx context.Context, s *shopper, orderNo string, rec *recorder) error {
	a := l.cl.do(ctx, "POST", s.api("/orders/"+orderNo+"/pay"), s.token, nil, true)
	record(rec, "pay", a)
	if !a.ok() {
		return fmt.Errorf("pay %s: %s", orderNo, a)
	}
	var rp struct {
		Package string `json:"package"`
	}
	if err := a.decode(&rp); err != nil {
		return err
	}
	prepay, ok := strings.CutPrefix(rp.Package, "prepay_id=")
	if !ok {
		return fmt.Errorf("pay %s: package %q is not prepay_id=…", orderNo, rp.Package)
	}
	a = l.cl.do(ctx, "POST", s.base+"/sandbox/wxpay/pay", "", map[string]string{"prepay_id": prepay, "result": "success"}, false)
	record(rec, "sandbox_pay", a)
	if !a.ok() {
		return fmt.Errorf("sandbox pay %s: %s", orderNo, a)
	}
	return nil
}

// errLate says an order did not reach the awaited status in time.
var errLate = errors.New("did not reach the status in time")

// waitStatus polls the shopper's order every pollEvery until its status is
// want, for at most wait. Each poll is recorded under step (when rec is set).
func (l *load) waitStatus(ctx context.Context, s *shopper, orderNo, want string, wait time.Duration, rec *recorder, step string) error {
	return l.waitStatusEvery(ctx, s, orderNo, want, wait, pollEvery, rec, step)
}

func (l *load) waitStatusEvery(ctx context.Context, s *shopper, orderNo, want string, wait, every time.Duration, rec *recorder, step string) error {
	deadline := time.Now().Add(wait)
	for {
		a := l.cl.do(ctx, "GET", s.api("/orders/"+orderNo), s.token, nil, true)
		record(rec, step, a)
		if a.ok() {
			var o struct {
				Status string `json:"status"`
			}
			if err := a.decode(&o); err != nil {
				return err
			}
			if o.Status == want {
				return nil
			}
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("order %s %w %q (last answer %s)", orderNo, errLate, want, a)
		}
		if err := sleep(ctx, every); err != nil {
			return err
		}
	}
}

func record(rec *recorder, step string, a answer) {
	if rec != nil {
		rec.add(step, a)
	}
}
