// Package webhook receives WeChat Pay's notifications. It answers 2xx only
// after what the notification says is committed; anything else is a 4xx/5xx
// with WeChat's {"code","message"} body, so WeChat retries.
package webhook

import (
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/wechatpay-apiv3/wechatpay-go/services/payments"

	"github.com/kaidian/kaidian/internal/httpx"
	"github.com/kaidian/kaidian/internal/payment"
	"github.com/kaidian/kaidian/internal/wechat/wxpay"
)

// Handlers are the notification endpoints.
type Handlers struct {
	Client   *wxpay.Client
	Payments *payment.Service
	// Limit is the token bucket per client address for every webhook
	// (KAIDIAN_RATE_WEBHOOK); nil is no limit.
	Limit *httpx.Limiter
}

// Mount registers the webhooks under r (normally /wechatpay), behind the
// rate limit and the body limit (guard).
func (h *Handlers) Mount(r *gin.RouterGroup) {
	r.Use(h.guard)
	r.POST("/notify/transactions", h.transactions)
	r.POST("/notify/refunds", h.refunds)
}

// transactions: POST /wechatpay/notify/transactions.
func (h *Handlers) transactions(c *gin.Context) {
	n, err := h.Client.ParseTransaction(c.Request)
	if err != nil { // forged, tampered, stale or undecryptable
		refuse(c, refusalReason(err), http.StatusUnauthorized)
		return
	}
	tx := FromSDK(n.Transaction)
	tx.NotifyID, tx.EventType = n.ID, n.EventType
	outcome, err := h.Payments.ApplyNotification(c.Request.Context(), httpx.Logger(c), tx)
	answer(c, n.ID, tx.OutTradeNo, outcome, err)
}

// refunds: POST /wechatpay/notify/refunds.
func (h *Handlers) refunds(c *gin.Context) {
	n, err := h.Client.ParseRefund(c.Request)
	if err != nil {
		refuse(c, refusalReason(err), http.StatusUnauthorized)
		return
	}
	outcome, err := h.Payments.ApplyRefundNotification(c.Request.Context(), httpx.Logger(c), payment.RefundNotice{
		NotifyID: n.ID, EventType: n.EventType, MchID: n.MchID, TransactionID: n.Refund.TransactionID,
		RefundState: RefundState(n.Refund)})
	answer(c, n.ID, n.Refund.OutTradeNo, outcome, err)
}

// answer tells WeChat whether the notification is kept: 204 only after the
// commit, 500 (so WeChat retries) otherwise.
func answer(c *gin.Context, notifyID, outTradeNo, outcome string, err error) {
	if err != nil {
		httpx.Logger(c).Error("wechat pay notification not applied; WeChat will retry", "error", err.Error(), "notify_id", notifyID)
		c.JSON(http.StatusInternalServerError, gin.H{"code": "FAIL", "message": "not recorded, retry"})
		return
	}
	httpx.Logger(c).Info("wechat pay notification", "notify_id", notifyID, "out_trade_no", outTradeNo, "outcome", outcome)
	c.Status(http.StatusNoContent)
}

// RefundState converts the client's view of a refund into the payment package's.
func RefundState(r wxpay.Refund) payment.RefundState {
	return payment.RefundState{OutRefundNo: r.OutRefundNo, OutTradeNo: r.OutTradeNo, RefundID: r.RefundID,
		Status: r.Status, Amount: r.Amount, SuccessTime: r.SuccessTime}
}

// FromSDK converts the SDK's Transaction (a notification's resource, or a
// query's answer) into the payment package's.
func FromSDK(t payments.Transaction) payment.Transaction {
	tx := payment.Transaction{AppID: str(t.Appid), MchID: str(t.Mchid), OutTradeNo: str(t.OutTradeNo),
		TransactionID: str(t.TransactionId), TradeState: str(t.TradeState)}
	if t.Amount != nil && t.Amount.Total != nil {
		tx.Total = *t.Amount.Total
	}
	if t.SuccessTime != nil {
		tx.SuccessTime = parseTime(*t.SuccessTime)
	}
	return tx
}

func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}
