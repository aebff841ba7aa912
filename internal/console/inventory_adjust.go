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

// adjustForm is the SKU page's adjustment form: a signed quantity (12 adds,
// -3 takes away) and a reason. It keeps only those two fields, to show
// them again after a refusal.
type adjustForm struct{ *Form }

func readAdjustForm(posted *Form) adjustForm {
	return adjustForm{&Form{p: posted.p, Values: url.Values{"quantity": {posted.Get("quantity")}, "reason": {posted.Get("reason")}}, Errors: map[string]string{}}}
}

// Validate returns the change in units; the reason is the inventory's to judge.
func (f adjustForm) Validate() (int64, error) {
	delta, err := strconv.ParseInt(strings.TrimSpace(f.Get("quantity")), 10, 64)
	if err != nil {
		return 0, errs.Field("quantity", "console.adjust_quantity")
	}
	return delta, nil
}

// inventoryAdjust: POST /console/inventory/:id/adjust {quantity, reason}. A
// refused adjustment shows the SKU page again with what was typed and the
// error next to its field.
func (h *handlers) inventoryAdjust(c *gin.Context) {
	id, err := httpx.PathID(c, "id")
	if err != nil {
		h.fail(c, err)
		return
	}
	form := readAdjustForm(postedForm(c))
	delta, err := form.Validate()
	var after int64
	if err == nil {
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
	redirect(c, fmt.Sprintf("/console/inventory/%d", id), httpx.Printer(c).T("console.inventory.adjusted", "from", after-delta, "to", after))
}
