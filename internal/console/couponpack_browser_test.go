package console_test

import (
	"context"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/kaidian/kaidian/internal/app/apptest"
	"github.com/kaidian/kaidian/internal/channel"
	"github.com/kaidian/kaidian/internal/staff"
)

// A merchant starts a lucky-pack campaign from the form's defaults in a
// real browser, issues a pack for a channel from the campaign's page, and
// stops the campaign with the confirm prompt; screenshots of each page go
// to .ci/artifacts/screens.
func TestBrowserCouponPacks(t *testing.T) {
	e := apptest.Start(t)
	b := e.Browser(t)
	e.StaffAccount(t, "boss", staff.RoleOwner)
	ch, err := e.App.Channels.Create(context.Background(), "test", channel.Input{Name: "Shop window", Active: true})
	if err != nil {
		t.Fatal(err)
	}
	acceptDialogs(b)
	b.SignIn("boss", "password-boss")
	w := pageLanguage(b)

	b.Open("/console/coupon-packs/new")
	b.Run("name the campaign", chromedp.SendKeys(`input[name=name]`, "Lucky mugs", chromedp.ByQuery))
	b.Screenshot("coupon-pack-form")
	b.Submit("create it", `main form .actions button[type=submit]`)
	b.MustSee(w.T("console.coupon_pack.created", "name", "Lucky mugs"), w.Enum("coupon.status", "live"),
		w.T("console.coupon_packs.split_value", "total", "¥10.00", "count", 5, "least", "¥0.50"))
	b.Screenshot("coupon-pack")

	b.Submit("issue a pack for the channel", `form[action$="/issue"] button[type=submit]`)
	b.MustSee("channel:"+ch.Code, "0 / 5", w.T("console.coupon_pack.packs"))
	b.Screenshot("coupon-pack-issued")

	b.Submit("stop it", `form[action$="/stop"] button[type=submit]`)
	b.MustSee(w.T("console.coupon_pack.stopped", "name", "Lucky mugs"), w.Enum("coupon.status", "stopped"))
	b.Open("/console/coupon-packs")
	b.MustSee("Lucky mugs", w.T("console.coupon_packs.on_paid"))
	b.Screenshot("coupon-packs")
}
