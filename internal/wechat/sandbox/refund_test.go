package sandbox_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wechatpay-apiv3/wechatpay-go/core"
	"github.com/wechatpay-apiv3/wechatpay-go/core/auth/verifiers"
	"github.com/wechatpay-apiv3/wechatpay-go/core/notify"
	"github.com/wechatpay-apiv3/wechatpay-go/services/payments/jsapi"
	"github.com/wechatpay-apiv3/wechatpay-go/services/refunddomestic"

	"github.com/kaidian/kaidian/internal/wechat/sandbox"
)

func TestRefundsWithTheOfficialSDK(t *testing.T) {
	keys := payKeys(t)
	// The merchant's refund notify_url, decrypting with the SDK.
	h, _ := notify.NewRSANotifyHandler(keys.APIv3Key, verifiers.NewSHA256WithRSAPubkeyVerifier(keys.PublicKeyID, keys.PlatformKey.PublicKey))
	var mu sync.Mutex
	var notices []map[string]any
	shop := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		content := map[string]any{}
		req, err := h.ParseNotifyRequest(r.Context(), r, &content)
		if err != nil || req.EventType != "REFUND.SUCCESS" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		mu.Lock()
		notices = append(notices, content)
		mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(shop.Close)

	_, base := serve(t, keys, func(sb *sandbox.Server) { sb.SetRefundDelay(100 * time.Millisecond) })

	client := sdkClient(t, keys, base, keys.MerchantKey)
	pay := jsapi.JsapiApiService{Client: client}
	req := prepayRequest(keys, "2026112200000020", 5000)
	req.NotifyUrl = core.String(shop.URL + "/pay")
	prepay, _, err := pay.Prepay(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	refunds := refunddomestic.RefundsApiService{Client: client}
	create := func(no string, amount int64) (*refunddomestic.Refund, error) {
		resp, _, err := refunds.Create(context.Background(), refunddomestic.CreateRequest{
			OutTradeNo: core.String("2026112200000020"), OutRefundNo: core.String(no),
			NotifyUrl: core.String(shop.URL + "/refund"),
			Amount:    &refunddomestic.AmountReq{Refund: core.Int64(amount), Total: core.Int64(5000), Currency: core.String("CNY")}})
		return resp, err
	}
	if _, err := create("R1", 1000); !core.IsAPIError(err, "RESOURCE_NOT_EXISTS") {
		t.Fatalf("refund of an unpaid order: %v", err)
	}
	http.Post(base+"/wxpay/pay", "application/json", strings.NewReader(`{"prepay_id":"`+*prepay.PrepayId+`","result":"success"}`))

	first, err := create("R1", 1000)
	if err != nil || *first.Status != refunddomestic.STATUS_PROCESSING || *first.Amount.Refund != 1000 {
		t.Fatalf("refund: %+v %v", first, err)
	}
	again, err := create("R1", 1000)
	if err != nil || *again.RefundId != *first.RefundId {
		t.Fatalf("same out_refund_no refunded twice: %v %v", again, err)
	}
	if _, err := create("R2", 4001); !core.IsAPIError(err, "NOT_ENOUGH") {
		t.Fatalf("over-refund: %v", err)
	}
	if _, err := create("R3", 4000); err != nil {
		t.Fatalf("refund of the rest: %v", err)
	}

	deadline := time.Now().Add(10 * time.Second)
	for {
		got, _, err := refunds.QueryByOutRefundNo(context.Background(), refunddomestic.QueryByOutRefundNoRequest{OutRefundNo: core.String("R1")})
		mu.Lock()
		n := len(notices)
		mu.Unlock()
		if err == nil && *got.Status == refunddomestic.STATUS_SUCCESS && n == 2 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("refund not completed and notified: %+v %v, %d notices", got, err, n)
		}
		time.Sleep(20 * time.Millisecond)
	}
	mu.Lock()
	defer mu.Unlock()
	if notices[0]["refund_status"] != "SUCCESS" || notices[0]["out_trade_no"] != "2026112200000020" {
		t.Fatalf("refund notification: %v", notices[0])
	}
}
