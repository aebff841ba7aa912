package console

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/httpx"
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
	h.render(c, http.StatusOK, "login.html", View{Title: httpx.Printer(c).T("console.signin.title"),
		Form: NewForm(c, url.Values{}), Data: loginData{Next: c.Query("next"), Token: loginToken(c)}})
}

// login: POST /console/login
func (h *handlers) login(c *gin.Context) {
	if !h.readForm(c) {
		return
	}
	form := NewForm(c, url.Values{"username": {c.PostForm("username")}})
	title := httpx.Printer(c).T("console.signin.title")
	next := c.PostForm("next")
	if want, err := c.Cookie(loginCSRFCookie); err != nil || !sameToken(c.PostForm("_csrf"), want) {
		form.Error = httpx.Printer(c).T("console.signin.expired")
		h.render(c, http.StatusForbidden, "login.html", View{Title: title, Form: form, Data: loginData{Next: next, Token: loginToken(c)}})
		return
	}
	device, _ := c.Cookie(deviceCookie)
	in, err := h.d.Staff.SignInAttempt(c.Request.Context(), staff.Attempt{Username: c.PostForm("username"),
		Password: c.PostForm("password"), IP: c.ClientIP(), UserAgent: c.Request.UserAgent(), Device: device})
	if err != nil {
		form.Fail(err)
		h.render(c, signInStatus(err), "login.html", View{Title: title, Form: form, Data: loginData{Next: next, Token: loginToken(c)}})
		return
	}
	c.SetSameSite(http.SameSiteLaxMode)
	c.SetCookie(sessionCookie, in.Token, int(staff.MaxLifetime/time.Second), "/console", "", secure(c), true)
	// The known-device cookie only ever goes to the sign-in form: it lets this
	// browser past others' failed guesses at the username (staff.ThrottleUserAll).
	c.SetSameSite(http.SameSiteStrictMode)
	c.SetCookie(deviceCookie, in.Device, int(staff.DeviceLifetime/time.Second), "/console/login", "", secure(c), true)
	h.d.Log.Info("console sign-in", "account", in.Session.Account.Actor(), "ip", c.ClientIP())
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

// safeNext keeps redirects (after sign-in, after the language switch)
// inside the console: a path under /console on this site, never a URL with
// a scheme or host, a protocol-relative "//…", a backslash that browsers
// read as a slash, or control characters; anything else goes to the
// dashboard.
func safeNext(next string) string {
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.Opaque != "" || strings.HasPrefix(next, "//") ||
		strings.ContainsAny(next, "\\\x00\r\n\t") || (u.Path != "/console" && !strings.HasPrefix(u.Path, "/console/")) ||
		strings.Contains(u.Path, "..") {
		return "/console"
	}
	return next
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
	redirect(c, "/console/login", httpx.Printer(c).T("console.signin.signed_out"))
}
