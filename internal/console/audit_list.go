package console

import (
	"net/http"
	"net/url"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/audit"
	"github.com/kaidian/kaidian/internal/page"
)

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

type auditData struct {
	Entries []audit.Entry
	Next    string
	Query   url.Values
}
