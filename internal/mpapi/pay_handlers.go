package mpapi

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/payment"
)

type payHandlers struct{ svc *payment.Service }

// pay: POST /api/v1/orders/{order_no}/pay → the wx.requestPayment parameters.
func (h *payHandlers) pay(c *gin.Context) {
	rp, err := h.svc.Pay(c.Request.Context(), shopperID(c), c.Param("order_no"))
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
