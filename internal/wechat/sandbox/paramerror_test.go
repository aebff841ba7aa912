package sandbox_test

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/wechatpay-apiv3/wechatpay-go/core"
	"github.com/wechatpay-apiv3/wechatpay-go/services/payments/jsapi"

	"github.com/kaidian/kaidian/internal/wechat/sandbox"
)

// PARAM_ERROR names the field as WeChat does: detail.location and
// detail.value, and a message with the field's JSON pointer and Chinese name.
func TestParamErrorsNameTheField(t *testing.T) {
	keys := payKeys(t)
	_, base := serve(t, keys, nil)
	head := `{"appid":"` + sandbox.AppID + `","mchid":"` + keys.MchID + `","description":"d","notify_url":"https://shop.example.com/n",`
	for _, tt := range []struct {
		name, method, path, body string
		location                 string
		value                    any
		message                  string
	}{
		{"missing total", "POST", "/v3/pay/transactions/jsapi",
			head + `"out_trade_no":"2026112200000601","amount":{"currency":"CNY"},"payer":{"openid":"o-a"}}`,
			"body", "", "输入源“/body/amount/total”映射到字段“总金额”必填性规则校验失败，此字段为必填项"},
		{"missing openid", "POST", "/v3/pay/transactions/jsapi",
			head + `"out_trade_no":"2026112200000601","amount":{"total":100},"payer":{}}`,
			"body", "", "输入源“/body/payer/openid”映射到字段“用户标识”必填性规则校验失败，此字段为必填项"},
		{"total in yuan", "POST", "/v3/pay/transactions/jsapi",
			head + `"out_trade_no":"2026112200000601","amount":{"total":0.01},"payer":{"openid":"o-a"}}`,
			"body", 0.01, "无法将 JSON 输入源“/body/amount/total”映射到目标字段“总金额”中，此字段需要一个合法的 64 位有符号整数"},
		{"short out_trade_no", "POST", "/v3/pay/transactions/jsapi",
			head + `"out_trade_no":"x","amount":{"total":100},"payer":{"openid":"o-a"}}`,
			"body", "x", "输入源“/body/out_trade_no”映射到值字段“商户订单号”字符串规则校验失败，字符串必须匹配正则表达式“^[0-9A-Za-z_\\-|*]{6,32}$”"},
		{"zero total", "POST", "/v3/pay/transactions/jsapi",
			head + `"out_trade_no":"2026112200000601","amount":{"total":0},"payer":{"openid":"o-a"}}`,
			"body", 0.0, "输入源“/body/amount/total”映射到值字段“总金额”数值规则校验失败，值 0，小于最小值 1"},
		{"refund without out_refund_no", "POST", "/v3/refund/domestic/refunds",
			`{"out_trade_no":"2026112200000601","amount":{"refund":1,"total":100,"currency":"CNY"}}`,
			"body", "", "输入源“/body/out_refund_no”映射到字段“商户退款单号”必填性规则校验失败，此字段为必填项"},
		{"query without mchid", "GET", "/v3/pay/transactions/out-trade-no/2026112200000601", "",
			"query", "", "输入源“/query/mchid”映射到字段“直连商户号”必填性规则校验失败，此字段为必填项"},
	} {
		a := signedCall(t, keys, keys.MerchantSerial, tt.method, base+tt.path, base+tt.path, tt.body)
		detail, _ := a.body["detail"].(map[string]any)
		if a.status != http.StatusBadRequest || a.body["code"] != "PARAM_ERROR" || a.body["message"] != tt.message ||
			detail["location"] != tt.location || detail["value"] != tt.value || !verifiesAsWeChat(keys, a) {
			t.Errorf("%s: %d %s", tt.name, a.status, a.raw)
		}
	}

	// The official SDK hands the detail to the merchant.
	svc := jsapi.JsapiApiService{Client: sdkClient(t, keys, base, keys.MerchantKey)}
	req := prepayRequest(keys, "2026112200000602", 100)
	req.Payer.Openid = nil
	_, _, err := svc.Prepay(context.Background(), req)
	var apiErr *core.APIError
	if !errors.As(err, &apiErr) {
		t.Fatalf("SDK: %v", err)
	}
	if d, _ := apiErr.Detail.(map[string]any); apiErr.Code != "PARAM_ERROR" || d["location"] != "body" {
		t.Fatalf("SDK: %#v", err)
	}
}
