package sandbox_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/wechatpay-apiv3/wechatpay-go/core"
	"github.com/wechatpay-apiv3/wechatpay-go/services/payments/jsapi"

	"github.com/kaidian/kaidian/internal/wechat/sandbox"
)

// payPrepay confirms prepayID in the sandbox as the shopper's phone would.
func payPrepay(t *testing.T, base, prepayID string) map[string]any {
	t.Helper()
	out, err := postJSON(base+"/wxpay/pay", `{"prepay_id":"`+prepayID+`","result":"success"}`)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// attach comes back only once the order is paid: queries of unpaid and
// closed orders omit it.
func TestAttachIsReturnedOnlyForPaidOrders(t *testing.T) {
	keys, err := sandbox.LoadOrCreatePayKeys(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	_, base := serve(t, keys, nil)
	svc := jsapi.JsapiApiService{Client: sdkClient(t, keys, base, keys.MerchantKey)}
	ctx := context.Background()
	query := func(no string) answer {
		url := base + "/v3/pay/transactions/out-trade-no/" + no + "?mchid=" + keys.MchID
		a := signedCall(t, keys, keys.MerchantSerial, "GET", url, url, "")
		if a.status != http.StatusOK {
			t.Fatalf("query %s: %d %s", no, a.status, a.raw)
		}
		return a
	}
	for _, no := range []string{"2026112200000701", "2026112200000702"} {
		req := prepayRequest(keys, no, 100)
		req.Attach = core.String("cart=42")
		resp, _, err := svc.Prepay(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		if a := query(no); a.body["trade_state"] != "NOTPAY" || hasKey(a.body, "attach") {
			t.Fatalf("unpaid: %s", a.raw)
		}
		if no == "2026112200000701" {
			payPrepay(t, base, *resp.PrepayId)
			if a := query(no); a.body["trade_state"] != "SUCCESS" || a.body["attach"] != "cart=42" {
				t.Fatalf("paid: %s", a.raw)
			}
			continue
		}
		if _, err := svc.CloseOrder(ctx, jsapi.CloseOrderRequest{OutTradeNo: core.String(no), Mchid: core.String(keys.MchID)}); err != nil {
			t.Fatal(err)
		}
		if a := query(no); a.body["trade_state"] != "CLOSED" || hasKey(a.body, "attach") || strings.Contains(string(a.raw), "cart=42") {
			t.Fatalf("closed: %s", a.raw)
		}
	}
}

func hasKey(m map[string]any, k string) bool { _, ok := m[k]; return ok }
