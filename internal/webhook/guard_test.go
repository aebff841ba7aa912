package webhook_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kaidian/kaidian/internal/app/apptest"
	"github.com/kaidian/kaidian/internal/webhook"
)

// lockedBuffer collects Kaidian's log lines; the server writes while the test reads.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func orderState(t *testing.T, e *apptest.Env, no string) (status string, notifications int64) {
	t.Helper()
	db := e.App.DB.Conn(context.Background())
	if err := db.Raw("SELECT status FROM orders WHERE order_no = ?", no).Scan(&status).Error; err != nil {
		t.Fatal(err)
	}
	if err := db.Raw("SELECT COUNT(*) FROM payment_notifications").Scan(&notifications).Error; err != nil {
		t.Fatal(err)
	}
	return status, notifications
}

// A refused notification used to log the SDK's error, which quotes the whole
// request: every header (Authorization, Cookie) and up to 1 MB of body. Now
// the log says why in a few fixed words, with the request id, and nothing the
// sender chose; a body beyond MaxNotificationBytes is refused before
// anything reads it, even when it is genuinely signed.
func TestARefusedNotificationLogsAShortReasonAndNoneOfTheRequest(t *testing.T) {
	var log lockedBuffer
	e := apptest.StartLogged(t, &log)
	no, resource, genuine := unpaid(t, e)
	url := e.URL + "/wechatpay/notify/transactions"
	const secret = "Bearer s3cr3t-TOKEN-of-the-sender"
	const cookie = "kaidian_console=s3cr3t-COOKIE"
	pad := strings.Repeat("A", 40<<10) // under the limit once encrypted: it reaches the verifier

	otherKey, _ := rsa.GenerateKey(rand.Reader, 2048)
	wrongSigner, stale, wrongCipher := genuine, genuine, genuine
	wrongSigner.signKey = otherKey
	stale.at = time.Now().Add(-10 * time.Minute)
	wrongCipher.apiV3Key = "ffffffffffffffffffffffffffffffff"
	cases := []struct {
		name, reason string
		f            forge
	}{
		{"signed with another key", "signature invalid", wrongSigner},
		{"stale", "timestamp stale", stale},
		{"encrypted with another key", "decrypt failed", wrongCipher},
	}
	allowed := map[string]bool{}
	for _, r := range []string{"signature invalid", "timestamp stale", "decrypt failed", "malformed", "signature headers missing",
		"signature headers malformed", "signature type unsupported", "signature or content invalid"} {
		allowed[r] = true
	}
	for i, c := range cases {
		resource["attach"] = pad
		body := c.f.notification(t, "EV-"+strconv.Itoa(i), resource)
		h := c.f.headers(t, body)
		h.Set("Authorization", secret)
		h.Set("Cookie", cookie)
		h.Set("X-Request-ID", "forged-"+strconv.Itoa(i))
		if res := send(t, url, h, body); res.StatusCode != http.StatusUnauthorized {
			t.Fatalf("%s: answered %d", c.name, res.StatusCode)
		}
	}
	h := http.Header{"Authorization": {secret}, "Cookie": {cookie}, "X-Request-ID": {"forged-junk"}}
	if res := send(t, url, h, []byte(`{"junk":"`+pad+`"}`)); res.StatusCode != http.StatusUnauthorized {
		t.Fatalf("unsigned junk: answered %d", res.StatusCode)
	}

	// Genuinely signed, but larger than any notification WeChat sends.
	delete(resource, "attach")
	body := genuine.notification(t, "EV-big", resource)
	body = append(body[:len(body)-1], []byte(`,"padding":"`+strings.Repeat("B", webhook.MaxNotificationBytes)+`"}`)...)
	h = genuine.headers(t, body)
	h.Set("X-Request-ID", "forged-big")
	if res := send(t, url, h, body); res.StatusCode != http.StatusRequestEntityTooLarge {
		t.Fatalf("a %d-byte notification: answered %d", len(body), res.StatusCode)
	}
	if status, n := orderState(t, e, no); status != "pending_payment" || n != 0 {
		t.Fatalf("after refusals: order %s, %d notifications recorded", status, n)
	}

	out := log.String()
	for _, leak := range []string{"s3cr3t", "AAAAAAAA", "BBBBBBBB", "Wechatpay-Signature", "n0nce"} {
		if strings.Contains(out, leak) {
			t.Fatalf("the log holds %q from the request:\n%.2000s", leak, out)
		}
	}
	var lines []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		if len(l) > 1000 {
			t.Fatalf("a %d-byte log line: %.500s", len(l), l)
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("log line %q: %v", l, err)
		}
		if m["msg"] == "wechat pay notification refused" {
			lines = append(lines, m)
		}
	}
	if len(lines) != len(cases)+2 {
		t.Fatalf("%d refusals logged, want %d:\n%s", len(lines), len(cases)+2, out)
	}
	for i, m := range lines {
		reason, _ := m["reason"].(string)
		id, _ := m["request_id"].(string)
		switch {
		case i < len(cases) && (id != "forged-"+strconv.Itoa(i) || !allowed[reason]):
			t.Errorf("%s: logged %v", cases[i].name, m)
		case i == len(cases) && (id != "forged-junk" || !allowed[reason]):
			t.Errorf("unsigned junk: logged %v", m)
		case i == len(cases)+1 && (id != "forged-big" || reason != "body too large"):
			t.Errorf("oversized: logged %v", m)
		}
	}
	// The control: the genuine notification still applies.
	body = genuine.notification(t, "EV-genuine", resource)
	if res := send(t, url, genuine.headers(t, body), body); res.StatusCode != http.StatusNoContent {
		t.Fatalf("genuine notification answered %d", res.StatusCode)
	}
	if status, _ := orderState(t, e, no); status != "paid" {
		t.Fatalf("genuine notification left the order %s", status)
	}
}

