package wxpay_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/database/dbtest"
	"github.com/kaidian/kaidian/internal/wechat/sandbox"
	"github.com/kaidian/kaidian/internal/wechat/wxpay"
)

// sandboxPay serves a sandbox's WeChat Pay, signing in certificate mode,
// with fresh keys under the sandbox's merchant id. While certsDown is set,
// /v3/certificates answers 503.
type sandboxPay struct {
	keys      *sandbox.PayKeys
	base      string
	certsDown atomic.Bool
}

func serveSandbox(t *testing.T) *sandboxPay {
	t.Helper()
	keys, err := sandbox.LoadOrCreatePayKeys(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	gin.SetMode(gin.ReleaseMode)
	sb := sandbox.New(dbtest.Open(t), slog.New(slog.NewTextHandler(io.Discard, nil)))
	sb.EnablePay(keys)
	sb.SetPayMode(sandbox.CertificateMode)
	sb.SetRetryScale(0.001)
	r := gin.New()
	sb.Mount(r.Group("/sandbox"))
	s := &sandboxPay{keys: keys}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if s.certsDown.Load() && strings.HasSuffix(req.URL.Path, "/v3/certificates") {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		r.ServeHTTP(w, req)
	}))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { sb.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done; srv.Close() })
	s.base = srv.URL + "/sandbox"
	return s
}

// client is Kaidian's client for this sandbox, with no public key: certificate mode.
func (s *sandboxPay) client(t *testing.T) *wxpay.Client {
	t.Helper()
	c, err := wxpay.New(context.Background(), wxpay.Config{AppID: sandbox.AppID, MchID: s.keys.MchID,
		MchSerial: s.keys.MerchantSerial, MchKey: s.keys.MerchantKey, APIv3Key: s.keys.APIv3Key, BaseURL: s.base})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Stop)
	return c
}

func prepayInput(outTradeNo, notifyURL string) wxpay.PrepayInput {
	return wxpay.PrepayInput{OutTradeNo: outTradeNo, Description: "Kaidian 测试订单", OpenID: "o-sandbox-alice",
		NotifyURL: notifyURL, Amount: 2990, ExpiresAt: time.Now().Add(15 * time.Minute).Truncate(time.Second)}
}

func prepay(t *testing.T, c *wxpay.Client, outTradeNo, notifyURL string) wxpay.RequestPayment {
	t.Helper()
	rp, err := c.Prepay(context.Background(), prepayInput(outTradeNo, notifyURL))
	if err != nil {
		t.Fatalf("prepay %s: %v", outTradeNo, err)
	}
	return rp
}

func TestCertificateModePaysAndVerifiesNotifications(t *testing.T) {
	s := serveSandbox(t)
	c := s.client(t)
	got := make(chan wxpay.Notification, 1)
	shop := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n, err := c.ParseTransaction(r)
		if err != nil {
			t.Errorf("notification refused: %v", err)
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		got <- n
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(shop.Close)

	rp := prepay(t, c, "2026112200000040", shop.URL+"/wechatpay/notify/transactions")
	tx, err := c.Query(context.Background(), "2026112200000040")
	if err != nil || *tx.TradeState != "NOTPAY" {
		t.Fatalf("query: %v %v", tx, err)
	}
	res, err := http.Post(s.base+"/wxpay/pay", "application/json",
		strings.NewReader(`{"prepay_id":"`+rp.PrepayID+`","result":"success"}`))
	if err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("simulate pay: %v %v", res, err)
	}
	res.Body.Close()
	select {
	case n := <-got:
		if n.EventType != "TRANSACTION.SUCCESS" || *n.Transaction.OutTradeNo != "2026112200000040" || *n.Transaction.TradeState != "SUCCESS" {
			t.Fatalf("notification %+v", n)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no notification")
	}
}

// The SDK's global downloader manager keeps one downloader per merchant id,
// so the second of two clients sharing an id would verify with the first
// one's certificates. Each client has its own manager instead.
func TestClientsWithOneMerchantIDKeepTheirOwnCertificates(t *testing.T) {
	a, b := serveSandbox(t), serveSandbox(t)
	if a.keys.MchID != b.keys.MchID || a.keys.PlatformCertSerial == b.keys.PlatformCertSerial {
		t.Fatal("want one merchant id, two certificates")
	}
	ca, cb := a.client(t), b.client(t)
	prepay(t, ca, "2026112200000041", "https://shop.example.com/notify")
	prepay(t, cb, "2026112200000042", "https://shop.example.com/notify")
	if _, err := cb.Query(context.Background(), "2026112200000042"); err != nil {
		t.Fatal(err)
	}
	if _, err := ca.Query(context.Background(), "2026112200000041"); err != nil {
		t.Fatal(err)
	}
}

// New calls nobody (in sandbox mode WeChat is the process being built); the
// certificates come with the first call, which reports a failed download
// as such, and the next call tries again.
func TestCertificatesAreDownloadedOnFirstUse(t *testing.T) {
	s := serveSandbox(t)
	s.certsDown.Store(true)
	c := s.client(t)
	in := prepayInput("2026112200000043", "https://shop.example.com/notify")
	if _, err := c.Prepay(context.Background(), in); err == nil || !strings.Contains(err.Error(), "download platform certificates") {
		t.Fatalf("prepay without certificates: %v", err)
	}
	s.certsDown.Store(false)
	if _, err := c.Prepay(context.Background(), in); err != nil {
		t.Fatalf("prepay once they can be had: %v", err)
	}
}
