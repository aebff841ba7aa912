package payment

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"
	"unicode/utf8"

	"github.com/kaidian/kaidian/internal/database"
	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/i18n"
	"github.com/kaidian/kaidian/internal/inventory"
	"github.com/kaidian/kaidian/internal/money"
	"github.com/kaidian/kaidian/internal/order"
)

// Refund states (design brief, "States").
const (
	RefundProcessing = "processing"
	RefundSucceeded  = "succeeded"
	RefundFailed     = "failed"
)

// WeChat Pay's refund statuses.
const (
	wxRefundProcessing = "PROCESSING"
	wxRefundSuccess    = "SUCCESS"
	wxRefundClosed     = "CLOSED"
	wxRefundAbnormal   = "ABNORMAL"
)

// Limits WeChat Pay puts on refunds.
const (
	maxRefundsPerOrder = 50
	refundWindow       = 365 * 24 * time.Hour
	maxReasonRunes     = 80
)

// Refund is one refund of (part of) a paid order.
type Refund struct {
	ID          int64  `gorm:"column:id;primaryKey"`
	OrderID     int64  `gorm:"column:order_id"`
	OutRefundNo string `gorm:"column:out_refund_no"`
	RefundID    string `gorm:"column:refund_id"` // WeChat's
	Amount      int64  `gorm:"column:amount"`    // fen, the whole refund
	// GiftCardAmount is the part of Amount given back to the shopper's
	// gift-card balance (see openRefund); the rest goes through WeChat Pay.
	GiftCardAmount int64                           `gorm:"column:gift_card_amount"`
	Reason         i18n.Msg                        `gorm:"column:reason"` // sent to WeChat in Chinese (wechatText), shown in the reader's language
	Status         string                          `gorm:"column:status"`
	WechatStatus   string                          `gorm:"column:wechat_status"`
	Restock        database.JSON[[]inventory.Line] `gorm:"column:restock"`
	RequestID      *int64                          `gorm:"column:request_id"`
	Actor          string                          `gorm:"column:actor"`
	Submitted      bool                            `gorm:"column:submitted"` // WeChat accepted the create
	Attempts       int                             `gorm:"column:attempts"`
	LastError      string                          `gorm:"column:last_error"`
	NextCheckAt    time.Time                       `gorm:"column:next_check_at"`
	SucceededAt    *time.Time                      `gorm:"column:succeeded_at"`
	CreatedAt      time.Time                       `gorm:"column:created_at"`
	UpdatedAt      time.Time                       `gorm:"column:updated_at"`
}

// TableName maps Refund to its table.
func (Refund) TableName() string { return "refunds" }

// WeChatAmount is the part of the refund WeChat Pay gives back.
func (r Refund) WeChatAmount() int64 { return r.Amount - r.GiftCardAmount }

// RefundInput asks for a refund of one order.
type RefundInput struct {
	OrderNo string
	Amount  int64    // fen; 0 means everything not yet refunded
	Reason  i18n.Msg // shown to the shopper by WeChat, in Chinese; at most 80 characters
	// Restock puts these units back on sale when the refund succeeds (goods
	// returned, or never shipped); RestockAll does so for every unit not
	// restocked by an earlier refund.
	Restock    []inventory.Line
	RestockAll bool
	Actor      string // "merchant:7", "wechatpay", …

	giftCard bool // one card's refund of a gift-card order (RefundGiftCard)
}

// RefundCall is one refund as WeChat Pay is asked for it.
type RefundCall struct {
	OutRefundNo, OutTradeNo, TransactionID, Reason, NotifyURL string
	Amount, Total                                             int64
}

// RefundState is what WeChat Pay says about a refund (an answer to create
// or query, or a refund notification).
type RefundState struct {
	OutRefundNo, OutTradeNo, RefundID, Status string
	Amount                                    int64 // fen refunded, 0 when not told
	SuccessTime                               time.Time
}

// RefundRefused is WeChat Pay turning a refund down for good (e.g.
// PARAM_ERROR, RESOURCE_NOT_EXISTS): retrying the same request cannot help.
type RefundRefused struct{ Code, Message string }

