package apptest

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/kaidian/kaidian/internal/staff"
)

// Console is a browser-like client of the merchant console: a cookie jar
// signed in as one account, and the CSRF token its pages carry.
type Console struct {
	e       *Env
	t       testing.TB
	client  *http.Client
	csrf    string
	Account staff.Account
	// From, when set, is sent as X-Forwarded-For: the client's address when
	// the test trusts 127.0.0.1 as a proxy (WithRateLimits).
	From string
	// Lang, when set, is sent as Accept-Language ("en"); without it the
	// console answers in its default, zh-CN (unless the account chose).
	Lang string
}

// Page is a console answer.
type Page struct {
	Status   int
	Body     string
	Location string // where a redirect points
	Header   http.Header
}

// Has reports whether the page shows s (HTML-escaped text compares as typed).
func (p Page) Has(s string) bool { return strings.Contains(p.Body, s) }

// StaffAccount creates a console account with the given role; its password
// is "password-"+username.
func (e *Env) StaffAccount(t testing.TB, username string, role staff.Role) staff.Account {
	t.Helper()
	a, err := e.App.Staff.Create(context.Background(), "test", staff.NewAccount{Username: username, Name: username,
		Password: "password-" + username, Role: role})
	if err != nil {
		t.Fatalf("fixture staff account: %v", err)
	}
	return a
}

// Anonymous is a console client that has not signed in.
func (e *Env) Anonymous(t testing.TB) *Console {
	jar, _ := cookiejar.New(nil)
	return &Console{e: e, t: t, client: &http.Client{Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// SignIn creates an account with the role and signs in through the login form.
func (e *Env) SignIn(t testing.TB, username string, role staff.Role) *Console {
	t.Helper()
	c := e.Anonymous(t)
	c.Account = e.StaffAccount(t, username, role)
	c.Get("/console/login")
	p := c.Post("/console/login", url.Values{"username": {username}, "password": {"password-" + username}})
	if p.Status != http.StatusSeeOther {
		t.Fatalf("sign in as %s: %d %s", username, p.Status, p.Body)
	}
	c.Get("/console") // picks up the session's CSRF token
	return c
}

var csrfField = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// Get fetches a console page (redirects are not followed).
func (c *Console) Get(path string) Page {
	c.t.Helper()
	return c.do(http.MethodGet, path, nil, "")
}

// Post submits a form with the CSRF token of the last page seen (unless
// the values carry their own _csrf).
func (c *Console) Post(path string, form url.Values) Page {
	c.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	if form.Get("_csrf") == "" && c.csrf != "" {
		form.Set("_csrf", c.csrf)
	}
	return c.do(http.MethodPost, path, strings.NewReader(form.Encode()), "application/x-www-form-urlencoded")
}

// PostBody sends a raw body (e.g. a multipart upload) with its content type.
func (c *Console) PostBody(path, contentType string, body io.Reader) Page {
	c.t.Helper()
	return c.do(http.MethodPost, path, body, contentType)
}

// CSRF is the token the console's forms carry for this session.
func (c *Console) CSRF() string { return c.csrf }

func (c *Console) do(method, path string, body io.Reader, contentType string) Page {
	c.t.Helper()
	req, err := http.NewRequest(method, c.e.URL+path, body)
	if err != nil {
		c.t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if c.From != "" {
		req.Header.Set("X-Forwarded-For", c.From)
	}
	if c.Lang != "" {
		req.Header.Set("Accept-Language", c.Lang)
	}
	res, err := c.client.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	p := Page{Status: res.StatusCode, Body: string(b), Location: res.Header.Get("Location"), Header: res.Header}
	if m := csrfField.FindStringSubmatch(p.Body); m != nil {
		c.csrf = m[1]
	}
	return p
}
