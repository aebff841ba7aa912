package console

import (
	"net/http"
	"net/url"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/httpx"
	"github.com/kaidian/kaidian/internal/staff"
)

// staffNew: GET /console/staff/new
func (h *handlers) staffNew(c *gin.Context) {
	h.render(c, http.StatusOK, "staff_form.html", View{Title: httpx.Printer(c).T("console.staff.add"), Nav: "staff",
		Form: NewForm(c, url.Values{"role": {"staff"}, "active": {"on"}})})
}

type staffEditData struct{ Account staff.Account }

// staffEdit: GET /console/staff/{id}
func (h *handlers) staffEdit(c *gin.Context) {
	id, err := httpx.PathID(c, "id")
	if err != nil {
		h.fail(c, err)
		return
	}
	a, err := h.d.Staff.Get(c.Request.Context(), id)
	if err != nil {
		h.fail(c, err)
		return
	}
	v := url.Values{"name": {a.Name}, "role": {string(a.Role)}}
	if a.Active {
		v.Set("active", "on")
	}
	h.render(c, http.StatusOK, "staff_edit.html", View{Title: a.Username, Nav: "staff", Form: NewForm(c, v), Data: staffEditData{a}})
}
