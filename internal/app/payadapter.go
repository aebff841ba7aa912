package app

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/riverqueue/river"

	"github.com/kaidian/kaidian/internal/payment"
	"github.com/kaidian/kaidian/internal/webhook"
	"github.com/kaidian/kaidian/internal/wechat/wxpay"
	"github.com/kaidian/kaidian/internal/worker"
)

// notifyURL is where WeChat Pay sends notifications of the given kind
// ("transactions" or "refunds").
func (a *App) notifyURL(selfURL, kind string) string {
	base := a.Config.PublicURL
	if base == "" {
		base = selfURL
	}
	return base + "/wechatpay/notify/" + kind
}

// gatewayAdapter lets the payment package use WeChat Pay without importing
// the SDK.
type gatewayAdapter struct{ c *wxpay.Client }

func (g gatewayAdapter) Prepay(ctx context.Context, in payment.PrepayInput) (payment.RequestPayment, error) {
	rp, err := g.c.Prepay(ctx, wxpay.PrepayInput{OutTradeNo: in.OutTradeNo, Description: in.Description,
		OpenID: in.OpenID, NotifyURL: in.NotifyURL, Amount: in.Amount, ExpiresAt: in.ExpiresAt})
	switch {
	case err == nil:
	case errors.Is(err, wxpay.ErrAlreadyPaid), errors.Is(err, wxpay.ErrOrderClosed), errors.Is(err, wxpay.ErrOutTradeNoUsed):
		return payment.RequestPayment{}, fmt.Errorf("%w: %w", payment.ErrTradeExists, err)
	default:
		return payment.RequestPayment{}, err
	}
	return payment.RequestPayment{AppID: rp.AppID, TimeStamp: rp.TimeStamp, NonceStr: rp.NonceStr,
		Package: rp.Package, SignType: rp.SignType, PaySign: rp.PaySign}, nil
}

func (g gatewayAdapter) Query(ctx context.Context, outTradeNo string) (payment.Transaction, error) {
	t, err := g.c.Query(ctx, outTradeNo)
	if errors.Is(err, wxpay.ErrNotFound) {
		return payment.Transaction{}, payment.ErrNeverOpened
	}
	if err != nil {
		return payment.Transaction{}, err
	}
	return webhook.FromSDK(t), nil
}

func (g gatewayAdapter) Close(ctx context.Context, outTradeNo string) error {
	err := g.c.Close(ctx, outTradeNo)
	switch {
	case errors.Is(err, wxpay.ErrAlreadyPaid):
		return payment.ErrAlreadyPaid
	case errors.Is(err, wxpay.ErrNotFound):
		return payment.ErrNeverOpened
	}
	return err
}

func (g gatewayAdapter) CreateRefund(ctx context.Context, in payment.RefundCall) (payment.RefundState, error) {
	r, err := g.c.CreateRefund(ctx, wxpay.RefundInput{OutRefundNo: in.OutRefundNo, OutTradeNo: in.OutTradeNo,
		TransactionID: in.TransactionID, Reason: in.Reason, NotifyURL: in.NotifyURL, Amount: in.Amount, Total: in.Total})
	return refundState(r, err)
}

func (g gatewayAdapter) QueryRefund(ctx context.Context, outRefundNo string) (payment.RefundState, error) {
	return refundState(g.c.QueryRefund(ctx, outRefundNo))
}

func refundState(r wxpay.Refund, err error) (payment.RefundState, error) {
	if code, msg, ok := wxpay.Refused(err); ok {
		return payment.RefundState{}, &payment.RefundRefused{Code: code, Message: msg}
	}
	if err != nil {
		return payment.RefundState{}, err
	}
	return webhook.RefundState(r), nil
}

// scheduleReconcile enqueues the durable check of an opened payment; one per
// order however often the shopper taps pay.
func (a *App) scheduleReconcile(ctx context.Context, orderNo string, after time.Duration) {
	err := a.queue.Enqueue(ctx, river.InsertManyParams{Args: worker.ReconcilePaymentArgs{OrderNo: orderNo},
		InsertOpts: &river.InsertOpts{ScheduledAt: time.Now().Add(after)}})
	if err != nil {
		a.Log.Error("payment check not scheduled; the order's expiry will reconcile it", "order_no", orderNo, "error", err.Error())
	}
}
