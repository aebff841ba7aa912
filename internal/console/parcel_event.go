package console

import (
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/clock"
	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/httpx"
	"github.com/kaidian/kaidian/internal/shipping"
)

// parcelEvent: POST /console/orders/{no}/parcel-events {at (shop time), text}
// — a step of the parcel's journey the merchant tells the shopper about.
func (h *handlers) parcelEvent(c *gin.Context) {
	form := postedForm(c)
	no := c.Param("no")
	in := shipping.EventInput{OrderNo: no, Text: form.Get("text")}
	var err error
	if s := strings.TrimSpace(form.Get("at")); s != "" {
		if in.At, err = time.ParseInLocation(couponTimeLayout, s, clock.China); err != nil {
			err = errs.Field("at", "parcel.event_at")
		}
	}
	if err == nil {
		_, err = h.d.Shipping.AddEvent(c.Request.Context(), me(c).Actor(), in)
	}
	if err != nil {
		h.orderPage(c, httpx.Status(err), form.Fail(err))
		return
	}
	redirect(c, orderURL(no)+"#parcel", httpx.Printer(c).T("parcel.event_added"))
}
