package console_test

import (
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/kaidian/kaidian/internal/app/apptest"
	"github.com/kaidian/kaidian/internal/staff"
)

// A merchant signs in with a real browser and finds their way around.
func TestBrowserSignInAndSettings(t *testing.T) {
	e := apptest.Start(t)
	b := e.Browser(t)
	e.StaffAccount(t, "boss", staff.RoleOwner)
	b.Open("/console")
	b.MustSee("Sign in to")
	b.Screenshot("login")
	b.SignIn("boss", "password-boss")
	b.MustSee("Dashboard", "Waiting to ship")
	b.Screenshot("dashboard")

	b.Open("/console/settings")
	b.Run("change the shipping fee",
		chromedp.SetValue(`input[name=shipping_fee]`, "12.50", chromedp.ByQuery))
	b.Submit("save the settings", `form.form button[type=submit]`)
	b.MustSee("Settings saved.")
	if v := b.Value(`input[name=shipping_fee]`); v != "12.50" {
		t.Fatalf("shipping fee shows %q after saving", v)
	}
	b.Screenshot("settings")
}
