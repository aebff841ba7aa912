package payment

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/kaidian/kaidian/internal/database"
	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/i18n"
	"github.com/kaidian/kaidian/internal/order"
)

// Transaction is what a verified, decrypted WeChat Pay notification (or a
// query) says about one payment.
type Transaction struct {
	NotifyID, EventType       string
	AppID, MchID              string
	OutTradeNo, TransactionID string
	TradeState                string
	Total                     int64
	SuccessTime               time.Time
}

// Outcomes of applying a notification.
const (
	OutcomeApplied   = "applied"
	OutcomeDuplicate = "duplicate"
	OutcomeMismatch  = "mismatch"
	OutcomeIgnored   = "ignored"
	// OutcomeRefunding: a payment for an order that closed and could not be
	// revived (its stock, coupon or flash-sale share went to other orders);
	// it is recorded and refunded in full.
	OutcomeRefunding = "refunding"
)

type notificationRecord struct {
	ID            int64     `gorm:"column:id;primaryKey"`
	NotifyID      string    `gorm:"column:notify_id"`
	EventType     string    `gorm:"column:event_type"`
	OutTradeNo    string    `gorm:"column:out_trade_no"`
	TransactionID string    `gorm:"column:transaction_id"`
	TradeState    string    `gorm:"column:trade_state"`
	Amount        int64     `gorm:"column:amount"`
	Outcome       string    `gorm:"column:outcome"`
	Detail        string    `gorm:"column:detail"`
	CreatedAt     time.Time `gorm:"column:created_at"`
}

func (notificationRecord) TableName() string { return "payment_notifications" }

// ApplyNotification records a payment notification and applies it, in one
// transaction: the same notification id twice changes nothing; a
// notification naming another app or merchant, or another amount, is
// recorded as a mismatch (and logged) without marking anything paid; a
// success marks the order paid and sells its stock. A payment for an order
// that closed meanwhile revives it when every rule still holds, and is
// otherwise refunded in full, the reason shown to the shopper by WeChat. It
// returns the outcome once the work is committed; an error means nothing
// was kept and WeChat should retry.
func (s *Service) ApplyNotification(ctx context.Context, log *slog.Logger, t Transaction) (string, error) {
	rec := notificationRecord{NotifyID: t.NotifyID, EventType: t.EventType, OutTradeNo: t.OutTradeNo,
		TransactionID: t.TransactionID, TradeState: t.TradeState, Amount: t.Total}
	var refundID int64
	var why string
	outcome, err := s.record(ctx, rec, func(ctx context.Context) (string, string, error) {
		switch {
		case t.AppID != s.merchant.AppID || t.MchID != s.merchant.MchID:
			return OutcomeMismatch, "appid or mchid is not this shop's", nil
		case !tookMoney(t.TradeState):
			return OutcomeIgnored, "", nil
		}
		paid, err := s.orders.MarkPaid(ctx, order.Payment{OrderNo: t.OutTradeNo, TransactionID: t.TransactionID,
			Amount: t.Total, PaidAt: t.SuccessTime, RefundedSince: t.TradeState == "REFUND"})
		switch {
		case errs.Is(err, order.ErrAmountMismatch.Code), errs.Is(err, order.ErrPaymentNotFound.Code),
			errs.Is(err, order.ErrOtherPayment.Code):
			return OutcomeMismatch, err.Error(), nil
		case err != nil:
			return "", "", err
		case paid.Duplicate:
			return OutcomeDuplicate, "", nil
		case paid.Unfulfillable:
			why = paid.Why
			r, err := s.openRefund(ctx, RefundInput{OrderNo: t.OutTradeNo, Reason: i18n.M(refundReasons[why]), Actor: order.ActorWeChatPay}, nil)
			refundID = r.ID
			return OutcomeRefunding, why + ", refund " + r.OutRefundNo, err
		}
		// The order became paid in this transaction, and so did everything
		// that goes with it (orderPaid, an order.PaidHook).
		if paid.Revived {
			return OutcomeApplied, "revived a closed order", nil
		}
		return OutcomeApplied, "", nil
	})
	if err != nil {
		return "", err
	}
	switch {
	case outcome == OutcomeApplied && t.TradeState == "REFUND":
		log.Warn("a payment found by query was refunded (in part or whole) outside Kaidian; applied, check the merchant platform before shipping",
			"out_trade_no", t.OutTradeNo, "transaction_id", t.TransactionID, "amount", t.Total)
	}
	switch outcome {
	case OutcomeMismatch:
		log.Error("wechat pay notification does not match the order; not applied",
			"notify_id", t.NotifyID, "out_trade_no", t.OutTradeNo, "transaction_id", t.TransactionID, "amount", t.Total)
	case OutcomeRefunding:
		log.Warn("payment arrived after the order closed and cannot revive it; refunding it in full",
			"out_trade_no", t.OutTradeNo, "transaction_id", t.TransactionID, "amount", t.Total, "why", why)
		s.submitSoon(ctx, log, refundID)
	}
	return outcome, nil
}

// tookMoney reports whether a trade state means WeChat took the shopper's
// money: SUCCESS, or REFUND (转入退款), which a query answers once any
// refund of the payment was accepted — including refunds made in the
// merchant platform, or Kaidian's own refund of a payment that arrived after
// the order closed. A refunded payment is still a payment: it is applied if
// Kaidian does not know it, and its order is never closed as unpaid.
func tookMoney(tradeState string) bool { return tradeState == "SUCCESS" || tradeState == "REFUND" }

// refundReasons are the messages shown to the shopper in WeChat with the
// automatic refund of a payment that could not revive its closed order
// (order.Paid.Why).
var refundReasons = map[string]string{
	order.UnfulfillableSoldOut:    "record.wechat.refund_sold_out",
	order.UnfulfillableCouponUsed: "record.wechat.refund_coupon_used",
	order.UnfulfillableFlashLimit: "record.wechat.refund_flash_limit",
	order.UnfulfillableBalance:    "record.wechat.refund_balance_spent",
}

// wechatText is a refund reason as WeChat shows it to the shopper: always
// in Chinese, the language shoppers read WeChat in, whatever the language
// of whoever caused the refund (the console shows the kept message in its
// reader's language). WeChat Pay takes at most 80 characters (申请退款 API,
// reason); openRefund checks it, and a test holds Kaidian's own reasons to it.
func wechatText(reason i18n.Msg) string { return i18n.For(i18n.ZhCN).Msg(reason) }

// record keeps a notification once per notification id together with what
// applying it did, in one transaction: apply runs only for a notification
// not seen before, and its outcome and detail are stored with it.
func (s *Service) record(ctx context.Context, rec notificationRecord,
	apply func(ctx context.Context) (outcome, detail string, err error)) (string, error) {
	err := s.db.Tx(ctx, func(ctx context.Context) error {
		outcome, detail, err := apply(ctx)
		if err != nil {
			return err
		}
		rec.Outcome, rec.Detail, rec.CreatedAt = outcome, detail, s.clock.Now()
		err = s.db.Conn(ctx).Create(&rec).Error
		if database.IsDuplicate(err) {
			return errDuplicateNotification
		}
		return err
	})
	switch {
	case errors.Is(err, errDuplicateNotification):
		return OutcomeDuplicate, nil
	case err != nil:
		return "", err
	}
	return rec.Outcome, nil
}

var errDuplicateNotification = errors.New("notification already recorded")
