package console_test

import (
	"bytes"
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
		if p.Status != http.StatusRequestEntityTooLarge || !p.Has("larger than this server accepts") {
			t.Errorf("%s with 3 MB: %d", path, p.Status)
		}
	}
	anon := e.Anonymous(t)
	if p := anon.Post("/console/login", url.Values{"username": {"boss"}, "pad": {pad}}); p.Status < 400 {
		t.Errorf("sign-in with 3 MB: %d", p.Status)
	}

	ct, body := multipartForm(t, url.Values{"_csrf": {c.CSRF()}, "title": {"x"}},
		upload{"huge.png", append(pngImage(t), bytes.Repeat([]byte{0}, 3<<20)...)})
	if p := c.PostBody("/console/products/new", ct, body); p.Status != http.StatusBadRequest || !p.Has("images must be at most 2 MB") {
		t.Errorf("product form with a 3 MB image: %d %s", p.Status, p.Body)
	}
}
