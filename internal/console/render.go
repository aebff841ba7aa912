package console

import (
	"context"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/httpx"
	"github.com/kaidian/kaidian/internal/i18n"
	"github.com/kaidian/kaidian/internal/money"
	"github.com/kaidian/kaidian/internal/staff"
)

// View is what every page template gets: the frame (who is signed in, the
// CSRF token every form carries, the notice left by the last redirect) and the page's own Data.
type View struct {
	Lang    i18n.Lang // the page's language (the account's choice, else the browser's)
	Title   string
	Here    string // the page's own path and query, where the language switch comes back to (GET pages only)
	Nav     string // the navigation entry to highlight
	Me      *staff.Account
	CSRF    string
	Shop    string
	Sandbox bool
	Notice  string // what the last redirect reported ("Saved.")
	Form    *Form
	Data    any
}

// Form carries what the merchant typed back into the page with the errors
// to show next to each field, so a refused form keeps its input.
type Form struct {
	p      *i18n.Printer // the reader's language, for the errors
	Values url.Values
	Errors map[string]string
	Error  string // an error not about one field
}

// NewForm starts a form from submitted (or initial) values; its errors are
// written in the request's language (the default one without a request).
func NewForm(c *gin.Context, v url.Values) *Form {
	p := i18n.For(i18n.Default)
	if c != nil {
		p = httpx.Printer(c)
	}
	return &Form{p: p, Values: v, Errors: map[string]string{}}
}

// Get is the value typed into a field.
func (f *Form) Get(name string) string {
	if f == nil {
		return ""
	}
	return f.Values.Get(name)
}

// Err is the error to show next to a field.
func (f *Form) Err(name string) string {
	if f == nil {
		return ""
	}
	return f.Errors[name]
}

// Fail records err on the form: next to its field when the error names
// one, otherwise at the top.
func (f *Form) Fail(err error) *Form {
	p, e := f.p, errs.As(err)
	switch field, ok := e.Details["field"].(string); {
	case e.Kind == errs.KindInternal:
		f.Error = p.T("console.error.not_saved")
	case ok:
		f.Errors[field] = p.FieldError(e)
	default:
		f.Error = p.Error(e)
	}
	return f
}

// templates holds every page parsed together with the layout, once per
// language: the functions that write words, money and times are bound to
// the language's printer, so a template writes {{t "<message id>"}}
// and {{when .CreatedAt}} whatever the reader's language.
type templates map[i18n.Lang]map[string]*template.Template

func funcs(p *i18n.Printer) template.FuncMap {
	return template.FuncMap{
		"t":        p.T,
		"enum":     p.Enum,
		"yuan":     p.Money,
		"when":     p.When,
		"day":      p.Day,
		"msg":      p.Msg,
		"langs":    func() []i18n.Lang { return i18n.Langs },
		"actor":    func(actor string) string { return actorName(p, actor) },
		"add":      func(a, b int) int { return a + b },
		"pct":      func(part, whole int64) int64 { return percent(part, whole) },
		"query":    func(v url.Values, kv ...string) template.URL { return withQuery(v, kv...) },
		"fenInput": money.Decimal,
		"source":   func(src string) string { return sourceName(p, src, "") },
		"bp":       func(n int64) string { return basisPoints(n) },
	}
}

// basisPoints writes a rate in basis points as a percentage with one
// decimal ("12.5%"), exactly, without floats.
func basisPoints(n int64) string {
	return strconv.FormatInt(n/100, 10) + "." + strconv.FormatInt(n%100/10, 10) + "%"
}

func percent(part, whole int64) int64 {
	if whole <= 0 {
		return 0
	}
	return part * 100 / whole
}

// withQuery returns ?query with the given keys replaced (pagination and
// filter links keep the other filters).
func withQuery(v url.Values, kv ...string) template.URL {
	q := url.Values{}
	for k, vs := range v {
		q[k] = vs
	}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == "" {
			q.Del(kv[i])
		} else {
			q.Set(kv[i], kv[i+1])
		}
	}
	return template.URL("?" + q.Encode())
}

