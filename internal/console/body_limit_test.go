package console_test

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/kaidian/kaidian/internal/app/apptest"
	"github.com/kaidian/kaidian/internal/staff"
)

// Every console group caps bodies at KAIDIAN_MAX_BODY_BYTES (1 MB in
// tests) except product forms posted as multipart, which carry images: a
// plain form over the cap is refused 413 wherever it is posted, a product
// form with a 3 MB image is read (and the image refused by its own rule).
func TestEveryConsoleGroupCapsBodies(t *testing.T) {
	e := apptest.Start(t)
	c := e.SignIn(t, "boss", staff.RoleOwner)
	pad := strings.Repeat("x", 3<<20)
	for _, path := range []string{"/console/settings", "/console/products/new", "/console/products/1",
		"/console/orders/ship-csv", "/console/inventory/import", "/console/categories"} {
		p := c.Post(path, url.Values{"pad": {pad}})
		if p.Status != http.StatusRequestEntityTooLarge || !p.Has("提交的内容超过了服务器允许的大小") {
			t.Errorf("%s with 3 MB: %d", path, p.Status)
		}
	}
	anon := e.Anonymous(t)
	if p := anon.Post("/console/login", url.Values{"username": {"boss"}, "pad": {pad}}); p.Status < 400 {
		t.Errorf("sign-in with 3 MB: %d", p.Status)
	}

	ct, body := multipartForm(t, url.Values{"_csrf": {c.CSRF()}, "title": {"x"}},
		upload{"huge.png", append(pngImage(t), bytes.Repeat([]byte{0}, 3<<20)...)})
	if p := c.PostBody("/console/products/new", ct, body); p.Status != http.StatusBadRequest || !p.Has("图片最大 2 MB") {
		t.Errorf("product form with a 3 MB image: %d %s", p.Status, p.Body)
	}
}

// A form that does not parse is refused with the 400 page as a whole, not
// read with the fields it could parse: here parent_id would be dropped and
// the category created at the top.
func TestUnreadableFormGetsTheBadRequestPage(t *testing.T) {
	e := apptest.Start(t)
	c := e.SignIn(t, "lily", staff.RoleStaff)
	c.Get("/console/categories")
	body := "_csrf=" + url.QueryEscape(c.CSRF()) + "&name=%E6%9C%8D%E9%A5%B0&parent_id=%zz"
	if p := c.PostBody("/console/categories", "application/x-www-form-urlencoded", strings.NewReader(body)); p.Status != http.StatusBadRequest ||
		!p.Has(says("console.bad_form")) {
		t.Fatalf("bad escape: %d %s", p.Status, p.Body)
	}
	if tree, err := e.App.Catalog.Categories(context.Background()); err != nil || len(tree) != 0 {
		t.Fatalf("an unreadable form created %+v (%v)", tree, err)
	}
	if p := c.PostBody("/console/settings", "multipart/form-data", strings.NewReader("_csrf="+c.CSRF())); p.Status != http.StatusBadRequest {
		t.Fatalf("multipart without a boundary: %d", p.Status)
	}
	anon := e.Anonymous(t)
	if p := anon.PostBody("/console/login", "application/x-www-form-urlencoded", strings.NewReader("username=boss&password=%zz")); p.Status != http.StatusBadRequest {
		t.Fatalf("sign-in form: %d", p.Status)
	}
}
