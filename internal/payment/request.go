package payment

import (
	"context"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/kaidian/kaidian/internal/database"
	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/i18n"
	"github.com/kaidian/kaidian/internal/order"
)

// Refund request states: a shopper asks, the merchant decides.
const (
	RequestPending  = "pending"
	RequestApproved = "approved"
	RequestDeclined = "declined"
)

// RefundRequest is a shopper asking for (part of) their money back.
type RefundRequest struct {
	ID           int64      `gorm:"column:id;primaryKey"`
	OrderID      int64      `gorm:"column:order_id"`
	ShopperID    int64      `gorm:"column:shopper_id"`
	Amount       int64      `gorm:"column:amount"`
	Reason       string     `gorm:"column:reason"`
	Status       string     `gorm:"column:status"`
	DecidedBy    string     `gorm:"column:decided_by"`
	DecisionNote i18n.Msg   `gorm:"column:decision_note"` // what the shopper reads: the merchant's words, or a message
	RefundID     *int64     `gorm:"column:refund_id"`
	CreatedAt    time.Time  `gorm:"column:created_at"`
	DecidedAt    *time.Time `gorm:"column:decided_at"`

	Refund *Refund `gorm:"-"` // the refund an approval started
}

// TableName maps RefundRequest to its table.
func (RefundRequest) TableName() string { return "refund_requests" }

// RequestInput is what a shopper sends.
type RequestInput struct {
	Amount int64  `json:"amount"` // fen; 0 or absent: everything not yet refunded
	Reason string `json:"reason"`
}

// Errors of refund requests.
var (
	ErrRequestPending = errs.Conflict("refund_request_pending", "payment.request_pending")
	ErrRequestDecided = errs.Conflict("refund_request_decided", "payment.request_decided")
	ErrRequestUnknown = errs.NotFound("refund_request_not_found", "payment.request_not_found")
)

// RequestRefund records a shopper's refund request for one of their paid
// orders, for the merchant to approve or decline. The amount is checked
// against what is still refundable; one request per order waits at a time.
func (s *Service) RequestRefund(ctx context.Context, shopperID int64, orderNo string, in RequestInput) (RefundRequest, error) {
	in.Reason = strings.TrimSpace(in.Reason)
	switch n := utf8.RuneCountInString(in.Reason); {
	case n == 0:
		return RefundRequest{}, errs.Field("reason", "invalid.required")
	case n > maxReasonRunes:
		return RefundRequest{}, errs.Field("reason", "invalid.max_length", "max", 80)
	case in.Amount < 0:
		return RefundRequest{}, errs.Field("amount", "invalid.not_negative")
	}
	var req RefundRequest
	err := s.db.Tx(ctx, func(ctx context.Context) error {
		o, err := s.orders.LockForRefund(ctx, orderNo)
		if errs.Is(err, order.ErrPaymentNotFound.Code) || (err == nil && o.ShopperID != shopperID) {
			return order.ErrNotFound
		}
		if err != nil {
			return err
		}
		if !o.Refundable() || o.Status == order.StatusClosed {
			return ErrNotRefundable.With("status", string(o.Status))
		}
		earlier, err := s.Refunds(ctx, o.ID)
		if err != nil {
			return err
		}
		left := refundable(o, earlier)
		if in.Amount == 0 {
			in.Amount = left
		}
		if in.Amount <= 0 || in.Amount > left {
			return ErrRefundExceeds.With("refundable", left)
		}
		req = RefundRequest{OrderID: o.ID, ShopperID: shopperID, Amount: in.Amount, Reason: in.Reason,
			Status: RequestPending, CreatedAt: s.clock.Now()}
		err = s.db.Conn(ctx).Create(&req).Error
		if database.IsDuplicate(err) {
			return ErrRequestPending
		}
		return err
	})
	return req, err
}

// RefundRequests lists the shopper's refund requests for one of their
// orders, newest first, each with the refund it started.
func (s *Service) RefundRequests(ctx context.Context, shopperID int64, orderNo string) ([]RefundRequest, error) {
	o, err := s.orders.Get(ctx, shopperID, orderNo)
	if err != nil {
		return nil, err
	}
	var reqs []RefundRequest
	if err := s.db.Conn(ctx).Where("order_id = ?", o.ID).Order("id DESC").Find(&reqs).Error; err != nil {
		return nil, err
	}
	refunds, err := s.Refunds(ctx, o.ID)
	if err != nil {
		return nil, err
	}
	for i := range reqs {
		for j := range refunds {
			if reqs[i].RefundID != nil && *reqs[i].RefundID == refunds[j].ID {
				reqs[i].Refund = &refunds[j]
			}
		}
	}
	return reqs, nil
}

// PendingRequest is a refund request waiting for the merchant, with its order.
type PendingRequest struct {
	RefundRequest
	OrderNo   string
	PayAmount int64
}

// PendingRefundRequests lists requests waiting for a decision, oldest first.
func (s *Service) PendingRefundRequests(ctx context.Context, limit int) ([]PendingRequest, error) {
	var reqs []RefundRequest
	if err := s.db.Conn(ctx).Where("status = ?", RequestPending).Order("id").Limit(limit).Find(&reqs).Error; err != nil {
		return nil, err
	}
	ids := make([]int64, len(reqs))
	for i, r := range reqs {
		ids[i] = r.OrderID
	}
	refs, err := s.orders.Refs(ctx, ids) // the order numbers and amounts are order's to read
	if err != nil {
		return nil, err
	}
	out := make([]PendingRequest, len(reqs))
	for i, r := range reqs {
		out[i] = PendingRequest{RefundRequest: r, OrderNo: refs[r.OrderID].OrderNo, PayAmount: refs[r.OrderID].PayAmount}
	}
	return out, nil
}

// declineRequest turns a shopper's request down with a note they see.
func (s *Service) declineRequest(ctx context.Context, id int64, actor, note string) (RefundRequest, error) {
	note = strings.TrimSpace(note)
	if note == "" {
		return RefundRequest{}, errs.Field("note", "payment.decline_note")
	}
	var req RefundRequest
	err := s.db.Tx(ctx, func(ctx context.Context) error {
		var err error
		if req, err = s.pendingRequest(ctx, id); err != nil {
			return err
		}
		return s.decide(ctx, &req, RequestDeclined, actor, i18n.Text(note))
	})
	return req, err
}

// pendingRequest locks a request and checks it still waits for a decision.
func (s *Service) pendingRequest(ctx context.Context, id int64) (RefundRequest, error) {
	var req RefundRequest
	if err := s.db.LockRow(ctx, "refund_requests", id); err != nil {
		return req, err
	}
	err := s.db.Conn(ctx).Where("id = ?", id).Take(&req).Error
	switch {
	case database.IsNotFound(err):
		return req, ErrRequestUnknown.With("id", strconv.FormatInt(id, 10))
	case err != nil:
		return req, err
	case req.Status != RequestPending:
		return req, ErrRequestDecided.With("status", req.Status)
	}
	return req, nil
}

func (s *Service) decide(ctx context.Context, req *RefundRequest, status, actor string, note i18n.Msg) error {
	now := s.clock.Now()
	req.Status, req.DecidedBy, req.DecisionNote, req.DecidedAt = status, actor, note, &now
	return s.db.Conn(ctx).Model(&RefundRequest{}).Where("id = ? AND status = ?", req.ID, RequestPending).
		Updates(map[string]any{"status": status, "decided_by": actor, "decision_note": note,
			"decided_at": now, "refund_id": req.RefundID}).Error
}