// parseTemplates parses each page with the layout, in every language; a
// page is any .html file but layout.html.
func parseTemplates(fsys fs.FS) (templates, error) {
	pages, err := fs.Glob(fsys, "*.html")
	if err != nil {
		return nil, err
	}
	t := templates{}
	for _, l := range i18n.Langs {
		t[l] = map[string]*template.Template{}
		for _, p := range pages {
			if p == "layout.html" {
				continue
			}
			tpl, err := template.New(path.Base(p)).Funcs(funcs(i18n.For(l))).ParseFS(fsys, "layout.html", p)
			if err != nil {
				return nil, fmt.Errorf("console template %s: %w", p, err)
			}
			t[l][p] = tpl
		}
	}
	return t, nil
}

// render writes a page. The console never caches and never frames, and
// loads scripts and styles only from itself.
func (h *handlers) render(c *gin.Context, status int, page string, v View) {
	if s, ok := sessionOf(c); ok {
		v.Me, v.CSRF = &s.Account, s.CSRFToken
	}
	v.Sandbox, v.Shop = h.sandbox, h.shopName(c)
	v.Lang = httpx.Lang(c)
	if c.Request.Method == http.MethodGet {
		v.Here = c.Request.URL.RequestURI()
	}
	if v.Notice == "" {
		v.Notice = takeNotice(c)
	}
	tpl, ok := h.pages[v.Lang][page]
	if !ok {
		httpx.Logger(c).Error("console: no such template", "page", page)
		c.String(http.StatusInternalServerError, "page missing")
		return
	}
	c.Header("Content-Type", "text/html; charset=utf-8")
	c.Header("Content-Language", string(v.Lang))
	c.Status(status)
	if err := tpl.ExecuteTemplate(c.Writer, "layout", v); err != nil {
		httpx.Logger(c).Error("console: render", "page", page, "error", err.Error())
	}
}

// shopName is shown in the frame; a failure to read it is not worth a page.
func (h *handlers) shopName(c *gin.Context) string {
	sh, err := h.d.Settings.Get(c.Request.Context())
	if err != nil {
		return "Kaidian"
	}
	return sh.Name
}

// fail renders the error page for an error outside a form.
func (h *handlers) fail(c *gin.Context, err error) {
	status := httpx.Status(err)
	p := httpx.Printer(c)
	msg := p.Error(err)
	if errs.As(err).Kind == errs.KindInternal {
		httpx.Logger(c).Error("console", "error", err.Error())
		msg = p.T("console.error.not_changed")
	}
	h.render(c, status, "error.html", View{Title: p.T("console.error.title"), Data: msg})
}

// pathRecord loads with get the record whose id the path names, or renders
// the error page (a malformed id, or get's error) and answers false.
func pathRecord[T any](h *handlers, c *gin.Context, get func(context.Context, int64) (T, error)) (T, bool) {
	id, err := httpx.PathID(c, "id")
	var rec T
	if err == nil {
		rec, err = get(c.Request.Context(), id)
	}
	if err != nil {
		h.fail(c, err)
		var zero T
		return zero, false
	}
	return rec, true
}

// A notice survives one redirect in a short-lived cookie. ("Notice", not
// "flash": in this shop a flash sale is 秒杀.)
const noticeCookie = "kaidian_notice"

func setNotice(c *gin.Context, msg string) {
	c.SetSameSite(http.SameSiteLaxMode)
	c.SetCookie(noticeCookie, url.QueryEscape(msg), 60, "/console", "", secure(c), true)
}

func takeNotice(c *gin.Context) string {
	v, err := c.Cookie(noticeCookie)
	if err != nil || v == "" {
		return ""
	}
	c.SetCookie(noticeCookie, "", -1, "/console", "", secure(c), true)
	msg, _ := url.QueryUnescape(v)
	return msg
}

// redirect answers a successful form with 303 See Other and a notice.
func redirect(c *gin.Context, to, notice string) {
	if notice != "" {
		setNotice(c, notice)
	}
	c.Redirect(http.StatusSeeOther, to)
}

// secure reports whether the request came over HTTPS (directly or through
// a proxy that says so), so cookies are marked Secure.
func secure(c *gin.Context) bool {
	return c.Request.TLS != nil || strings.EqualFold(c.GetHeader("X-Forwarded-Proto"), "https")
}

// parseFen reads a price typed as yuan ("12.5", "¥12.50", "12") into fen.
func parseFen(field, s string) (int64, error) {
	s = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(s), "¥"))
	n, err := money.Parse(s)
	if err != nil || strings.HasPrefix(s, "-") { // prices are never negative, not even "-0"
		return 0, errs.Field(field, "console.yuan")
	}
	return n, nil
}
