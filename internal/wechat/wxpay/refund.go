package wxpay

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/wechatpay-apiv3/wechatpay-go/core"
	"github.com/wechatpay-apiv3/wechatpay-go/services/refunddomestic"
)

// RefundInput is one domestic refund to ask for.
type RefundInput struct {
	OutRefundNo, OutTradeNo, TransactionID, Reason, NotifyURL string
	Amount, Total                                             int64 // fen
}

// Refund is WeChat Pay's view of a refund.
type Refund struct {
	RefundID, OutRefundNo, OutTradeNo, TransactionID, Status string
	Amount                                                   int64
	SuccessTime                                              time.Time
}

// RefundRefusedCodes are WeChat's answers that no retry of the same refund
// can change (SYSTEM_ERROR, FREQUENCY_LIMITED and NOT_ENOUGH — the
// merchant's balance — may clear later and are retried).
var RefundRefusedCodes = map[string]bool{
	"PARAM_ERROR": true, "INVALID_REQUEST": true, "RESOURCE_NOT_EXISTS": true,
	"NO_AUTH": true, "MCH_NOT_EXISTS": true, "USER_ACCOUNT_ABNORMAL": true,
}

// CreateRefund asks for a refund. The same OutRefundNo is refunded at most
// once, so a failed call is retried with the same input.
func (c *Client) CreateRefund(ctx context.Context, in RefundInput) (Refund, error) {
	req := refunddomestic.CreateRequest{OutRefundNo: core.String(in.OutRefundNo), NotifyUrl: core.String(in.NotifyURL),
		Amount: &refunddomestic.AmountReq{Refund: core.Int64(in.Amount), Total: core.Int64(in.Total), Currency: core.String("CNY")}}
	if in.TransactionID != "" {
		req.TransactionId = core.String(in.TransactionID)
	} else {
		req.OutTradeNo = core.String(in.OutTradeNo)
	}
	if in.Reason != "" {
		req.Reason = core.String(in.Reason)
	}
	r, _, err := (&refunddomestic.RefundsApiService{Client: c.sdk}).Create(ctx, req)
	if err != nil {
		return Refund{}, err
	}
	return fromSDKRefund(r), nil
}

// QueryRefund asks for a refund's state by our refund number.
func (c *Client) QueryRefund(ctx context.Context, outRefundNo string) (Refund, error) {
	r, _, err := (&refunddomestic.RefundsApiService{Client: c.sdk}).QueryByOutRefundNo(ctx,
		refunddomestic.QueryByOutRefundNoRequest{OutRefundNo: core.String(outRefundNo)})
	if err != nil {
		return Refund{}, err
	}
	return fromSDKRefund(r), nil
}

// Refused reports WeChat's error code when err is a final refusal.
func Refused(err error) (code, message string, ok bool) {
	var apiErr *core.APIError
	if errors.As(err, &apiErr) && RefundRefusedCodes[apiErr.Code] {
		return apiErr.Code, apiErr.Message, true
	}
	return "", "", false
}

func fromSDKRefund(r *refunddomestic.Refund) Refund {
	out := Refund{RefundID: deref(r.RefundId), OutRefundNo: deref(r.OutRefundNo), OutTradeNo: deref(r.OutTradeNo),
		TransactionID: deref(r.TransactionId)}
	if r.Status != nil {
		out.Status = string(*r.Status)
	}
	if r.Amount != nil && r.Amount.Refund != nil {
		out.Amount = *r.Amount.Refund
	}
	if r.SuccessTime != nil {
		out.SuccessTime = r.SuccessTime.UTC()
	}
	return out
}

// RefundNotification is a verified, decrypted refund notification.
type RefundNotification struct {
	ID, EventType, MchID string
	Refund               Refund
}

// refundResource is the decrypted resource of a REFUND.* notification; its
// field names differ from the query answer's (refund_status, not status).
type refundResource struct {
	MchID         string `json:"mchid"`
	OutTradeNo    string `json:"out_trade_no"`
	TransactionID string `json:"transaction_id"`
	OutRefundNo   string `json:"out_refund_no"`
	RefundID      string `json:"refund_id"`
	RefundStatus  string `json:"refund_status"`
	SuccessTime   string `json:"success_time"`
	Amount        struct {
		Total  int64 `json:"total"`
		Refund int64 `json:"refund"`
	} `json:"amount"`
}

// ParseRefund verifies a refund notification's signature and timestamp and
// decrypts it, with the same panic guard as ParseTransaction.
func (c *Client) ParseRefund(r *http.Request) (n RefundNotification, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("wxpay: malformed notification: %v", p)
		}
	}()
	var res refundResource
	req, err := c.notify.ParseNotifyRequest(r.Context(), r, &res)
	if err != nil {
		return n, err
	}
	n.ID, n.EventType, n.MchID = req.ID, req.EventType, res.MchID
	n.Refund = Refund{RefundID: res.RefundID, OutRefundNo: res.OutRefundNo, OutTradeNo: res.OutTradeNo,
		TransactionID: res.TransactionID, Status: res.RefundStatus, Amount: res.Amount.Refund}
	if t, err := time.Parse(time.RFC3339, res.SuccessTime); err == nil {
		n.Refund.SuccessTime = t.UTC()
	}
	return n, nil
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}
