package sandbox_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/wechatpay-apiv3/wechatpay-go/core"
	"github.com/wechatpay-apiv3/wechatpay-go/core/auth/verifiers"
	"github.com/wechatpay-apiv3/wechatpay-go/core/downloader"
	"github.com/wechatpay-apiv3/wechatpay-go/core/option"
	"github.com/wechatpay-apiv3/wechatpay-go/services/payments/jsapi"
	"github.com/wechatpay-apiv3/wechatpay-go/utils"

	"github.com/kaidian/kaidian/internal/wechat/sandbox"
	"github.com/kaidian/kaidian/internal/wechat/wxpay"
)

// certWorld is the official SDK in platform-certificate mode pointed at a
// sandbox: download signs as the merchant and checks nothing (the SDK's
// first download), mgr holds the certificates it fetched, client verifies
// answers with them.
type certWorld struct {
	download *core.Client
	mgr      *downloader.CertificateDownloaderMgr
	client   *core.Client
}

func newCertWorld(t *testing.T, keys *sandbox.PayKeys, base string) *certWorld {
	t.Helper()
	ctx := context.Background()
	rt, err := wxpay.Redirect(base, nil)
	if err != nil {
		t.Fatal(err)
	}
	hc := &http.Client{Timeout: 10 * time.Second, Transport: rt}
	w := &certWorld{mgr: downloader.NewCertificateDownloaderMgr(ctx)}
	t.Cleanup(w.mgr.Stop)
	if w.download, err = core.NewClient(ctx, option.WithMerchantCredential(keys.MchID, keys.MerchantSerial, keys.MerchantKey),
		option.WithoutValidator(), option.WithHTTPClient(hc)); err != nil {
		t.Fatal(err)
	}
	if err := w.mgr.RegisterDownloaderWithClient(ctx, w.download, keys.MchID, keys.APIv3Key); err != nil {
		t.Fatalf("download certificates: %v", err)
	}
	if w.client, err = core.NewClient(ctx, option.WithHTTPClient(hc),
		option.WithWechatPayAutoAuthCipherUsingDownloaderMgr(keys.MchID, keys.MerchantSerial, keys.MerchantKey, w.mgr)); err != nil {
		t.Fatal(err)
	}
	return w
}

func certificateMode(sb *sandbox.Server) { sb.SetPayMode(sandbox.CertificateMode) }

