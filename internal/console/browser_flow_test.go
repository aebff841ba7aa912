package console_test

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/kaidian/kaidian/internal/app/apptest"
	"github.com/kaidian/kaidian/internal/config"
	"github.com/kaidian/kaidian/internal/i18n"
	"github.com/kaidian/kaidian/internal/staff"
)

// flowWords are what the merchant types in the flow, in their language.
type flowWords struct {
	Product, Colour, Colours, Size, Sizes, Delivery, Coupon, Refund string
}

var merchantWords = map[i18n.Lang]flowWords{
	i18n.ZhCN: {Product: "亚麻衬衫", Colour: "颜色", Colours: "白色, 蓝色", Size: "尺码", Sizes: "M, L",
		Delivery: "供应商到货", Coupon: "立减十元", Refund: "轻微划痕"},
	i18n.En: {Product: "Linen Shirt", Colour: "Colour", Colours: "White, Blue", Size: "Size", Sizes: "M, L",
		Delivery: "supplier delivery", Coupon: "Ten off", Refund: "small scratch"},
}

// A merchant's day in a real browser, in Chinese and in English (the
// browser's language, which an account that has not chosen one follows):
// sign in, create a product with a SKU grid, adjust its stock, create a
// coupon, find a paid order, ship it and refund part of it. The page is
// driven by names, hrefs and ids, never by its words; what it must show is
// read from the catalog, so a better wording breaks nothing.
func TestBrowserMerchantFlow(t *testing.T) {
	for _, lang := range i18n.Langs {
		t.Run(string(lang), func(t *testing.T) { merchantFlow(t, lang) })
	}
}

