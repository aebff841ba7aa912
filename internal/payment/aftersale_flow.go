package payment

import (
	"context"
	"log/slog"
	"strconv"

	"github.com/kaidian/kaidian/internal/database"
	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/i18n"
	"github.com/kaidian/kaidian/internal/inventory"
	"github.com/kaidian/kaidian/internal/money"
	"github.com/kaidian/kaidian/internal/order"
)

func shopperActor(id int64) string { return "shopper:" + strconv.FormatInt(id, 10) }

// describeItems is a request's lines in the words of the history.
func describeItems(items []RequestItem) []i18n.Msg {
	out := make([]i18n.Msg, len(items))
	for i, it := range items {
		out[i] = i18n.M("record.aftersale.item", "title", it.Title, "quantity", it.Quantity)
	}
	return out
}

// afterSaleStep writes one after-sale step into the order's history and the
// audit log, and the shopper's subscribe message when the shop took it, in
// the caller's transaction, so none can miss a step that happened nor
// claim one that did not.
func (s *Service) afterSaleStep(ctx context.Context, o order.Order, req RefundRequest, actor, action string, msg i18n.Msg) error {
	if err := s.orders.Note(ctx, o.ID, actor, msg); err != nil {
		return err
	}
	if err := s.audit.Record(ctx, actor, action, "order", o.OrderNo, msg); err != nil {
		return err
	}
	return s.emitAfterSale(ctx, o, action, "")
}

// shopperRequest locks one of the shopper's requests; anyone else's is not
// found, exactly like one that does not exist.
func (s *Service) shopperRequest(ctx context.Context, shopperID, id int64) (RefundRequest, order.Order, error) {
	req, err := s.lockRequest(ctx, id, RequestPending, RequestApproved, RequestReturning, RequestReceived,
		RequestRefunded, RequestDeclined, RequestCancelled)
	if err == nil && req.ShopperID != shopperID {
		err = ErrRequestUnknown.With("id", strconv.FormatInt(id, 10))
	}
	if err != nil {
		return RefundRequest{}, order.Order{}, err
	}
	o, err := s.orders.ByID(ctx, req.OrderID)
	return req, o, err
}

// ReturnShipment records the waybill of goods the shopper sent back for an
// approved return: approved → returning.
func (s *Service) ReturnShipment(ctx context.Context, shopperID, id int64, in ReturnShipmentInput) (RefundRequest, error) {
	if err := in.normalize(); err != nil {
		return RefundRequest{}, err
	}
	var req RefundRequest
	err := s.db.Tx(ctx, func(ctx context.Context) error {
		var o order.Order
		var err error
		if req, o, err = s.shopperRequest(ctx, shopperID, id); err != nil {
			return err
		}
		if req.Type != TypeReturnRefund || req.Status != RequestApproved {
			return ErrRequestState.With("status", req.Status)
		}
		now := s.clock.Now()
		from := req.Status
		req.Status, req.ReturnCarrier, req.ReturnTrackingNo, req.ReturnedAt, req.UpdatedAt = RequestReturning, in.Carrier, in.TrackingNo, &now, &now
		if err := s.moveRequest(ctx, id, from, map[string]any{"status": req.Status, "return_carrier": in.Carrier,
			"return_tracking_no": in.TrackingNo, "returned_at": now, "updated_at": now}); err != nil {
			return err
		}
		return s.afterSaleStep(ctx, o, req, shopperActor(shopperID), "aftersale.return_shipment",
			i18n.M("record.aftersale.returned", "request", id, "carrier", in.Carrier, "tracking", in.TrackingNo))
	})
	return s.completeOne(ctx, req, err)
}

// CancelRefundRequest withdraws one of the shopper's requests before its
// refund starts; its items and amount are free to ask for again.
func (s *Service) CancelRefundRequest(ctx context.Context, shopperID, id int64) (RefundRequest, error) {
	var req RefundRequest
	err := s.db.Tx(ctx, func(ctx context.Context) error {
		var o order.Order
		var err error
		if req, o, err = s.shopperRequest(ctx, shopperID, id); err != nil {
			return err
		}
		if !req.awaitingRefund() {
			return ErrRequestState.With("status", req.Status)
		}
		now := s.clock.Now()
		from := req.Status
		req.Status, req.UpdatedAt = RequestCancelled, &now
		if err := s.moveRequest(ctx, id, from, map[string]any{"status": req.Status, "updated_at": now}); err != nil {
			return err
		}
		return s.afterSaleStep(ctx, o, req, shopperActor(shopperID), "aftersale.cancel",
			i18n.M("record.aftersale.cancelled", "request", id))
	})
	return s.completeOne(ctx, req, err)
}

