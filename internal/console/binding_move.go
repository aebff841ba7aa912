package console

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/httpx"
	"github.com/kaidian/kaidian/internal/i18n"
)

// bindingMove: POST /console/bindings/move {shopper_id, to_code, promoter}
// moves one customer to the associate with code to_code, then shows the
// list of the associate they left (promoter).
func (h *handlers) bindingMove(c *gin.Context) {
	form := postedForm(c)
	back := "/console/bindings?promoter=" + url.QueryEscape(form.Get("promoter"))
	id, err := strconv.ParseInt(strings.TrimSpace(form.Get("shopper_id")), 10, 64)
	if err != nil || id <= 0 {
		err = errs.Field("shopper_id", "invalid.positive_id")
	} else {
		_, err = h.d.Attribution.Move(c.Request.Context(), me(c).Actor(), id, strings.TrimSpace(form.Get("to_code")))
	}
	p := httpx.Printer(c)
	if err != nil {
		if errs.As(err).Kind == errs.KindInternal {
			h.fail(c, err)
			return
		}
		redirect(c, back, p.T("console.bindings.not_moved", "error", moveError(p, err)))
		return
	}
	redirect(c, back, p.T("console.bindings.moved", "shopper", id))
}

// bindingMoveAll: POST /console/bindings/move-all {promoter_id, promoter, to_code}
// moves every customer of an associate to another one.
func (h *handlers) bindingMoveAll(c *gin.Context) {
	form := postedForm(c)
	back := "/console/bindings?promoter=" + url.QueryEscape(form.Get("promoter"))
	from, err := strconv.ParseInt(strings.TrimSpace(form.Get("promoter_id")), 10, 64)
	var n int64
	if err != nil || from <= 0 {
		err = errs.Field("promoter_id", "invalid.positive_id")
	} else {
		n, err = h.d.Attribution.MoveAll(c.Request.Context(), me(c).Actor(), from, strings.TrimSpace(form.Get("to_code")))
	}
	p := httpx.Printer(c)
	if err != nil {
		if errs.As(err).Kind == errs.KindInternal {
			h.fail(c, err)
			return
		}
		redirect(c, back, p.T("console.bindings.not_moved", "error", moveError(p, err)))
		return
	}
	redirect(c, back, p.T("console.bindings.moved_all", "count", n))
}

// moveError is why a move was refused, with the field's label when it is
// about one (the target's code).
func moveError(p *i18n.Printer, err error) string {
	if e := errs.As(err); isFieldError(err) {
		return p.FieldError(e)
	}
	return p.Error(err)
}