func merchantFlow(t *testing.T, lang i18n.Lang) {
	p, w := i18n.For(lang), merchantWords[lang]
	shot := func(b *apptest.Browser, name string) { b.Screenshot("flow-" + string(lang) + "-" + name) }
	e := apptest.Start(t, func(c *config.Config) { c.SandboxRefundDelay = 100 * time.Millisecond })
	b := e.Browser(t)
	b.SetLanguage(string(lang))
	e.Category(t, w.Product+"分类", nil)
	sku := e.Product(t, apptest.SKU{Price: 5000, Stock: 5}).SKUs[0].ID
	_, orderNo := e.PaidOrder(t, "alice", sku, 1)
	e.StaffAccount(t, "boss", staff.RoleOwner)
	acceptDialogs(b)

	b.SignIn("boss", "password-boss")
	b.MustSee(p.T("console.dashboard.title"), p.T("console.dashboard.to_ship"))
	if lang == i18n.ZhCN {
		b.MustSee("概览") // the Chinese is really there, whatever the catalog says
	}
	shot(b, "dashboard")

	// A product with colour × size generating four SKUs.
	b.Open("/console/products/new")
	b.Run("describe the product",
		chromedp.SendKeys(`input[name=title]`, w.Product, chromedp.ByQuery),
		chromedp.SetValue(`input[name="spec_dims[0].name"]`, w.Colour, chromedp.ByQuery),
		chromedp.SetValue(`input[name="spec_dims[0].values"]`, w.Colours, chromedp.ByQuery),
		chromedp.SetValue(`input[name="spec_dims[1].name"]`, w.Size, chromedp.ByQuery),
		chromedp.SetValue(`input[name="spec_dims[1].values"]`, w.Sizes, chromedp.ByQuery),
		chromedp.Evaluate(`document.querySelector("select[name=category_id]").selectedIndex = 1`, nil))
	b.Submit("lay out the SKU grid", `button[value=grid]`)
	var skus int
	b.Run("price and stock every SKU",
		chromedp.Evaluate(`document.querySelectorAll("input[name^='skus['][name$='.price']").forEach(i => i.value = "199.00");
			document.querySelectorAll("input[name^='skus['][name$='.stock']").forEach(i => i.value = "10");
			document.querySelectorAll("input[name^='skus['][name$='.code']").forEach((i, n) => i.value = "LINEN-" + n);
			document.querySelectorAll("input[name^='skus['][name$='.price']").length`, &skus))
	if skus != 4 {
		t.Fatalf("the SKU grid has %d rows, want 2 colours × 2 sizes", skus)
	}
	shot(b, "product-form")
	b.Submit("save the product", `button[value=save]`)
	b.MustSee(w.Product)
	b.Open("/console/products?q=" + url.QueryEscape(w.Product))
	b.MustSee(w.Product, p.Money(19900))
	shot(b, "products")

	// Stock: one SKU of the shirt receives five more.
	b.Open("/console/inventory?q=LINEN")
	b.Submit("open a SKU", `main table tbody a[href^="/console/inventory/"]`)
	b.Run("fill the adjustment",
		chromedp.SendKeys(`input[name=quantity]`, "5", chromedp.ByQuery),
		chromedp.SendKeys(`input[name=reason]`, w.Delivery, chromedp.ByQuery))
	b.Submit("adjust its stock", `form[action$="/adjust"] button[type=submit]`)
	b.MustSee(w.Delivery, "15")
	shot(b, "inventory-sku")

	// A coupon: ¥10 off anything, 100 of them, one per shopper.
	b.Open("/console/coupons/new")
	b.Run("fill the coupon",
		chromedp.SendKeys(`input[name=name]`, w.Coupon, chromedp.ByQuery),
		chromedp.Click(`input[name=kind][value=fixed]`, chromedp.ByQuery),
		chromedp.SetValue(`input[name=fixed_amount]`, "10", chromedp.ByQuery),
		chromedp.SetValue(`input[name=starts_at]`, time.Now().Add(-time.Hour).Format("2006-01-02T15:04"), chromedp.ByQuery),
		chromedp.SetValue(`input[name=ends_at]`, time.Now().Add(30*24*time.Hour).Format("2006-01-02T15:04"), chromedp.ByQuery),
		chromedp.SetValue(`input[name=total_quantity]`, "100", chromedp.ByQuery),
		chromedp.SetValue(`input[name=per_shopper_limit]`, "1", chromedp.ByQuery))
	b.Submit("create the coupon", `main form button[type=submit]`)
	b.MustSee(w.Coupon)
	b.Open("/console/coupons")
	b.MustSee(w.Coupon)

	// The paid order: find it, ship it, refund part of it.
	b.Open("/console/orders?status=paid")
	b.MustSee(orderNo, p.Enum("order.status", "paid"))
	b.Submit("open the order", `a[href="/console/orders/`+orderNo+`"]`)
	b.Run("fill the shipment",
		chromedp.SendKeys(`input[name=carrier]`, "SF", chromedp.ByQuery),
		chromedp.SendKeys(`input[name=tracking_no]`, "SF1234567890", chromedp.ByQuery))
	b.Submit("ship it", `form[action$="/ship"] button[type=submit]`)
	b.MustSee(p.Enum("order.status", "shipped"), "SF1234567890")
	if lang == i18n.ZhCN {
		b.MustSee("已发货")
	}
	b.Run("fill the refund",
		chromedp.SendKeys(`form[action$="/refund"] input[name=amount]`, "5.00", chromedp.ByQuery),
		chromedp.SendKeys(`form[action$="/refund"] input[name=reason]`, w.Refund, chromedp.ByQuery))
	b.Submit("refund ¥5", `form[action$="/refund"] button[type=submit]`)
	succeeded := p.Enum("console.refund_status", "succeeded")
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(200 * time.Millisecond) {
		b.Open("/console/orders/" + orderNo)
		if strings.Contains(b.Text("main"), succeeded) {
			break
		}
		if time.Now().After(deadline) {
			b.MustSee(succeeded)
		}
	}
	b.MustSee(p.Money(500), w.Refund)
	shot(b, "order")
	b.Open("/console/audit")
	b.MustSee(p.T("console.audit_action.stock_adjust"))

	// Readable on a phone.
	b.Viewport(390, 844)
	b.Open("/console")
	b.MustSee(p.T("console.dashboard.title"))
	shot(b, "dashboard-phone")
}

// acceptDialogs answers "OK" to the console's confirm() prompts.
func acceptDialogs(b *apptest.Browser) {
	chromedp.ListenTarget(b.Context(), func(ev any) {
		if _, ok := ev.(*page.EventJavascriptDialogOpening); ok {
			go chromedp.Run(b.Context(), page.HandleJavaScriptDialog(true))
		}
	})
}
