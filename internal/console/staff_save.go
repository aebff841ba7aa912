package console

import (
	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/httpx"
	"github.com/kaidian/kaidian/internal/staff"
)

// staffCreate: POST /console/staff
func (h *handlers) staffCreate(c *gin.Context) {
	form := postedForm(c)
	_, err := h.d.Staff.Create(c.Request.Context(), me(c).Actor(), staff.NewAccount{Username: form.Get("username"),
		Name: form.Get("name"), Password: form.Get("password"), Role: staff.Role(form.Get("role"))})
	if err != nil {
		form.Values.Del("password")
		h.render(c, httpx.Status(err), "staff_form.html", View{Title: httpx.Printer(c).T("console.staff.add"), Nav: "staff", Form: form.Fail(err)})
		return
	}
	redirect(c, "/console/staff", httpx.Printer(c).T("console.staff.added", "username", form.Get("username")))
}

// staffUpdate: POST /console/staff/{id}
func (h *handlers) staffUpdate(c *gin.Context) {
	id, err := httpx.PathID(c, "id")
	if err != nil {
		h.fail(c, err)
		return
	}
	form := postedForm(c)
	a, err := h.d.Staff.Update(c.Request.Context(), me(c).Actor(), id, staff.Change{Name: form.Get("name"),
		Role: staff.Role(form.Get("role")), Active: form.Get("active") == "on", Password: form.Get("password")})
	if err != nil {
		form.Values.Del("password")
		acc, gerr := h.d.Staff.Get(c.Request.Context(), id)
		if gerr != nil {
			h.fail(c, gerr)
			return
		}
		h.render(c, httpx.Status(err), "staff_edit.html", View{Title: acc.Username, Nav: "staff", Form: form.Fail(err), Data: staffEditData{acc}})
		return
	}
	redirect(c, "/console/staff", httpx.Printer(c).T("console.staff.saved", "username", a.Username))
}
