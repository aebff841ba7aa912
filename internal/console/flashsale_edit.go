package console

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/flashsale"
	"github.com/kaidian/kaidian/internal/httpx"
)

// flashFormData is what the schedule and edit form needs besides the values.
type flashFormData struct {
	Sale     *flashsale.Sale // nil when scheduling a new one
	Rows     []flashRow
	MaxItems int
}

// flashNew: GET /console/flash-sales/new
func (h *handlers) flashNew(c *gin.Context) {
	h.flashForm(c, http.StatusOK, nil, NewForm(c, newFlashValues(h.d.Flash.Now())), padRows(nil, flashBlankRows, true))
}

// flashEdit: GET /console/flash-sales/{id}/edit — only before the start.
func (h *handlers) flashEdit(c *gin.Context) {
	sale, ok := h.flashParam(c)
	if !ok {
		return
	}
	if sale.PhaseAt(h.d.Flash.Now()) != flashsale.PhaseUpcoming {
		h.fail(c, flashsale.ErrStarted)
		return
	}
	rows := saleRows(sale)
	if err := h.lookUpRows(c.Request.Context(), rows, &sale); err != nil {
		h.fail(c, err)
		return
	}
	for i, r := range rows {
		if r.Found != nil && r.Found.Code != "" {
			rows[i].SKU = r.Found.Code
		}
	}
	h.flashForm(c, http.StatusOK, &sale, NewForm(c, flashValues(sale)), padRows(rows, flashBlankRows, true))
}

func (h *handlers) flashForm(c *gin.Context, status int, sale *flashsale.Sale, form *Form, rows []flashRow) {
	p := httpx.Printer(c)
	title := p.T("console.flash_form.new_title")
	if sale != nil {
		title = p.T("console.flash_form.edit_title", "title", sale.Title)
	}
	h.render(c, status, "flash_sale_form.html", View{Title: title, Nav: "flash-sales", Form: form,
		Data: flashFormData{Sale: sale, Rows: rows, MaxItems: flashsale.MaxItems}})
}

// flashParam loads the sale named in the path, or renders the error page.
func (h *handlers) flashParam(c *gin.Context) (flashsale.Sale, bool) {
	return pathRecord(h, c, h.d.Flash.Get)
}

func flashURL(id int64) string { return "/console/flash-sales/" + strconv.FormatInt(id, 10) }
