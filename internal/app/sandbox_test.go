package app_test

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/wechatpay-apiv3/wechatpay-go/core"
	"github.com/wechatpay-apiv3/wechatpay-go/core/option"
	"github.com/wechatpay-apiv3/wechatpay-go/services/payments/jsapi"

	"github.com/kaidian/kaidian/internal/app"
	"github.com/kaidian/kaidian/internal/config"
	"github.com/kaidian/kaidian/internal/wechat/sandbox"
	"github.com/kaidian/kaidian/internal/wechat/wxpay"
)

// startSandbox runs `kaidian sandbox` on a free port until the test ends and
// returns its URL once it answers.
func startSandbox(t *testing.T, cfg config.Config) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- app.ServeSandbox(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), ln) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Error(err)
		}
	})
	base := "http://" + ln.Addr().String()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if res, err := http.Get(base + "/healthz"); err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return base
			}
		}
	}
	t.Fatal("the sandbox did not start")
	return ""
}

// `kaidian sandbox` serves WeChat Pay at the root of its port, so a client
// needs only its base URL and the key files under KAIDIAN_DATA_DIR/sandbox.
func TestStandaloneSandboxServesWeChatPayAtTheRoot(t *testing.T) {
	cfg := config.Config{DataDir: t.TempDir(), ShutdownTimeout: time.Second, MaxBodyBytes: 1 << 20}
	base := startSandbox(t, cfg)
	keys, err := sandbox.LoadOrCreatePayKeys(cfg.DataDir)
	if err != nil {
		t.Fatal(err)
	}
	rt, err := wxpay.Redirect(base, nil)
	if err != nil {
		t.Fatal(err)
	}
	client, err := core.NewClient(context.Background(),
		option.WithWechatPayPublicKeyAuthCipher(keys.MchID, keys.MerchantSerial, keys.MerchantKey, keys.PublicKeyID, &keys.PlatformKey.PublicKey),
		option.WithHTTPClient(&http.Client{Timeout: 10 * time.Second, Transport: rt}))
	if err != nil {
		t.Fatal(err)
	}
	svc := jsapi.JsapiApiService{Client: client}
	resp, _, err := svc.Prepay(context.Background(), jsapi.PrepayRequest{
		Appid: core.String(sandbox.AppID), Mchid: core.String(keys.MchID), Description: core.String("root"),
		OutTradeNo: core.String("2026112200000501"), NotifyUrl: core.String("https://shop.example.com/notify"),
		Amount: &jsapi.Amount{Total: core.Int64(100)}, Payer: &jsapi.Payer{Openid: core.String("o-root")}})
	if err != nil || resp.PrepayId == nil {
		t.Fatalf("prepay at %s/v3: %v", base, err)
	}
}

// Header blocks far beyond anything WeChat Pay sends are refused before
// any handler runs.
func TestStandaloneSandboxCapsHeaderSize(t *testing.T) {
	base := startSandbox(t, config.Config{DataDir: t.TempDir(), ShutdownTimeout: time.Second, MaxBodyBytes: 1 << 20})
	req, _ := http.NewRequest("GET", base+"/healthz", nil)
	req.Header.Set("X-Padding", strings.Repeat("a", 200<<10))
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
		t.Fatalf("200 KiB of headers: %d", res.StatusCode)
	}
}

// `kaidian sandbox` limits each client, and a client cannot escape its
// limit by naming another address in X-Forwarded-For.
func TestStandaloneSandboxLimitsEachClient(t *testing.T) {
	base := startSandbox(t, config.Config{DataDir: t.TempDir(), ShutdownTimeout: time.Second, MaxBodyBytes: 1 << 20,
		SandboxRate: 0.001}) // one request, then none for a thousand seconds
	login := func(forwardedFor string) int {
		req, _ := http.NewRequest("POST", base+"/sandbox/wx/login", strings.NewReader(`{"user":"erin"}`))
		req.Header.Set("Content-Type", "application/json")
		if forwardedFor != "" {
			req.Header.Set("X-Forwarded-For", forwardedFor)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	if got := login(""); got != http.StatusOK {
		t.Fatalf("first login: %d", got)
	}
	if got := login("203.0.113.9"); got != http.StatusTooManyRequests {
		t.Fatalf("second login with a forged X-Forwarded-For: %d", got)
	}
}
