package console

import (
	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/flashsale"
	"github.com/kaidian/kaidian/internal/httpx"
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
	p := httpx.Printer(c)
	msg := p.T("console.flash.ended", "title", sale.Title, "n", back)
	if before == flashsale.PhaseUpcoming {
		msg = p.T("console.flash.cancelled", "title", sale.Title, "n", back)
	}
	redirect(c, flashURL(sale.ID), msg)
}

func returned(s flashsale.Sale) (n int64) {
	for _, it := range s.Items {
		n += it.Returned
	}
	return n
}
