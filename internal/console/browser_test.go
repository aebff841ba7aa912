package console_test

import (
	"context"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/kaidian/kaidian/internal/app/apptest"
	"github.com/kaidian/kaidian/internal/staff"
)

// A merchant signs in with a real browser and finds their way around, in
// Chinese, then switches the console to English from the header.
func TestBrowserSignInAndSettings(t *testing.T) {
	e := apptest.Start(t)
	b := e.Browser(t)
	boss := e.StaffAccount(t, "boss", staff.RoleOwner)
	b.Open("/console")
	login := map[string]string{"zh-CN": zh.T("console.login.username"), "en": en.T("console.login.username")}[pageLang(t, b)]
	if login == "" {
		t.Fatalf("the sign-in page is in %q", pageLang(t, b))
	}
	b.MustSee(login) // in the language the browser asks for
	b.Screenshot("login")
	b.SignIn("boss", "password-boss")
	if pageLang(t, b) != "zh-CN" {
		b.Submit("choose Chinese", `button[name=language][value="zh-CN"]`)
	}
	b.MustSee("概览", zh.T("console.dashboard.to_ship"), "近 30 天每日销售额")
	b.Screenshot("dashboard")

	b.Open("/console/settings")
	b.Run("change the shipping fee",
		chromedp.SetValue(`input[name=shipping_fee]`, "12.50", chromedp.ByQuery))
	b.Submit("save the settings", `form.form button[type=submit]`)
	b.MustSee("店铺设置已保存。")
	if v := b.Value(`input[name=shipping_fee]`); v != "12.50" {
		t.Fatalf("shipping fee shows %q after saving", v)
	}
	b.Screenshot("settings")

	b.Submit("choose English", `button[name=language][value="en"]`)
	if lang := pageLang(t, b); lang != "en" {
		t.Fatalf("after choosing English the page is %q", lang)
	}
	b.MustSee(en.T("console.language.changed"), en.T("console.settings.owner_refund_limit"))
	b.Open("/console")
	b.MustSee(en.T("console.dashboard.to_ship"))
	if a, _ := e.App.Staff.Get(context.Background(), boss.ID); a.Language != "en" {
		t.Fatalf("the owner's stored language is %q", a.Language)
	}
}

// pageLang is the lang attribute of the page the browser shows.
func pageLang(t *testing.T, b *apptest.Browser) string {
	t.Helper()
	var lang string
	b.Run("read the page's language", chromedp.Evaluate(`document.documentElement.lang`, &lang))
	return lang
}