func (e *RefundRefused) Error() string {
	return "wechat pay refused the refund: " + e.Code + " " + e.Message
}

// Errors of refunding.
var (
	ErrNotRefundable  = errs.Conflict("order_not_refundable", "payment.not_refundable")
	ErrRefundExceeds  = errs.Conflict("refund_exceeds_paid", "payment.refund_exceeds_paid")
	ErrTooManyRefunds = errs.Conflict("too_many_refunds", "payment.too_many_refunds")
	ErrRefundTooLate  = errs.Conflict("refund_too_late", "payment.refund_too_late")
	ErrRestockExceeds = errs.Conflict("restock_exceeds_sold", "payment.restock_exceeds_sold")
)

// openRefund records a new refund, in the caller's transaction if there is
// one. The order's row is locked first, so concurrent refunds of one order
// are decided one after another and can never add up to more than was paid.
//
// An order paid partly with the gift-card balance is refunded from both
// parts in proportion: a refund of amount R takes from what is left of the
// balance part b and of the WeChat part w the exact shares of R
// (money.Allocate over b and w), so the last refund takes exactly what is
// left of each and all the order's refunds together give back exactly what
// each part paid, never more. The balance part is credited back when the
// refund succeeds (settleRefund); a refund with no WeChat part — every
// refund of an order the balance paid entirely — succeeds at once, in this
// transaction, without asking WeChat Pay.
func (s *Service) openRefund(ctx context.Context, in RefundInput, requestID *int64) (Refund, error) {
	if in.Amount < 0 {
		return Refund{}, errs.Field("amount", "invalid.not_negative")
	}
	if utf8.RuneCountInString(wechatText(in.Reason)) > maxReasonRunes {
		return Refund{}, errs.Field("reason", "invalid.max_length", "max", maxReasonRunes)
	}
	var r Refund
	err := s.db.Tx(ctx, func(ctx context.Context) error {
		o, err := s.orders.LockForRefund(ctx, in.OrderNo)
		if err != nil {
			return err
		}
		if !o.Refundable() {
			return ErrNotRefundable.With("status", string(o.Status))
		}
		if o.Kind == order.KindGiftCard && !in.giftCard {
			// Its cards may have been claimed, and their value spent:
			// refunding the order would pay back money the cards still hold.
			return ErrGiftCardOrder
		}
		if o.PaidAt != nil && s.clock.Now().Sub(*o.PaidAt) > refundWindow {
			return ErrRefundTooLate
		}
		var earlier []Refund
		if err := s.db.Conn(ctx).Where("order_id = ?", o.ID).Order("id").Find(&earlier).Error; err != nil {
			return err
		}
		if len(earlier) >= maxRefundsPerOrder {
			return ErrTooManyRefunds
		}
		left := refundable(o, earlier)
		balanceLeft := balanceRefundable(o, earlier)
		amount := in.Amount
		if amount == 0 {
			amount = left
		}
		if amount <= 0 || amount > left {
			return ErrRefundExceeds.With("refundable", left)
		}
		restock, err := restockLines(o, earlier, in)
		if err != nil {
			return err
		}
		now := s.clock.Now()
		parts := money.Allocate(amount, []int64{balanceLeft, left - balanceLeft})
		r = Refund{OrderID: o.ID, OutRefundNo: fmt.Sprintf("R%s-%02d", o.OrderNo, len(earlier)+1), Amount: amount,
			GiftCardAmount: parts[0], Reason: in.Reason, Status: RefundProcessing, Restock: database.JSON[[]inventory.Line]{V: restock},
			RequestID: requestID, Actor: in.Actor, NextCheckAt: now.Add(s.pollAfter), CreatedAt: now, UpdatedAt: now}
		if err := s.db.Conn(ctx).Create(&r).Error; err != nil {
			return err
		}
		if r.WeChatAmount() > 0 {
			return nil
		}
		// Nothing for WeChat Pay: the balance part alone, settled now.
		if err := s.settleRefund(ctx, o, &r, now, order.ActorGiftCard); err != nil {
			return err
		}
		if err := s.db.Conn(ctx).Model(&Refund{}).Where("id = ?", r.ID).
			Updates(map[string]any{"status": r.Status, "succeeded_at": now.UTC(), "updated_at": now}).Error; err != nil {
			return err
		}
		return s.emitRefundResult(ctx, r, now)
	})
	return r, err
}

