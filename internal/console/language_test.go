package console_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"github.com/kaidian/kaidian/internal/app/apptest"
	"github.com/kaidian/kaidian/internal/i18n"
	"github.com/kaidian/kaidian/internal/staff"
)

var (
	zh = i18n.For(i18n.ZhCN)
	en = i18n.For(i18n.En)
)

// Before sign-in the browser's Accept-Language decides, Chinese without one.
func TestConsoleLanguageBeforeSignIn(t *testing.T) {
	e := apptest.Start(t)
	c := e.Anonymous(t)
	p := c.Get("/console/login")
	if p.Status != http.StatusOK || !p.Has(`<html lang="zh-CN">`) || !p.Has("用户名") || !p.Has(zh.T("console.login.submit")) {
		t.Fatalf("no Accept-Language: want the Chinese sign-in page, got %d %s", p.Status, p.Body)
	}
	c.Lang = "en-US,en;q=0.9"
	if p := c.Get("/console/login"); !p.Has(`<html lang="en">`) || !p.Has(en.T("console.login.username")) || p.Has("用户名") {
		t.Fatalf("Accept-Language en: want the English sign-in page, got %s", p.Body)
	}
}

// A signed-in account's choice wins over the browser's header; the switch
// needs the session's CSRF token, refuses a language the console does not
// speak, and goes back only to console pages.
func TestConsoleLanguageSwitch(t *testing.T) {
	e := apptest.Start(t)
	c := e.SignIn(t, "lily", staff.RoleStaff)
	p := c.Get("/console/orders?status=paid")
	if !p.Has(`<html lang="zh-CN">`) || !p.Has(`action="/console/language"`) || !p.Has(`value="/console/orders?status=paid"`) ||
		!p.Has(`>English</button>`) || !p.Has("中文") {
		t.Fatalf("zh-CN page with the language switch: %s", p.Body)
	}

	if p := c.Post("/console/language", url.Values{"_csrf": {"forged"}, "language": {"en"}}); p.Status != http.StatusForbidden {
		t.Fatalf("forged token: %d", p.Status)
	}
	if a, _ := e.App.Staff.Get(context.Background(), c.Account.ID); a.Language != "" {
		t.Fatalf("a forged form set the language to %q", a.Language)
	}
	for _, bad := range []string{"fr", "", "zh-TW"} {
		if p := c.Post("/console/language", url.Values{"language": {bad}, "next": {"/console/orders"}}); p.Status != http.StatusBadRequest {
			t.Fatalf("language %q: %d, want 400", bad, p.Status)
		}
	}

	p = c.Post("/console/language", url.Values{"language": {"en"}, "next": {"/console/orders?status=paid"}})
	if p.Status != http.StatusSeeOther || p.Location != "/console/orders?status=paid" {
		t.Fatalf("switch to en: %d %q", p.Status, p.Location)
	}
	c.Lang = "zh-CN" // the browser asks for Chinese; the account chose English
	if p := c.Get("/console/orders"); !p.Has(`<html lang="en">`) || !p.Has(en.T("console.language.changed")) || !p.Has(en.T("console.nav.orders")) {
		t.Fatalf("after choosing English: %s", p.Body)
	}

	for _, next := range []string{"https://evil.example/console", "//evil.example/console", "/\\evil.example", "/consolex", "/api/v1/orders", "javascript:alert(1)", "/console/../api"} {
		p := c.Post("/console/language", url.Values{"language": {"zh-CN"}, "next": {next}})
		if p.Status != http.StatusSeeOther || p.Location != "/console" {
			t.Fatalf("next %q: %d %q, want the dashboard", next, p.Status, p.Location)
		}
	}
	c.Lang = "en"
	if p := c.Get("/console"); !p.Has(`<html lang="zh-CN">`) || !p.Has("已切换为中文") || !p.Has("订单") {
		t.Fatalf("after choosing Chinese with an English browser: %s", p.Body)
	}
	if a, _ := e.App.Staff.Get(context.Background(), c.Account.ID); a.Language != "zh-CN" {
		t.Fatalf("stored language %q", a.Language)
	}
}
