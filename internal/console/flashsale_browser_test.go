package console_test

import (
	"context"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/kaidian/kaidian/internal/app/apptest"
	"github.com/kaidian/kaidian/internal/clock"
	"github.com/kaidian/kaidian/internal/flashsale"
	"github.com/kaidian/kaidian/internal/i18n"
	"github.com/kaidian/kaidian/internal/staff"
)

// A merchant schedules a flash sale through the form in a real browser —
// looking the SKU up by its code first — sees it listed as upcoming, and
// ends a live one with the confirm prompt; screenshots of each page go to
// .ci/artifacts/screens.
func TestBrowserFlashSale(t *testing.T) {
	e := apptest.Start(t)
	b := e.Browser(t)
	p := e.Product(t, apptest.SKU{Price: 9900, Stock: 50})
	sku := p.SKUs[0]
	e.StaffAccount(t, "boss", staff.RoleOwner)
	acceptDialogs(b)
	b.SignIn("boss", "password-boss")
	w := pageLanguage(b) // the words of the language the browser asked for

	start := time.Now().In(clock.China).Add(3 * time.Hour)
	b.Open("/console/flash-sales/new")
	b.Run("describe the sale",
		chromedp.SendKeys(`input[name=title]`, "Midnight mugs", chromedp.ByQuery),
		chromedp.SetValue(`input[name=starts_at]`, start.Format("2006-01-02T15:04"), chromedp.ByQuery),
		chromedp.SetValue(`input[name=ends_at]`, start.Add(time.Hour).Format("2006-01-02T15:04"), chromedp.ByQuery),
		chromedp.SetValue(`input[name=per_shopper_limit]`, "2", chromedp.ByQuery),
		chromedp.SetValue(`input[name=pay_minutes]`, "10", chromedp.ByQuery),
		chromedp.SendKeys(`input[name="rows[0].sku"]`, sku.Code, chromedp.ByQuery))
	b.Submit("look the SKU up", `button[name=more]`)
	b.MustSee(p.Title, w.T("console.flash_form.regular", "price", "¥99.00")+" · "+w.T("console.flash_form.in_stock", "n", 50))
	b.Run("price the SKU",
		chromedp.SendKeys(`input[name="rows[0].price"]`, "19.90", chromedp.ByQuery),
		chromedp.SendKeys(`input[name="rows[0].units"]`, "20", chromedp.ByQuery))
	b.Screenshot("flash-sale-form")
	b.Submit("schedule it", `main form .actions button:not([name])`)
	b.MustSee(w.T("console.flash.scheduled_notice", "title", "Midnight mugs"), w.Enum("flash_sale.phase", "upcoming"), "¥19.90",
		w.T("console.flash.per_shopper", "count", 2))
	b.Screenshot("flash-sale-upcoming")
	b.Open("/console/flash-sales?phase=upcoming")
	b.MustSee("Midnight mugs", p.Title)
	b.Screenshot("flash-sales")

	// A live one, ended early from its page.
	live, err := e.App.Flash.Create(context.Background(), "test", flashsale.Input{Title: "Happening now",
		StartsAt: time.Now().Add(-time.Minute), EndsAt: time.Now().Add(time.Hour), PerShopperLimit: 1,
		PayWindow: 5 * time.Minute, Items: []flashsale.ItemInput{{SKUID: sku.ID, Price: 990, Units: 10}}})
	if err != nil {
		t.Fatal(err)
	}
	b.Open(flashURL(live.ID))
	b.MustSee("Happening now", w.Enum("flash_sale.phase", "live"), w.T("console.flash.held_long"), "10 / 10")
	b.Screenshot("flash-sale-live")
	b.Submit("end it now", `form[action$="/end"] button[type=submit]`)
	b.MustSee(w.T("console.flash.ended", "title", "Happening now", "n", 10), w.T("console.flash.returned"), w.T("console.flash.not_sold_out"))
	b.Screenshot("flash-sale-ended")
	b.Open("/console/inventory/" + itoa(sku.ID))
	b.MustSee(w.Enum("stock.movement", "allot"), w.Enum("stock.movement", "return"), w.T("console.inventory.ref_flash_sale", "ref", live.ID))
	b.Screenshot("flash-sale-ledger")
}

// pageLanguage is the printer of the language the open page is written in
// (its <html lang>), so a browser test reads the words its browser asked for.
func pageLanguage(b *apptest.Browser) *i18n.Printer {
	var lang string
	b.Run("read the page's language", chromedp.Evaluate(`document.documentElement.lang`, &lang))
	l, ok := i18n.Parse(lang)
	if !ok {
		b.Open("/console") // not a console page yet
		b.Run("read the page's language", chromedp.Evaluate(`document.documentElement.lang`, &lang))
		l, _ = i18n.Parse(lang)
	}
	return i18n.For(l)
}
