package mpapi

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/httpx"
	"github.com/kaidian/kaidian/internal/i18n"
	"github.com/kaidian/kaidian/internal/order"
	"github.com/kaidian/kaidian/internal/page"
	"github.com/kaidian/kaidian/internal/shipping"
)

type orderHandlers struct {
	svc     *order.Service
	parcels *shipping.Service
}

// preview: POST /api/v1/orders/preview
func (h *orderHandlers) preview(c *gin.Context) {
	var in order.PlaceInput
	if err := httpx.BindJSON(c, &in); err != nil {
		httpx.Fail(c, err)
		return
	}
	p, err := h.svc.Preview(c.Request.Context(), shopperID(c), in)
	reply(c, http.StatusOK, toPreview(httpx.Printer(c), p), err)
}

// place: POST /api/v1/orders. A replayed Idempotency-Key answers 200 with the
// original order and Idempotent-Replayed: true; a new order answers 201.
func (h *orderHandlers) place(c *gin.Context) {
	var in order.PlaceInput
	if err := httpx.BindJSON(c, &in); err != nil {
		httpx.Fail(c, err)
		return
	}
	o, replayed, err := h.svc.Place(c.Request.Context(), shopperID(c), in, c.GetHeader("Idempotency-Key"))
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	status := http.StatusCreated
	if replayed {
		status = http.StatusOK
		c.Header("Idempotent-Replayed", "true")
	}
	c.JSON(status, toOrder(httpx.Printer(c))(o))
}

// list: GET /api/v1/orders?status=&cursor=&limit=
func (h *orderHandlers) list(c *gin.Context) {
	pg, err := page.Parse(c.Query("cursor"), c.Query("limit"))
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	orders, next, err := h.svc.List(c.Request.Context(), shopperID(c), order.ListQuery{Status: order.Status(c.Query("status")), Page: pg})
	reply(c, http.StatusOK, listOf(orders, next, toOrder(httpx.Printer(c))), err)
}

// get: GET /api/v1/orders/{order_no}, with its parcel (parcel_handlers.go)
func (h *orderHandlers) get(c *gin.Context) {
	o, err := h.svc.Get(c.Request.Context(), shopperID(c), c.Param("order_no"))
	var ps map[int64]shipping.Parcel
	if err == nil {
		ps, err = h.parcels.Parcels(c.Request.Context(), []int64{o.ID})
	}
	reply(c, http.StatusOK, orderDetailJSON{orderJSON: toOrder(httpx.Printer(c))(o), Shipment: toShipment(ps, o.ID)}, err)
}

// cancel: POST /api/v1/orders/{order_no}/cancel
func (h *orderHandlers) cancel(c *gin.Context) {
	o, err := h.svc.Cancel(c.Request.Context(), shopperID(c), c.Param("order_no"))
	reply(c, http.StatusOK, toOrder(httpx.Printer(c))(o), err)
}

// confirmReceipt: POST /api/v1/orders/{order_no}/confirm-receipt
func (h *orderHandlers) confirmReceipt(c *gin.Context) {
	o, err := h.svc.ConfirmReceipt(c.Request.Context(), shopperID(c), c.Param("order_no"))
	reply(c, http.StatusOK, toOrder(httpx.Printer(c))(o), err)
}

type orderJSON struct {
	OrderNo        string           `json:"order_no"`
	Kind           string           `json:"kind,omitempty"` // goods or gift_card; absent where an order is read without it
	GiftCardAmount int64            `json:"gift_card_amount,omitempty"`
	Status         order.Status     `json:"status"`
	ItemCount      int              `json:"item_count"`
	GoodsAmount    int64            `json:"goods_amount"`
	ShippingFee    int64            `json:"shipping_fee"`
	DiscountAmount int64            `json:"discount_amount"`
	TotalAmount    int64            `json:"total_amount"`
	PayAmount      int64            `json:"pay_amount"`
	CouponID       *int64           `json:"coupon_id"`
	FlashSaleID    *int64           `json:"flash_sale_id"`
	RefundedAmount int64            `json:"refunded_amount"`
	Remark         string           `json:"remark"`
	Address        addressSnapshot  `json:"address"`
	Items          []orderItemJSON  `json:"items"`
	History        []transitionJSON `json:"history"`
	ExpiresAt      time.Time        `json:"expires_at"`
	PaidAt         *time.Time       `json:"paid_at"`
	ShippedAt      *time.Time       `json:"shipped_at"`
	CompletedAt    *time.Time       `json:"completed_at"`
	ClosedAt       *time.Time       `json:"closed_at"`
	CloseReason    string           `json:"close_reason"`
	CreatedAt      time.Time        `json:"created_at"`
}

