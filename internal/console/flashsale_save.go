package console

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/flashsale"
	"github.com/kaidian/kaidian/internal/httpx"
)

// flashCreate: POST /console/flash-sales
func (h *handlers) flashCreate(c *gin.Context) { h.flashSave(c, nil) }

// flashUpdate: POST /console/flash-sales/{id}
func (h *handlers) flashUpdate(c *gin.Context) {
	if sale, ok := h.flashParam(c); ok {
		h.flashSave(c, &sale)
	}
}

// flashSave schedules a sale (sale nil) or edits one from the posted form.
// The look-up button (more=1) saves nothing: it shows the form again with
// the SKUs found and more rows.
func (h *handlers) flashSave(c *gin.Context, sale *flashsale.Sale) {
	form := postedForm(c)
	rows := readFlashRows(form.Values)
	ctx := c.Request.Context()
	if err := h.lookUpRows(ctx, rows, sale); err != nil {
		h.fail(c, err)
		return
	}
	if form.Get("more") != "" {
		rows = padRows(rows, flashBlankRows, true)
		h.flashForm(c, http.StatusOK, sale, markUnknown(form, rows), rows)
		return
	}
	in, used, err := readFlash(form, rows)
	var saved flashsale.Sale
	if err == nil && sale == nil {
		saved, err = h.d.Flash.Create(ctx, me(c).Actor(), in)
	} else if err == nil {
		saved, err = h.d.Flash.Update(ctx, me(c).Actor(), sale.ID, in)
	}
	if err != nil {
		h.flashForm(c, httpx.Status(err), sale, failFlash(form, rows, used, err), padRows(rows, 1, false))
		return
	}
	p := httpx.Printer(c)
	msg := p.T("console.flash.scheduled_notice", "title", saved.Title)
	if sale != nil {
		msg = p.T("console.flash.saved", "title", saved.Title)
	}
	redirect(c, flashURL(saved.ID), msg)
}
