package app_test

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kaidian/kaidian/internal/app/apptest"
	"github.com/kaidian/kaidian/internal/config"
	"github.com/kaidian/kaidian/internal/wechat/sandbox"
)

// modeShop is a running Kaidian with a shopper and a SKU, for opening and
// paying orders while the sandbox changes how it signs.
type modeShop struct {
	e    *apptest.Env
	keys *sandbox.PayKeys
	tok  string
	addr any
	sku  int64
}

func newModeShop(t *testing.T, opts ...apptest.Option) *modeShop {
	t.Helper()
	e := apptest.Start(t, opts...)
	keys, err := sandbox.LoadOrCreatePayKeys(e.App.Config.DataDir)
	if err != nil {
		t.Fatal(err)
	}
	s := &modeShop{e: e, keys: keys, tok: e.Login("dora"), sku: e.Product(t, apptest.SKU{Price: 1990, Stock: 10}).SKUs[0].ID}
	s.addr = e.Post("/api/v1/addresses", s.tok, map[string]any{"name": "张三", "phone": "13800138000",
		"province": "广东省", "city": "深圳市", "district": "南山区", "detail": "科技园 1 号"}).JSON(t)["id"]
	return s
}

// signIn switches the sandbox's signing mode at run time, as WeChat does
// while moving a merchant to the public key, and checks it took.
func (s *modeShop) signIn(t *testing.T, mode sandbox.PayMode) {
	t.Helper()
	if r := s.e.Post("/sandbox/wxpay/mode", "", map[string]any{"mode": mode}); r.Status != http.StatusOK {
		t.Fatalf("switch to %s: %d %s", mode, r.Status, r.Body)
	}
	want := s.keys.PublicKeyID
	if mode == sandbox.CertificateMode {
		want = s.keys.PlatformCertSerial
	}
	if got := signedAs(t, s.e, s.keys); got != want {
		t.Fatalf("in %s mode the sandbox signs as %q, want %q", mode, got, want)
	}
}

// order places an unpaid order and returns its number.
func (s *modeShop) order(t *testing.T) string {
	t.Helper()
	r := s.e.Post("/api/v1/orders", s.tok, map[string]any{"items": []map[string]any{{"sku_id": s.sku, "quantity": 1}}, "address_id": s.addr})
	if r.Status != http.StatusCreated {
		t.Fatalf("order: %d %s", r.Status, r.Body)
	}
	return r.JSON(t)["order_no"].(string)
}

// open opens the order's payment: WeChat's signed answer must verify.
func (s *modeShop) open(t *testing.T, no string) *apptest.Response {
	t.Helper()
	return s.e.Post("/api/v1/orders/"+no+"/pay", s.tok, nil)
}

// payAtWeChat is the shopper paying; the sandbox then notifies Kaidian.
func (s *modeShop) payAtWeChat(t *testing.T, opened *apptest.Response) {
	t.Helper()
	if opened.Status != http.StatusOK {
		t.Fatalf("pay: %d %s", opened.Status, opened.Body)
	}
	prepayID := strings.TrimPrefix(opened.JSON(t)["package"].(string), "prepay_id=")
	if r := s.e.Post("/sandbox/wxpay/pay", "", map[string]any{"prepay_id": prepayID, "result": "success"}); r.Status != http.StatusOK {
		t.Fatalf("sandbox pay: %d %s", r.Status, r.Body)
	}
}

// notified waits for the order's payment notification to be answered and
// returns the status Kaidian answered it with.
func (s *modeShop) notified(t *testing.T, no string) int {
	t.Helper()
	db := s.e.App.DB.Conn(context.Background())
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		var status int
		db.Raw("SELECT last_status FROM sandbox_notifications WHERE out_trade_no = ? AND event_type = 'TRANSACTION.SUCCESS'", no).Scan(&status)
		if status != 0 {
			return status
		}
		if time.Now().After(deadline) {
			t.Fatalf("no notification for %s was answered", no)
		}
	}
}

// paidByNotification checks the order was paid by WeChat's notification
// itself, not by the query fallback.
func (s *modeShop) paidByNotification(t *testing.T, no string) {
	t.Helper()
	if status := s.notified(t, no); status != http.StatusNoContent {
		t.Fatalf("notification for %s answered %d", no, status)
	}
	var applied int64
	s.e.App.DB.Conn(context.Background()).Raw(`SELECT COUNT(*) FROM payment_notifications
		WHERE out_trade_no = ? AND event_type = 'TRANSACTION.SUCCESS' AND outcome = 'applied'`, no).Scan(&applied)
	if applied != 1 || s.e.Get("/api/v1/orders/"+no, s.tok).JSON(t)["status"] != "paid" {
		t.Fatalf("order %s: %d notifications applied", no, applied)
	}
}