type addressSnapshot struct {
	Name     string `json:"name"`
	Phone    string `json:"phone"`
	Province string `json:"province"`
	City     string `json:"city"`
	District string `json:"district"`
	Detail   string `json:"detail"`
}

type orderItemJSON struct {
	ID             int64  `json:"id"`
	SKUID          int64  `json:"sku_id"`
	ProductID      int64  `json:"product_id"`
	Title          string `json:"title"`
	SpecText       string `json:"spec_text"`
	Image          string `json:"image"`
	UnitPrice      int64  `json:"unit_price"`
	Quantity       int    `json:"quantity"`
	LineAmount     int64  `json:"line_amount"`
	DiscountAmount int64  `json:"discount_amount"`
	PayAmount      int64  `json:"pay_amount"`
}

type transitionJSON struct {
	From   order.Status `json:"from"`
	To     order.Status `json:"to"`
	Reason string       `json:"reason"`
	At     time.Time    `json:"at"`
}

type previewJSON struct {
	Items          []orderItemJSON `json:"items"`
	ItemCount      int             `json:"item_count"`
	GoodsAmount    int64           `json:"goods_amount"`
	ShippingFee    int64           `json:"shipping_fee"`
	DiscountAmount int64           `json:"discount_amount"`
	TotalAmount    int64           `json:"total_amount"`
	PayAmount      int64           `json:"pay_amount"`
	GiftCardAmount int64           `json:"gift_card_amount,omitempty"`
	CouponID       *int64          `json:"coupon_id"`
	Coupons        checkoutCoupons `json:"coupons"`
}

// toOrder writes an order for reader p: its close reason and history in
// p's language.
func toOrder(p *i18n.Printer) func(order.Order) orderJSON {
	return func(o order.Order) orderJSON { return orderFor(p, o) }
}

func orderFor(p *i18n.Printer, o order.Order) orderJSON {
	out := orderJSON{
		OrderNo: o.OrderNo, Kind: o.Kind, GiftCardAmount: o.GiftCardAmount, Status: o.Status, ItemCount: o.ItemCount, GoodsAmount: o.GoodsAmount,
		ShippingFee: o.ShippingFee, DiscountAmount: o.DiscountAmount, TotalAmount: o.TotalAmount,
		PayAmount: o.PayAmount, CouponID: o.CouponID, FlashSaleID: o.FlashSaleID, RefundedAmount: o.RefundedAmount, Remark: o.Remark,
		Address: addressSnapshot{Name: o.ReceiverName, Phone: o.ReceiverPhone, Province: o.Province,
			City: o.City, District: o.District, Detail: o.AddressDetail},
		Items: make([]orderItemJSON, len(o.Items)), History: make([]transitionJSON, len(o.History)),
		ExpiresAt: o.ExpiresAt, PaidAt: o.PaidAt, ShippedAt: o.ShippedAt, CompletedAt: o.CompletedAt,
		ClosedAt: o.ClosedAt, CloseReason: p.Msg(o.CloseReason), CreatedAt: o.CreatedAt,
	}
	for i, it := range o.Items {
		out.Items[i] = toOrderItem(it)
	}
	for i, t := range o.History {
		out.History[i] = transitionJSON{From: t.From, To: t.To, Reason: p.Msg(t.Reason), At: t.CreatedAt}
	}
	return out
}

func toOrderItem(it order.Item) orderItemJSON {
	return orderItemJSON{ID: it.ID, SKUID: it.SKUID, ProductID: it.ProductID, Title: it.Title, SpecText: it.SpecText,
		Image: it.Image, UnitPrice: it.UnitPrice, Quantity: it.Quantity, LineAmount: it.LineAmount,
		DiscountAmount: it.DiscountAmount, PayAmount: it.PayAmount}
}

func toPreview(pr *i18n.Printer, p order.Priced) previewJSON {
	out := previewJSON{Items: make([]orderItemJSON, len(p.Lines)), ItemCount: p.ItemCount, GoodsAmount: p.GoodsAmount,
		ShippingFee: p.ShippingFee, DiscountAmount: p.DiscountAmount, TotalAmount: p.TotalAmount, PayAmount: p.PayAmount,
		GiftCardAmount: p.GiftCardAmount, CouponID: p.CouponID, Coupons: toCheckoutCoupons(pr, p.Coupons, p.CouponID)}
	for i, l := range p.Lines {
		out.Items[i] = toOrderItem(l)
	}
	return out
}
