package payment

import (
	"context"
	"log/slog"
	"time"

	"github.com/kaidian/kaidian/internal/database"
	"github.com/kaidian/kaidian/internal/errs"
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

// ApplyNotification records a notification and applies it, in one
// transaction: the same notification id twice changes nothing; a
// notification naming another app or merchant, or another amount, is
// recorded as a mismatch (and logged) without marking anything paid; a
// success marks the order paid and sells its stock. It returns the outcome
// once the work is committed; an error means nothing was kept and WeChat
// should retry.
func (s *Service) ApplyNotification(ctx context.Context, log *slog.Logger, t Transaction) (string, error) {
	outcome := OutcomeApplied
	err := s.db.Tx(ctx, func(ctx context.Context) error {
		rec := notificationRecord{NotifyID: t.NotifyID, EventType: t.EventType, OutTradeNo: t.OutTradeNo,
			TransactionID: t.TransactionID, TradeState: t.TradeState, Amount: t.Total, CreatedAt: s.now()}
		switch {
		case t.AppID != s.merchant.AppID || t.MchID != s.merchant.MchID:
			outcome, rec.Detail = OutcomeMismatch, "appid or mchid is not this shop's"
		case t.TradeState != "SUCCESS":
			outcome = OutcomeIgnored
		default:
			_, dup, err := s.orders.MarkPaid(ctx, order.Payment{OrderNo: t.OutTradeNo, TransactionID: t.TransactionID,
				Amount: t.Total, PaidAt: t.SuccessTime})
			switch {
			case errs.Is(err, order.ErrAmountMismatch.Code), errs.Is(err, order.ErrPaymentNotFound.Code),
				errs.Is(err, order.ErrOtherPayment.Code):
				outcome, rec.Detail = OutcomeMismatch, err.Error()
			case err != nil:
				return err
			case dup:
				outcome = OutcomeDuplicate
			}
		}
		rec.Outcome = outcome
		err := s.db.Conn(ctx).Create(&rec).Error
		if database.IsDuplicate(err) {
			outcome = OutcomeDuplicate
			return errDuplicateNotification
		}
		return err
	})
	if err == errDuplicateNotification {
		return OutcomeDuplicate, nil
	}
	if err != nil {
		return "", err
	}
	if outcome == OutcomeMismatch {
		log.Error("wechat pay notification does not match the order; not applied",
			"notify_id", t.NotifyID, "out_trade_no", t.OutTradeNo, "transaction_id", t.TransactionID, "amount", t.Total)
	}
	return outcome, nil
}

var errDuplicateNotification = errs.Conflict("duplicate_notification", "already recorded")
