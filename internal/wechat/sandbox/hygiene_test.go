package sandbox_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wechatpay-apiv3/wechatpay-go/core"
	"github.com/wechatpay-apiv3/wechatpay-go/services/payments/jsapi"

	"github.com/kaidian/kaidian/internal/wechat/miniprogram"
	"github.com/kaidian/kaidian/internal/wechat/sandbox"
)

// Each client address has a budget on every sandbox route, and is refused
// over it as the route's real counterpart refuses.
func TestSandboxLimitsEachClient(t *testing.T) {
	keys := payKeys(t)
	// One request, then none for a thousand seconds.
	_, base := serve(t, keys, func(sb *sandbox.Server) { sb.SetRateLimit(0.001) })
	if _, err := postJSON(base+"/wx/login", `{"user":"alice"}`); err != nil {
		t.Fatalf("first request: %v", err)
	}
	res, err := http.Post(base+"/wx/login", "application/json", strings.NewReader(`{"user":"alice"}`))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusTooManyRequests || res.Header.Get("Retry-After") == "" {
		t.Fatalf("second login: %d", res.StatusCode)
	}
	url := base + "/v3/pay/transactions/out-trade-no/2026112200000901?mchid=" + keys.MchID
	a := signedCall(t, keys, keys.MerchantSerial, "GET", url, url, "")
	if a.status != http.StatusTooManyRequests || a.body["code"] != "FREQUENCY_LIMITED" || a.header.Get("Wechatpay-Signature") != "" {
		t.Fatalf("WeChat Pay over the limit: %d %s", a.status, a.raw)
	}
	_, err = miniprogram.New(base, sandbox.AppID, sandbox.AppSecret, nil).Code2Session(context.Background(), "any")
	if errcode(err) != 45011 {
		t.Fatalf("code2Session over the limit: %v", err)
	}
}

// Expired login codes, used or not, are deleted; fresh ones, and spent ones
// whose reuse must still answer 40163, are kept.
func TestExpiredLoginCodesArePruned(t *testing.T) {
	sb, base := newSandbox(t)
	ctx := context.Background()
	client := miniprogram.New(base, sandbox.AppID, sandbox.AppSecret, nil)
	spent := code(t, base, `{"user":"alice"}`)
	if _, err := client.Code2Session(ctx, spent); err != nil {
		t.Fatal(err)
	}
	code(t, base, `{"user":"bob"}`) // never exchanged
	if n, err := sb.PruneLoginCodes(ctx); err != nil || n != 0 {
		t.Fatalf("pruned %d fresh codes (%v)", n, err)
	}
	if _, err := client.Code2Session(ctx, spent); errcode(err) != 40163 {
		t.Fatalf("spent code after pruning: %v", err)
	}

	later := time.Now().UTC().Add(sandbox.CodeLifetime)
	sb.SetClock(func() time.Time { return later })
	fresh := code(t, base, `{"user":"carol"}`)
	if n, err := sb.PruneLoginCodes(ctx); err != nil || n != 2 {
		t.Fatalf("pruned %d expired codes, want 2 (%v)", n, err)
	}
	if _, err := client.Code2Session(ctx, fresh); err != nil {
		t.Fatalf("a fresh code was pruned: %v", err)
	}
}

// A redelivery of many copies has at most RedeliverWorkers in flight, and
// still reports every copy.
func TestRedeliveryIsBounded(t *testing.T) {
	keys := payKeys(t)
	var inFlight, most atomic.Int64
	var holding atomic.Bool // only the redelivered copies are held
	var full, over sync.Once
	gate, overflow := make(chan struct{}), make(chan struct{})
	shop := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !holding.Load() {
			w.WriteHeader(http.StatusNoContent)
			return
		}
		n := inFlight.Add(1)
		for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
		}
		// Hold every copy until a full pool's worth is in flight, then give
		// an unbounded fan-out a moment to show itself as one copy more
		// before letting them all go. A bounded pool passes however long
		// that moment is: its next copy waits for one to be answered.
		if n > sandbox.RedeliverWorkers {
			over.Do(func() { close(overflow) })
		}
		if n == sandbox.RedeliverWorkers {
			full.Do(func() {
				go func() {
					select {
					case <-overflow:
					case <-time.After(300 * time.Millisecond):
					}
					close(gate)
				}()
			})
		}
		<-gate
		inFlight.Add(-1)
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(shop.Close)
	_, base := serve(t, keys, nil)
	svc := jsapi.JsapiApiService{Client: sdkClient(t, keys, base, keys.MerchantKey)}
	req := prepayRequest(keys, "2026112200000902", 100)
	req.NotifyUrl = core.String(shop.URL + "/notify")
	resp, _, err := svc.Prepay(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	payPrepay(t, base, *resp.PrepayId)
	var list struct {
		Items []struct {
			ID        string `json:"id"`
			Delivered bool   `json:"delivered"`
		} `json:"items"`
	}
	for deadline := time.Now().Add(10 * time.Second); list.Items == nil || !list.Items[0].Delivered; {
		if time.Now().After(deadline) {
			t.Fatal("the payment notification was not delivered")
		}
		res, err := http.Get(base + "/wxpay/notifications")
		if err != nil {
			t.Fatal(err)
		}
		json.NewDecoder(res.Body).Decode(&list)
		res.Body.Close()
		if len(list.Items) == 0 {
			list.Items = nil
		}
		time.Sleep(10 * time.Millisecond)
	}
	holding.Store(true)

	const times = 300
	out, err := postJSON(base+"/wxpay/notifications/"+list.Items[0].ID+"/redeliver", `{"times":300}`)
	if err != nil {
		t.Fatal(err)
	}
	statuses, _ := out["statuses"].([]any)
	if len(statuses) != times || out["per_second"].(float64) <= 0 || out["max_ms"].(float64) < out["p50_ms"].(float64) {
		t.Fatalf("report: %v", out)
	}
	for _, s := range statuses {
		if s.(float64) != http.StatusNoContent {
			t.Fatalf("a copy was answered %v", s)
		}
	}
	if got := most.Load(); got != sandbox.RedeliverWorkers {
		t.Fatalf("%d copies in flight at once, want the pool's %d", got, sandbox.RedeliverWorkers)
	}
}
