package payment

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/kaidian/kaidian/internal/database"
	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/i18n"
	"github.com/kaidian/kaidian/internal/inventory"
	"github.com/kaidian/kaidian/internal/money"
	"github.com/kaidian/kaidian/internal/order"
	"github.com/kaidian/kaidian/internal/setting"
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
	// After sale (aftersale.go): what the request is about and, for a
	// return, the goods' way back.
	Type             string                          `gorm:"column:type"`
	Items            database.JSON[[]RequestItem]    `gorm:"column:items"`
	Photos           database.JSON[[]string]         `gorm:"column:photos"`
	ReturnCarrier    string                          `gorm:"column:return_carrier"`
	ReturnTrackingNo string                          `gorm:"column:return_tracking_no"`
	ReturnedAt       *time.Time                      `gorm:"column:returned_at"`
	ReceivedAt       *time.Time                      `gorm:"column:received_at"`
	ReceivedBy       string                          `gorm:"column:received_by"`
	Restock          database.JSON[[]inventory.Line] `gorm:"column:restock"`
	UpdatedAt        *time.Time                      `gorm:"column:updated_at"`

	Refund    *Refund            `gorm:"-"` // the refund an approval started
	OrderNo   string             `gorm:"-"`
	OrderPaid int64              `gorm:"-"` // what the order paid, fen
	ReturnTo  *setting.AfterSale `gorm:"-"` // where to send a return's goods, once approved
}

// TableName maps RefundRequest to its table.
func (RefundRequest) TableName() string { return "refund_requests" }

// RequestInput is what a shopper sends.
type RequestInput struct {
	Amount int64  `json:"amount"` // fen; 0 or absent: everything not yet refunded (or the chosen items' share)
	Reason string `json:"reason"`
	// After sale: refund_only (default) or return_refund, the lines and
	// quantities asked about (required for a return) and photos.
	Type   string      `json:"type"`
	Items  []ItemInput `json:"items"`
	Photos []string    `json:"photos"`
}

// Errors of refund requests.
var (
	ErrRequestPending = errs.Conflict("refund_request_pending", "payment.request_pending")
	ErrRequestDecided = errs.Conflict("refund_request_decided", "payment.request_decided")
	ErrRequestUnknown = errs.NotFound("refund_request_not_found", "payment.request_not_found")
)

