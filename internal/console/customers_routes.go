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

// mountCustomers registers the pages for shoppers and their orders.
func (h *handlers) mountCustomers(r *gin.RouterGroup) {
	r.GET("/customers", h.customers)
	r.GET("/customers/:id", h.customer)
}

type customersData struct {
	Rows  []report.CustomerRow
	Next  string
	Query url.Values
}

// customers: GET /console/customers?q=&cursor=
func (h *handlers) customers(c *gin.Context) {
	pg, err := page.Parse(c.Query("cursor"), "50")
	if err != nil {
		h.fail(c, err)
		return
	}
	rows, next, err := h.d.Reports.Customers(c.Request.Context(), report.CustomerQuery{Q: c.Query("q"), Page: pg})
	if err != nil {
		h.fail(c, err)
		return
	}
	h.render(c, http.StatusOK, "customers.html", View{Title: "Customers", Nav: "customers",
		Data: customersData{Rows: rows, Next: next, Query: c.Request.URL.Query()}})
}

type customerData struct {
	Customer report.CustomerRow
	Orders   []order.Order
	Next     string
	Query    url.Values
}

// customer: GET /console/customers/:id — a shopper and their orders.
func (h *handlers) customer(c *gin.Context) {
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
	h.render(c, http.StatusOK, "customer.html", View{Title: "Customer " + row.OpenID, Nav: "customers",
		Data: customerData{Customer: row, Orders: orders, Next: next, Query: c.Request.URL.Query()}})
}
