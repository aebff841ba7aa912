package console

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/staff"
)

type loginData struct {
	Next, Token string
}

// loginPage: GET /console/login
func (h *handlers) loginPage(c *gin.Context) {
	if _, ok := sessionOf(c); ok {
		c.Redirect(http.StatusSeeOther, safeNext(c.Query("next")))
		return
	}
	h.render(c, http.StatusOK, "login.html", View{Title: "Sign in",
		Form: NewForm(url.Values{}), Data: loginData{Next: c.Query("next"), Token: loginToken(c)}})
}

// login: POST /console/login
func (h *handlers) login(c *gin.Context) {
	form := NewForm(url.Values{"username": {c.PostForm("username")}})
	next := c.PostForm("next")
	if want, err := c.Cookie(loginCSRFCookie); err != nil || !sameToken(c.PostForm("_csrf"), want) {
		form.Error = "The sign-in form expired. Please try again."
		h.render(c, http.StatusForbidden, "login.html", View{Title: "Sign in", Form: form, Data: loginData{Next: next, Token: loginToken(c)}})
		return
	}
	token, sess, err := h.d.Staff.SignIn(c.Request.Context(), c.PostForm("username"), c.PostForm("password"),
		c.ClientIP(), c.Request.UserAgent())
	if err != nil {
		form.Fail(err)
		h.render(c, signInStatus(err), "login.html", View{Title: "Sign in", Form: form, Data: loginData{Next: next, Token: loginToken(c)}})
		return
	}
	c.SetSameSite(http.SameSiteLaxMode)
	c.SetCookie(sessionCookie, token, int(staff.MaxLifetime/time.Second), "/console", "", secure(c), true)
	h.d.Log.Info("console sign-in", "account", sess.Account.Actor(), "ip", c.ClientIP())
	redirect(c, safeNext(next), "")
}

func signInStatus(err error) int {
	switch errs.As(err).Kind {
	case errs.KindRateLimited:
		return http.StatusTooManyRequests
	case errs.KindUnauthenticated:
		return http.StatusUnauthorized
	}
	return http.StatusInternalServerError
}

// safeNext keeps redirects after sign-in inside the console.
func safeNext(next string) string {
	if strings.HasPrefix(next, "/console") && !strings.HasPrefix(next, "//") && !strings.Contains(next, "\\") {
		return next
	}
	return "/console"
}

// logout: POST /console/logout
func (h *handlers) logout(c *gin.Context) {
	if token, err := c.Cookie(sessionCookie); err == nil {
		if err := h.d.Staff.SignOut(c.Request.Context(), token); err != nil {
			h.fail(c, err)
			return
		}
	}
	c.SetCookie(sessionCookie, "", -1, "/console", "", secure(c), true)
	redirect(c, "/console/login", "Signed out.")
}
