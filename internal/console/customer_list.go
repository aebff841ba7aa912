package console

import (
	"net/http"
	"net/url"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/httpx"
	"github.com/kaidian/kaidian/internal/page"
	"github.com/kaidian/kaidian/internal/report"
)

type customersData struct {
	Rows  []report.CustomerRow
	Next  string
	Query url.Values
}

// customerList: GET /console/customers?q=&cursor=
func (h *handlers) customerList(c *gin.Context) {
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
	h.render(c, http.StatusOK, "customers.html", View{Title: httpx.Printer(c).T("console.customers.title"), Nav: "customers",
		Data: customersData{Rows: rows, Next: next, Query: c.Request.URL.Query()}})
}
