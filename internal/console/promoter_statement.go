package console

import (
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/clock"
	"github.com/kaidian/kaidian/internal/commission"
	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/httpx"
	"github.com/kaidian/kaidian/internal/promoter"
)

type statementData struct {
	Promoter  promoter.Promoter
	Statement commission.Statement
	OrderNo   map[int64]string
	Month     string
}

// promoterStatement: GET /console/promoters/{id}/statement?month=2026-12 —
// the promoter's statement for a month (this month by default): what they
// were owed at its start and end, every entry between, clawbacks carried.
func (h *handlers) promoterStatement(c *gin.Context) {
	ctx := c.Request.Context()
	p, ok := pathRecord(h, c, h.d.Promoters.Get)
	if !ok {
		return
	}
	month := time.Now().In(clock.China)
	if s := strings.TrimSpace(c.Query("month")); s != "" {
		m, err := time.ParseInLocation("2006-01", s, clock.China)
		if err != nil {
			h.fail(c, errs.Field("month", "console.promoters.bad_month"))
			return
		}
		month = m
	}
	st, err := h.d.Commission.Statement(ctx, p.ID, month, clock.China)
	if err != nil {
		h.fail(c, err)
		return
	}
	d := statementData{Promoter: p, Statement: st, OrderNo: map[int64]string{}, Month: st.From.Format("2006-01")}
	var ids []int64
	for _, e := range st.Entries {
		if e.OrderID != nil {
			ids = append(ids, *e.OrderID)
		}
	}
	refs, err := h.d.Orders.Refs(ctx, ids)
	if err != nil {
		h.fail(c, err)
		return
	}
	for id, r := range refs {
		d.OrderNo[id] = r.OrderNo
	}
	h.render(c, http.StatusOK, "promoter_statement.html", View{Title: httpx.Printer(c).T("console.statement.title"), Nav: "promoters", Data: d})
}
