package console

import (
	"net/http"
	"net/url"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/customer"
	"github.com/kaidian/kaidian/internal/httpx"
	"github.com/kaidian/kaidian/internal/order"
	"github.com/kaidian/kaidian/internal/page"
	"github.com/kaidian/kaidian/internal/report"
)

type customerData struct {
	Customer report.CustomerRow
	Profile  customerProfile
	Orders   []order.Order
	Next     string
	Query    url.Values
}

// customerShow: GET /console/customers/:id — a shopper and their orders.
func (h *handlers) customerShow(c *gin.Context) {
	id, err := httpx.PathID(c, "id")
	if err != nil {
		h.fail(c, err)
		return
	}
	row, ok, err := h.d.Reports.Customer(c.Request.Context(), id)
	if err == nil && !ok {
		err = customer.ErrNotFound
	}
	if err != nil {
		h.fail(c, err)
		return
	}
	prof, _, err := h.d.Reports.CustomerProfile(c.Request.Context(), id)
	if err != nil {
		h.fail(c, err)
		return
	}
	pg, err := page.Parse(c.Query("cursor"), "20")
	if err != nil {
		h.fail(c, err)
		return
	}
	orders, next, err := h.d.Orders.List(c.Request.Context(), id, order.ListQuery{Page: pg})
	if err != nil {
		h.fail(c, err)
		return
	}
	h.render(c, http.StatusOK, "customer.html", View{Title: httpx.Printer(c).T("console.customer.title", "n", row.ID), Nav: "customers",
		Data: customerData{Customer: row, Profile: profileOf(prof), Orders: orders, Next: next, Query: c.Request.URL.Query()}})
}

// customerProfile is the shopper's own details as the page shows them:
// the phone masked, as everywhere in Kaidian (it is personal data the
// merchant needs no more of than the last digits to recognise a caller;
// the full number stays in the database, never on a page).
type customerProfile struct {
	AvatarURL, Phone string
	Favorites        int64
}

func profileOf(p report.Profile) customerProfile {
	return customerProfile{AvatarURL: p.AvatarURL, Phone: customer.MaskPhone(p.Phone), Favorites: p.Favorites}
}
