package shipping

import (
	"context"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/kaidian/kaidian/internal/database"
	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/i18n"
	"github.com/kaidian/kaidian/internal/order"
)

// Tracking states of a parcel.
const (
	TrackInTransit = "in_transit" // on its way: the tracking sweep follows it
	TrackDelivered = "delivered"  // the courier reports it signed for
	TrackStopped   = "stopped"    // the order completed or closed before that
)

// Where a parcel event came from.
const (
	SourceMerchant = "merchant"
	SourceWeChat   = "wechat"
)

// defaultTrackEvery is how often a parcel in transit is looked up at
// WeChat: couriers scan a parcel a few times a day, and WeChat's path API is
// rate-limited per mini program, so every two hours is plenty and cheap.
const defaultTrackEvery = 2 * time.Hour

// actionSigned is WeChat's action_type for "派送阶段-签收成功" (logistics
// path/get and the onPathUpdate event): the parcel was delivered.
const actionSigned = 300003

// Event is one step of a parcel's journey.
type Event struct {
	ID         int64     `gorm:"column:id;primaryKey"`
	ShipmentID int64     `gorm:"column:shipment_id"`
	At         time.Time `gorm:"column:at"`
	Text       string    `gorm:"column:text"`
	Source     string    `gorm:"column:source"`
	Kind       int       `gorm:"column:kind"` // WeChat's action_type; 0 for the merchant's
	Actor      string    `gorm:"column:actor"`
	CreatedAt  time.Time `gorm:"column:created_at"`
}

// TableName maps Event to its table.
func (Event) TableName() string { return "shipment_events" }

// Parcel is a shipment with its events, newest first.
type Parcel struct {
	Shipment
	Events []Event
}

// Tracker reads a parcel's path from WeChat's logistics tracking; the app
// adapts the mini-program client to it. It talks over the network, so it
// is never called inside a transaction.
type Tracker interface {
	Track(ctx context.Context, q TrackQuery) ([]TrackPoint, error)
}

// TrackQuery names a parcel as WeChat's path API wants it.
type TrackQuery struct {
	OrderNo, OpenID, Carrier, TrackingNo string
}

// TrackPoint is one node of WeChat's path.
type TrackPoint struct {
	At   time.Time
	Kind int
	Text string
}

// ErrNotShipped answers for an order with no parcel yet.
var ErrNotShipped = errs.NotFound("not_shipped", "parcel.not_shipped")

// Parcels returns the parcels of these orders with their events, by order id.
func (s *Service) Parcels(ctx context.Context, orderIDs []int64) (map[int64]Parcel, error) {
	shipments, err := s.ForOrders(ctx, orderIDs)
	if err != nil || len(shipments) == 0 {
		return map[int64]Parcel{}, err
	}
	ids := make([]int64, 0, len(shipments))
	for _, sh := range shipments {
		ids = append(ids, sh.ID)
	}
	var events []Event
	if err := s.db.Conn(ctx).Where("shipment_id IN ?", ids).Order("at DESC, id DESC").Find(&events).Error; err != nil {
		return nil, err
	}
	out := make(map[int64]Parcel, len(shipments))
	for orderID, sh := range shipments {
		p := Parcel{Shipment: sh, Events: []Event{}}
		for _, e := range events {
			if e.ShipmentID == sh.ID {
				p.Events = append(p.Events, e)
			}
		}
		out[orderID] = p
	}
	return out, nil
}

// Tracking is the parcel of one of the shopper's orders (someone else's
// order is not found), as it was last read: looking never calls WeChat,
// the tracking sweep does that at its own pace.
func (s *Service) Tracking(ctx context.Context, shopperID int64, orderNo string) (Parcel, error) {
	o, err := s.orders.Get(ctx, shopperID, orderNo)
	if err != nil {
		return Parcel{}, err
	}
	ps, err := s.Parcels(ctx, []int64{o.ID})
	if err != nil {
		return Parcel{}, err
	}
	p, ok := ps[o.ID]
	if !ok {
		return Parcel{}, ErrNotShipped
	}
	return p, nil
}

// EventInput is an event as the merchant enters it on the order page.
type EventInput struct {
	OrderNo string
	At      time.Time
	Text    string
}

// maxEventRunes bounds an event's text; couriers' own lines are far shorter.
const maxEventRunes = 200

// AddEvent records a step of the parcel's journey the merchant entered (a
// shop whose courier is not followed through WeChat tells its shoppers
// this way), audited in the same transaction.
func (s *Service) AddEvent(ctx context.Context, actor string, in EventInput) (Event, error) {
	in.Text = strings.TrimSpace(in.Text)
	now := s.clock.Now()
	switch n := utf8.RuneCountInString(in.Text); {
	case n == 0:
		return Event{}, errs.Field("text", "invalid.required")
	case n > maxEventRunes:
		return Event{}, errs.Field("text", "invalid.max_length", "max", maxEventRunes)
	case in.At.IsZero():
		return Event{}, errs.Field("at", "invalid.required")
	case in.At.After(now.Add(time.Hour)):
		return Event{}, errs.Field("at", "parcel.event_future")
	}
	var e Event
	err := s.db.Tx(ctx, func(ctx context.Context) error {
		o, err := s.orders.ByNo(ctx, in.OrderNo)
		if database.IsNotFound(err) {
			return order.ErrNotFound
		}
		if err != nil {
			return err
		}
		shipments, err := s.ForOrders(ctx, []int64{o.ID})
		if err != nil {
			return err
		}
		sh, ok := shipments[o.ID]
		if !ok {
			return ErrNotShipped
		}
		e = Event{ShipmentID: sh.ID, At: in.At.UTC(), Text: in.Text, Source: SourceMerchant, Actor: actor, CreatedAt: now}
		if err := s.db.Conn(ctx).Create(&e).Error; err != nil {
			return err
		}
		return s.audit.Record(ctx, actor, "shipment.event", "order", o.OrderNo,
			i18n.M("record.aftersale.parcel_event", "at", i18n.Moment(e.At), "text", e.Text))
	})
	return e, err
}

// wechatEvents turns WeChat's path into events of the shipment, oldest first.
func wechatEvents(shipmentID int64, points []TrackPoint, now time.Time) ([]Event, bool) {
	events := make([]Event, 0, len(points))
	delivered := false
	for _, p := range points {
		events = append(events, Event{ShipmentID: shipmentID, At: p.At.UTC(), Text: p.Text, Source: SourceWeChat,
			Kind: p.Kind, Actor: "wechat", CreatedAt: now})
		delivered = delivered || p.Kind == actionSigned
	}
	slices.SortStableFunc(events, func(a, b Event) int { return a.At.Compare(b.At) })
	return events, delivered
}

func ptr[T any](v T) *T { return &v }
