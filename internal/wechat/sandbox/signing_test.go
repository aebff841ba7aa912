package sandbox_test

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/wechatpay-apiv3/wechatpay-go/core"
	"github.com/wechatpay-apiv3/wechatpay-go/services/payments/jsapi"

	"github.com/kaidian/kaidian/internal/wechat/sandbox"
)

// answer is a raw WeChat Pay answer: status, headers and decoded body.
type answer struct {
	status int
	header http.Header
	body   map[string]any
	raw    []byte
}

// signedCall sends method target with body, signed the way any WeChat Pay
// v3 client signs: SHA256withRSA over METHOD\nURI\nTIMESTAMP\nNONCE\nBODY\n,
// URI being the path and query of signedURL, as serial.
func signedCall(t *testing.T, keys *sandbox.PayKeys, serial, method, target, signedURL, body string) answer {
	t.Helper()
	u, err := url.Parse(signedURL)
	if err != nil {
		t.Fatal(err)
	}
	ts, nonce := strconv.FormatInt(time.Now().Unix(), 10), "N"+strconv.FormatInt(time.Now().UnixNano(), 36)
	sum := sha256.Sum256([]byte(method + "\n" + u.RequestURI() + "\n" + ts + "\n" + nonce + "\n" + body + "\n"))
	sig, err := rsa.SignPKCS1v15(rand.Reader, keys.MerchantKey, crypto.SHA256, sum[:])
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest(method, target, strings.NewReader(body))
	req.Header.Set("Authorization", `WECHATPAY2-SHA256-RSA2048 mchid="`+keys.MchID+`",nonce_str="`+nonce+
		`",timestamp="`+ts+`",serial_no="`+serial+`",signature="`+base64.StdEncoding.EncodeToString(sig)+`"`)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	a := answer{status: res.StatusCode, header: res.Header}
	a.raw, _ = io.ReadAll(res.Body)
	json.Unmarshal(a.raw, &a.body)
	return a
}

// verifiesAsWeChat reports whether a carries a platform signature over its body.
func verifiesAsWeChat(keys *sandbox.PayKeys, a answer) bool {
	sig, err := base64.StdEncoding.DecodeString(a.header.Get("Wechatpay-Signature"))
	if err != nil || len(sig) == 0 {
		return false
	}
	sum := sha256.Sum256([]byte(a.header.Get("Wechatpay-Timestamp") + "\n" + a.header.Get("Wechatpay-Nonce") + "\n" + string(a.raw) + "\n"))
	return rsa.VerifyPKCS1v15(&keys.PlatformKey.PublicKey, crypto.SHA256, sum[:], sig) == nil
}

// A client pointed at http://host/sandbox/ signs the path it requests,
// /sandbox/v3/...; one that rewrites WeChat's URL signs /v3/...: both are
// the merchant, both are answered. A signature over another path is not.
func TestSignaturesOverTheRequestedPathOrTheWeChatPathVerify(t *testing.T) {
	keys := payKeys(t)
	_, base := serve(t, keys, nil)
	target := base + "/v3/pay/transactions/out-trade-no/2026112200000401?mchid=" + keys.MchID
	full := signedCall(t, keys, keys.MerchantSerial, "GET", target, target, "")
	if full.status != http.StatusNotFound || full.body["code"] != "ORDER_NOT_EXIST" || !verifiesAsWeChat(keys, full) {
		t.Fatalf("signed over the full path: %d %s", full.status, full.raw)
	}
	short := signedCall(t, keys, keys.MerchantSerial, "GET", target,
		"https://api.mch.weixin.qq.com/v3/pay/transactions/out-trade-no/2026112200000401?mchid="+keys.MchID, "")
	if short.status != http.StatusNotFound || short.body["code"] != "ORDER_NOT_EXIST" {
		t.Fatalf("signed over the WeChat path: %d %s", short.status, short.raw)
	}
	for _, other := range []string{
		base + "/v3/pay/transactions/out-trade-no/2026112200000402?mchid=" + keys.MchID,                    // another order
		"https://api.mch.weixin.qq.com/pay/transactions/out-trade-no/2026112200000401?mchid=" + keys.MchID, // part of the prefix
	} {
		if a := signedCall(t, keys, keys.MerchantSerial, "GET", target, other, ""); a.status != http.StatusUnauthorized {
			t.Fatalf("signed over %s: %d %s", other, a.status, a.raw)
		}
	}
}

