package console_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/kaidian/kaidian/internal/app/apptest"
	"github.com/kaidian/kaidian/internal/staff"
)

// The customer page shows what the shopper told the shop: nickname, avatar,
// the phone masked (never the whole number, owners included) and how many
// products they keep as favourites.
func TestCustomerPageShowsProfileWithPhoneMasked(t *testing.T) {
	e := apptest.Start(t)
	tok := e.Login("profile-ann")
	if r := e.Patch("/api/v1/me", tok, map[string]any{"nickname": "安<b>", "avatar_url": e.Photo(t, tok)}); r.Status != http.StatusOK {
		t.Fatalf("profile: %d %s", r.Status, r.Body)
	}
	code := e.Post("/sandbox/wx/phone-code", "", map[string]any{"user": "profile-ann", "phone": "13812345678"}).JSON(t)["code"]
	if r := e.Post("/api/v1/me/phone", tok, map[string]any{"code": code}); r.Status != http.StatusOK {
		t.Fatalf("phone: %d %s", r.Status, r.Body)
	}
	for range 2 {
		p := e.Product(t)
		e.Put("/api/v1/me/favorites/"+strconv.FormatInt(p.ID, 10), tok, nil)
	}
	avatar := getAvatar(t, e, tok)

	for _, role := range []staff.Role{staff.RoleOwner, staff.RoleStaff} {
		c := e.SignIn(t, "profile-"+string(role), role)
		page := c.Get("/console/customers/1")
		if page.Status != http.StatusOK || !page.Has("138****5678") || strings.Contains(page.Body, "13812345678") ||
			!page.Has(`src="`+avatar+`"`) || !page.Has("安&lt;b&gt;") || !page.Has(zh.T("console.customer_profile.favorites")) ||
			!page.Has(">2</b>") {
			t.Fatalf("%s sees: %d %s", role, page.Status, page.Body)
		}
	}
	e.Login("profile-bob")
	c := e.SignIn(t, "profile-clerk", staff.RoleStaff)
	if page := c.Get("/console/customers/2"); page.Status != http.StatusOK || !page.Has(zh.T("console.customer_profile.no_phone")) {
		t.Fatalf("a shopper without a phone: %d %s", page.Status, page.Body)
	}
}

func getAvatar(t *testing.T, e *apptest.Env, tok string) string {
	t.Helper()
	url, _ := e.Get("/api/v1/me", tok).JSON(t)["avatar_url"].(string)
	if url == "" {
		t.Fatal("no avatar set")
	}
	return url
}