// settleRefund records a refund that succeeded, in the transaction that
// marks it succeeded (the order's row locked): the order's refunded amount
// and history, the units it puts back, its balance part credited back to
// the shopper's gift-card balance, and the promoter's commission brought in
// line. The refund moves from processing to succeeded only here, under a
// guard, so a replayed notification or poll finds it settled and adds
// nothing.
func (s *Service) settleRefund(ctx context.Context, o order.Order, r *Refund, at time.Time, actor string) error {
	if err := s.orders.RecordRefund(ctx, r.OrderID, r.Amount, r.Restock.V,
		inventory.Ref{Type: "refund", ID: r.OutRefundNo}, actor); err != nil {
		return err
	}
	if r.GiftCardAmount > 0 {
		if err := s.giftCards.Refunded(ctx, o.ShopperID, r.OrderID, r.GiftCardAmount); err != nil {
			return err
		}
	}
	if err := s.commissions.Refunded(ctx, r.OrderID, r.ID); err != nil {
		return err
	}
	r.Status, r.SucceededAt = RefundSucceeded, &at
	return nil
}

// refundable is what is left to refund: the payment less every refund that
// has not failed (processing ones count, they may yet succeed).
func refundable(o order.Order, earlier []Refund) int64 {
	left := o.PaidTotal()
	for _, r := range earlier {
		if r.Status != RefundFailed {
			left -= r.Amount
		}
	}
	return left
}

// balanceRefundable is what is left of the gift-card balance's part: what
// it paid less the balance parts of refunds that have not failed.
func balanceRefundable(o order.Order, earlier []Refund) int64 {
	left := o.BalancePaid()
	for _, r := range earlier {
		if r.Status != RefundFailed {
			left -= r.GiftCardAmount
		}
	}
	return max(left, 0)
}

// restockLines checks the units to put back against what the order sold
// less what earlier refunds already put back.
func restockLines(o order.Order, earlier []Refund, in RefundInput) ([]inventory.Line, error) {
	left := map[int64]int64{}
	for _, it := range o.Items {
		left[it.SKUID] += int64(it.Quantity)
	}
	for _, r := range earlier {
		if r.Status == RefundFailed {
			continue
		}
		for _, l := range r.Restock.V {
			left[l.SKUID] -= l.Quantity
		}
	}
	if in.RestockAll {
		var out []inventory.Line
		for _, it := range o.Items {
			if q := left[it.SKUID]; q > 0 {
				out = append(out, inventory.Line{SKUID: it.SKUID, Quantity: q})
				left[it.SKUID] = 0
			}
		}
		return out, nil
	}
	for _, l := range in.Restock {
		if l.Quantity <= 0 {
			return nil, errs.Field("restock", "payment.restock_positive")
		}
		if l.Quantity > left[l.SKUID] {
			return nil, ErrRestockExceeds.With("sku_id", l.SKUID)
		}
		left[l.SKUID] -= l.Quantity
	}
	return in.Restock, nil
}

