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

// A reused order number is refused as documented by default, and as the live
// API answers under DuplicateLive: 400 INVALID_REQUEST "201 商户订单号重复"
// for other details and after a close; a paid order stays ORDERPAID.
func TestDuplicateOrderNumberForms(t *testing.T) {
	for _, tc := range []struct {
		form                  sandbox.DuplicateForm
		closedCode, otherCode string
		closedHTTP, otherHTTP int
	}{
		{sandbox.DuplicateDocumented, "ORDER_CLOSED", "OUT_TRADE_NO_USED", http.StatusBadRequest, http.StatusForbidden},
		{sandbox.DuplicateLive, "INVALID_REQUEST", "INVALID_REQUEST", http.StatusBadRequest, http.StatusBadRequest},
	} {
		t.Run(string(tc.form), func(t *testing.T) {
			keys := payKeys(t)
			_, base := serve(t, keys, func(sb *sandbox.Server) { sb.SetDuplicateForm(tc.form) })
			svc := jsapi.JsapiApiService{Client: sdkClient(t, keys, base, keys.MerchantKey)}
			ctx := context.Background()
			refused := func(req jsapi.PrepayRequest, code string, status int) {
				t.Helper()
				_, _, err := svc.Prepay(ctx, req)
				var apiErr *core.APIError
				if !errors.As(err, &apiErr) || apiErr.Code != code || apiErr.StatusCode != status ||
					(code == "INVALID_REQUEST" && apiErr.Message != "201 商户订单号重复") {
					t.Fatalf("want %d %s, got %v", status, code, err)
				}
			}

			req := prepayRequest(keys, "2026112200000070", 1000)
			if _, _, err := svc.Prepay(ctx, req); err != nil {
				t.Fatal(err)
			}
			other := req
			other.Description = core.String("另一件商品")
			refused(other, tc.otherCode, tc.otherHTTP)
			if _, err := svc.CloseOrder(ctx, jsapi.CloseOrderRequest{OutTradeNo: req.OutTradeNo, Mchid: req.Mchid}); err != nil {
				t.Fatal(err)
			}
			refused(req, tc.closedCode, tc.closedHTTP)
		})
	}
}
