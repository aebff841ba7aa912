package console

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// staffList: GET /console/staff (owners)
func (h *handlers) staffList(c *gin.Context) {
	as, err := h.d.Staff.List(c.Request.Context())
	if err != nil {
		h.fail(c, err)
		return
	}
	h.render(c, http.StatusOK, "staff.html", View{Title: "Staff", Nav: "staff", Data: as})
}
