package commission

import (
	"context"

	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/money"
	"github.com/kaidian/kaidian/internal/order"
	"github.com/kaidian/kaidian/internal/promoter"
)

// OrderPaid credits the promoter of a just-paid order with one pending
// entry per line: the line's paid amount after discounts (never shipping)
// at the line's rate, rounded down to the fen. It runs in the transaction
// that marks the order paid (payment.Commissions), so a paid order never
// lacks its commission; a second call for the same order adds nothing. An
// order credited to no promoter, or to the promoter's own account when
// they are not paid on their own orders, earns nothing. o is the order as
// the payment read it, with its lines: an order credited to nobody costs no
// statement at all (the notification's statement budget,
// TestCheckoutStatementBudget).
func (s *Service) OrderPaid(ctx context.Context, o order.Order) error {
	if o.PromoterID == nil {
		return nil
	}
	p, err := s.promoters.Get(ctx, *o.PromoterID)
	if errs.Is(err, promoter.ErrNotFound.Code) {
		return nil
	}
	if err != nil {
		return err
	}
	if p.ShopperID != nil && *p.ShopperID == o.ShopperID && !p.CommissionOnSelf {
		return nil
	}
	var n int64
	if err := s.db.Conn(ctx).Model(&Entry{}).Where("order_id = ? AND kind = ?", o.ID, KindCommission).Count(&n).Error; err != nil {
		return err
	}
	if n > 0 {
		return nil // credited by an earlier delivery of the same payment
	}
	rates, err := s.rates(ctx, p, o.CreatedAt, o.Items)
	if err != nil {
		return err
	}
	var es []Entry
	for i, it := range o.Items {
		amount := money.Share(it.PayAmount, int64(rates[i].bp), BasisPoints)
		if amount <= 0 {
			continue
		}
		es = append(es, Entry{PromoterID: p.ID, State: StatePending, Kind: KindCommission, Amount: amount,
			OrderID: ptr(o.ID), OrderItemID: ptr(it.ID), Base: it.PayAmount, RateBP: rates[i].bp, Rule: rates[i].rule})
	}
	return s.write(ctx, es)
}

// Refunded brings an order's commission in line with its refunds after one
// succeeded, in the transaction that records it (payment.Commissions, the
// order's row locked): what a line keeps is its rate on the part of its paid
// amount not refunded. The refunded money is taken from the goods before the
// shipping fee, and spread over the lines in proportion to what each paid,
// exactly (money.Allocate), so commission is never kept on refunded money.
// The difference is reversed from pending while the line has not settled,
// and clawed back from settled once it has. Nothing is ever credited back.
func (s *Service) Refunded(ctx context.Context, orderID, refundID int64) error {
	var credits []Entry
	if err := s.db.Conn(ctx).Where("order_id = ? AND kind = ?", orderID, KindCommission).Find(&credits).Error; err != nil {
		return err
	}
	if len(credits) == 0 {
		return nil
	}
	o, err := s.orders.ByID(ctx, orderID)
	if err != nil {
		return err
	}
	keep, err := s.lineTotals(ctx, orderID)
	if err != nil {
		return err
	}
	var goods int64
	pays := make([]int64, len(o.Items))
	for i, it := range o.Items {
		pays[i], goods = it.PayAmount, goods+it.PayAmount
	}
	refunded := money.Allocate(min(o.RefundedAmount, goods), pays)
	byItem := map[int64]int{}
	for i, it := range o.Items {
		byItem[it.ID] = i
	}
	var es []Entry
	for _, c := range credits {
		i := byItem[*c.OrderItemID]
		due := money.Share(o.Items[i].PayAmount-refunded[i], int64(c.RateBP), BasisPoints)
		t := keep[*c.OrderItemID]
		if delta := due - t.earned; delta < 0 {
			e := Entry{PromoterID: c.PromoterID, State: StatePending, Kind: KindReversal, Amount: delta,
				OrderID: ptr(orderID), OrderItemID: c.OrderItemID, RefundID: ptr(refundID), Base: o.Items[i].PayAmount - refunded[i], RateBP: c.RateBP, Rule: c.Rule}
			if t.settled {
				e.State, e.Kind = StateSettled, KindClawback
			}
			es = append(es, e)
		}
	}
	return s.write(ctx, es)
}

// lineTotal is where one order line's commission stands: what it earns now
// (credits less reversals and clawbacks), what of it is still pending, and
// whether it has settled.
type lineTotal struct {
	earned, pending int64
	settled         bool
	promoterID      int64
}

// lineTotals reads an order's entries line by line.
func (s *Service) lineTotals(ctx context.Context, orderID int64) (map[int64]lineTotal, error) {
	var es []Entry
	if err := s.db.Conn(ctx).Where("order_id = ?", orderID).Order("id").Find(&es).Error; err != nil {
		return nil, err
	}
	out := map[int64]lineTotal{}
	for _, e := range es {
		if e.OrderItemID == nil {
			continue
		}
		t := out[*e.OrderItemID]
		t.promoterID = e.PromoterID
		switch e.Kind {
		case KindCommission, KindReversal, KindClawback:
			t.earned += e.Amount
		case KindSettlement:
			t.settled = true
		}
		if e.State == StatePending {
			t.pending += e.Amount
		}
		out[*e.OrderItemID] = t
	}
	return out, nil
}
