package console_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/kaidian/kaidian/internal/app/apptest"
	"github.com/kaidian/kaidian/internal/config"
	"github.com/kaidian/kaidian/internal/staff"
)

// A merchant's day in a real browser: sign in, create a product with a SKU
// grid, adjust its stock, create a coupon, find a paid order, ship it and
// refund part of it — asserting on what the pages show, with a screenshot
// of every main page under .ci/artifacts/screens.
func TestBrowserMerchantFlow(t *testing.T) {
	e := apptest.Start(t, func(c *config.Config) { c.SandboxRefundDelay = 100 * time.Millisecond })
	b := e.Browser(t)
	e.Category(t, "Shirts", nil)
	sku := e.Product(t, apptest.SKU{Price: 5000, Stock: 5}).SKUs[0].ID
	_, orderNo := e.PaidOrder(t, "alice", sku, 1)
	e.StaffAccount(t, "boss", staff.RoleOwner)
	acceptDialogs(b)

	b.SignIn("boss", "password-boss")
	b.MustSee("Dashboard", "Waiting to ship")
	b.Screenshot("dashboard")

	// A product with colour × size generating four SKUs.
	b.Open("/console/products/new")
	b.Run("describe the product",
		chromedp.SendKeys(`input[name=title]`, "Linen Shirt", chromedp.ByQuery),
		chromedp.SetValue(`input[name="spec_dims[0].name"]`, "Colour", chromedp.ByQuery),
		chromedp.SetValue(`input[name="spec_dims[0].values"]`, "White, Blue", chromedp.ByQuery),
		chromedp.SetValue(`input[name="spec_dims[1].name"]`, "Size", chromedp.ByQuery),
		chromedp.SetValue(`input[name="spec_dims[1].values"]`, "M, L", chromedp.ByQuery),
		chromedp.Evaluate(`document.querySelector("select[name=category_id]").selectedIndex = 1`, nil))
	b.Submit("lay out the SKU grid", `button[value=grid]`)
	b.Run("price and stock every SKU",
		chromedp.Evaluate(`document.querySelectorAll("input[aria-label^='Price of']").forEach(i => i.value = "199.00");
			document.querySelectorAll("input[aria-label^='Stock of']").forEach(i => i.value = "10");
			document.querySelectorAll("input[aria-label^='Code of']").forEach((i, n) => { if (!i.value) i.value = "LINEN-" + n });
			document.querySelectorAll("input[aria-label^='Price of']").length`, nil))
	b.Screenshot("product-form")
	b.Submit("save the product", `button[value=save]`)
	b.MustSee("Linen Shirt")
	b.Open("/console/products?q=Linen")
	b.MustSee("Linen Shirt", "¥199.00")
	b.Screenshot("products")

	// Stock: one SKU of the shirt receives five more.
	b.Open("/console/inventory?q=LINEN")
	b.Screenshot("inventory")
	b.Submit("open a SKU", `main table tbody a[href^="/console/inventory/"]`)
	b.Run("fill the adjustment",
		chromedp.SendKeys(`input[name=quantity]`, "5", chromedp.ByQuery),
		chromedp.SendKeys(`input[name=reason]`, "supplier delivery", chromedp.ByQuery))
	b.Submit("adjust its stock", `form[action$="/adjust"] button[type=submit]`)
	b.MustSee("supplier delivery", "15")
	b.Screenshot("inventory-sku")

	// A coupon: ¥10 off anything, 100 of them, one per shopper.
	b.Open("/console/coupons/new")
	b.Run("fill the coupon",
		chromedp.SendKeys(`input[name=name]`, "Ten off", chromedp.ByQuery),
		chromedp.Click(`input[name=kind][value=fixed]`, chromedp.ByQuery),
		chromedp.SetValue(`input[name=fixed_amount]`, "10", chromedp.ByQuery),
		chromedp.SetValue(`input[name=starts_at]`, time.Now().Add(-time.Hour).Format("2006-01-02T15:04"), chromedp.ByQuery),
		chromedp.SetValue(`input[name=ends_at]`, time.Now().Add(30*24*time.Hour).Format("2006-01-02T15:04"), chromedp.ByQuery),
		chromedp.SetValue(`input[name=total_quantity]`, "100", chromedp.ByQuery),
		chromedp.SetValue(`input[name=per_shopper_limit]`, "1", chromedp.ByQuery))
	b.Submit("create the coupon", `main form button[type=submit]`)
	b.MustSee("Ten off")
	b.Open("/console/coupons")
	b.MustSee("Ten off")
	b.Screenshot("coupons")

	// The paid order: find it, ship it, refund part of it.
	b.Open("/console/orders?status=paid")
	b.MustSee(orderNo)
	b.Screenshot("orders")
	b.Submit("open the order", `a[href="/console/orders/`+orderNo+`"]`)
	b.Run("fill the shipment",
		chromedp.SendKeys(`input[name=carrier]`, "SF", chromedp.ByQuery),
		chromedp.SendKeys(`input[name=tracking_no]`, "SF1234567890", chromedp.ByQuery))
	b.Submit("ship it", `form[action$="/ship"] button[type=submit]`)
	b.MustSee("shipped", "SF1234567890")
	b.Run("fill the refund",
		chromedp.SendKeys(`form[action$="/refund"] input[name=amount]`, "5.00", chromedp.ByQuery),
		chromedp.SendKeys(`form[action$="/refund"] input[name=reason]`, "small scratch", chromedp.ByQuery))
	b.Submit("refund ¥5", `form[action$="/refund"] button[type=submit]`)
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(200 * time.Millisecond) {
		b.Open("/console/orders/" + orderNo)
		if strings.Contains(b.Text("main"), "succeeded") {
			break
		}
		if time.Now().After(deadline) {
			b.MustSee("succeeded")
		}
	}
	b.MustSee("¥5.00", "small scratch")
	b.Screenshot("order")
	b.Open("/console/refunds")
	b.Screenshot("refunds")
	b.Open("/console/customers")
	b.Screenshot("customers")
	b.Open("/console/audit")
	b.MustSee("stock.adjust")
	b.Screenshot("audit")

	// Readable on a phone.
	b.Run("phone size", chromedp.EmulateViewport(390, 844))
	b.Open("/console")
	b.MustSee("Dashboard")
	b.Screenshot("dashboard-phone")
}

// acceptDialogs answers "OK" to the console's confirm() prompts.
func acceptDialogs(b *apptest.Browser) {
	chromedp.ListenTarget(b.Context(), func(ev any) {
		if _, ok := ev.(*page.EventJavascriptDialogOpening); ok {
			go chromedp.Run(b.Context(), page.HandleJavaScriptDialog(true))
		}
	})
}
