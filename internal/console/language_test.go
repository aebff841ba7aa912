package console_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

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

// visibleText is what a reader sees of a page's main area: its text and
// the attributes that speak (placeholders, titles, labels, confirmations),
// without markup, scripts or the values of the test's own data.
func visibleText(body string, data ...string) string {
	if i := strings.Index(body, "<main"); i >= 0 {
		body = body[i:]
	}
	var b strings.Builder
	for _, m := range speakingAttr.FindAllStringSubmatch(body, -1) {
		b.WriteString(m[1] + "\n")
	}
	b.WriteString(html.UnescapeString(markup.ReplaceAllString(body, " ")))
	s := b.String()
	for _, d := range data {
		s = strings.ReplaceAll(s, d, " ")
	}
	return s
}

var (
	markup       = regexp.MustCompile(`(?s)<script.*?</script>|<[^>]*>`)
	speakingAttr = regexp.MustCompile(`(?:placeholder|title|aria-label|alt|data-confirm)="([^"]*)"`)
	missingID    = regexp.MustCompile(`\[[a-z_]+(?:\.[a-z0-9_-]+)+\]`)
)

// The shop's pages speak each language throughout: no message id is
// missing in either, and the Chinese pages whose every word is the
// console's own (not a shopper's text or a record written by a domain
// package) hold no English but the shop's data.
func TestShopPagesInBothLanguages(t *testing.T) {
	e := apptest.Start(t, quick)
	c := e.SignIn(t, "boss", staff.RoleOwner)
	lily := e.StaffAccount(t, "lily", staff.RoleStaff)
	cat := e.Category(t, "杯具", nil)
	sku := e.ProductIn(t, cat.ID, "蓝色马克杯", apptest.SKU{Price: 2990, Stock: 10}).SKUs[0].ID
	tok, no := e.PaidOrder(t, "alice", sku, 2)
	requestRefund(t, e, tok, no, 2990, "少发了一件")
	c.Post("/console/orders/"+no+"/refund", url.Values{"amount": {"1"}, "reason": {"运费补偿"}})
	unpaid := unpaidOrder(t, e, "bob", sku, 1)
	o := orderOf(t, e, no)
	ids, openids := shoppers(t, e)
	data := append([]string{"R" + no + "-01", no, unpaid, o.TransactionID, "boss", "lily", "Owner", "owner", "Kaidian", "openid"}, openids...)
	today := time.Now().Format("2006-01-02")

	pages := []struct {
		path    string
		ownOnly bool // every word on the page is the console's own
	}{
		{"/console", true},
		{"/console/orders", true},
		{"/console/orders?from=" + today + "&to=" + today, true},
		{"/console/orders/" + no, false}, // history notes and close reasons are the order's records
		{"/console/orders/" + unpaid, false},
		{"/console/orders/ship-csv", true},
		{"/console/refunds", true},
		{"/console/reviews", true},
		{"/console/customers", true},
		{"/console/customers/" + strconv.FormatInt(ids[0], 10), true},
		{"/console/audit", false}, // details are the domain's records
		{"/console/staff", true},
		{"/console/staff/new", true},
		{"/console/staff/" + strconv.FormatInt(lily.ID, 10), true},
		{"/console/settings", true},
		{"/console/password", true},
	}
	for _, lang := range []string{"", "en"} {
		c.Lang = lang
		for _, pg := range pages {
			p := c.Get(pg.path)
			if p.Status != http.StatusOK {
				t.Errorf("%s %s: %d", lang, pg.path, p.Status)
				continue
			}
			text := visibleText(p.Body, data...)
			if m := missingID.FindAllString(text, -1); len(m) > 0 {
				t.Errorf("%s %s: messages missing: %v", lang, pg.path, m)
			}
			if lang == "" && pg.ownOnly {
				if words := i18n.EnglishIn(text); len(words) > 0 {
					t.Errorf("%s in Chinese shows English: %v", pg.path, words)
				}
			}
		}
	}
}
