package app_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/wechatpay-apiv3/wechatpay-go/core"
	"github.com/wechatpay-apiv3/wechatpay-go/core/option"

	"github.com/kaidian/kaidian/internal/app/apptest"
	"github.com/kaidian/kaidian/internal/config"
	"github.com/kaidian/kaidian/internal/wechat/sandbox"
	"github.com/kaidian/kaidian/internal/wechat/wxpay"
)

// With KAIDIAN_SANDBOX_PAY_MODE=certificate the sandbox signs as its
// platform certificate, so the payment loop only closes if Kaidian's client
// downloaded that certificate from the sandbox and verifies with it.
func TestPayInPlatformCertificateMode(t *testing.T) {
	e := apptest.Start(t, func(c *config.Config) { c.SandboxPayMode = config.SandboxPayCertificate })
	keys, err := sandbox.LoadOrCreatePayKeys(e.App.Config.DataDir)
	if err != nil {
		t.Fatal(err)
	}
	if serial := signedAs(t, e, keys); serial != keys.PlatformCertSerial {
		t.Fatalf("the sandbox signs as %q, not its certificate %q", serial, keys.PlatformCertSerial)
	}

	sku := e.Product(t, apptest.SKU{Price: 1990, Stock: 2}).SKUs[0].ID
	tok := e.Login("carol")
	addr := e.Post("/api/v1/addresses", tok, map[string]any{"name": "张三", "phone": "13800138000",
		"province": "广东省", "city": "深圳市", "district": "南山区", "detail": "科技园 1 号"}).JSON(t)["id"]
	r := e.Post("/api/v1/orders", tok, map[string]any{"items": []map[string]any{{"sku_id": sku, "quantity": 1}}, "address_id": addr})
	if r.Status != http.StatusCreated {
		t.Fatalf("order: %d %s", r.Status, r.Body)
	}
	no := r.JSON(t)["order_no"].(string)
	r = e.Post("/api/v1/orders/"+no+"/pay", tok, nil)
	if r.Status != http.StatusOK {
		t.Fatalf("pay: %d %s", r.Status, r.Body)
	}
	prepayID := strings.TrimPrefix(r.JSON(t)["package"].(string), "prepay_id=")
	if r := e.Post("/sandbox/wxpay/pay", "", map[string]any{"prepay_id": prepayID, "result": "success"}); r.Status != http.StatusOK {
		t.Fatalf("sandbox pay: %d %s", r.Status, r.Body)
	}
	for deadline := time.Now().Add(20 * time.Second); e.Get("/api/v1/orders/"+no, tok).JSON(t)["status"] != "paid"; time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("order %s never became paid", no)
		}
	}
}

// signedAs asks the app's sandbox for its certificates as the merchant and
// returns the Wechatpay-Serial its answer is signed under.
func signedAs(t *testing.T, e *apptest.Env, keys *sandbox.PayKeys) string {
	t.Helper()
	rt, err := wxpay.Redirect(e.URL+"/sandbox", nil)
	if err != nil {
		t.Fatal(err)
	}
	c, err := core.NewClient(context.Background(), option.WithMerchantCredential(keys.MchID, keys.MerchantSerial, keys.MerchantKey),
		option.WithoutValidator(), option.WithHTTPClient(&http.Client{Timeout: 10 * time.Second, Transport: rt}))
	if err != nil {
		t.Fatal(err)
	}
	res, err := c.Get(context.Background(), "https://api.mch.weixin.qq.com/v3/certificates")
	if err != nil {
		t.Fatal(err)
	}
	res.Response.Body.Close()
	return res.Response.Header.Get("Wechatpay-Serial")
}
