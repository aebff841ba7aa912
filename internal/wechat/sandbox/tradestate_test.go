package sandbox_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/wechatpay-apiv3/wechatpay-go/core"
	"github.com/wechatpay-apiv3/wechatpay-go/services/payments/jsapi"
	"github.com/wechatpay-apiv3/wechatpay-go/services/refunddomestic"
)

// Once any refund of a payment is accepted, WeChat's query answers
// trade_state REFUND (转入退款) instead of SUCCESS, still describing the
// payment in full; the payment notification said SUCCESS and stays so.
func TestQueryAnswersRefundOnceARefundIsAccepted(t *testing.T) {
	w := newPayWorld(t)
	ctx := context.Background()
	svc := jsapi.JsapiApiService{Client: w.client}
	const no = "2026112200000060"
	prepay, _, err := svc.Prepay(ctx, prepayRequest(w.keys, no, 5000))
	if err != nil {
		t.Fatal(err)
	}
	res, err := http.Post(w.url+"/wxpay/pay", "application/json", strings.NewReader(`{"prepay_id":"`+*prepay.PrepayId+`","result":"success"}`))
	if err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("simulate pay: %v %v", res, err)
	}
	res.Body.Close()
	query := func() *jsapi.QueryOrderByOutTradeNoRequest {
		return &jsapi.QueryOrderByOutTradeNoRequest{OutTradeNo: core.String(no), Mchid: core.String(w.keys.MchID)}
	}
	tx, _, err := svc.QueryOrderByOutTradeNo(ctx, *query())
	if err != nil || *tx.TradeState != "SUCCESS" {
		t.Fatalf("paid: %v %v", tx, err)
	}

	// A partial refund, still PROCESSING, is enough.
	refunds := refunddomestic.RefundsApiService{Client: w.client}
	if _, _, err := refunds.Create(ctx, refunddomestic.CreateRequest{OutTradeNo: core.String(no), OutRefundNo: core.String("R60"),
		Amount: &refunddomestic.AmountReq{Refund: core.Int64(100), Total: core.Int64(5000), Currency: core.String("CNY")}}); err != nil {
		t.Fatal(err)
	}
	tx, _, err = svc.QueryOrderByOutTradeNo(ctx, *query())
	if err != nil || *tx.TradeState != "REFUND" || *tx.TradeStateDesc != "转入退款" {
		t.Fatalf("after a refund: %v %v", tx, err)
	}
	if tx.TransactionId == nil || *tx.TransactionId == "" || tx.SuccessTime == nil || *tx.Amount.Total != 5000 {
		t.Fatalf("a refunded payment is still described in full: %+v", tx)
	}
	// The rest can still be refunded: the stored order is still paid.
	if _, _, err := refunds.Create(ctx, refunddomestic.CreateRequest{OutTradeNo: core.String(no), OutRefundNo: core.String("R61"),
		Amount: &refunddomestic.AmountReq{Refund: core.Int64(4900), Total: core.Int64(5000), Currency: core.String("CNY")}}); err != nil {
		t.Fatalf("second refund: %v", err)
	}
}
