package payment

import (
	"context"

	"github.com/kaidian/kaidian/internal/database"
	"github.com/kaidian/kaidian/internal/page"
)

// complete fills in what lists show beside each request: the refund it
// started, its order's number and, for an approved return on its way, the
// address the goods go to.
func (s *Service) complete(ctx context.Context, reqs []RefundRequest) error {
	if len(reqs) == 0 {
		return nil
	}
	orderIDs, refundIDs := make([]int64, 0, len(reqs)), []int64{}
	for _, r := range reqs {
		orderIDs = append(orderIDs, r.OrderID)
		if r.RefundID != nil {
			refundIDs = append(refundIDs, *r.RefundID)
		}
	}
	refs, err := s.orders.Refs(ctx, orderIDs) // the order numbers are order's to read
	if err != nil {
		return err
	}
	refunds := map[int64]Refund{}
	if len(refundIDs) > 0 {
		var rs []Refund
		if err := s.db.Conn(ctx).Where("id IN ?", refundIDs).Find(&rs).Error; err != nil {
			return err
		}
		for _, r := range rs {
			refunds[r.ID] = r
		}
	}
	sh, err := s.settings.Get(ctx)
	if err != nil {
		return err
	}
	addr := sh.AfterSale()
	for i := range reqs {
		r := &reqs[i]
		r.OrderNo, r.OrderPaid = refs[r.OrderID].OrderNo, refs[r.OrderID].PayAmount
		if r.RefundID != nil {
			if rf, ok := refunds[*r.RefundID]; ok {
				r.Refund = &rf
			}
		}
		if r.Type == TypeReturnRefund && (r.Status == RequestApproved || r.Status == RequestReturning || r.Status == RequestReceived) {
			r.ReturnTo = &addr
		}
	}
	return nil
}

// completeOne is complete for the answer of a single step.
func (s *Service) completeOne(ctx context.Context, req RefundRequest, err error) (RefundRequest, error) {
	if err != nil {
		return RefundRequest{}, err
	}
	reqs := []RefundRequest{req}
	err = s.complete(ctx, reqs)
	return reqs[0], err
}

// MyRefundRequests lists the shopper's requests across their orders,
// newest first; the cursor is the last request's id.
func (s *Service) MyRefundRequests(ctx context.Context, shopperID int64, pg page.Request) ([]RefundRequest, string, error) {
	db := s.db.Conn(ctx).Where("shopper_id = ?", shopperID)
	if pg.After > 0 {
		db = db.Where("id < ?", pg.After)
	}
	var reqs []RefundRequest
	if err := db.Order("id DESC").Limit(pg.Limit + 1).Find(&reqs).Error; err != nil {
		return nil, "", err
	}
	reqs, next := page.Trim(reqs, pg, func(r RefundRequest) int64 { return r.ID })
	return reqs, next, s.complete(ctx, reqs)
}

// RefundRequest returns any request by id for the console, completed.
func (s *Service) RefundRequest(ctx context.Context, id int64) (RefundRequest, error) {
	var req RefundRequest
	err := s.db.Conn(ctx).Where("id = ?", id).Take(&req).Error
	if err != nil {
		if database.IsNotFound(err) {
			return req, ErrRequestUnknown
		}
		return req, err
	}
	return s.completeOne(ctx, req, nil)
}

// RequestQuery filters the console's list of requests: by type, and by
// state ("" means every request someone still has to act on: waiting for
// the merchant, or a return on its way back and not yet refunded).
type RequestQuery struct {
	Type, Status string
	Page         page.Request
}

// openStates are the states of requests someone still has to act on.
var openStates = []string{RequestPending, RequestApproved, RequestReturning, RequestReceived}

// SearchRefundRequests lists requests for the console: open ones oldest
// first (the order they are worked in), any chosen state newest first.
func (s *Service) SearchRefundRequests(ctx context.Context, q RequestQuery) ([]RefundRequest, string, error) {
	db := s.db.Conn(ctx).Model(&RefundRequest{})
	if q.Type != "" {
		db = db.Where("type = ?", q.Type)
	}
	order, cmp := "id DESC", "id < ?"
	if q.Status == "" {
		db = db.Where("status IN ? AND refund_id IS NULL", openStates) // an approved refund_only request has its refund
		order, cmp = "id", "id > ?"
	} else {
		db = db.Where("status = ?", q.Status)
	}
	if q.Page.After > 0 {
		db = db.Where(cmp, q.Page.After)
	}
	var reqs []RefundRequest
	if err := db.Order(order).Limit(q.Page.Limit + 1).Find(&reqs).Error; err != nil {
		return nil, "", err
	}
	reqs, next := page.Trim(reqs, q.Page, func(r RefundRequest) int64 { return r.ID })
	return reqs, next, s.complete(ctx, reqs)
}
