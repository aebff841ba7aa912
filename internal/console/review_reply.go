package console

import (
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/httpx"
)

// reviewReply: POST /console/reviews/{id}/reply {reply} — the shop's one
// reply, written again to change it, emptied to remove it.
func (h *handlers) reviewReply(c *gin.Context) {
	form := postedForm(c)
	id, err := httpx.PathID(c, "id")
	if err == nil {
		err = h.d.Reviews.Reply(c.Request.Context(), me(c).Actor(), id, form.Get("reply"))
	}
	if err != nil {
		form.Values.Set("review_id", c.Param("id"))
		h.reviewPage(c, httpx.Status(err), form.Fail(err))
		return
	}
	redirect(c, reviewsBack(form), httpx.Printer(c).T("console.reviews.replied"))
}

// reviewsBack returns to the list as it was filtered (only the reviews
// page: the form cannot send anyone elsewhere).
func reviewsBack(form *Form) string {
	if b := form.Get("back"); strings.HasPrefix(b, "/console/reviews?") {
		return b
	}
	return "/console/reviews"
}
