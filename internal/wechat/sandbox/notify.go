package sandbox

import (
	"bytes"
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"time"

	"github.com/kaidian/kaidian/internal/clock"
)

// RetrySchedule is how long WeChat Pay waits before each new attempt at a
// notification the merchant did not acknowledge (WeChat Pay's payment-notification documentation):
// 15 retries over about 24 hours, then it gives up.
var RetrySchedule = []time.Duration{
	15 * time.Second, 15 * time.Second, 30 * time.Second, 3 * time.Minute, 10 * time.Minute,
	20 * time.Minute, 30 * time.Minute, 30 * time.Minute, 30 * time.Minute, 60 * time.Minute,
	3 * time.Hour, 3 * time.Hour, 3 * time.Hour, 6 * time.Hour, 6 * time.Hour,
}

type notification struct {
	ID            int64      `gorm:"column:id;primaryKey"`
	NotifyID      string     `gorm:"column:notify_id"`
	EventType     string     `gorm:"column:event_type"`
	OutTradeNo    string     `gorm:"column:out_trade_no"`
	URL           string     `gorm:"column:url"`
	Body          string     `gorm:"column:body"`
	Attempts      int        `gorm:"column:attempts"`
	NextAttemptAt *time.Time `gorm:"column:next_attempt_at"`
	DeliveredAt   *time.Time `gorm:"column:delivered_at"`
	LastStatus    int        `gorm:"column:last_status"`
	LastError     string     `gorm:"column:last_error"`
	CreatedAt     time.Time  `gorm:"column:created_at"`
}

func (notification) TableName() string { return "sandbox_notifications" }

// seal encrypts plaintext as WeChat Pay does for notifications and
// downloaded certificates: AES-256-GCM with the APIv3 key, a 12-character
// nonce (the SDK panics on any other length), the ciphertext and tag
// base64-encoded together (§3.5).
func (p *pay) seal(plaintext []byte, aad string) map[string]string {
	block, err := aes.NewCipher([]byte(p.keys.APIv3Key))
	if err != nil {
		panic("sandbox: APIv3 key: " + err.Error())
	}
	gcm, _ := cipher.NewGCM(block)
	nonce := randomAlnum(12)
	return map[string]string{
		"algorithm": "AEAD_AES_256_GCM", "associated_data": aad, "nonce": nonce,
		"ciphertext": base64.StdEncoding.EncodeToString(gcm.Seal(nil, []byte(nonce), plaintext, []byte(aad))),
	}
}

// enqueue stores a notification for delivery as soon as possible.
func (p *pay) enqueue(ctx context.Context, eventType, summary, outTradeNo, url, aad string, resource any) error {
	_, err := p.store(ctx, eventType, summary, outTradeNo, url, aad, resource, false)
	return err
}

// store keeps a notification and returns its id. A held one has no next
// attempt, so the senders leave it alone until POST
// /sandbox/wxpay/notifications/deliver names it.
func (p *pay) store(ctx context.Context, eventType, summary, outTradeNo, url, aad string, resource any, hold bool) (string, error) {
	now := p.now()
	id, body, err := p.notificationBody(now, eventType, summary, aad, resource)
	if err != nil {
		return "", err
	}
	n := notification{NotifyID: id, EventType: eventType, OutTradeNo: outTradeNo, URL: url, Body: string(body),
		NextAttemptAt: &now, CreatedAt: now}
	if hold {
		n.NextAttemptAt = nil
	}
	return id, p.db.Conn(ctx).Create(&n).Error
}

// notificationBody is a notification as WeChat Pay sends it: the resource
// sealed with the APIv3 key inside the event's envelope.
func (p *pay) notificationBody(now time.Time, eventType, summary, aad string, resource any) (string, []byte, error) {
	plain, err := json.Marshal(resource)
	if err != nil {
		return "", nil, err
	}
	id := "EV-" + now.Format("20060102150405") + randomAlnum(8)
	sealed := p.seal(plain, aad)
	sealed["original_type"] = aad // notifications name the resource's type; certificates do not
	body, err := json.Marshal(map[string]any{
		"id": id, "create_time": now.In(clock.China).Format(time.RFC3339), "resource_type": "encrypt-resource",
		"event_type": eventType, "summary": summary, "resource": sealed,
	})
	return id, body, err
}

// nextAttempt is when attempt number `done`+1 is due, or nil after the last.
func (p *pay) nextAttempt(done int, now time.Time) *time.Time {
	if done > len(RetrySchedule) {
		return nil
	}
	t := now.Add(time.Duration(float64(RetrySchedule[done-1]) * p.retryScale))
	return &t
}

// post sends one attempt, signed with the platform key over the exact body.
func (p *pay) post(ctx context.Context, client *http.Client, n notification) (int, string) {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second) // WeChat waits 5 s for an answer
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, n.URL, bytes.NewReader([]byte(n.Body)))
	if err != nil {
		return 0, err.Error()
	}
	req.Header = p.sign([]byte(n.Body))
	req.Header.Set("Content-Type", "application/json")
	res, err := client.Do(req)
	if err != nil {
		return 0, err.Error()
	}
	defer res.Body.Close()
	answer, _ := io.ReadAll(io.LimitReader(res.Body, 1024))
	return res.StatusCode, string(answer)
}

const alnum = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

func randomAlnum(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	for i := range b {
		b[i] = alnum[int(b[i])%len(alnum)]
	}
	return string(b)
}