// SyncRefund brings a processing refund forward: it asks WeChat Pay to make
// it if WeChat has not accepted it yet (same out_refund_no, so never twice),
// otherwise queries it, and applies the answer. When WeChat cannot be
// reached the refund stays processing with the error noted and its next
// check pushed back. Only a database failure is returned as an error.
func (s *Service) SyncRefund(ctx context.Context, log *slog.Logger, id int64) (Refund, error) {
	var r Refund
	if err := s.db.Conn(ctx).Where("id = ?", id).Take(&r).Error; err != nil {
		return Refund{}, err
	}
	if r.Status != RefundProcessing {
		return r, nil
	}
	st, err := s.askWeChat(ctx, r)
	var refused *RefundRefused
	switch {
	case errors.As(err, &refused):
		log.Error("wechat pay refused a refund", "out_refund_no", r.OutRefundNo, "code", refused.Code)
		st = RefundState{OutRefundNo: r.OutRefundNo, Status: wxRefundClosed}
		r.LastError = refused.Code + ": " + refused.Message
	case err != nil:
		log.Warn("refund not confirmed by wechat pay yet; will ask again", "out_refund_no", r.OutRefundNo, "error", err.Error())
		return s.postpone(ctx, r, err.Error())
	}
	if _, err := s.applyRefund(ctx, log, st, r.LastError); err != nil {
		return Refund{}, err
	}
	err = s.db.Conn(ctx).Where("id = ?", id).Take(&r).Error
	return r, err
}

// askWeChat creates the refund at WeChat Pay, or queries it once accepted.
func (s *Service) askWeChat(ctx context.Context, r Refund) (RefundState, error) {
	if r.Submitted {
		return s.gateway.QueryRefund(ctx, r.OutRefundNo)
	}
	o, err := s.orders.ByID(ctx, r.OrderID)
	if err != nil {
		return RefundState{}, err
	}
	return s.gateway.CreateRefund(ctx, RefundCall{OutRefundNo: r.OutRefundNo, OutTradeNo: o.OrderNo,
		TransactionID: o.TransactionID, Reason: wechatText(r.Reason), NotifyURL: s.merchant.RefundNotifyURL,
		Amount: r.WeChatAmount(), Total: o.PayAmount})
}

// postpone notes why a refund is still unconfirmed and when to ask again.
func (s *Service) postpone(ctx context.Context, r Refund, why string) (Refund, error) {
	now := s.clock.Now()
	r.Attempts++
	r.LastError, r.NextCheckAt, r.UpdatedAt = why, now.Add(s.backoff(now.Sub(r.CreatedAt))), now
	err := s.db.Conn(ctx).Model(&Refund{}).Where("id = ? AND status = ?", r.ID, RefundProcessing).
		Updates(map[string]any{"attempts": r.Attempts, "last_error": why, "next_check_at": r.NextCheckAt, "updated_at": now}).Error
	return r, err
}

// backoff is how long to wait before asking WeChat again about something
// that has been open for age: about its age again (so checks double), at
// least the first poll delay and at most an hour.
func (s *Service) backoff(age time.Duration) time.Duration {
	return min(max(age, s.pollAfter), time.Hour)
}

