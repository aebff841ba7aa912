package sandbox

import (
	"context"
	"errors"
	"net/http"
	"regexp"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/clock"
	"github.com/kaidian/kaidian/internal/database"
)

// Refund statuses (WeChat Pay's refund documentation) the sandbox uses.
const (
	refundProcessing = "PROCESSING"
	refundSuccess    = "SUCCESS"
)

type refund struct {
	OutRefundNo   string     `gorm:"column:out_refund_no;primaryKey"`
	RefundID      string     `gorm:"column:refund_id"`
	OutTradeNo    string     `gorm:"column:out_trade_no"`
	TransactionID string     `gorm:"column:transaction_id"`
	AmountTotal   int64      `gorm:"column:amount_total"`
	Refund        int64      `gorm:"column:refund"`
	Reason        string     `gorm:"column:reason"`
	NotifyURL     string     `gorm:"column:notify_url"`
	Status        string     `gorm:"column:status"`
	CreateTime    time.Time  `gorm:"column:create_time"`
	CompleteAt    time.Time  `gorm:"column:complete_at"`
	SuccessTime   *time.Time `gorm:"column:success_time"`
}

func (refund) TableName() string { return "sandbox_refunds" }

var outRefundNoPattern = regexp.MustCompile(`^[0-9A-Za-z_\-|*@]{1,64}$`)

type refundRequest struct {
	TransactionID string `json:"transaction_id"`
	OutTradeNo    string `json:"out_trade_no"`
	OutRefundNo   string `json:"out_refund_no"`
	Reason        string `json:"reason"`
	NotifyURL     string `json:"notify_url"`
	Amount        *struct {
		Refund   *int64 `json:"refund"` // nil when absent: required fields
		Total    *int64 `json:"total"`
		Currency string `json:"currency"`
	} `json:"amount"`
}

var (
	errNotEnough   = errors.New("not enough")
	errNoPaidOrder = errors.New("no paid order")
)

// createRefund: POST /v3/refund/domestic/refunds (§2.8). The same
// out_refund_no with the same amounts returns the same refund: a refund
// number refunds at most once.
func (p *pay) createRefund(c *gin.Context) {
	var in refundRequest
	if e := decodeBody(c.MustGet(bodyKey).([]byte), &in); e != nil {
		e.answer(p, c.Writer)
		return
	}
	if e := in.check(); e != nil {
		e.answer(p, c.Writer)
		return
	}
	ctx := c.Request.Context()
	var existing refund
	if err := p.db.Conn(ctx).Where("out_refund_no = ?", in.OutRefundNo).Take(&existing).Error; err == nil {
		// A retry is the same request; the same number for another amount
		// or order is refused, as WeChat does, rather than answered with the
		// first refund (the merchant would believe the new amount refunded).
		if *in.Amount.Refund != existing.Refund || *in.Amount.Total != existing.AmountTotal ||
			(in.OutTradeNo != "" && in.OutTradeNo != existing.OutTradeNo) ||
			(in.OutTradeNo == "" && in.TransactionID != existing.TransactionID) {
			p.fail(c.Writer, http.StatusBadRequest, "INVALID_REQUEST", "订单金额或退款金额与之前请求不一致，请核实后再试")
			return
		}
		p.reply(c.Writer, http.StatusOK, p.refundJSON(existing))
		return
	}
	var r refund
	err := p.db.Tx(ctx, func(ctx context.Context) error {
		now := p.now()
		// The order is named by out_trade_no, or else by transaction_id.
		col, val := "out_trade_no", in.OutTradeNo
		if val == "" {
			col, val = "transaction_id", in.TransactionID
		}
		// Touching the paid order's row serialises refunds of one order, so
		// two at once cannot both fit under the total.
		res := p.db.Conn(ctx).Model(&payOrder{}).Where(col+" = ? AND trade_state = ?", val, stateSuccess).
			Update("updated_at", now)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected != 1 {
			return errNoPaidOrder
		}
		var o payOrder
		if err := p.db.Conn(ctx).Where(col+" = ?", val).Take(&o).Error; err != nil {
			return err
		}
		if *in.Amount.Total != o.AmountTotal {
			return errParam
		}
		var refunded int64
		if err := p.db.Conn(ctx).Model(&refund{}).Where("out_trade_no = ?", o.OutTradeNo).
			Select("COALESCE(SUM(refund), 0)").Scan(&refunded).Error; err != nil {
			return err
		}
		if refunded+*in.Amount.Refund > o.AmountTotal {
			return errNotEnough
		}
		r = refund{OutRefundNo: in.OutRefundNo, RefundID: "5030" + now.Format("20060102") + randomDigits(20),
			OutTradeNo: o.OutTradeNo, TransactionID: o.TransactionID, AmountTotal: o.AmountTotal, Refund: *in.Amount.Refund,
			Reason: in.Reason, NotifyURL: in.NotifyURL, Status: refundProcessing, CreateTime: now, CompleteAt: now.Add(p.refundDelay)}
		return p.db.Conn(ctx).Create(&r).Error
	})
	switch {
	case err == nil:
		p.reply(c.Writer, http.StatusOK, p.refundJSON(r))
	case errors.Is(err, errNoPaidOrder):
		p.fail(c.Writer, http.StatusNotFound, "RESOURCE_NOT_EXISTS", "订单不存在或未支付")
	case errors.Is(err, errNotEnough):
		p.fail(c.Writer, http.StatusForbidden, "NOT_ENOUGH", "申请退款金额超过订单可退金额")
	case errors.Is(err, errParam):
		p.fail(c.Writer, http.StatusBadRequest, "PARAM_ERROR", "订单金额与原订单不符")
	case database.IsDuplicate(err):
		p.fail(c.Writer, http.StatusInternalServerError, "SYSTEM_ERROR", "请使用相同的退款单号重试")
	default:
		p.systemError(c, err)
	}
}

