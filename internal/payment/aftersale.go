package payment

import (
	"context"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/money"
	"github.com/kaidian/kaidian/internal/order"
)

// After-sale types of a refund request.
const (
	TypeRefundOnly   = "refund_only"   // money back; the goods are kept, or were never sent
	TypeReturnRefund = "return_refund" // the goods go back to the shop first
)

// States a return_refund request adds to pending, approved and declined
// (request.go): approved → returning (the shopper posted the waybill) →
// received (the merchant has the goods) → refunded (the refund started).
// Any request not yet refunded can be cancelled by the shopper.
const (
	RequestReturning = "returning"
	RequestReceived  = "received"
	RequestRefunded  = "refunded"
	RequestCancelled = "cancelled"
)

// Limits of a request.
const (
	maxPhotos       = 9
	maxRequestLines = 100
)

// RequestItem is one order line a request asks about: how many of its
// units and the fen they refund (their share of what was paid for the
// line), with the line's title kept for lists.
type RequestItem struct {
	OrderItemID int64  `json:"order_item_id"`
	SKUID       int64  `json:"sku_id"`
	Title       string `json:"title"`
	SpecText    string `json:"spec_text"`
	Quantity    int64  `json:"quantity"`
	Amount      int64  `json:"amount"`
}

// ItemInput is an order line and quantity as the shopper chooses them.
type ItemInput struct {
	OrderItemID int64 `json:"order_item_id"`
	Quantity    int64 `json:"quantity"`
}

// PhotoChecker checks that photo URLs are images this shopper uploaded
// (POST /api/v1/uploads), each named once; the app provides it.
type PhotoChecker interface {
	CheckPhotos(ctx context.Context, shopperID int64, urls []string) error
}

// Errors of after-sale requests.
var (
	ErrRequestState     = errs.Conflict("refund_request_state", "aftersale.wrong_state")
	ErrItemsExceed      = errs.Conflict("refund_items_exceed", "aftersale.items_exceed")
	ErrOrderItemUnknown = errs.NotFound("order_item_not_found", "aftersale.item_not_found")
	ErrNotReturnable    = errs.Conflict("order_not_returnable", "aftersale.not_returnable")
	ErrNoReturnAddress  = errs.Conflict("return_address_missing", "aftersale.no_return_address")
)

// open reports whether a request still holds its items: anything but
// declined and cancelled (refunded ones hold them for good).
func (r RefundRequest) open() bool {
	return r.Status != RequestDeclined && r.Status != RequestCancelled
}

// awaitingRefund reports whether a request will still start a refund:
// its amount is spoken for although no refund exists yet.
func (r RefundRequest) awaitingRefund() bool {
	return r.open() && r.RefundID == nil && r.Status != RequestRefunded
}

// normalizeAfterSale checks the type, items and photos of a request as
// sent, before anything is read.
func normalizeAfterSale(in *RequestInput) error {
	if in.Type == "" {
		in.Type = TypeRefundOnly
	}
	switch {
	case in.Type != TypeRefundOnly && in.Type != TypeReturnRefund:
		return errs.Field("type", "aftersale.type_invalid")
	case in.Type == TypeReturnRefund && len(in.Items) == 0:
		return errs.Field("items", "aftersale.items_required")
	case len(in.Items) > maxRequestLines:
		return errs.Field("items", "aftersale.too_many", "max", maxRequestLines)
	case len(in.Items) > 0 && in.Amount != 0:
		return errs.Field("amount", "aftersale.amount_with_items")
	case len(in.Photos) > maxPhotos:
		return errs.Field("photos", "aftersale.too_many", "max", maxPhotos)
	}
	seen := map[int64]bool{}
	for _, it := range in.Items {
		switch {
		case it.OrderItemID <= 0:
			return errs.Field("items", "aftersale.item_id")
		case it.Quantity <= 0:
			return errs.Field("items", "aftersale.quantity")
		case seen[it.OrderItemID]:
			return errs.Field("items", "aftersale.item_twice")
		}
		seen[it.OrderItemID] = true
	}
	for i, p := range in.Photos {
		in.Photos[i] = strings.TrimSpace(p)
		if in.Photos[i] == "" || utf8.RuneCountInString(in.Photos[i]) > 500 {
			return errs.Field("photos", "aftersale.photo")
		}
	}
	return nil
}

// chooseItems prices the shopper's chosen lines against the order and the
// requests already holding units of them. Each line's paid amount is
// shared among its units exactly to the fen: the first k units of a line
// of n that cost p refund ⌊p·k/n⌋ together, so however the units are
// split across requests, all n refund exactly p. The shipping fee goes
// with the request that takes the order's last units while it has not
// shipped (nothing was sent, so nothing of it was spent).
func chooseItems(o order.Order, earlier []RefundRequest, in []ItemInput) ([]RequestItem, int64, error) {
	held := map[int64]int64{} // order item id → units held by open requests
	for _, r := range earlier {
		if r.open() {
			for _, it := range r.Items.V {
				held[it.OrderItemID] += it.Quantity
			}
		}
	}
	lines := map[int64]order.Item{}
	for _, it := range o.Items {
		lines[it.ID] = it
	}
	out := make([]RequestItem, 0, len(in))
	var total int64
	for _, want := range in {
		line, ok := lines[want.OrderItemID]
		if !ok {
			return nil, 0, ErrOrderItemUnknown.With("order_item_id", want.OrderItemID)
		}
		bought, before := int64(line.Quantity), held[line.ID]
		if left := bought - before; want.Quantity > left {
			return nil, 0, ErrItemsExceed.With("order_item_id", line.ID).With("left", max(left, 0))
		}
		amount := share(line.PayAmount, bought, before+want.Quantity) - share(line.PayAmount, bought, before)
		held[line.ID] = before + want.Quantity
		total += amount
		out = append(out, RequestItem{OrderItemID: line.ID, SKUID: line.SKUID, Title: line.Title, SpecText: line.SpecText,
			Quantity: want.Quantity, Amount: amount})
	}
	if o.Status == order.StatusPaid && o.ShippingFee > 0 && allHeld(o, held) {
		total += o.ShippingFee
	}
	return out, total, nil
}

// allHeld reports whether every unit of the order is held by a request.
func allHeld(o order.Order, held map[int64]int64) bool {
	for _, it := range o.Items {
		if held[it.ID] < int64(it.Quantity) {
			return false
		}
	}
	return true
}

// share is ⌊paid·k/n⌋ for 0 ≤ k ≤ n, computed in 128 bits so that no
// amount and quantity can overflow it (the result is at most paid).
func share(paid, n, k int64) int64 { return money.Share(paid, k, n) }

// waybill is what a courier's tracking number looks like.
var waybill = regexp.MustCompile(`^[A-Za-z0-9-]{4,128}$`)

// ReturnShipmentInput is the shopper's waybill for goods sent back.
type ReturnShipmentInput struct {
	Carrier    string `json:"carrier"`
	TrackingNo string `json:"tracking_no"`
}

func (in *ReturnShipmentInput) normalize() error {
	in.Carrier, in.TrackingNo = strings.TrimSpace(in.Carrier), strings.TrimSpace(in.TrackingNo)
	switch n := utf8.RuneCountInString(in.Carrier); {
	case n == 0:
		return errs.Field("carrier", "invalid.required")
	case n > 30:
		return errs.Field("carrier", "invalid.max_length", "max", 30)
	case !waybill.MatchString(in.TrackingNo):
		return errs.Field("tracking_no", "aftersale.tracking_no")
	}
	return nil
}
