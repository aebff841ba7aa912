package console

import (
	"fmt"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/flashsale"
)

// flashEnd: POST /console/flash-sales/{id}/end — cancels an upcoming sale or
// ends a live one now; units not taken go back to stock through the ledger.
func (h *handlers) flashEnd(c *gin.Context) {
	sale, ok := h.flashParam(c)
	if !ok {
		return
	}
	if sale.EndedAt != nil {
		h.fail(c, flashsale.ErrAlreadyEnded)
		return
	}
	before := sale.PhaseAt(h.d.Flash.Now())
	ended, err := h.d.Flash.End(c.Request.Context(), me(c).Actor(), sale.ID)
	if err != nil {
		h.fail(c, err)
		return
	}
	back := returned(ended) - returned(sale)
	msg := fmt.Sprintf("Ended %s. %d unsold units went back to stock; units held by unpaid orders go back if those orders close.", sale.Title, back)
	if before == flashsale.PhaseUpcoming {
		msg = fmt.Sprintf("Cancelled %s. All %d units went back to stock.", sale.Title, back)
	}
	redirect(c, flashURL(sale.ID), msg)
}

func returned(s flashsale.Sale) (n int64) {
	for _, it := range s.Items {
		n += it.Returned
	}
	return n
}
