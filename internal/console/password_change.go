package console

import (
	"net/http"
	"net/url"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/httpx"
	"github.com/kaidian/kaidian/internal/staff"
)

type passwordData struct{ Forced bool }

// forcePasswordChange keeps an account whose password Kaidian generated (the
// first owner's, shown once on a terminal or written to a file) on the
// change-password page until it has chosen its own: every other page, and
// every form, redirects there and does nothing. Signing out stays possible.
func (h *handlers) forcePasswordChange(c *gin.Context) {
	if !me(c).MustChangePassword {
		c.Next()
		return
	}
	switch c.FullPath() {
	case "/console/password", "/console/logout", "/console/language":
		c.Next()
		return
	}
	c.Redirect(http.StatusSeeOther, "/console/password")
	c.Abort()
}

// passwordPage: GET /console/password
func (h *handlers) passwordPage(c *gin.Context) {
	h.render(c, http.StatusOK, "password.html", View{Title: httpx.Printer(c).T("console.password.title"), Form: NewForm(c, url.Values{}),
		Data: passwordData{Forced: me(c).MustChangePassword}})
}

// passwordSave: POST /console/password (CSRF-checked like every form)
func (h *handlers) passwordSave(c *gin.Context) {
	sess, _ := sessionOf(c)
	err := h.d.Staff.ChangePassword(c.Request.Context(), sess, c.PostForm("current_password"), c.PostForm("password"), c.PostForm("confirm"))
	if errs.Is(err, staff.ErrPasswordChanged.Code) {
		c.SetCookie(sessionCookie, "", -1, "/console", "", secure(c), true)
		redirect(c, "/console/login", httpx.Printer(c).T("console.password.changed_meanwhile"))
		return
	}
	if err != nil {
		h.render(c, httpx.Status(err), "password.html", View{Title: httpx.Printer(c).T("console.password.title"), Form: NewForm(c, url.Values{}).Fail(err),
			Data: passwordData{Forced: sess.Account.MustChangePassword}})
		return
	}
	h.d.Log.Info("console password changed", "account", sess.Account.Actor())
	redirect(c, "/console", httpx.Printer(c).T("console.password.changed"))
}