// ReceiveReturn records that the goods of a return arrived (returning, or
// approved when the parcel beat its waybill) and which of their units go
// back on sale when the refund succeeds: at most the units the request
// returns, SKU by SKU.
func (s *Service) ReceiveReturn(ctx context.Context, by Authority, id int64, restock []inventory.Line) (RefundRequest, error) {
	var req RefundRequest
	err := s.db.Tx(ctx, func(ctx context.Context) error {
		var err error
		if req, err = s.lockRequest(ctx, id, RequestApproved, RequestReturning); err != nil {
			return err
		}
		if req.Type != TypeReturnRefund {
			return ErrRequestState.With("status", req.Status)
		}
		if err := checkReturnRestock(req.Items.V, restock); err != nil {
			return err
		}
		o, err := s.orders.ByID(ctx, req.OrderID)
		if err != nil {
			return err
		}
		now := s.clock.Now()
		from := req.Status
		req.Status, req.ReceivedAt, req.ReceivedBy, req.UpdatedAt = RequestReceived, &now, by.Actor, &now
		req.Restock = database.JSON[[]inventory.Line]{V: restock}
		if err := s.moveRequest(ctx, id, from, map[string]any{"status": req.Status, "received_at": now,
			"received_by": by.Actor, "restock": req.Restock, "updated_at": now}); err != nil {
			return err
		}
		var units int64
		for _, l := range restock {
			units += l.Quantity
		}
		return s.afterSaleStep(ctx, o, req, by.Actor, "aftersale.receive",
			i18n.M("record.aftersale.received", "request", id, "units", units))
	})
	return req, err
}

// checkReturnRestock allows restocking only units the return brings back.
func checkReturnRestock(items []RequestItem, restock []inventory.Line) error {
	left := map[int64]int64{}
	for _, it := range items {
		left[it.SKUID] += it.Quantity
	}
	for _, l := range restock {
		if l.Quantity <= 0 {
			return errs.Field("restock", "payment.restock_positive")
		}
		if l.Quantity > left[l.SKUID] {
			return ErrRestockExceeds.With("sku_id", l.SKUID)
		}
		left[l.SKUID] -= l.Quantity
	}
	return nil
}

// RefundReturn starts the refund of a return whose goods arrived: its
// amount, its reason, the restock chosen on receipt; received → refunded.
// The owner refund limit applies and the step is audited in the same
// transaction; WeChat Pay is asked after commit, as for every refund.
func (s *Service) RefundReturn(ctx context.Context, log *slog.Logger, by Authority, id int64) (RefundRequest, error) {
	var req RefundRequest
	err := s.db.Tx(ctx, func(ctx context.Context) error {
		var err error
		if req, err = s.lockRequest(ctx, id, RequestReceived); err != nil {
			return err
		}
		o, err := s.orders.ByID(ctx, req.OrderID)
		if err != nil {
			return err
		}
		r, err := s.openRefund(ctx, RefundInput{OrderNo: o.OrderNo, Amount: req.Amount, Reason: i18n.Text(req.Reason),
			Restock: req.Restock.V, Actor: by.Actor}, &req.ID)
		if err != nil {
			return err
		}
		if err := s.withinLimit(ctx, by, o.ID); err != nil {
			return err
		}
		now := s.clock.Now()
		from := req.Status
		req.Status, req.RefundID, req.UpdatedAt = RequestRefunded, &r.ID, &now
		if err := s.moveRequest(ctx, id, from, map[string]any{"status": req.Status, "refund_id": r.ID, "updated_at": now}); err != nil {
			return err
		}
		return s.afterSaleStep(ctx, o, req, by.Actor, "aftersale.refund",
			i18n.M("record.aftersale.refunded", "request", id, "refund", describeRefund(r)))
	})
	if err != nil {
		return RefundRequest{}, err
	}
	r, err := s.SyncRefund(ctx, log, *req.RefundID)
	req.Refund = &r
	return req, err
}

// approveReturn approves a return in the caller's transaction: the shopper
// is shown the shop's return address, so there must be one.
func (s *Service) approveReturn(ctx context.Context, by Authority, req *RefundRequest, o order.Order) error {
	sh, err := s.settings.Get(ctx)
	if err != nil {
		return err
	}
	if !sh.AfterSale().HasReturnAddress() {
		return ErrNoReturnAddress
	}
	if err := s.decide(ctx, req, RequestApproved, by.Actor, i18n.M("record.aftersale.return_note")); err != nil {
		return err
	}
	return s.afterSaleStep(ctx, o, *req, by.Actor, "refund.approve",
		i18n.M("record.aftersale.return_approved", "request", req.ID, "amount", money.Yuan(req.Amount)))
}

// itemsRestock is the restock of a refund_only request with items whose
// approval puts its units back on sale.
func itemsRestock(items []RequestItem) []inventory.Line {
	out := make([]inventory.Line, 0, len(items))
	for _, it := range items {
		out = append(out, inventory.Line{SKUID: it.SKUID, Quantity: it.Quantity})
	}
	return out
}
