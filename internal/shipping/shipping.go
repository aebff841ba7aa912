// Package shipping sends paid orders on their way: it records the carrier
// and tracking number of each shipment, moves the order to shipped, and
// uploads the shipping information to WeChat, which holds the shop's money
// for mini programs under its trade management until it has it. The upload
// goes out after commit and is retried from the shipment's own row until
// WeChat takes it, so a crash or an unreachable WeChat loses nothing.
package shipping

import (
	"context"
	"time"

	"github.com/kaidian/kaidian/internal/clock"
	"github.com/kaidian/kaidian/internal/customer"
	"github.com/kaidian/kaidian/internal/database"
	"github.com/kaidian/kaidian/internal/i18n"
	"github.com/kaidian/kaidian/internal/order"
	"github.com/kaidian/kaidian/internal/subscribe"
)

// Upload states of a shipment's information at WeChat.
const (
	UploadPending = "pending"  // not yet taken by WeChat; retried when due
	UploadDone    = "uploaded" // WeChat has it
	UploadFailed  = "failed"   // WeChat refused it, or retries ran out; the console can retry
)

// Shipment is one order's parcel and the state of its upload to WeChat.
type Shipment struct {
	ID             int64      `gorm:"column:id;primaryKey"`
	OrderID        int64      `gorm:"column:order_id"`
	Carrier        string     `gorm:"column:carrier"` // WeChat's delivery id, e.g. "SF"
	TrackingNo     string     `gorm:"column:tracking_no"`
	ShippedBy      string     `gorm:"column:shipped_by"`
	UploadStatus   string     `gorm:"column:upload_status"`
	UploadAttempts int        `gorm:"column:upload_attempts"`
	UploadError    i18n.Msg   `gorm:"column:upload_error"` // why the last upload failed, in the reader's language
	NextUploadAt   time.Time  `gorm:"column:next_upload_at"`
	UploadedAt     *time.Time `gorm:"column:uploaded_at"`
	CreatedAt      time.Time  `gorm:"column:created_at"`
	UpdatedAt      time.Time  `gorm:"column:updated_at"`
}

// TableName maps Shipment to its table.
func (Shipment) TableName() string { return "shipments" }

// CarrierName is how the console shows the shipment's carrier.
func (s Shipment) CarrierName() string { return CarrierName(s.Carrier) }

// Refunds is what shipping needs to know of refunds: how much of each order
// is refunded or still being refunded. The payment service provides it.
type Refunds interface {
	RefundsInFlight(ctx context.Context, orderIDs []int64) (map[int64]int64, error)
}

// Deps are the collaborators of the shipping service.
type Deps struct {
	DB        *database.DB
	Orders    *order.Service
	Customers *customer.Service
	Refunds   Refunds
	Uploader  Uploader
	// RetryAfter is how long after a failed upload WeChat is asked again;
	// later retries back off, doubling up to an hour.
	RetryAfter time.Duration
	// ScheduleUploads starts the uploads of new shipments after commit (the
	// app hands it the job queue). Without one, or if scheduling fails, the
	// upload sweep finds them: their rows say they are due.
	ScheduleUploads func(ctx context.Context, shipmentIDs []int64)
	Clock           *clock.Clock

	// Messages records order_shipped in the shipment's transaction; nil
	// sends none.
	Messages subscribe.Emitter
}

// Service is the shipping use cases.
type Service struct {
	db         *database.DB
	orders     *order.Service
	customers  *customer.Service
	refunds    Refunds
	uploader   Uploader
	retryAfter time.Duration
	schedule   func(ctx context.Context, shipmentIDs []int64)
	clock      *clock.Clock

	messages subscribe.Emitter
}

// New builds the service.
func New(d Deps) *Service {
	if d.RetryAfter <= 0 {
		d.RetryAfter = 10 * time.Second
	}
	if d.ScheduleUploads == nil {
		d.ScheduleUploads = func(context.Context, []int64) {}
	}
	return &Service{db: d.DB, orders: d.Orders, customers: d.Customers, refunds: d.Refunds, uploader: d.Uploader,
		retryAfter: d.RetryAfter, schedule: d.ScheduleUploads,
		clock: d.Clock, messages: d.Messages}
}

// ForOrders returns the shipments of these orders, by order id.
func (s *Service) ForOrders(ctx context.Context, orderIDs []int64) (map[int64]Shipment, error) {
	out := make(map[int64]Shipment, len(orderIDs))
	if len(orderIDs) == 0 {
		return out, nil
	}
	var rows []Shipment
	if err := s.db.Conn(ctx).Where("order_id IN ?", orderIDs).Find(&rows).Error; err != nil {
		return nil, err
	}
	for _, r := range rows {
		out[r.OrderID] = r
	}
	return out, nil
}