// While WeChat moves the merchant from platform certificates to the public
// key (public key configured, KAIDIAN_WECHATPAY_PLATFORM_CERTS=auto),
// answers and notifications come under either, and both verify.
func TestMigrationModeVerifiesBothSignatures(t *testing.T) {
	s := newModeShop(t, func(c *config.Config) { c.PayPlatformCerts = config.PlatformCertsAuto })
	if r := s.e.Post("/sandbox/wxpay/mode", "", map[string]any{"mode": "both"}); r.Status != http.StatusBadRequest {
		t.Fatalf("unknown mode: %d %s", r.Status, r.Body)
	}

	// Opened under the public key, notified under the certificate.
	first := s.order(t)
	opened := s.open(t, first)
	s.signIn(t, sandbox.CertificateMode)
	s.payAtWeChat(t, opened)
	s.paidByNotification(t, first)

	// Opened under the certificate, notified under the public key.
	second := s.order(t)
	opened = s.open(t, second)
	s.signIn(t, sandbox.PublicKeyMode)
	s.payAtWeChat(t, opened)
	s.paidByNotification(t, second)

	// The serial only picks the key: a notification signed with any other
	// key is refused whatever serial it names.
	forger, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	for _, serial := range []string{s.keys.PublicKeyID, s.keys.PlatformCertSerial, "PUB_KEY_ID_0119000000012026112200000000000099", "0123ABCD"} {
		if status := forged(t, s.e, forger, serial); status != http.StatusUnauthorized {
			t.Fatalf("forged notification under %s answered %d", serial, status)
		}
	}
}

// forged posts a payment notification signed with key under serial.
func forged(t *testing.T, e *apptest.Env, key *rsa.PrivateKey, serial string) int {
	t.Helper()
	body := `{"id":"EV-forged","create_time":"2026-12-06T10:00:00+08:00","resource_type":"encrypt-resource","event_type":"TRANSACTION.SUCCESS",` +
		`"resource":{"algorithm":"AEAD_AES_256_GCM","ciphertext":"AAAA","nonce":"abcdefghijkl","associated_data":"transaction"}}`
	ts, nonce := strconv.FormatInt(time.Now().Unix(), 10), "forgednonce"
	sum := sha256.Sum256([]byte(ts + "\n" + nonce + "\n" + body + "\n"))
	sig, err := rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, sum[:])
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest(http.MethodPost, e.URL+"/wechatpay/notify/transactions", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Wechatpay-Timestamp", ts)
	req.Header.Set("Wechatpay-Nonce", nonce)
	req.Header.Set("Wechatpay-Serial", serial)
	req.Header.Set("Wechatpay-Signature", base64.StdEncoding.EncodeToString(sig))
	req.Header.Set("Wechatpay-Signature-Type", "WECHATPAY2-SHA256-RSA2048")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res.StatusCode
}

// With only one of the two configured, a message signed under the other is
// still refused: the notification with 401 (WeChat retries; the query
// fallback finds the payment), the answer as WeChat Pay unavailable.
func TestOneSignatureModeRefusesTheOther(t *testing.T) {
	for _, tc := range []struct{ configured, other sandbox.PayMode }{
		{sandbox.PublicKeyMode, sandbox.CertificateMode},
		{sandbox.CertificateMode, sandbox.PublicKeyMode},
	} {
		t.Run(string(tc.configured), func(t *testing.T) {
			s := newModeShop(t, func(c *config.Config) { c.SandboxPayMode = string(tc.configured) })
			no := s.order(t)
			opened := s.open(t, no)
			s.signIn(t, tc.other)
			s.payAtWeChat(t, opened)
			if status := s.notified(t, no); status != http.StatusUnauthorized {
				t.Fatalf("notification under the other name answered %d", status)
			}
			if st := s.e.Get("/api/v1/orders/"+no, s.tok).JSON(t)["status"]; st != "pending_payment" {
				t.Fatalf("order is %v", st)
			}
			if r := s.open(t, s.order(t)); r.Status != http.StatusServiceUnavailable || r.ErrorCode() != "wechatpay_unavailable" {
				t.Fatalf("answer under the other name: %d %s", r.Status, r.Body)
			}
		})
	}
}
