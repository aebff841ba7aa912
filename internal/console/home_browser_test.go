package console_test

import (
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/kaidian/kaidian/internal/app/apptest"
	"github.com/kaidian/kaidian/internal/staff"
)

// A merchant curates the home page in a real browser: a notice, a section
// of hand-picked products, a second section moved above it; the phone-size
// preview shows the products, and the width holds at a phone's; screenshots
// go to .ci/artifacts/screens.
func TestBrowserHomeEditor(t *testing.T) {
	e := apptest.Start(t)
	b := e.Browser(t)
	p := e.ProductIn(t, e.Category(t, "茶叶", nil).ID, "明前龙井绿茶")
	e.StaffAccount(t, "boss", staff.RoleOwner)
	acceptDialogs(b)
	b.SignIn("boss", "password-boss")
	w := pageLanguage(b)

	b.Open("/console/home")
	b.MustSee(w.T("console.home.no_banners"), w.T("console.home.preview_empty"))
	b.Run("write the notice", chromedp.SendKeys(`input[name=notice]`, "全场满99包邮", chromedp.ByQuery))
	b.Submit("save the notice", `form[action="/console/home/notice"] button[type=submit]`)
	b.MustSee(w.T("console.home.notice_saved"), "全场满99包邮")

	b.Open("/console/home/sections/new")
	b.Run("pick products",
		chromedp.SendKeys(`input[name=title]`, "本周精选", chromedp.ByQuery),
		chromedp.SetValue(`select[name=rule]`, "picked", chromedp.ByQuery),
		chromedp.SendKeys(`input[name=product_ids]`, fmt.Sprint(p.ID), chromedp.ByQuery))
	b.Screenshot("home-section-form")
	b.Submit("save the section", `main form .actions button[type=submit]`)
	b.MustSee(w.T("console.home.section_saved"), "本周精选", "明前龙井绿茶", w.T("console.home.live"))

	b.Open("/console/home/sections/new")
	b.Run("a coupons section", chromedp.SendKeys(`input[name=title]`, "领券中心", chromedp.ByQuery),
		chromedp.SetValue(`select[name=kind]`, "coupons", chromedp.ByQuery))
	b.Submit("save the second section", `main form .actions button[type=submit]`)
	b.Submit("move it up", `tbody tr:nth-child(2) form[action$="/move"] button[title]:not([disabled])`)
	b.MustSee(w.T("console.home.moved"))
	var first string
	b.Eval(`document.querySelectorAll("table")[1].querySelector("tbody tr td").textContent`, &first)
	if first != "领券中心" {
		t.Fatalf("after moving up, the first section is %q", first)
	}
	b.Screenshot("home-editor")
	b.Viewport(390, 844)
	b.Open("/console/home")
	var wide bool
	b.Eval(`document.documentElement.scrollWidth > window.innerWidth`, &wide)
	if wide {
		t.Errorf("the editor is wider than a phone")
	}
	b.Screenshot("home-editor-phone")
}
