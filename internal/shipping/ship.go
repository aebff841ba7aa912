package shipping

import (
	"context"
	"regexp"
	"strings"

	"github.com/kaidian/kaidian/internal/database"
	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/i18n"
	"github.com/kaidian/kaidian/internal/order"
	"github.com/kaidian/kaidian/internal/subscribe"
)

// Input is one shipment as the merchant enters it.
type Input struct {
	OrderNo    string
	Carrier    string // a code or name from Carriers, or another WeChat delivery id
	TrackingNo string
}

// trackingNo is what a courier's tracking number looks like; WeChat takes
// 1 to 128 characters.
var trackingNo = regexp.MustCompile(`^[A-Za-z0-9-]{4,128}$`)

// ErrAlreadyShipped is returned for an order that has a shipment already.
var ErrAlreadyShipped = errs.Conflict("already_shipped", "shipping.already_shipped")

// normalize trims the input and checks its fields, reading the carrier as
// WeChat's delivery id.
func (in *Input) normalize() error {
	in.OrderNo, in.TrackingNo = strings.TrimSpace(in.OrderNo), strings.TrimSpace(in.TrackingNo)
	code, ok := CarrierCode(in.Carrier)
	switch {
	case in.OrderNo == "":
		return errs.Field("order_no", "invalid.required")
	case strings.TrimSpace(in.Carrier) == "":
		return errs.Field("carrier", "invalid.required")
	case !ok:
		return errs.Field("carrier", "shipping.carrier_unknown")
	case !trackingNo.MatchString(in.TrackingNo):
		return errs.Field("tracking_no", "shipping.tracking_no")
	}
	in.Carrier = code
	return nil
}

// Ship marks one paid order shipped with its carrier and tracking number:
// the order moves to shipped and the shipment is recorded in one
// transaction, then its upload to WeChat is started. An order refunded in
// full, or being refunded in full, is refused.
func (s *Service) Ship(ctx context.Context, actor string, in Input) (Shipment, error) {
	if err := in.normalize(); err != nil {
		return Shipment{}, err
	}
	var sh Shipment
	err := s.db.Tx(ctx, func(ctx context.Context) error {
		var err error
		sh, err = s.ship(ctx, actor, in)
		return err
	})
	if err != nil {
		return Shipment{}, err
	}
	s.schedule(ctx, []int64{sh.ID})
	return sh, nil
}

// ship moves the order and records its shipment, in the caller's transaction.
func (s *Service) ship(ctx context.Context, actor string, in Input) (Shipment, error) {
	note := i18n.M("record.order.shipped", "carrier", CarrierName(in.Carrier), "tracking", in.TrackingNo)
	o, err := s.orders.Ship(ctx, in.OrderNo, actor, note, s.notRefundedInFull)
	if err != nil {
		return Shipment{}, err
	}
	now := s.clock.Now()
	sh := Shipment{OrderID: o.ID, Carrier: in.Carrier, TrackingNo: in.TrackingNo, ShippedBy: actor,
		UploadStatus: UploadPending, NextUploadAt: now, CreatedAt: now, UpdatedAt: now,
		TrackState: TrackInTransit, NextTrackAt: ptr(now.Add(s.trackEvery))}
	err = s.db.Conn(ctx).Create(&sh).Error
	if database.IsDuplicate(err) {
		return Shipment{}, ErrAlreadyShipped
	}
	if err != nil {
		return Shipment{}, err
	}
	return sh, s.emitShipped(ctx, o, sh)
}

// emitShipped records order_shipped in the shipment's transaction.
func (s *Service) emitShipped(ctx context.Context, o order.Order, sh Shipment) error {
	if s.messages == nil || !s.messages.Wants(ctx, subscribe.OrderShipped) {
		return nil
	}
	full, err := s.orders.ByID(ctx, o.ID) // with its lines, for the product's name
	if err != nil {
		return err
	}
	return s.messages.Emit(ctx, subscribe.Event{Scene: subscribe.OrderShipped, ShopperID: o.ShopperID, Ref: o.OrderNo,
		Values: subscribe.Values{"order_no": subscribe.Code(o.OrderNo), "product_name": subscribe.Text(order.FirstTitle(full.Items)),
			"carrier": subscribe.Text(CarrierName(sh.Carrier)), "tracking_no": subscribe.Code(sh.TrackingNo),
			"shipped_at": subscribe.At(sh.CreatedAt), "status": subscribe.Phrase("subscribe.phrase.shipped")}})
}

// notRefundedInFull refuses an order whose refunds, counting those still
// processing, cover what was paid. It runs while the order's row is locked,
// so no refund can slip in between.
func (s *Service) notRefundedInFull(ctx context.Context, o order.Order) error {
	inFlight, err := s.refunds.RefundsInFlight(ctx, []int64{o.ID})
	if err != nil {
		return err
	}
	if refundedInFull(o, inFlight[o.ID]) {
		return order.ErrRefundedInFull
	}
	return nil
}

func refundedInFull(o order.Order, refunds int64) bool {
	return o.PaidTotal() > 0 && refunds >= o.PaidTotal()
}
