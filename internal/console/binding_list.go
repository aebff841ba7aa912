package console

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/attribution"
	"github.com/kaidian/kaidian/internal/httpx"
	"github.com/kaidian/kaidian/internal/promoter"
)

type bindingListData struct {
	Associate promoter.Promoter
	Bindings  []attribution.Binding
	Next      string
	Query     url.Values
}

// bindingList: GET /console/bindings?promoter=<associate's code>&cursor=
// The customers bound to an associate, each with a form to move them to
// another associate, and a form to move them all (the associate left).
func (h *handlers) bindingList(c *gin.Context) {
	form := NewForm(c, c.Request.URL.Query())
	title := httpx.Printer(c).T("console.bindings.title")
	data := bindingListData{Query: form.Values}
	code := strings.TrimSpace(form.Get("promoter"))
	var err error
	if code != "" {
		pg, perr := listPage(c, "50")
		if err = perr; err == nil {
			data.Associate, data.Bindings, data.Next, err = h.d.Attribution.Customers(c.Request.Context(), code, pg)
		}
	}
	switch {
	case err != nil && isFieldError(err):
		h.render(c, httpx.Status(err), "bindings.html", View{Title: title, Nav: "bindings", Form: form.Fail(err), Data: data})
	case err != nil:
		h.fail(c, err)
	default:
		h.render(c, http.StatusOK, "bindings.html", View{Title: title, Nav: "bindings", Form: form, Data: data})
	}
}
