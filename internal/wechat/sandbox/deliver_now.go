package sandbox

import (
	"bytes"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/database"
)

// MaxDeliverNow is the most notifications one POST
// /sandbox/wxpay/notifications/deliver sends.
const MaxDeliverNow = 1000

// deliverNow sends the named stored notifications once each, now, up to
// `concurrency` (default RedeliverWorkers, at most 256) at once, counting and
// recording each attempt as the senders do:
// POST /sandbox/wxpay/notifications/deliver {"ids": [...], "concurrency": 32}.
// With payments confirmed {"hold": true} it lets a load test pace
// notifications of distinct orders itself; the answer has each delivery's
// status and time to answer, in the order of ids.
func (p *pay) deliverNow(c *gin.Context) {
	var in struct {
		IDs         []string `json:"ids"`
		Concurrency int      `json:"concurrency"`
	}
	if err := c.ShouldBindJSON(&in); err != nil || len(in.IDs) < 1 || len(in.IDs) > MaxDeliverNow ||
		in.Concurrency < 0 || in.Concurrency > 256 {
		c.JSON(http.StatusBadRequest, gin.H{"error": gin.H{"code": "invalid_field", "message": `send {"ids": [1 to 1000 notification ids], "concurrency": 1 to 256}`}})
		return
	}
	if in.Concurrency == 0 {
		in.Concurrency = RedeliverWorkers
	}
	ctx := c.Request.Context()
	var ns []notification
	if err := p.db.Conn(ctx).Where("notify_id IN ?", in.IDs).Find(&ns).Error; err != nil {
		p.systemError(c, err)
		return
	}
	byID := make(map[string]notification, len(ns))
	for _, n := range ns {
		byID[n.NotifyID] = n
	}
	if len(byID) != len(in.IDs) {
		c.JSON(http.StatusNotFound, gin.H{"error": gin.H{"code": "notification_not_found", "message": "not every id names a notification"}})
		return
	}
	// Counted as attempts before sending, as the senders' claim does.
	if err := p.db.Conn(ctx).Model(&notification{}).Where("notify_id IN ?", in.IDs).
		Update("attempts", database.Expr("attempts + 1")).Error; err != nil {
		p.systemError(c, err)
		return
	}
	statuses := make([]int, len(in.IDs))
	took := make([]float64, len(in.IDs))
	var wg sync.WaitGroup
	var next atomic.Int64
	start := time.Now()
	for range min(in.Concurrency, len(in.IDs)) {
		wg.Go(func() {
			for i := int(next.Add(1) - 1); i < len(in.IDs); i = int(next.Add(1) - 1) {
				n := byID[in.IDs[i]]
				t0 := time.Now()
				status, answer := p.post(ctx, p.client, n)
				took[i] = float64(time.Since(t0).Microseconds()) / 1000
				statuses[i] = status
				p.record(ctx, n.ID, status, answer)
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	sorted := slices.Sorted(slices.Values(took))
	c.JSON(http.StatusOK, gin.H{"statuses": statuses, "took_ms": took, "per_second": float64(len(in.IDs)) / elapsed.Seconds(),
		"p50_ms": sorted[len(sorted)/2], "p99_ms": sorted[len(sorted)*99/100], "max_ms": sorted[len(sorted)-1]})
}

// NotificationRequest is the signed, sealed TRANSACTION.SUCCESS request the
// sandbox would send to url for resource (a transaction as queries show
// it), built but neither stored nor sent. `kaidian load -scenario
// notify-orders` uses it to measure, beside the run, what making and checking
// one notification costs in CPU. It panics unless EnablePay was called.
func (s *Server) NotificationRequest(url string, resource any) (*http.Request, error) {
	_, body, err := s.pay.notificationBody(s.now(), "TRANSACTION.SUCCESS", "支付成功", "transaction", resource)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header = s.pay.sign(body)
	req.Header.Set("Content-Type", "application/json")
	return req, nil
}
