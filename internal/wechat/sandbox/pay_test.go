package sandbox_test

import (
	"context"
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"testing"
	"time"

	"github.com/wechatpay-apiv3/wechatpay-go/core"
	"github.com/wechatpay-apiv3/wechatpay-go/core/option"
	"github.com/wechatpay-apiv3/wechatpay-go/services/payments/jsapi"

	"github.com/kaidian/kaidian/internal/wechat/sandbox"
	"github.com/kaidian/kaidian/internal/wechat/wxpay"
)

// payWorld is the sandbox serving WeChat Pay over HTTP and the official SDK
// client pointed at it, in public-key mode.
type payWorld struct {
	keys   *sandbox.PayKeys
	client *core.Client
	jsapi  jsapi.JsapiApiService
	url    string
}

func newPayWorld(t *testing.T) *payWorld {
	t.Helper()
	keys := payKeys(t)
	_, url := serve(t, keys, nil)
	return &payWorld{keys: keys, url: url, client: sdkClient(t, keys, url, keys.MerchantKey)}
}

// payKeys is a fresh set of WeChat Pay keys in a folder of the test's own.
func payKeys(t *testing.T) *sandbox.PayKeys {
	t.Helper()
	keys, err := sandbox.LoadOrCreatePayKeys(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return keys
}

func sdkClient(t *testing.T, keys *sandbox.PayKeys, base string, signWith *rsa.PrivateKey) *core.Client {
	t.Helper()
	rt, err := wxpay.Redirect(base, nil)
	if err != nil {
		t.Fatal(err)
	}
	c, err := core.NewClient(context.Background(),
		option.WithWechatPayPublicKeyAuthCipher(keys.MchID, keys.MerchantSerial, signWith, keys.PublicKeyID, &keys.PlatformKey.PublicKey),
		option.WithHTTPClient(&http.Client{Timeout: 10 * time.Second, Transport: rt}))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func prepayRequest(keys *sandbox.PayKeys, outTradeNo string, total int64) jsapi.PrepayRequest {
	return jsapi.PrepayRequest{
		Appid: core.String(sandbox.AppID), Mchid: core.String(keys.MchID), Description: core.String("Kaidian 测试订单"),
		OutTradeNo: core.String(outTradeNo), NotifyUrl: core.String("https://shop.example.com/wechatpay/notify/transactions"),
		TimeExpire: core.Time(time.Now().Add(15 * time.Minute)),
		Amount:     &jsapi.Amount{Total: core.Int64(total), Currency: core.String("CNY")},
		Payer:      &jsapi.Payer{Openid: core.String("o-sandbox-alice")},
	}
}

func TestPrepayQueryCloseWithTheOfficialSDK(t *testing.T) {
	w := newPayWorld(t)
	ctx := context.Background()
	svc := jsapi.JsapiApiService{Client: w.client}

	// PrepayWithRequestPayment: the SDK verified the sandbox's signed answer,
	// and signed wx.requestPayment's parameters with the merchant key.
	resp, _, err := svc.PrepayWithRequestPayment(ctx, prepayRequest(w.keys, "2026112200000001", 9900))
	if err != nil {
		t.Fatal(err)
	}
	msg := *resp.Appid + "\n" + *resp.TimeStamp + "\n" + *resp.NonceStr + "\n" + *resp.Package + "\n"
	sig, _ := base64.StdEncoding.DecodeString(*resp.PaySign)
	sum := sha256.Sum256([]byte(msg))
	if rsa.VerifyPKCS1v15(&w.keys.MerchantKey.PublicKey, crypto.SHA256, sum[:], sig) != nil || *resp.SignType != "RSA" {
		t.Fatalf("paySign does not verify: %+v", resp)
	}

	// The same order again gives a fresh prepay_id; other parameters are refused.
	again, _, err := svc.Prepay(ctx, prepayRequest(w.keys, "2026112200000001", 9900))
	if err != nil || *again.PrepayId == *resp.PrepayId {
		t.Fatalf("repeat prepay: %v %v", again, err)
	}
	if _, _, err := svc.Prepay(ctx, prepayRequest(w.keys, "2026112200000001", 100)); !core.IsAPIError(err, "OUT_TRADE_NO_USED") {
		t.Fatalf("changed amount: %v", err)
	}
	bad := prepayRequest(w.keys, "x", 9900)
	if _, _, err := svc.Prepay(ctx, bad); !core.IsAPIError(err, "PARAM_ERROR") {
		t.Fatalf("bad out_trade_no: %v", err)
	}

	tx, _, err := svc.QueryOrderByOutTradeNo(ctx, jsapi.QueryOrderByOutTradeNoRequest{
		OutTradeNo: core.String("2026112200000001"), Mchid: core.String(w.keys.MchID)})
	if err != nil || *tx.TradeState != "NOTPAY" || *tx.Amount.Total != 9900 || *tx.Payer.Openid != "o-sandbox-alice" {
		t.Fatalf("query: %+v %v", tx, err)
	}
	if _, _, err := svc.QueryOrderByOutTradeNo(ctx, jsapi.QueryOrderByOutTradeNoRequest{
		OutTradeNo: core.String("2026112299999999"), Mchid: core.String(w.keys.MchID)}); !core.IsAPIError(err, "ORDER_NOT_EXIST") {
		t.Fatalf("unknown order: %v", err)
	}

	// Close answers a signed 204; the order is closed and cannot be prepaid again.
	if _, err := svc.CloseOrder(ctx, jsapi.CloseOrderRequest{OutTradeNo: core.String("2026112200000001"), Mchid: core.String(w.keys.MchID)}); err != nil {
		t.Fatal(err)
	}
	tx, _, _ = svc.QueryOrderByOutTradeNo(ctx, jsapi.QueryOrderByOutTradeNoRequest{
		OutTradeNo: core.String("2026112200000001"), Mchid: core.String(w.keys.MchID)})
	if *tx.TradeState != "CLOSED" {
		t.Fatalf("after close: %s", *tx.TradeState)
	}
	if _, _, err := svc.Prepay(ctx, prepayRequest(w.keys, "2026112200000001", 9900)); !core.IsAPIError(err, "ORDER_CLOSED") {
		t.Fatalf("prepay a closed order: %v", err)
	}
}

func TestRequestsNotSignedByTheMerchantAreRefused(t *testing.T) {
	w := newPayWorld(t)
	other := payKeys(t)
	forger := jsapi.JsapiApiService{Client: sdkClient(t, w.keys, w.url, other.MerchantKey)}
	_, result, err := forger.Prepay(context.Background(), prepayRequest(w.keys, "2026112200000002", 100))
	if !core.IsAPIError(err, "SIGN_ERROR") || result.Response.StatusCode != http.StatusUnauthorized {
		t.Fatalf("forged request: %v", err)
	}
	res, err := http.Post(w.url+"/v3/pay/transactions/jsapi", "application/json", nil)
	if err != nil || res.StatusCode != http.StatusUnauthorized {
		t.Fatalf("unsigned request: %v %v", res, err)
	}
	res.Body.Close()
}

func TestPayKeysSurviveRestarts(t *testing.T) {
	dir := t.TempDir()
	a, err := sandbox.LoadOrCreatePayKeys(dir)
	if err != nil {
		t.Fatal(err)
	}
	b, err := sandbox.LoadOrCreatePayKeys(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !a.MerchantKey.Equal(b.MerchantKey) || !a.PlatformKey.Equal(b.PlatformKey) || a.APIv3Key != b.APIv3Key ||
		a.MerchantSerial != b.MerchantSerial || len(a.APIv3Key) != 32 ||
		!a.PlatformCert.Equal(b.PlatformCert) || a.PlatformCertSerial != b.PlatformCertSerial {
		t.Fatal("keys changed between loads")
	}
}
