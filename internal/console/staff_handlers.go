package console

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/audit"
	"github.com/kaidian/kaidian/internal/httpx"
	"github.com/kaidian/kaidian/internal/money"
	"github.com/kaidian/kaidian/internal/page"
	"github.com/kaidian/kaidian/internal/staff"
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

// staffNew: GET /console/staff/new
func (h *handlers) staffNew(c *gin.Context) {
	h.render(c, http.StatusOK, "staff_form.html", View{Title: "Add staff", Nav: "staff",
		Form: NewForm(url.Values{"role": {"staff"}, "active": {"on"}})})
}

// staffCreate: POST /console/staff
func (h *handlers) staffCreate(c *gin.Context) {
	c.Request.ParseForm()
	form := NewForm(c.Request.PostForm)
	_, err := h.d.Staff.Create(c.Request.Context(), me(c).Actor(), staff.NewAccount{Username: form.Get("username"),
		Name: form.Get("name"), Password: form.Get("password"), Role: staff.Role(form.Get("role"))})
	if err != nil {
		form.Values.Del("password")
		h.render(c, httpx.Status(err), "staff_form.html", View{Title: "Add staff", Nav: "staff", Form: form.Fail(err)})
		return
	}
	redirect(c, "/console/staff", "Added "+form.Get("username")+".")
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
	h.render(c, http.StatusOK, "staff_edit.html", View{Title: a.Username, Nav: "staff", Form: NewForm(v), Data: staffEditData{a}})
}

// staffUpdate: POST /console/staff/{id}
func (h *handlers) staffUpdate(c *gin.Context) {
	id, err := httpx.PathID(c, "id")
	if err != nil {
		h.fail(c, err)
		return
	}
	c.Request.ParseForm()
	form := NewForm(c.Request.PostForm)
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
	redirect(c, "/console/staff", "Saved "+a.Username+".")
}

type auditData struct {
	Entries []audit.Entry
	Next    string
	Query   url.Values
}

// auditList: GET /console/audit?actor=&action=&subject_type=&subject_id=&cursor= (owners)
func (h *handlers) auditList(c *gin.Context) {
	pg, err := page.Parse(c.Query("cursor"), "50")
	if err != nil {
		h.fail(c, err)
		return
	}
	es, next, err := h.d.Audit.List(c.Request.Context(), audit.Query{Actor: c.Query("actor"), Action: c.Query("action"),
		SubjectType: c.Query("subject_type"), SubjectID: c.Query("subject_id"), Page: pg})
	if err != nil {
		h.fail(c, err)
		return
	}
	h.render(c, http.StatusOK, "audit.html", View{Title: "Audit log", Nav: "audit",
		Data: auditData{Entries: es, Next: next, Query: c.Request.URL.Query()}})
}

// settingsPage: GET /console/settings (owners)
func (h *handlers) settingsPage(c *gin.Context) {
	sh, err := h.d.Settings.Get(c.Request.Context())
	if err != nil {
		h.fail(c, err)
		return
	}
	h.render(c, http.StatusOK, "settings.html", View{Title: "Settings", Nav: "settings", Form: NewForm(url.Values{
		"name": {sh.Name}, "shipping_fee": {money.Decimal(sh.ShippingFee)}, "free_shipping_threshold": {money.Decimal(sh.FreeShippingThreshold)},
		"order_timeout_minutes": {strconv.Itoa(sh.OrderTimeoutSeconds / 60)}, "low_stock_threshold": {strconv.FormatInt(sh.LowStockThreshold, 10)},
		"owner_refund_limit": {money.Decimal(sh.OwnerRefundLimit)},
	})})
}

// settingsSave: POST /console/settings
func (h *handlers) settingsSave(c *gin.Context) {
	c.Request.ParseForm()
	form := NewForm(c.Request.PostForm)
	sh, err := h.d.Settings.Get(c.Request.Context())
	if err == nil {
		err = readSettings(form, &sh)
	}
	if err == nil {
		_, err = h.d.Settings.Update(c.Request.Context(), me(c).Actor(), sh)
	}
	if err != nil {
		form.Fail(err)
		if msg, ok := form.Errors["order_timeout_seconds"]; ok { // the domain counts seconds, the form minutes
			form.Errors["order_timeout_minutes"] = msg
		}
		h.render(c, httpx.Status(err), "settings.html", View{Title: "Settings", Nav: "settings", Form: form})
		return
	}
	redirect(c, "/console/settings", "Settings saved.")
}
