package console

import (
	"context"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/httpx"
)

// reviewHide: POST /console/reviews/{id}/hide
func (h *handlers) reviewHide(c *gin.Context) {
	h.moderate(c, h.d.Reviews.Hide, "console.reviews.hidden")
}

// reviewUnhide: POST /console/reviews/{id}/unhide
func (h *handlers) reviewUnhide(c *gin.Context) {
	h.moderate(c, h.d.Reviews.Unhide, "console.reviews.shown")
}

// reviewApprove: POST /console/reviews/{id}/approve — a held review (and
// its held follow-up) shown after the merchant read it.
func (h *handlers) reviewApprove(c *gin.Context) {
	h.moderate(c, h.d.Reviews.Approve, "console.reviews.approved")
}

// moderate runs one audited change of a review and returns to the list.
func (h *handlers) moderate(c *gin.Context, change func(ctx context.Context, actor string, id int64) error, done string) {
	form := postedForm(c)
	id, err := httpx.PathID(c, "id")
	if err == nil {
		err = change(c.Request.Context(), me(c).Actor(), id)
	}
	if err != nil {
		h.reviewPage(c, httpx.Status(err), form.Fail(err))
		return
	}
	redirect(c, reviewsBack(form), httpx.Printer(c).T(done))
}