func keysOf(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func TestCertificatesAreServedInWeChatsShape(t *testing.T) {
	keys := payKeys(t)
	_, base := serve(t, keys, certificateMode)
	w := newCertWorld(t, keys, base)
	ctx := context.Background()

	if !regexp.MustCompile(`^[0-9A-F]{40}$`).MatchString(keys.PlatformCertSerial) {
		t.Fatalf("serial %q is not 40 upper-case hex digits", keys.PlatformCertSerial)
	}
	res, err := w.download.Get(ctx, "https://api.mch.weixin.qq.com/v3/certificates")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Response.Body)
	if got := res.Response.Header.Get("Wechatpay-Serial"); got != keys.PlatformCertSerial {
		t.Fatalf("signed as %q, want the certificate serial %q", got, keys.PlatformCertSerial)
	}
	var answer map[string][]map[string]any
	if err := json.Unmarshal(body, &answer); err != nil || len(answer) != 1 || len(answer["data"]) != 1 {
		t.Fatalf("answer %s (%v)", body, err)
	}
	item := answer["data"][0]
	enc, _ := item["encrypt_certificate"].(map[string]any)
	if got := keysOf(item); !slices.Equal(got, []string{"effective_time", "encrypt_certificate", "expire_time", "serial_no"}) {
		t.Fatalf("certificate fields %v", got)
	}
	if got := keysOf(enc); !slices.Equal(got, []string{"algorithm", "associated_data", "ciphertext", "nonce"}) {
		t.Fatalf("encrypt_certificate fields %v", got)
	}
	if item["serial_no"] != keys.PlatformCertSerial || enc["algorithm"] != "AEAD_AES_256_GCM" || enc["associated_data"] != "certificate" {
		t.Fatalf("certificate %v", item)
	}
	for _, f := range []string{"effective_time", "expire_time"} {
		if _, err := time.Parse(time.RFC3339, item[f].(string)); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
	plain, err := utils.DecryptAES256GCM(keys.APIv3Key, "certificate", enc["nonce"].(string), enc["ciphertext"].(string))
	if err != nil {
		t.Fatal(err)
	}
	cert, err := utils.LoadCertificate(plain)
	if err != nil || utils.GetCertificateSerialNumber(*cert) != keys.PlatformCertSerial || !keys.PlatformKey.PublicKey.Equal(cert.PublicKey) {
		t.Fatalf("decrypted certificate: %v", err)
	}

	// The manager holds that certificate; refreshing verifies the answer
	// with it, as the SDK does every day.
	if got := w.mgr.ExportCertificateMap(ctx, keys.MchID); len(got) != 1 || got[keys.PlatformCertSerial] != plain {
		t.Fatalf("downloaded %v", got)
	}
	d, err := downloader.NewCertificateDownloaderWithClient(ctx, w.download, keys.APIv3Key)
	if err != nil {
		t.Fatal(err)
	}
	if err := d.DownloadCertificates(ctx); err != nil {
		t.Fatalf("verified refresh: %v", err)
	}

	unsigned, err := http.Get(base + "/v3/certificates")
	if err != nil || unsigned.StatusCode != http.StatusUnauthorized {
		t.Fatalf("unsigned download: %v %v", unsigned, err)
	}
	unsigned.Body.Close()
}

func TestCertificateModeWithTheOfficialSDK(t *testing.T) {
	keys := payKeys(t)
	m := &merchant{}
	_, base := serve(t, keys, certificateMode)
	w := newCertWorld(t, keys, base)
	shop := httptest.NewServer(m.handler(keys.APIv3Key, verifiers.NewSHA256WithRSAVerifier(w.mgr.GetCertificateVisitor(keys.MchID))))
	t.Cleanup(shop.Close)
	ctx := context.Background()

	svc := jsapi.JsapiApiService{Client: w.client}
	req := prepayRequest(keys, "2026112200000030", 1990)
	req.NotifyUrl = core.String(shop.URL + "/wechatpay/notify/transactions")
	prepay, _, err := svc.Prepay(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	tx, _, err := svc.QueryOrderByOutTradeNo(ctx, jsapi.QueryOrderByOutTradeNoRequest{
		OutTradeNo: core.String("2026112200000030"), Mchid: core.String(keys.MchID)})
	if err != nil || *tx.TradeState != "NOTPAY" {
		t.Fatalf("query: %v %v", tx, err)
	}

	if _, err := postJSON(base+"/wxpay/pay", `{"prepay_id":"`+*prepay.PrepayId+`","result":"success"}`); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		m.mu.Lock()
		got, rejected := len(m.received), m.rejected
		m.mu.Unlock()
		if got > 0 || rejected > 0 || time.Now().After(deadline) {
			break
		}
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(m.received) != 1 || m.rejected != 0 || *m.received[0].OutTradeNo != "2026112200000030" || *m.received[0].TradeState != "SUCCESS" {
		t.Fatalf("notifications: %d accepted, %d rejected", len(m.received), m.rejected)
	}
}

// A client only accepts answers signed under a name it knows: the
// certificate serial in certificate mode, the public-key id otherwise.
func TestAnswersSignedUnderAnUnknownSerialAreRejected(t *testing.T) {
	ctx := context.Background()

	// The sandbox signs as its public key; the certificate-mode client got
	// the certificate (the first download checks no signature) but does not
	// know PUB_KEY_ID_….
	keys := payKeys(t)
	_, base := serve(t, keys, nil)
	w := newCertWorld(t, keys, base)
	_, _, err := (&jsapi.JsapiApiService{Client: w.client}).Prepay(ctx, prepayRequest(keys, "2026112200000031", 100))
	if err == nil || !strings.Contains(err.Error(), keys.PublicKeyID) {
		t.Fatalf("public-key answer to a certificate-mode client: %v", err)
	}
	d, err := downloader.NewCertificateDownloaderWithClient(ctx, w.download, keys.APIv3Key)
	if err != nil {
		t.Fatal(err)
	}
	if err := d.DownloadCertificates(ctx); err == nil {
		t.Fatal("refresh signed as the public key verified")
	}

	// And the other way round.
	keys = payKeys(t)
	_, base = serve(t, keys, certificateMode)
	_, _, err = (&jsapi.JsapiApiService{Client: sdkClient(t, keys, base, keys.MerchantKey)}).Prepay(ctx, prepayRequest(keys, "2026112200000032", 100))
	if err == nil || !strings.Contains(err.Error(), keys.PlatformCertSerial) {
		t.Fatalf("certificate answer to a public-key client: %v", err)
	}
}

func TestPlatformCertificateIsAddedToAnOlderKeyDir(t *testing.T) {
	data := t.TempDir()
	before, err := sandbox.LoadOrCreatePayKeys(data)
	if err != nil {
		t.Fatal(err)
	}
	certFile := filepath.Join(before.Dir, "wechatpay_cert.pem")
	if err := os.Remove(certFile); err != nil {
		t.Fatal(err)
	}
	after, err := sandbox.LoadOrCreatePayKeys(data)
	if err != nil {
		t.Fatal(err)
	}
	if !after.PlatformKey.Equal(before.PlatformKey) || !after.MerchantKey.Equal(before.MerchantKey) ||
		!after.PlatformKey.PublicKey.Equal(after.PlatformCert.PublicKey) || after.PlatformCertSerial == before.PlatformCertSerial {
		t.Fatal("the certificate was not remade for the existing platform key")
	}

	// A certificate that is not for the platform key is refused at start.
	other := payKeys(t)
	pem, err := os.ReadFile(filepath.Join(other.Dir, "wechatpay_cert.pem"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(certFile, pem, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := sandbox.LoadOrCreatePayKeys(data); err == nil || !strings.Contains(err.Error(), "wechatpay_cert.pem") {
		t.Fatalf("foreign certificate: %v", err)
	}
}
