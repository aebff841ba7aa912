package console

import (
	"crypto/rand"
	"crypto/subtle"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/httpx"
	"github.com/kaidian/kaidian/internal/i18n"
	"github.com/kaidian/kaidian/internal/staff"
)

// sessionCookie holds the console session's token (HttpOnly, SameSite=Lax,
// Secure over HTTPS); loginCSRFCookie protects the sign-in form itself;
// deviceCookie marks a browser that signed in before (staff.SignedIn.Device).
const (
	sessionCookie   = "kaidian_console"
	loginCSRFCookie = "kaidian_login_csrf"
	deviceCookie    = "kaidian_console_device"
	sessionKey      = "console.session"
)

func securityHeaders(c *gin.Context) {
	h := c.Writer.Header()
	h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
	h.Set("X-Frame-Options", "DENY")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("Cache-Control", "no-store")
	c.Next()
}

// loadSession attaches the signed-in session, if any, and fixes the
// request's language to the one its account chose; without a choice (or a
// session) the browser's Accept-Language decides.
func (h *handlers) loadSession(c *gin.Context) {
	if token, err := c.Cookie(sessionCookie); err == nil && token != "" {
		if s, err := h.d.Staff.Session(c.Request.Context(), token); err == nil {
			c.Set(sessionKey, s)
			if l, ok := i18n.Parse(s.Account.Language); ok {
				httpx.SetLang(c, l)
			}
		}
	}
	c.Next()
}

func sessionOf(c *gin.Context) (staff.Session, bool) {
	v, ok := c.Get(sessionKey)
	if !ok {
		return staff.Session{}, false
	}
	s, ok := v.(staff.Session)
	return s, ok
}

// me is the signed-in account (behind requireSession it is always there).
func me(c *gin.Context) staff.Account {
	s, _ := sessionOf(c)
	return s.Account
}

// requireSession sends anyone not signed in to the sign-in page, and
// remembers where they were going.
func (h *handlers) requireSession(c *gin.Context) {
	if _, ok := sessionOf(c); ok {
		c.Next()
		return
	}
	next := ""
	if c.Request.Method == http.MethodGet {
		next = "?next=" + url.QueryEscape(c.Request.URL.RequestURI())
	}
	c.Redirect(http.StatusSeeOther, "/console/login"+next)
	c.Abort()
}

// requireOwner refuses staff on owner-only pages.
func (h *handlers) requireOwner(c *gin.Context) {
	if !me(c).IsOwner() {
		h.fail(c, errOwnerOnly)
		c.Abort()
		return
	}
	c.Next()
}

var errOwnerOnly = errs.New(errs.KindForbidden, "owner_only", "console.owner_only")

// checkCSRF refuses any state-changing request whose form does not carry
// the session's token: another site cannot make a signed-in merchant's
// browser change anything.
func (h *handlers) checkCSRF(c *gin.Context) {
	if c.Request.Method == http.MethodGet || c.Request.Method == http.MethodHead {
		c.Next()
		return
	}
	if !h.readForm(c) {
		return
	}
	s, _ := sessionOf(c)
	if !sameToken(c.PostForm("_csrf"), s.CSRFToken) {
		h.fail(c, errs.New(errs.KindForbidden, "csrf", "console.csrf"))
		c.Abort()
		return
	}
	c.Next()
}

// readForm parses the posted form, url-encoded or multipart, so handlers
// read it from Request.PostForm (postedForm). A body over the limit gets the
// 413 page and one that does not parse the 400 page, rather than looking
// like a form without its CSRF token or with fields left out; then it
// reports false and the request stops.
func (h *handlers) readForm(c *gin.Context) bool {
	r := c.Request
	var err error
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		err = r.ParseMultipartForm(32 << 20)
	} else {
		err = r.ParseForm()
	}
	var mbe *http.MaxBytesError
	switch {
	case err == nil:
		return true
	case errors.As(err, &mbe):
		p := httpx.Printer(c)
		h.render(c, http.StatusRequestEntityTooLarge, "error.html", View{Title: p.T("console.request.too_large_title"),
			Data: p.T("console.request.too_large")})
	default:
		h.fail(c, errBadForm)
	}
	c.Abort()
	return false
}

var errBadForm = errs.Invalid("bad_form", "console.bad_form")

// postedForm is the submitted form, which checkCSRF has parsed (readForm).
func postedForm(c *gin.Context) *Form { return NewForm(c, c.Request.PostForm) }

func sameToken(got, want string) bool {
	return got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

// loginToken returns the sign-in form's CSRF token, setting its cookie.
func loginToken(c *gin.Context) string {
	if t, err := c.Cookie(loginCSRFCookie); err == nil && len(t) >= 26 {
		return t
	}
	t := rand.Text()
	c.SetSameSite(http.SameSiteStrictMode)
	c.SetCookie(loginCSRFCookie, t, 3600, "/console", "", secure(c), true)
	return t
}
