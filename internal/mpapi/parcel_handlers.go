package mpapi

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/shipping"
)

// orderDetailJSON is an order with its parcel (null until it ships).
type orderDetailJSON struct {
	orderJSON
	Shipment *shipmentJSON `json:"shipment"`
}

type shipmentJSON struct {
	Carrier     string              `json:"carrier"`
	CarrierName string              `json:"carrier_name"`
	TrackingNo  string              `json:"tracking_no"`
	ShippedAt   time.Time           `json:"shipped_at"`
	Delivered   bool                `json:"delivered"`
	UpdatedAt   *time.Time          `json:"updated_at"`
	Events      []shipmentEventJSON `json:"events"`
}

type shipmentEventJSON struct {
	Time time.Time `json:"time"`
	Text string    `json:"text"`
}

// tracking: GET /api/v1/orders/{order_no}/tracking — the parcel as last
// read (the tracking job refreshes it; this never calls WeChat).
func (h *orderHandlers) tracking(c *gin.Context) {
	p, err := h.parcels.Tracking(c.Request.Context(), shopperID(c), c.Param("order_no"))
	reply(c, http.StatusOK, shipmentFor(p), err)
}

func toShipment(ps map[int64]shipping.Parcel, orderID int64) *shipmentJSON {
	p, ok := ps[orderID]
	if !ok {
		return nil
	}
	out := shipmentFor(p)
	return &out
}

// shipmentFor writes a parcel, its events newest first. updated_at is when
// WeChat's path was last read, or the newest event the merchant entered.
func shipmentFor(p shipping.Parcel) shipmentJSON {
	out := shipmentJSON{Carrier: p.Carrier, CarrierName: p.CarrierName(), TrackingNo: p.TrackingNo, ShippedAt: p.CreatedAt,
		Delivered: p.TrackState == shipping.TrackDelivered, UpdatedAt: p.TrackedAt, Events: make([]shipmentEventJSON, len(p.Events))}
	for i, e := range p.Events {
		out.Events[i] = shipmentEventJSON{Time: e.At, Text: e.Text}
		if e.Source == shipping.SourceMerchant && (out.UpdatedAt == nil || e.CreatedAt.After(*out.UpdatedAt)) {
			at := e.CreatedAt
			out.UpdatedAt = &at
		}
	}
	return out
}