// `kaidian sandbox` also serves WeChat Pay at /v3 of its root: the official
// SDK with nothing but its base URL changed pays there.
func TestWeChatPayAtTheRootWithTheOfficialSDK(t *testing.T) {
	keys := payKeys(t)
	_, base := serve(t, keys, nil)
	root := strings.TrimSuffix(base, "/sandbox")
	svc := jsapi.JsapiApiService{Client: sdkClient(t, keys, root, keys.MerchantKey)}
	if _, _, err := svc.Prepay(context.Background(), prepayRequest(keys, "2026112200000403", 100)); err != nil {
		t.Fatalf("prepay at the root: %v", err)
	}
	tx, _, err := svc.QueryOrderByOutTradeNo(context.Background(), jsapi.QueryOrderByOutTradeNoRequest{
		OutTradeNo: core.String("2026112200000403"), Mchid: core.String(keys.MchID)})
	if err != nil || *tx.TradeState != "NOTPAY" {
		t.Fatalf("query at the root: %+v %v", tx, err)
	}
}

// WeChat signs only answers to requests whose signature verified: a
// SIGN_ERROR carries no Wechatpay-* headers (so it cannot be used to obtain
// platform signatures), while an answer to the merchant is signed.
func TestSignErrorAnswersAreUnsigned(t *testing.T) {
	keys := payKeys(t)
	_, base := serve(t, keys, nil)
	target := base + "/v3/pay/transactions/out-trade-no/2026112200000404?mchid=" + keys.MchID
	for name, a := range map[string]answer{
		"wrong serial": signedCall(t, keys, "0123456789ABCDEF", "GET", target, target, ""),
		"wrong path":   signedCall(t, keys, keys.MerchantSerial, "GET", target, target+"0", ""),
	} {
		if a.status != http.StatusUnauthorized || a.body["code"] != "SIGN_ERROR" {
			t.Fatalf("%s: %d %s", name, a.status, a.raw)
		}
		for _, h := range []string{"Wechatpay-Signature", "Wechatpay-Serial", "Wechatpay-Timestamp", "Wechatpay-Nonce"} {
			if a.header.Get(h) != "" {
				t.Errorf("%s: SIGN_ERROR carries %s", name, h)
			}
		}
		if a.header.Get("Request-ID") == "" {
			t.Errorf("%s: no Request-ID", name)
		}
	}
	res, err := http.Get(target)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusUnauthorized || res.Header.Get("Wechatpay-Signature") != "" {
		t.Fatalf("no Authorization: %d, signature %q", res.StatusCode, res.Header.Get("Wechatpay-Signature"))
	}
	if ok := signedCall(t, keys, keys.MerchantSerial, "GET", target, target, ""); !verifiesAsWeChat(keys, ok) {
		t.Fatalf("the merchant's own request got an unsigned answer: %d %s", ok.status, ok.raw)
	}
}

// merchant_serial.txt is written in upper case, as WeChat writes serials,
// and a file an earlier version wrote in lower case keeps working for a
// tool that sends the serial as the file has it.
func TestMerchantSerialFileWorksAsWritten(t *testing.T) {
	dir := t.TempDir()
	keys, err := sandbox.LoadOrCreatePayKeys(dir)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "sandbox", "merchant_serial.txt")
	written, err := os.ReadFile(path)
	if err != nil || !regexp.MustCompile(`^[0-9A-F]{40}$`).Match(written) {
		t.Fatalf("merchant_serial.txt holds %q (%v), want 40 upper-case hex digits", written, err)
	}
	if err := os.WriteFile(path, []byte(strings.ToLower(string(written))+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if keys, err = sandbox.LoadOrCreatePayKeys(dir); err != nil {
		t.Fatal(err)
	}
	_, base := serve(t, keys, nil)
	lower, _ := os.ReadFile(path)
	target := base + "/v3/pay/transactions/out-trade-no/2026112200000405?mchid=" + keys.MchID
	if a := signedCall(t, keys, strings.TrimSpace(string(lower)), "GET", target, target, ""); a.status != http.StatusNotFound || a.body["code"] != "ORDER_NOT_EXIST" {
		t.Fatalf("serial as the old file has it: %d %s", a.status, a.raw)
	}
}
