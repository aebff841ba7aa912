package sandbox_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wechatpay-apiv3/wechatpay-go/core"
	"github.com/wechatpay-apiv3/wechatpay-go/core/auth"
	"github.com/wechatpay-apiv3/wechatpay-go/core/auth/verifiers"
	"github.com/wechatpay-apiv3/wechatpay-go/core/notify"
	"github.com/wechatpay-apiv3/wechatpay-go/services/payments"
	"github.com/wechatpay-apiv3/wechatpay-go/services/payments/jsapi"

	"github.com/kaidian/kaidian/internal/wechat/sandbox"
)

// merchant is a notify_url that verifies and decrypts with the SDK's own
// handler, failing the first `refuse` deliveries as a merchant might.
type merchant struct {
	mu       sync.Mutex
	refuse   int
	received []payments.Transaction
	rejected int
}

func (m *merchant) handler(apiV3Key string, verifier auth.Verifier) http.HandlerFunc {
	h, err := notify.NewRSANotifyHandler(apiV3Key, verifier)
	if err != nil {
		panic(err)
	}
	return func(w http.ResponseWriter, r *http.Request) {
		var tx payments.Transaction
		_, err := h.ParseNotifyRequest(r.Context(), r, &tx)
		m.mu.Lock()
		defer m.mu.Unlock()
		if err != nil {
			m.rejected++
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		if m.refuse > 0 {
			m.refuse--
			w.WriteHeader(http.StatusInternalServerError)
			w.Write([]byte(`{"code":"FAIL","message":"try again"}`))
			return
		}
		m.received = append(m.received, tx)
		w.WriteHeader(http.StatusNoContent)
	}
}

func TestPaymentNotificationIsSignedEncryptedAndRetried(t *testing.T) {
	keys := payKeys(t)
	m := &merchant{refuse: 2}
	shop := httptest.NewServer(m.handler(keys.APIv3Key, verifiers.NewSHA256WithRSAPubkeyVerifier(keys.PublicKeyID, keys.PlatformKey.PublicKey)))
	t.Cleanup(shop.Close)

	_, base := serve(t, keys, func(sb *sandbox.Server) { sb.SetRetryScale(0.001) }) // 15 s → 15 ms

	svc := jsapi.JsapiApiService{Client: sdkClient(t, keys, base, keys.MerchantKey)}
	req := prepayRequest(keys, "2026112200000010", 2990)
	req.NotifyUrl = core.String(shop.URL + "/wechatpay/notify/transactions")
	prepay, _, err := svc.Prepay(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	res, err := http.Post(base+"/wxpay/pay", "application/json",
		strings.NewReader(`{"prepay_id":"`+*prepay.PrepayId+`","result":"success"}`))
	if err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("simulate pay: %v %v", res, err)
	}
	res.Body.Close()

	deadline := time.Now().Add(10 * time.Second)
	for {
		m.mu.Lock()
		n := len(m.received)
		m.mu.Unlock()
		if n > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("no notification accepted")
		}
		time.Sleep(10 * time.Millisecond)
	}
	tx := m.received[0]
	if *tx.OutTradeNo != "2026112200000010" || *tx.TradeState != "SUCCESS" || *tx.Amount.Total != 2990 ||
		*tx.Amount.PayerTotal != 2990 || *tx.TransactionId == "" || *tx.Payer.Openid != "o-sandbox-alice" || m.rejected != 0 {
		t.Fatalf("decrypted %+v (rejected %d)", tx, m.rejected)
	}

	// The log shows three attempts: two refused, the third acknowledged. The
	// sandbox records the answer just after the merchant sends it, so wait.
	var log struct {
		Items []struct {
			Attempts   int  `json:"attempts"`
			Delivered  bool `json:"delivered"`
			LastStatus int  `json:"last_status"`
		} `json:"items"`
	}
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		res, err := http.Get(base + "/wxpay/notifications")
		if err != nil {
			t.Fatal(err)
		}
		json.NewDecoder(res.Body).Decode(&log)
		res.Body.Close()
		if len(log.Items) == 1 && log.Items[0].Delivered || time.Now().After(deadline) {
			break
		}
	}
	if len(log.Items) != 1 || log.Items[0].Attempts != 3 || !log.Items[0].Delivered || log.Items[0].LastStatus != 204 {
		t.Fatalf("notification log %+v", log.Items)
	}

	// Paid now: the query says so, and a second "pay" changes nothing.
	got, _, err := svc.QueryOrderByOutTradeNo(context.Background(), jsapi.QueryOrderByOutTradeNoRequest{
		OutTradeNo: core.String("2026112200000010"), Mchid: core.String(keys.MchID)})
	if err != nil || *got.TradeState != "SUCCESS" || *got.TransactionId != *tx.TransactionId {
		t.Fatalf("query after pay: %+v %v", got, err)
	}
	if _, err := svc.CloseOrder(context.Background(), jsapi.CloseOrderRequest{OutTradeNo: core.String("2026112200000010"),
		Mchid: core.String(keys.MchID)}); !core.IsAPIError(err, "ORDERPAID") {
		t.Fatalf("closing a paid order: %v", err)
	}
}
