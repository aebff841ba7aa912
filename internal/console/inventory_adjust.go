package console

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/httpx"
)

// inventoryAdjust: POST /console/inventory/:id/adjust with quantity (signed:
// 12 adds, -3 takes away) and a reason. A refused adjustment shows the SKU
// page again with what was typed and the error next to its field.
func (h *handlers) inventoryAdjust(c *gin.Context) {
	id, err := httpx.PathID(c, "id")
	if err != nil {
		h.fail(c, err)
		return
	}
	form := NewForm(url.Values{"quantity": {c.PostForm("quantity")}, "reason": {c.PostForm("reason")}})
	delta, err := strconv.ParseInt(strings.TrimSpace(form.Get("quantity")), 10, 64)
	var after int64
	if err != nil {
		err = errs.Field("quantity", "must be a whole number: 12 adds twelve units, -3 takes three away")
	} else {
		after, err = h.d.CatalogIO.Adjust(c.Request.Context(), id, delta, form.Get("reason"), me(c).Actor())
	}
	if errs.As(err).Kind == errs.KindNotFound {
		h.fail(c, err)
		return
	}
	if err != nil {
		h.showSKU(c, httpx.Status(err), form.Fail(err))
		return
	}
	redirect(c, fmt.Sprintf("/console/inventory/%d", id), fmt.Sprintf("Stock %d → %d.", after-delta, after))
}
