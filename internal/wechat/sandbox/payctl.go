package sandbox

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/database"
)

// SetRetryScale compresses (or stretches) WeChat's notification retry
// schedule: 0.001 turns its 15 s first retry into 15 ms. For tests and demos;
// call it before Run.
func (s *Server) SetRetryScale(f float64) {
	if s.pay != nil && f > 0 {
		s.pay.retryScale = f
	}
}

// DefaultRefundDelay is how long a sandbox refund stays PROCESSING.
const DefaultRefundDelay = 3 * time.Second

// SetRefundDelay sets how long refunds take to succeed; call it before Run.
func (s *Server) SetRefundDelay(d time.Duration) {
	if s.pay != nil && d >= 0 {
		s.pay.refundDelay = d
	}
}

// DuplicateForm is how the sandbox refuses a prepay reusing an order number
// WeChat will not reopen.
type DuplicateForm string

const (
	// DuplicateDocumented answers as WeChat's documentation says: ORDER_CLOSED
	// for a closed order, 403 OUT_TRADE_NO_USED for other details.
	DuplicateDocumented DuplicateForm = "documented"
	// DuplicateLive answers both as the live API has been seen to: 400
	// INVALID_REQUEST "201 商户订单号重复" (a paid order, with the same
	// details, is still ORDERPAID).
	DuplicateLive DuplicateForm = "live"
)

// SetDuplicateForm chooses how a reused order number is refused
// (DuplicateDocumented unless told otherwise); call it before Run.
func (s *Server) SetDuplicateForm(f DuplicateForm) {
	if s.pay != nil {
		s.pay.liveDuplicates = f == DuplicateLive
	}
}

// pruneEvery is how often Run deletes spent login codes.
const pruneEvery = time.Minute

// Run delivers due notifications until ctx ends, up to the pool's size at
// once (SetNotifySenders), each as soon as it is due. It is what WeChat's
// notification service does; with several replicas each runs it and the
// claim in claimDue keeps every attempt single. It also completes due
// refunds, and deletes expired login codes at start and every pruneEvery.
func (s *Server) Run(ctx context.Context) {
	var d *dispatcher
	var wake chan struct{} // nil without WeChat Pay: never ready
	if s.pay != nil {
		d, wake = s.pay.newDispatcher(), s.pay.wake
		defer d.wg.Wait()
	}
	tick := time.NewTicker(notifyPoll)
	defer tick.Stop()
	var pruned time.Time
	polled := true // woken by the poll, not by a payment: look for due refunds too
	for {
		if now := time.Now(); now.Sub(pruned) >= pruneEvery {
			pruned = now
			if _, err := s.PruneLoginCodes(ctx); err != nil && ctx.Err() == nil {
				s.log.Error("sandbox: prune login codes", "error", err)
			}
			if _, err := s.PrunePhoneCodes(ctx); err != nil && ctx.Err() == nil {
				s.log.Error("sandbox: prune phone codes", "error", err)
			}
		}
		if s.pay != nil {
			if polled {
				s.pay.completeDueRefunds(ctx)
			}
			d.dispatch(ctx)
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			polled = true
		case <-wake:
			polled = false
		}
	}
}

// simulatePayment is the shopper confirming (or abandoning) payment in
// WeChat: POST /sandbox/wxpay/pay {prepay_id, result: "success"|"fail"}. On
// success the order is paid and its TRANSACTION.SUCCESS notification is
// queued for the order's notify_url; WeChat sends none for an abandoned one.
func (p *pay) simulatePayment(c *gin.Context) {
	var in struct {
		PrepayID string `json:"prepay_id"`
		Result   string `json:"result"`
		// Amount, when set, is what WeChat reports as charged instead of the
		// order's total: a way to test that merchants check amounts.
		Amount int64 `json:"amount"`
		// Notify false pays without notifying, as when WeChat's notification is lost.
		Notify *bool `json:"notify"`
		// Hold keeps the notification unsent until POST
		// /sandbox/wxpay/notifications/deliver names it: load tests pace
		// notifications themselves.
		Hold bool `json:"hold"`
	}
	if err := c.ShouldBindJSON(&in); err != nil || in.PrepayID == "" || (in.Result != "success" && in.Result != "fail") {
		c.JSON(http.StatusBadRequest, gin.H{"error": gin.H{"code": "invalid_field", "message": `send {"prepay_id": "...", "result": "success" or "fail"}`}})
		return
	}
	ctx := c.Request.Context()
	now := p.now()
	o, err := p.orderOfPrepay(ctx, in.PrepayID, now)
	switch {
	case errors.Is(err, errPrepayUnknown):
		c.JSON(http.StatusNotFound, gin.H{"error": gin.H{"code": "prepay_not_found", "message": "no order has this prepay_id"}})
		return
	case errors.Is(err, errPrepayExpired):
		// What WeChat shows the shopper: 该订单已过期，请重新下单.
		c.JSON(http.StatusGone, gin.H{"error": gin.H{"code": "prepay_expired", "message": "this prepay_id is more than two hours old; prepay the order again"}})
		return
	case err != nil:
		p.systemError(c, err)
		return
	}
	if state := o.state(now); state != stateNotPay || in.Result == "fail" {
		c.JSON(http.StatusOK, gin.H{"out_trade_no": o.OutTradeNo, "trade_state": state, "notified": false})
		return
	}
	txID := "4200" + now.Format("20060102") + randomDigits(18)
	var notifyID string
	err = p.db.Tx(ctx, func(ctx context.Context) error {
		// Guarded: a close racing this payment wins or loses, never both.
		paid := map[string]any{"trade_state": stateSuccess, "transaction_id": txID, "success_time": now, "updated_at": now}
		if in.Amount > 0 {
			// Kept, so queries report what the notification says was charged.
			paid["amount_total"] = in.Amount
		}
		res := p.db.Conn(ctx).Model(&payOrder{}).
			Where("out_trade_no = ? AND trade_state = ? AND time_expire > ?", o.OutTradeNo, stateNotPay, now).
			Updates(paid)
		if res.Error != nil || res.RowsAffected != 1 {
			return res.Error
		}
		o.TradeState, o.TransactionID, o.SuccessTime = stateSuccess, txID, &now
		if in.Amount > 0 {
			o.AmountTotal = in.Amount
		}
		if in.Notify != nil && !*in.Notify {
			return nil
		}
		notifyID, err = p.store(ctx, "TRANSACTION.SUCCESS", "支付成功", o.OutTradeNo, o.NotifyURL, "transaction", p.transaction(o), in.Hold)
		return err
	})
	if err != nil {
		p.systemError(c, err)
		return
	}
	notified := o.TradeState == stateSuccess
	if notified && !in.Hold {
		p.kick() // committed: send it now, not at the next poll
	}
	if !notified {
		// Another payment session of the order (or a close) won the race:
		// report the state it left, not the one read before.
		if err := p.db.Conn(ctx).Where("out_trade_no = ?", o.OutTradeNo).Take(&o).Error; err != nil {
			p.systemError(c, err)
			return
		}
	}
	out := gin.H{"out_trade_no": o.OutTradeNo, "trade_state": o.state(now), "transaction_id": o.TransactionID, "notified": notified}
	if notifyID != "" {
		out["notification_id"] = notifyID
	}
	c.JSON(http.StatusOK, out)
}