// applyRefund applies what WeChat says about a refund, in one transaction
// (joining the caller's): success marks the refund succeeded, adds it to
// the order's refunded amount and restocks what it names; CLOSED marks it
// failed (its amount becomes refundable again); anything else keeps it
// processing until the next check. A refund that is no longer processing
// is left alone (duplicate), so notifications and polls can race.
func (s *Service) applyRefund(ctx context.Context, log *slog.Logger, st RefundState, failure string) (string, error) {
	outcome := OutcomeApplied
	var r Refund
	err := s.db.Tx(ctx, func(ctx context.Context) error {
		err := s.db.Conn(ctx).Where("out_refund_no = ?", st.OutRefundNo).Take(&r).Error
		if database.IsNotFound(err) {
			outcome = OutcomeMismatch
			return nil
		}
		if err != nil {
			return err
		}
		// Order row first, as openRefund takes it, then the refund's own state.
		if err := s.orders.LockByID(ctx, r.OrderID); err != nil {
			return err
		}
		if err := s.db.Conn(ctx).Where("id = ?", r.ID).Take(&r).Error; err != nil {
			return err
		}
		switch {
		case st.Amount != 0 && st.Amount != r.WeChatAmount():
			outcome = OutcomeMismatch
			return nil
		case r.Status != RefundProcessing:
			outcome = OutcomeDuplicate
			return nil
		}
		now := s.clock.Now()
		set := map[string]any{"submitted": true, "wechat_status": st.Status, "updated_at": now}
		if st.RefundID != "" {
			set["refund_id"] = st.RefundID
		}
		switch st.Status {
		case wxRefundSuccess:
			at := st.SuccessTime
			if at.IsZero() {
				at = now
			}
			set["status"], set["succeeded_at"], set["last_error"] = RefundSucceeded, at.UTC(), ""
			o, err := s.orders.ByID(ctx, r.OrderID)
			if err != nil {
				return err
			}
			if err := s.settleRefund(ctx, o, &r, at.UTC(), order.ActorWeChatPay); err != nil {
				return err
			}
		case wxRefundClosed:
			if failure == "" {
				failure = "closed by WeChat Pay"
			}
			set["status"], set["last_error"] = RefundFailed, failure
		default: // PROCESSING, ABNORMAL: ask again later
			set["next_check_at"] = now.Add(s.backoff(now.Sub(r.CreatedAt)))
			outcome = OutcomeIgnored
		}
		r.Status = fmt.Sprint(set["status"])
		if err := s.db.Conn(ctx).Model(&Refund{}).Where("id = ?", r.ID).Updates(set).Error; err != nil {
			return err
		}
		settled := now
		if at, ok := set["succeeded_at"].(time.Time); ok {
			settled = at // WeChat's success time
		}
		return s.emitRefundResult(ctx, r, settled)
	})
	if err != nil {
		return "", err
	}
	switch {
	case outcome == OutcomeMismatch:
		log.Error("wechat pay refund answer does not match a refund; not applied",
			"out_refund_no", st.OutRefundNo, "amount", st.Amount)
	case st.Status == wxRefundAbnormal:
		log.Error("wechat pay refund is ABNORMAL (e.g. the shopper's card is invalid); handle it in the merchant platform",
			"out_refund_no", st.OutRefundNo)
	case outcome == OutcomeApplied:
		log.Info("refund settled", "out_refund_no", st.OutRefundNo, "wechat_status", st.Status)
	}
	return outcome, nil
}

// RefundNotice is a verified, decrypted refund notification.
type RefundNotice struct {
	NotifyID, EventType, MchID string
	TransactionID              string
	RefundState
}

// ApplyRefundNotification records a refund notification once per id and
// applies it, in one transaction, like payment notifications.
func (s *Service) ApplyRefundNotification(ctx context.Context, log *slog.Logger, n RefundNotice) (string, error) {
	rec := notificationRecord{NotifyID: n.NotifyID, EventType: n.EventType, OutTradeNo: n.OutTradeNo,
		TransactionID: n.TransactionID, TradeState: n.Status, Amount: n.Amount}
	return s.record(ctx, rec, func(ctx context.Context) (string, string, error) {
		if n.MchID != s.merchant.MchID {
			return OutcomeMismatch, "mchid is not this shop's", nil
		}
		outcome, err := s.applyRefund(ctx, log, n.RefundState, "")
		return outcome, "refund " + n.OutRefundNo, err
	})
}

// DueRefunds lists processing refunds whose next check is due, oldest first.
func (s *Service) DueRefunds(ctx context.Context, limit int) ([]int64, error) {
	var ids []int64
	err := s.db.Conn(ctx).Model(&Refund{}).Where("status = ? AND next_check_at <= ?", RefundProcessing, s.clock.Now()).
		Order("next_check_at").Limit(limit).Pluck("id", &ids).Error
	return ids, err
}

// Refunds lists an order's refunds, oldest first.
func (s *Service) Refunds(ctx context.Context, orderID int64) ([]Refund, error) {
	var rs []Refund
	err := s.db.Conn(ctx).Where("order_id = ?", orderID).Order("id").Find(&rs).Error
	return rs, err
}

// submitSoon asks WeChat for a refund just committed, without holding up the
// caller's answer on failure: the sweep retries whatever this does not finish.
func (s *Service) submitSoon(ctx context.Context, log *slog.Logger, id int64) {
	if _, err := s.SyncRefund(context.WithoutCancel(ctx), log, id); err != nil {
		log.Warn("refund not submitted yet; the refund sweep will", "refund", id, "error", err.Error())
	}
}
