package mpapi

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/httpx"
	"github.com/kaidian/kaidian/internal/i18n"
	"github.com/kaidian/kaidian/internal/payment"
)

type payHandlers struct{ svc *payment.Service }

// pay: POST /api/v1/orders/{order_no}/pay → the wx.requestPayment
// parameters. A replayed Idempotency-Key answers the first parameters again
// with Idempotent-Replayed: true.
func (h *payHandlers) pay(c *gin.Context) {
	rp, replayed, err := h.svc.Pay(c.Request.Context(), shopperID(c), c.Param("order_no"), c.GetHeader("Idempotency-Key"))
	if replayed {
		c.Header("Idempotent-Replayed", "true")
	}
	reply(c, http.StatusOK, requestPaymentJSON{AppID: rp.AppID, TimeStamp: rp.TimeStamp, NonceStr: rp.NonceStr,
		Package: rp.Package, SignType: rp.SignType, PaySign: rp.PaySign}, err)
}

// requestPaymentJSON uses wx.requestPayment's own (camelCase) names.
type requestPaymentJSON struct {
	AppID     string `json:"appId"`
	TimeStamp string `json:"timeStamp"`
	NonceStr  string `json:"nonceStr"`
	Package   string `json:"package"`
	SignType  string `json:"signType"`
	PaySign   string `json:"paySign"`
}

// requestRefund: POST /api/v1/orders/{order_no}/refund-requests {amount?, reason}
func (h *payHandlers) requestRefund(c *gin.Context) {
	var in payment.RequestInput
	if err := httpx.BindJSON(c, &in); err != nil {
		httpx.Fail(c, err)
		return
	}
	req, err := h.svc.RequestRefund(c.Request.Context(), shopperID(c), c.Param("order_no"), in)
	reply(c, http.StatusCreated, toRefundRequest(httpx.Printer(c))(req), err)
}

// refundRequests: GET /api/v1/orders/{order_no}/refund-requests
func (h *payHandlers) refundRequests(c *gin.Context) {
	reqs, err := h.svc.RefundRequests(c.Request.Context(), shopperID(c), c.Param("order_no"))
	reply(c, http.StatusOK, listOf(reqs, "", toRefundRequest(httpx.Printer(c))), err)
}

type refundRequestJSON struct {
	ID             int64               `json:"id"`
	OrderNo        string              `json:"order_no"`
	Type           string              `json:"type"`
	Amount         int64               `json:"amount"`
	Reason         string              `json:"reason"`
	Status         string              `json:"status"`
	Items          []refundItemJSON    `json:"items"`
	Photos         []string            `json:"photos"`
	ReturnAddress  *returnAddressJSON  `json:"return_address"`
	ReturnShipment *returnShipmentJSON `json:"return_shipment"`
	DecisionNote   string              `json:"decision_note"`
	CreatedAt      time.Time           `json:"created_at"`
	DecidedAt      *time.Time          `json:"decided_at"`
	Refund         *refundJSON         `json:"refund"`
}

type refundJSON struct {
	Amount      int64      `json:"amount"`
	Status      string     `json:"status"`
	SucceededAt *time.Time `json:"succeeded_at"`
}

// toRefundRequest writes refund requests for reader p: the merchant's
// decision note in p's language when Kaidian wrote it.
func toRefundRequest(p *i18n.Printer) func(payment.RefundRequest) refundRequestJSON {
	return func(r payment.RefundRequest) refundRequestJSON {
		out := refundRequestJSON{ID: r.ID, OrderNo: r.OrderNo, Type: r.Type, Amount: r.Amount, Reason: r.Reason, Status: r.Status,
			Items: make([]refundItemJSON, len(r.Items.V)), Photos: r.Photos.V,
			DecisionNote: p.Msg(r.DecisionNote), CreatedAt: r.CreatedAt, DecidedAt: r.DecidedAt}
		if out.Photos == nil {
			out.Photos = []string{}
		}
		for i, it := range r.Items.V {
			out.Items[i] = refundItemJSON{OrderItemID: it.OrderItemID, SKUID: it.SKUID, Title: it.Title, SpecText: it.SpecText,
				Quantity: it.Quantity, Amount: it.Amount}
		}
		if a := r.ReturnTo; a != nil {
			out.ReturnAddress = &returnAddressJSON{Name: a.ReturnName, Phone: a.ReturnPhone, Address: a.ReturnAddress}
		}
		if r.ReturnTrackingNo != "" {
			out.ReturnShipment = &returnShipmentJSON{Carrier: r.ReturnCarrier, TrackingNo: r.ReturnTrackingNo, ShippedAt: r.ReturnedAt}
		}
		if r.Refund != nil {
			out.Refund = &refundJSON{Amount: r.Refund.Amount, Status: r.Refund.Status, SucceededAt: r.Refund.SucceededAt}
		}
		return out
	}
}