// RedeliverWorkers is how many copies of a notification redeliver has in
// flight at once: enough to make a webhook handle concurrent duplicates,
// few enough that one call cannot hold a thousand goroutines and
// connections.
const RedeliverWorkers = 32

// redeliver sends one stored notification again, `times` times, up to
// RedeliverWorkers at once, freshly signed:
// POST /sandbox/wxpay/notifications/{id}/redeliver {"times": n}.
// WeChat does deliver duplicates; this makes them on demand (tests, load).
// It reports each copy's status and latency, and copies a second overall.
func (p *pay) redeliver(c *gin.Context) {
	var in struct {
		Times int `json:"times"`
	}
	if err := c.ShouldBindJSON(&in); err != nil || in.Times < 1 || in.Times > 1000 {
		c.JSON(http.StatusBadRequest, gin.H{"error": gin.H{"code": "invalid_field", "message": `send {"times": 1 to 1000}`}})
		return
	}
	var n notification
	err := p.db.Conn(c.Request.Context()).Where("notify_id = ?", c.Param("id")).Take(&n).Error
	if database.IsNotFound(err) {
		c.JSON(http.StatusNotFound, gin.H{"error": gin.H{"code": "notification_not_found", "message": "no such notification"}})
		return
	}
	if err != nil {
		p.systemError(c, err)
		return
	}
	client := &http.Client{Timeout: 5 * time.Second}
	statuses := make([]int, in.Times)
	took := make([]time.Duration, in.Times)
	var wg sync.WaitGroup
	var next atomic.Int64
	start := time.Now()
	for range min(RedeliverWorkers, in.Times) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := int(next.Add(1) - 1); i < in.Times; i = int(next.Add(1) - 1) {
				t0 := time.Now()
				statuses[i], _ = p.post(c.Request.Context(), client, n)
				took[i] = time.Since(t0)
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	slices.Sort(took)
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	c.JSON(http.StatusOK, gin.H{"statuses": statuses, "per_second": float64(in.Times) / elapsed.Seconds(),
		"p50_ms": ms(took[len(took)/2]), "p99_ms": ms(took[len(took)*99/100]), "max_ms": ms(took[len(took)-1])})
}

// notifications: GET /sandbox/wxpay/notifications — everything sent and what came back.
func (p *pay) notifications(c *gin.Context) {
	var ns []notification
	if err := p.db.Conn(c.Request.Context()).Order("id").Find(&ns).Error; err != nil {
		p.systemError(c, err)
		return
	}
	out := make([]gin.H, len(ns))
	for i, n := range ns {
		out[i] = gin.H{"id": n.NotifyID, "event_type": n.EventType, "out_trade_no": n.OutTradeNo, "url": n.URL,
			"attempts": n.Attempts, "delivered": n.DeliveredAt != nil, "delivered_at": n.DeliveredAt,
			"next_attempt_at": n.NextAttemptAt, "last_status": n.LastStatus, "last_answer": n.LastError}
	}
	c.JSON(http.StatusOK, gin.H{"items": out})
}

func randomDigits(n int) string {
	s := randomAlnum(n * 2)
	out := make([]byte, 0, n)
	for i := 0; len(out) < n; i++ {
		out = append(out, '0'+s[i%len(s)]%10)
	}
	return string(out)
}
