package console

import (
	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/httpx"
	"github.com/kaidian/kaidian/internal/i18n"
	"github.com/kaidian/kaidian/internal/staff"
)

// languageSave: POST /console/language, the header's language switch. It
// stores the signed-in account's choice and goes back to the page it was
// sent from (a console path only; pages shown after a refused form send
// none and land on the dashboard), now written in that language.
func (h *handlers) languageSave(c *gin.Context) {
	s, _ := sessionOf(c)
	l, ok := i18n.Parse(c.PostForm("language")) // the switch offers languages only, not "follow the browser"
	if !ok {
		h.fail(c, staff.ErrUnknownLanguage)
		return
	}
	if _, err := h.d.Staff.SetLanguage(c.Request.Context(), s.Account, string(l)); err != nil {
		h.fail(c, err)
		return
	}
	httpx.SetLang(c, l)
	redirect(c, safeNext(c.PostForm("next")), httpx.Printer(c).T("console.language.changed"))
}