var errParam = errors.New("param")

// queryRefund: GET /v3/refund/domestic/refunds/{out_refund_no}.
func (p *pay) queryRefund(c *gin.Context) {
	var r refund
	err := p.db.Conn(c.Request.Context()).Where("out_refund_no = ?", c.Param("no")).Take(&r).Error
	if database.IsNotFound(err) {
		p.fail(c.Writer, http.StatusNotFound, "RESOURCE_NOT_EXISTS", "退款单不存在")
		return
	}
	if err != nil {
		p.systemError(c, err)
		return
	}
	p.reply(c.Writer, http.StatusOK, p.refundJSON(r))
}

func (p *pay) refundJSON(r refund) map[string]any {
	out := map[string]any{
		"refund_id": r.RefundID, "out_refund_no": r.OutRefundNo, "transaction_id": r.TransactionID,
		"out_trade_no": r.OutTradeNo, "channel": "ORIGINAL", "user_received_account": "支付用户零钱",
		"create_time": r.CreateTime.In(clock.China).Format(time.RFC3339), "status": r.Status, "funds_account": "AVAILABLE",
		"amount": map[string]any{"total": r.AmountTotal, "refund": r.Refund, "payer_total": r.AmountTotal,
			"payer_refund": r.Refund, "settlement_total": r.AmountTotal, "settlement_refund": r.Refund,
			"discount_refund": 0, "currency": "CNY"},
	}
	if r.SuccessTime != nil {
		out["success_time"] = r.SuccessTime.In(clock.China).Format(time.RFC3339)
	}
	return out
}

// completeDueRefunds finishes refunds whose delay has passed and queues
// their REFUND.SUCCESS notifications, each in one transaction.
func (p *pay) completeDueRefunds(ctx context.Context) {
	var due []refund
	now := p.now()
	if err := p.db.Conn(ctx).Where("status = ? AND complete_at <= ?", refundProcessing, now).Limit(50).Find(&due).Error; err != nil {
		if ctx.Err() == nil { // not merely shutting down
			p.log.Error("sandbox refunds: list due", "error", err)
		}
		return
	}
	for _, r := range due {
		err := p.db.Tx(ctx, func(ctx context.Context) error {
			res := p.db.Conn(ctx).Model(&refund{}).Where("out_refund_no = ? AND status = ?", r.OutRefundNo, refundProcessing).
				Updates(map[string]any{"status": refundSuccess, "success_time": now})
			if res.Error != nil || res.RowsAffected != 1 || r.NotifyURL == "" {
				return res.Error
			}
			var mchID string
			p.db.Conn(ctx).Model(&payOrder{}).Where("out_trade_no = ?", r.OutTradeNo).Select("mchid").Scan(&mchID)
			return p.enqueue(ctx, "REFUND.SUCCESS", "退款成功", r.OutTradeNo, r.NotifyURL, "refund", map[string]any{
				"mchid": mchID, "out_trade_no": r.OutTradeNo, "transaction_id": r.TransactionID,
				"out_refund_no": r.OutRefundNo, "refund_id": r.RefundID, "refund_status": refundSuccess,
				"success_time": now.In(clock.China).Format(time.RFC3339), "user_received_account": "支付用户零钱",
				"amount": map[string]any{"total": r.AmountTotal, "refund": r.Refund, "payer_total": r.AmountTotal, "payer_refund": r.Refund},
			})
		})
		if err != nil {
			p.log.Error("sandbox refunds: complete", "error", err, "out_refund_no", r.OutRefundNo)
		}
	}
}
