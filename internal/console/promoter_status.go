package console

import (
	"context"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/httpx"
	"github.com/kaidian/kaidian/internal/promoter"
)

// promoterApprove: POST /console/promoters/{id}/approve {rate} — an
// application accepted at the rate the merchant sets.
func (h *handlers) promoterApprove(c *gin.Context) {
	h.promoterMove(c, func(ctx context.Context, actor string, id int64) (promoter.Promoter, error) {
		rate, err := strconv.Atoi(strings.TrimSpace(postedForm(c).Get("rate")))
		if err != nil {
			return promoter.Promoter{}, errs.Field("rate", "invalid.whole_number")
		}
		return h.d.Promoters.Approve(ctx, actor, id, rate)
	}, "console.promoters.approved")
}

// promoterReject: POST /console/promoters/{id}/reject
func (h *handlers) promoterReject(c *gin.Context) {
	h.promoterMove(c, h.d.Promoters.Reject, "console.promoters.rejected")
}

// promoterDisable: POST /console/promoters/{id}/disable
func (h *handlers) promoterDisable(c *gin.Context) {
	h.promoterMove(c, h.d.Promoters.Disable, "console.promoters.disabled")
}

// promoterEnable: POST /console/promoters/{id}/enable
func (h *handlers) promoterEnable(c *gin.Context) {
	h.promoterMove(c, h.d.Promoters.Enable, "console.promoters.enabled")
}

// promoterMove runs one audited status change and returns to the promoter.
func (h *handlers) promoterMove(c *gin.Context, move func(ctx context.Context, actor string, id int64) (promoter.Promoter, error), done string) {
	form := postedForm(c)
	p, ok := pathRecord(h, c, h.d.Promoters.Get)
	if !ok {
		return
	}
	if _, err := move(c.Request.Context(), me(c).Actor(), p.ID); err != nil {
		f := NewForm(c, promoterValues(p))
		f.Values.Set("approve_rate", form.Get("rate"))
		h.promoterPage(c, httpx.Status(err), p, f.Fail(err))
		return
	}
	redirect(c, "/console/promoters/"+strconv.FormatInt(p.ID, 10), httpx.Printer(c).T(done))
}

// promoterInvite: POST /console/promoters/{id}/invite — a fresh invite code
// for a promoter without a mini-program account, shown on their page.
func (h *handlers) promoterInvite(c *gin.Context) {
	h.promoterMove(c, func(ctx context.Context, actor string, id int64) (promoter.Promoter, error) {
		_, err := h.d.Promoters.Invite(ctx, actor, id)
		return promoter.Promoter{}, err
	}, "console.promoters.invited")
}
