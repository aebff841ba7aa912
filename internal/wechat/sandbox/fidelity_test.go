package sandbox_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

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
	keys := payKeys(t)
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

// A repeated prepay of an unpaid order gets a new prepay_id and the earlier
// one stays payable (WeChat lets several payment sessions of one order
// coexist); each lasts two hours; paying through both at once pays once.
func TestEarlierPrepayIDsStayPayableForTwoHours(t *testing.T) {
	keys := payKeys(t)
	sb, base := serve(t, keys, nil)
	svc := jsapi.JsapiApiService{Client: sdkClient(t, keys, base, keys.MerchantKey)}
	req := prepayRequest(keys, "2026112200000801", 100)
	req.TimeExpire = core.Time(time.Now().Add(3 * time.Hour)) // the order outlives its prepay_ids
	first, _, err := svc.Prepay(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	second, _, err := svc.Prepay(context.Background(), req)
	if err != nil || *second.PrepayId == *first.PrepayId {
		t.Fatalf("repeat prepay: %v %v", second, err)
	}

	sb.SetClock(func() time.Time { return time.Now().Add(sandbox.PrepayLifetime) })
	res, err := http.Post(base+"/wxpay/pay", "application/json", strings.NewReader(`{"prepay_id":"`+*first.PrepayId+`","result":"success"}`))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusGone {
		t.Fatalf("a prepay_id two hours old paid: %d", res.StatusCode)
	}
	sb.SetClock(time.Now)

	// Both sessions at once: exactly one pays the order.
	results := make([]map[string]any, 2)
	errs := make([]error, 2)
	var wg sync.WaitGroup
	for i, id := range []string{*first.PrepayId, *second.PrepayId} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i], errs[i] = postJSON(base+"/wxpay/pay", `{"prepay_id":"`+id+`","result":"success"}`)
		}()
	}
	wg.Wait()
	if errs[0] != nil || errs[1] != nil || results[0]["trade_state"] != "SUCCESS" || results[1]["trade_state"] != "SUCCESS" ||
		results[0]["notified"] == results[1]["notified"] {
		t.Fatalf("two sessions of one order paid: %v %v", results, errs)
	}
}

// A refund number is one refund: repeated with the same amounts it answers
// that refund, with another amount it is refused and refunds nothing.
func TestRefundNumberReusedWithAnotherAmountIsRefused(t *testing.T) {
	keys := payKeys(t)
	_, base := serve(t, keys, nil)
	svc := jsapi.JsapiApiService{Client: sdkClient(t, keys, base, keys.MerchantKey)}
	resp, _, err := svc.Prepay(context.Background(), prepayRequest(keys, "2026112200000802", 5000))
	if err != nil {
		t.Fatal(err)
	}
	payPrepay(t, base, *resp.PrepayId)
	refund := func(no string, amount int64) answer {
		url := base + "/v3/refund/domestic/refunds"
		return signedCall(t, keys, keys.MerchantSerial, "POST", url, url, fmt.Sprintf(
			`{"out_trade_no":"2026112200000802","out_refund_no":"%s","amount":{"refund":%d,"total":5000,"currency":"CNY"}}`, no, amount))
	}
	first := refund("R-802", 1000)
	if first.status != http.StatusOK {
		t.Fatalf("refund: %d %s", first.status, first.raw)
	}
	if a := refund("R-802", 2000); a.status != http.StatusBadRequest || a.body["code"] != "INVALID_REQUEST" ||
		a.body["message"] != "订单金额或退款金额与之前请求不一致，请核实后再试" || !verifiesAsWeChat(keys, a) {
		t.Fatalf("same number, another amount: %d %s", a.status, a.raw)
	}
	if a := refund("R-802", 1000); a.status != http.StatusOK || a.body["refund_id"] != first.body["refund_id"] {
		t.Fatalf("retry: %d %s", a.status, a.raw)
	}
	// Only the first 1000 was refunded: the remaining 4000 still fits.
	if a := refund("R-803", 4000); a.status != http.StatusOK {
		t.Fatalf("refund of the rest: %d %s", a.status, a.raw)
	}
}
