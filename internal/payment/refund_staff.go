package payment

import (
	"context"
	"log/slog"

	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/i18n"
	"github.com/kaidian/kaidian/internal/money"
)

// Authority is who acts on a refund from the console: their name for the
// order's history and the audit log, and whether they are one of the shop's
// owners, who alone may refund above the shop's owner refund limit.
type Authority struct {
	Actor string
	Owner bool
}

// ErrNeedsOwner refuses staff a refund above the shop's owner refund limit.
var ErrNeedsOwner = errs.New(errs.KindForbidden, "refund_needs_owner",
	"payment.needs_owner")

// Refund starts a refund and asks WeChat Pay for it at once. The refund is
// committed before WeChat is called, so a crash or an unreachable WeChat
// loses nothing: the refund sweep asks again with the same out_refund_no,
// which WeChat refunds at most once. The answer is the refund as it stands
// (normally processing; WeChat's notification or the sweep finishes it).
//
// The refund is checked against the owner refund limit (by) and written to
// the audit log in the same transaction that opens it.
func (s *Service) Refund(ctx context.Context, log *slog.Logger, by Authority, in RefundInput) (Refund, error) {
	in.Actor = by.Actor
	var r Refund
	err := s.db.Tx(ctx, func(ctx context.Context) error {
		var err error
		if r, err = s.openRefund(ctx, in, nil); err != nil {
			return err
		}
		if err := s.withinLimit(ctx, by, r.OrderID); err != nil {
			return err
		}
		return s.audit.Record(ctx, by.Actor, "refund.create", "order", in.OrderNo, describeRefund(r))
	})
	if err != nil {
		return Refund{}, err
	}
	return s.SyncRefund(ctx, log, r.ID)
}

// ApproveRefundRequest decides a request waiting for the merchant. A
// refund_only request starts the refund the shopper asked for (its amount,
// its reason; restock puts its chosen units — or, for a request of an
// amount, every unit not yet restocked — back on sale when it succeeds)
// and asks WeChat Pay for it; the owner refund limit applies to that
// refund. A return_refund request is approved without money moving: the
// shopper is shown the return address and sends the goods back
// (aftersale_flow.go). Either way the decision goes into the order's
// history and the audit log in the same transaction.
func (s *Service) ApproveRefundRequest(ctx context.Context, log *slog.Logger, by Authority, id int64, restock bool) (RefundRequest, error) {
	var req RefundRequest
	err := s.db.Tx(ctx, func(ctx context.Context) error {
		var err error
		if req, err = s.pendingRequest(ctx, id); err != nil {
			return err
		}
		o, err := s.orders.ByID(ctx, req.OrderID)
		if err != nil {
			return err
		}
		if req.Type == TypeReturnRefund {
			return s.approveReturn(ctx, by, &req, o)
		}
		in := RefundInput{OrderNo: o.OrderNo, Amount: req.Amount, Reason: i18n.Text(req.Reason), Actor: by.Actor}
		switch {
		case restock && len(req.Items.V) > 0:
			in.Restock = itemsRestock(req.Items.V)
		case restock:
			in.RestockAll = true
		}
		r, err := s.openRefund(ctx, in, &req.ID)
		if err != nil {
			return err
		}
		if err := s.withinLimit(ctx, by, o.ID); err != nil {
			return err
		}
		req.RefundID = &r.ID
		note := i18n.M("record.refund.request_approved", "refund", r.OutRefundNo)
		if err := s.decide(ctx, &req, RequestApproved, by.Actor, note); err != nil {
			return err
		}
		if err := s.orders.Note(ctx, o.ID, by.Actor, i18n.M("record.aftersale.approved", "request", req.ID, "refund", r.OutRefundNo)); err != nil {
			return err
		}
		return s.audit.Record(ctx, by.Actor, "refund.approve", "order", o.OrderNo,
			i18n.M("record.audit.refund_request_approved", "request", req.ID, "refund", describeRefund(r)))
	})
	if err != nil || req.RefundID == nil {
		return req, err
	}
	r, err := s.SyncRefund(ctx, log, *req.RefundID)
	req.Refund = &r
	return req, err
}

// DeclineRefundRequest turns a shopper's request down with a note they see
// (one waiting for a decision, or a return not yet refunded), into the
// order's history and the audit log in the same transaction. Declining
// costs nothing, so no limit applies.
func (s *Service) DeclineRefundRequest(ctx context.Context, by Authority, id int64, note string) (RefundRequest, error) {
	var req RefundRequest
	err := s.db.Tx(ctx, func(ctx context.Context) error {
		var err error
		if req, err = s.declineRequest(ctx, id, by.Actor, note); err != nil {
			return err
		}
		o, err := s.orders.ByID(ctx, req.OrderID)
		if err != nil {
			return err
		}
		if err := s.orders.Note(ctx, o.ID, by.Actor, i18n.M("record.aftersale.declined", "request", req.ID, "note", req.DecisionNote)); err != nil {
			return err
		}
		if err := s.audit.Record(ctx, by.Actor, "refund.decline", "order", o.OrderNo,
			i18n.M("record.audit.refund_request_declined", "request", req.ID, "amount", money.Yuan(req.Amount), "note", req.DecisionNote)); err != nil {
			return err
		}
		return s.emitAfterSale(ctx, o, "refund.decline", i18n.For(i18n.ZhCN).Msg(req.DecisionNote))
	})
	return req, err
}

// withinLimit refuses staff when the order's refunds that have not failed
// (processing ones may yet succeed; the one being opened is among them) add
// up to more than the shop's owner refund limit. Counting the order's whole
// total, not the one refund, keeps staff from passing the limit in slices.
func (s *Service) withinLimit(ctx context.Context, by Authority, orderID int64) error {
	if by.Owner {
		return nil
	}
	sh, err := s.settings.Get(ctx)
	if err != nil {
		return err
	}
	inFlight, err := s.RefundsInFlight(ctx, []int64{orderID})
	if err != nil {
		return err
	}
	total := inFlight[orderID]
	if total > sh.OwnerRefundLimit {
		return ErrNeedsOwner.With("limit", sh.OwnerRefundLimit).With("refunds", total).
			Arg("limit_yuan", money.Yuan(sh.OwnerRefundLimit)).Arg("total_yuan", money.Yuan(total))
	}
	return nil
}

// RefundsInFlight is how much of each order is refunded or being refunded
// (every refund that has not failed), by order id; orders without refunds
// are absent.
func (s *Service) RefundsInFlight(ctx context.Context, orderIDs []int64) (map[int64]int64, error) {
	var rows []struct {
		OrderID int64
		Total   int64
	}
	err := s.db.Conn(ctx).Model(&Refund{}).Select("order_id, SUM(amount) AS total").
		Where("order_id IN ? AND status <> ?", orderIDs, RefundFailed).Group("order_id").Scan(&rows).Error
	out := make(map[int64]int64, len(rows))
	for _, r := range rows {
		out[r.OrderID] = r.Total
	}
	return out, err
}

// describeRefund is a refund in the words of the audit log. Its reason is
// kept as it was sent to WeChat.
func describeRefund(r Refund) i18n.Msg {
	var units int64
	for _, l := range r.Restock.V {
		units += l.Quantity
	}
	return i18n.M("record.audit.refund", "amount", money.Yuan(r.Amount), "refund", r.OutRefundNo,
		"units", units, "reason", r.Reason)
}
