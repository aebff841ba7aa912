package console

import (
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/httpx"
	"github.com/kaidian/kaidian/internal/shipping"
)

type shipCSVData struct {
	Rows     []shipping.RowError
	Carriers []shipping.Carrier
	MaxRows  int
}

// orderShipCSVPage: GET /console/orders/ship-csv — the bulk shipping form.
func (h *handlers) orderShipCSVPage(c *gin.Context) {
	h.render(c, http.StatusOK, "order_ship_csv.html", View{Title: httpx.Printer(c).T("console.ship_csv.title"), Nav: "orders",
		Form: NewForm(c, url.Values{}), Data: shipCSVData{Carriers: shipping.Carriers, MaxRows: shipping.MaxRows}})
}

// orderShipCSV: POST /console/orders/ship-csv with a file (or pasted text)
// of order_no,carrier,tracking_no lines. Every line is checked first; one
// bad line ships nothing, and every bad line is listed.
func (h *handlers) orderShipCSV(c *gin.Context) {
	form := NewForm(c, url.Values{"csv": {c.PostForm("csv")}})
	var src io.Reader = strings.NewReader(form.Get("csv"))
	if fh, err := c.FormFile("file"); err == nil {
		f, err := fh.Open()
		if err != nil {
			h.fail(c, err)
			return
		}
		defer f.Close()
		src = f
	}
	rows, bad := shipping.ParseCSV(src)
	var shipped []shipping.Shipment
	var err error
	if len(bad) == 0 {
		shipped, bad, err = h.d.Shipping.ShipMany(c.Request.Context(), me(c).Actor(), rows)
	} else {
		var more []shipping.RowError
		more, err = h.d.Shipping.Check(c.Request.Context(), rows)
		bad = append(bad, more...)
		sort.SliceStable(bad, func(i, j int) bool { return bad[i].Line < bad[j].Line })
	}
	if err != nil {
		h.fail(c, err)
		return
	}
	if len(bad) > 0 {
		p := httpx.Printer(c)
		form.Error = p.T("console.ship_csv.problems", "count", len(bad))
		h.render(c, http.StatusBadRequest, "order_ship_csv.html", View{Title: p.T("console.ship_csv.title"), Nav: "orders",
			Form: form, Data: shipCSVData{Rows: bad, Carriers: shipping.Carriers, MaxRows: shipping.MaxRows}})
		return
	}
	redirect(c, "/console/orders?status=shipped", httpx.Printer(c).T("console.ship_csv.shipped", "count", len(shipped)))
}