// /wechatpay has its own token bucket per client address: a flood from one
// address is answered 429 with Retry-After before anything is verified or
// read, while a notification from another address (WeChat's) still applies.
// The rate is so low (burst 1, one token every 100 s) that which requests
// pass does not depend on timing.
func TestNotificationsAreRateLimitedPerAddress(t *testing.T) {
	e := apptest.Start(t, apptest.WithWebhookRate(0.01), apptest.WithRateLimits(0, 0, "127.0.0.1"))
	no, resource, genuine := unpaid(t, e)
	url := e.URL + "/wechatpay/notify/transactions"

	const flood = 12
	var wg sync.WaitGroup
	statuses := make(chan *http.Response, flood)
	start := make(chan struct{})
	for i := range flood {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			h := http.Header{"X-Forwarded-For": {"2001:db8:1:2::" + strconv.Itoa(i+1)}, "Content-Type": {"application/json"}}
			statuses <- send(t, url, h, []byte(`{"id":"junk"}`))
		}()
	}
	close(start)
	wg.Wait()
	close(statuses)
	var refused, limited int
	for res := range statuses {
		switch res.StatusCode {
		case http.StatusUnauthorized:
			refused++
		case http.StatusTooManyRequests:
			limited++
			if s, err := strconv.Atoi(res.Header.Get("Retry-After")); err != nil || s < 1 {
				t.Errorf("429 with Retry-After %q", res.Header.Get("Retry-After"))
			}
		default:
			t.Errorf("flood answered %d", res.StatusCode)
		}
	}
	// One /64: all twelve addresses share one bucket of one token.
	if refused != 1 || limited != flood-1 {
		t.Fatalf("flood from one /64: %d verified and refused, %d limited; want 1 and %d", refused, limited, flood-1)
	}

	body := genuine.notification(t, "EV-genuine", resource)
	h := genuine.headers(t, body)
	h.Set("X-Forwarded-For", "203.0.113.9")
	if res := send(t, url, h, body); res.StatusCode != http.StatusNoContent {
		t.Fatalf("genuine notification from another address answered %d", res.StatusCode)
	}
	if status, n := orderState(t, e, no); status != "paid" || n != 1 {
		t.Fatalf("genuine notification: order %s, %d notifications", status, n)
	}
	// Its retry from the same address is over the limit: WeChat tries again later.
	if res := send(t, url, h, body); res.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("second notification from that address answered %d", res.StatusCode)
	}
}
