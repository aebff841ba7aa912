package console

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/httpx"
)

// staffList: GET /console/staff (owners)
func (h *handlers) staffList(c *gin.Context) {
	as, err := h.d.Staff.List(c.Request.Context())
	if err != nil {
		h.fail(c, err)
		return
	}
	h.render(c, http.StatusOK, "staff.html", View{Title: httpx.Printer(c).T("console.staff.title"), Nav: "staff", Data: as})
}
