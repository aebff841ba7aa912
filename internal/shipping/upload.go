package shipping

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/i18n"
	"github.com/kaidian/kaidian/internal/order"
)

// Upload is one shipment as WeChat's shipping-information API is told about
// it (uploadShippingInfo: the payment by its transaction id, one parcel).
type Upload struct {
	TransactionID   string
	PayerOpenID     string
	Carrier         string // WeChat's delivery id
	TrackingNo      string
	ItemDesc        string // what is in the parcel, at most 120 characters
	ReceiverContact string // the receiver's phone, masked: 138****8000
	At              time.Time
}

// Uploader sends shipping information to WeChat; the app adapts the
// mini-program client to it. It talks over the network, so it is never
// called inside a transaction. An *UploadRefused error is WeChat saying no
// for good; any other error is worth trying again.
type Uploader interface {
	UploadShipping(ctx context.Context, u Upload) error
}

// UploadRefused is WeChat turning shipping information down for good
// (e.g. 47001, the data is malformed): the same upload cannot succeed.
type UploadRefused struct {
	Code    int
	Message string
}

func (e *UploadRefused) Error() string {
	return fmt.Sprintf("wechat refused the shipping information: %d %s", e.Code, e.Message)
}

// Retries of an upload: after maxAttempts failures the shipment is marked
// failed for the merchant to look at (they can retry from the order page).
const (
	maxAttempts = 20
	// uploadLease is how long a claimed upload is left to its runner
	// before the sweep may take it over (the runner crashed).
	uploadLease = 2 * time.Minute
)

// Upload sends one shipment's information to WeChat and records how it
// went. The shipment is claimed first by one guarded update (it must be
// pending and due), so the job, the sweep and other replicas never upload
// it twice at once. WeChat's failures are recorded on the row with the
// next attempt's time; only database failures are returned.
func (s *Service) Upload(ctx context.Context, id int64) error {
	now := s.clock.Now()
	claim := s.db.Conn(ctx).Model(&Shipment{}).
		Where("id = ? AND upload_status = ? AND next_upload_at <= ?", id, UploadPending, now).
		Updates(map[string]any{"next_upload_at": now.Add(uploadLease), "updated_at": now})
	if claim.Error != nil || claim.RowsAffected == 0 {
		return claim.Error // not due, or someone else has it
	}
	var sh Shipment
	if err := s.db.Conn(ctx).Where("id = ?", id).Take(&sh).Error; err != nil {
		return err
	}
	u, err := s.describe(ctx, sh)
	if err != nil {
		return err
	}
	return s.record(ctx, sh, s.uploader.UploadShipping(ctx, u))
}

// describe builds what WeChat is told about a shipment.
func (s *Service) describe(ctx context.Context, sh Shipment) (Upload, error) {
	o, err := s.orders.ByID(ctx, sh.OrderID)
	if err != nil {
		return Upload{}, err
	}
	shopper, err := s.customers.Get(ctx, o.ShopperID)
	if err != nil {
		return Upload{}, err
	}
	return Upload{TransactionID: o.TransactionID, PayerOpenID: shopper.OpenID, Carrier: sh.Carrier,
		TrackingNo: sh.TrackingNo, ItemDesc: itemDesc(o.Items), ReceiverContact: maskPhone(o.ReceiverPhone),
		At: s.clock.Now()}, nil
}

// record notes the outcome of an upload attempt on the shipment.
func (s *Service) record(ctx context.Context, sh Shipment, uploadErr error) error {
	now := s.clock.Now()
	set := map[string]any{"upload_attempts": sh.UploadAttempts + 1, "updated_at": now}
	var refused *UploadRefused
	switch {
	case uploadErr == nil:
		set["upload_status"], set["uploaded_at"], set["upload_error"] = UploadDone, now, i18n.Msg{}
	case errors.As(uploadErr, &refused):
		set["upload_status"], set["upload_error"] = UploadFailed,
			i18n.M("record.ship.upload_refused", "code", refused.Code, "message", refused.Message)
	case sh.UploadAttempts+1 >= maxAttempts:
		set["upload_status"], set["upload_error"] = UploadFailed,
			i18n.M("record.ship.upload_gave_up", "n", maxAttempts, "error", uploadErr.Error())
	default:
		// A network or server error: technical text, shown as it is.
		set["upload_error"], set["next_upload_at"] = i18n.Text(uploadErr.Error()), now.Add(s.backoff(sh.UploadAttempts+1))
	}
	return s.db.Conn(ctx).Model(&Shipment{}).Where("id = ? AND upload_status = ?", sh.ID, UploadPending).Updates(set).Error
}

// backoff is the wait before the next attempt after n failed ones: the
// first retry delay, doubling, at most an hour.
func (s *Service) backoff(n int) time.Duration {
	d := s.retryAfter
	for i := 1; i < n && d < time.Hour; i++ {
		d *= 2
	}
	return min(d, time.Hour)
}

// DueUploads lists pending uploads whose next attempt is due, oldest first,
// for the sweep.
func (s *Service) DueUploads(ctx context.Context, limit int) ([]int64, error) {
	var ids []int64
	err := s.db.Conn(ctx).Model(&Shipment{}).Where("upload_status = ? AND next_upload_at <= ?", UploadPending, s.clock.Now()).
		Order("next_upload_at").Limit(limit).Pluck("id", &ids).Error
	return ids, err
}

// ErrUploadDone refuses retrying an upload WeChat already has.
var ErrUploadDone = errs.Conflict("shipping_uploaded", "shipping.uploaded")

// RetryUpload makes a failed (or waiting) upload due at once and starts it,
// for the merchant's "retry" on the order page.
func (s *Service) RetryUpload(ctx context.Context, orderID int64) error {
	now := s.clock.Now()
	res := s.db.Conn(ctx).Model(&Shipment{}).Where("order_id = ? AND upload_status <> ?", orderID, UploadDone).
		Updates(map[string]any{"upload_status": UploadPending, "next_upload_at": now, "updated_at": now})
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		var n int64
		if err := s.db.Conn(ctx).Model(&Shipment{}).Where("order_id = ?", orderID).Count(&n).Error; err != nil {
			return err
		}
		if n == 0 {
			return order.ErrNotFound
		}
		return ErrUploadDone
	}
	var id int64
	if err := s.db.Conn(ctx).Model(&Shipment{}).Where("order_id = ?", orderID).Pluck("id", &id).Error; err != nil {
		return err
	}
	s.schedule(ctx, []int64{id})
	return nil
}

// itemDesc says what is in the parcel: "title ×qty, …", cut to the 120
// characters WeChat takes.
func itemDesc(items []order.Item) string {
	parts := make([]string, len(items))
	for i, it := range items {
		parts[i] = fmt.Sprintf("%s ×%d", it.Title, it.Quantity)
	}
	desc := strings.Join(parts, ", ")
	if utf8.RuneCountInString(desc) > 120 {
		desc = string([]rune(desc)[:119]) + "…"
	}
	if desc == "" {
		desc = "商品"
	}
	return desc
}

// maskPhone hides the middle of a phone number, as WeChat requires of
// receiver_contact: 13800138000 → 138****8000.
func maskPhone(p string) string {
	r := []rune(strings.TrimSpace(p))
	if len(r) < 7 {
		return "****"
	}
	return string(r[:3]) + "****" + string(r[len(r)-4:])
}