// RequestRefund records a shopper's refund request for one of their paid
// orders, for the merchant to approve or decline: an amount, or chosen
// lines and quantities (priced by chooseItems), refund only or with the
// goods returned. The amount is checked against what is still refundable
// less what requests not yet refunded hold; the order's row is locked
// first, so concurrent requests are decided one after another against what
// the ones before them committed. One request per order waits at a time.
// The request goes into the order's history and the audit log.
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
	if err := normalizeAfterSale(&in); err != nil {
		return RefundRequest{}, err
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
		if in.Type == TypeReturnRefund && o.Status != order.StatusShipped && o.Status != order.StatusCompleted {
			return ErrNotReturnable.With("status", string(o.Status))
		}
		if len(in.Photos) > 0 {
			if s.photos == nil {
				return errs.Field("photos", "aftersale.photo")
			}
			if err := s.photos.CheckPhotos(ctx, shopperID, in.Photos); err != nil {
				return err
			}
		}
		earlier, err := s.Refunds(ctx, o.ID)
		if err != nil {
			return err
		}
		var requests []RefundRequest
		if err := s.db.Conn(ctx).Where("order_id = ?", o.ID).Find(&requests).Error; err != nil {
			return err
		}
		left := refundable(o, earlier)
		for _, r := range requests {
			if r.awaitingRefund() {
				left -= r.Amount
			}
		}
		var items []RequestItem
		switch {
		case len(in.Items) > 0: // their share, never "everything left" (items that cost nothing refund nothing)
			if items, in.Amount, err = chooseItems(o, requests, in.Items); err != nil {
				return err
			}
		case in.Amount == 0:
			in.Amount = left
		}
		if in.Amount <= 0 || in.Amount > left {
			return ErrRefundExceeds.With("refundable", max(left, 0)).Arg("left", money.Yuan(max(left, 0)))
		}
		now := s.clock.Now()
		req = RefundRequest{OrderID: o.ID, ShopperID: shopperID, Amount: in.Amount, Reason: in.Reason,
			Status: RequestPending, CreatedAt: now, UpdatedAt: &now, Type: in.Type,
			Items: database.JSON[[]RequestItem]{V: items}, Photos: database.JSON[[]string]{V: in.Photos}}
		err = s.db.Conn(ctx).Create(&req).Error
		if database.IsDuplicate(err) {
			return ErrRequestPending
		}
		if err != nil {
			return err
		}
		return s.afterSaleStep(ctx, o, req, shopperActor(shopperID), "aftersale.request",
			i18n.M("record.aftersale.requested", "request", req.ID, "type", i18n.M("aftersale.type."+req.Type), "amount", money.Yuan(req.Amount),
				"items", describeItems(req.Items.V), "reason", req.Reason))
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
	return reqs, s.complete(ctx, reqs)
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

// declineRequest turns a shopper's request down with a note they see: a
// request waiting for a decision, or a return not yet refunded (the goods
// never came, or came back not as described).
func (s *Service) declineRequest(ctx context.Context, id int64, actor, note string) (RefundRequest, error) {
	note = strings.TrimSpace(note)
	switch n := utf8.RuneCountInString(note); {
	case n == 0:
		return RefundRequest{}, errs.Field("note", "payment.decline_note")
	case n > maxReasonRunes:
		return RefundRequest{}, errs.Field("note", "invalid.max_length", "max", maxReasonRunes)
	}
	var req RefundRequest
	err := s.db.Tx(ctx, func(ctx context.Context) error {
		var err error
		if req, err = s.lockRequest(ctx, id, RequestPending, RequestApproved, RequestReturning, RequestReceived); err != nil {
			return err
		}
		if req.RefundID != nil {
			return ErrRequestDecided.With("status", req.Status)
		}
		return s.decide(ctx, &req, RequestDeclined, actor, i18n.Text(note))
	})
	return req, err
}

// pendingRequest locks a request and checks it still waits for a decision.
func (s *Service) pendingRequest(ctx context.Context, id int64) (RefundRequest, error) {
	req, err := s.lockRequest(ctx, id, RequestPending)
	if errs.Is(err, ErrRequestState.Code) {
		return req, ErrRequestDecided.With("status", req.Status)
	}
	return req, err
}

// lockRequest locks a request's row until the transaction ends and checks
// it is in one of the states given (ErrRequestState otherwise).
func (s *Service) lockRequest(ctx context.Context, id int64, states ...string) (RefundRequest, error) {
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
	case !slices.Contains(states, req.Status):
		return req, ErrRequestState.With("status", req.Status)
	}
	return req, nil
}

// decide records the merchant's decision, guarded on the state the request
// was read in (its row is locked, so the guard is a second line of defence).
func (s *Service) decide(ctx context.Context, req *RefundRequest, status, actor string, note i18n.Msg) error {
	now := s.clock.Now()
	from := req.Status
	req.Status, req.DecidedBy, req.DecisionNote, req.DecidedAt, req.UpdatedAt = status, actor, note, &now, &now
	return s.moveRequest(ctx, req.ID, from, map[string]any{"status": status, "decided_by": actor, "decision_note": note,
		"decided_at": now, "refund_id": req.RefundID, "updated_at": now})
}

// moveRequest updates a request only while it is still in from, and
// fails if it is not (the state changed under the caller).
func (s *Service) moveRequest(ctx context.Context, id int64, from string, set map[string]any) error {
	res := s.db.Conn(ctx).Model(&RefundRequest{}).Where("id = ? AND status = ?", id, from).Updates(set)
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected != 1 {
		return ErrRequestState.With("status", "changed")
	}
	return nil
}
