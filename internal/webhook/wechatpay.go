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
}

// Mount registers the webhooks under r (normally /wechatpay).
func (h *Handlers) Mount(r *gin.RouterGroup) {
	r.POST("/notify/transactions", h.transactions)
}

// transactions: POST /wechatpay/notify/transactions.
func (h *Handlers) transactions(c *gin.Context) {
	n, err := h.Client.ParseTransaction(c.Request)
	if err != nil {
		// Forged, tampered, stale or undecryptable: nothing is kept.
		httpx.Logger(c).Warn("wechat pay notification refused", "error", err.Error())
		c.JSON(http.StatusUnauthorized, gin.H{"code": "FAIL", "message": "signature or content invalid"})
		return
	}
	tx := FromSDK(n.Transaction)
	tx.NotifyID, tx.EventType = n.ID, n.EventType
	outcome, err := h.Payments.ApplyNotification(c.Request.Context(), httpx.Logger(c), tx)
	if err != nil {
		httpx.Logger(c).Error("wechat pay notification not applied; WeChat will retry", "error", err.Error(), "notify_id", n.ID)
		c.JSON(http.StatusInternalServerError, gin.H{"code": "FAIL", "message": "not recorded, retry"})
		return
	}
	httpx.Logger(c).Info("wechat pay notification", "notify_id", n.ID, "out_trade_no", tx.OutTradeNo, "outcome", outcome)
	c.Status(http.StatusNoContent)
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
