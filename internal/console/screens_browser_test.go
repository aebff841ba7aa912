package console_test

import (
	"bytes"
	"fmt"
	"image/png"
	"os"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/kaidian/kaidian/internal/app/apptest"
	"github.com/kaidian/kaidian/internal/i18n"
)

// mainPages are the console's main pages as the screenshots name them,
// each by its route (the record comes from the walk over the fixtures).
var mainPages = []struct{ Name, Route string }{
	{"dashboard", "/console"}, {"orders", "/console/orders"}, {"order", "/console/orders/:no"},
	{"refunds", "/console/refunds"}, {"products", "/console/products"}, {"product-form", "/console/products/:id"},
	{"categories", "/console/categories"}, {"inventory", "/console/inventory"}, {"sku", "/console/inventory/:id"},
	{"import", "/console/inventory/import"}, {"coupons", "/console/coupons"}, {"coupon-form", "/console/coupons/new"},
	{"coupon", "/console/coupons/:id"}, {"flash-sales", "/console/flash-sales"},
	{"flash-sale-form", "/console/flash-sales/new"}, {"flash-sale", "/console/flash-sales/:id"},
	{"search-words", "/console/search-words"}, {"reviews", "/console/reviews"},
	{"home", "/console/home"}, {"home-banner-form", "/console/home/banners/new"}, {"home-section-form", "/console/home/sections/new"},
	{"customers", "/console/customers"}, {"customer", "/console/customers/:id"}, {"staff", "/console/staff"},
	{"audit", "/console/audit"}, {"settings", "/console/settings"}, {"password", "/console/password"},
	{"refund-request", "/console/refunds/requests/:id"},
	{"messages", "/console/messages"}, {"message-templates", "/console/messages/templates"},
	{"message-template", "/console/messages/templates/:scene"},
	{"promoters", "/console/promoters"}, {"promoter", "/console/promoters/:id"}, {"statement", "/console/promoters/:id/statement"},
	{"stores", "/console/stores"}, {"commission", "/console/commission"}, {"payouts", "/console/payouts"}, {"payout", "/console/payouts/:id"},
}

// screenSizes are the widths the console must hold at: a laptop and a phone.
var screenSizes = []struct {
	Name          string
	Width, Height int64
}{{"desktop", 1366, 900}, {"phone", 390, 844}}

// TestBrowserScreens photographs every main console page in Chinese and in
// English, on a laptop and on a phone, over a shop whose names are long in
// both languages (.ci/artifacts/screens/<lang>-<size>-<page>.png), and checks
// the layout holds: nothing wider than the window (wide tables scroll in
// their own box), and on a laptop the side bar's column runs down the
// whole page, in the window and in the full-page picture.
func TestBrowserScreens(t *testing.T) {
	e := apptest.Start(t)
	s := demoShop(t, e)
	paths := map[string]string{}
	for _, pg := range consolePages(t, e, s.Owner) {
		paths[pg.Route] = pg.Path
	}
	// The records with the longest names.
	paths["/console/orders/:no"] = "/console/orders/" + s.OrderNo
	paths["/console/products/:id"] = "/console/products/" + itoa(s.Product.ID)
	paths["/console/inventory/:id"] = "/console/inventory/" + itoa(s.Product.SKUs[1].ID)
	b := e.Browser(t)
	b.SignIn(bossName, "password-"+bossName)
	for _, lang := range i18n.Langs {
		b.SetLanguage(string(lang))
		for _, size := range screenSizes {
			b.Viewport(size.Width, size.Height)
			for _, pg := range mainPages {
				path, ok := paths[pg.Route]
				if !ok {
					t.Errorf("%s: no page for %s", pg.Name, pg.Route)
					continue
				}
				b.Open(path)
				var htmlLang string
				b.Eval(`document.documentElement.lang`, &htmlLang)
				if htmlLang != string(lang) {
					t.Errorf("%s in %s: the page is in %q", path, lang, htmlLang)
				}
				name := fmt.Sprintf("%s-%s-%s", lang, size.Name, pg.Name)
				checkLayout(t, b, name, size.Name == "phone")
			}
		}
		// On a phone the side bar is a menu behind a button: open, every
		// link fits (the owner's group included).
		b.Open("/console")
		b.Run("open the menu", chromedp.Click(`label.nav-toggle-label`, chromedp.ByQuery), chromedp.WaitVisible(`nav.side a[href="/console/settings"]`, chromedp.ByQuery))
		checkLayout(t, b, fmt.Sprintf("%s-phone-menu", lang), true)
	}
}

// layoutJS measures the page: how far it is wider than the window, what is
// wider than its box (up to five, by tag and class), and where the side
// bar's box ends once the page is scrolled to its bottom.
const layoutJS = `(() => {
  const doc = document.documentElement, side = document.querySelector("nav.side");
  const wide = [];
  for (const el of document.querySelectorAll("main *, header *")) {
    const r = el.getBoundingClientRect();
    if (r.width > 0 && r.right > window.innerWidth + 1 && getComputedStyle(el).position !== "fixed") {
      let inScroller = false;
      for (let p = el.parentElement; p; p = p.parentElement) {
        const o = getComputedStyle(p).overflowX;
        if (o === "auto" || o === "scroll") { inScroller = true; break; }
      }
      if (!inScroller) wide.push(el.tagName.toLowerCase() + (el.className ? "." + String(el.className).split(" ").join(".") : "") + " " + (el.textContent || "").trim().slice(0, 40));
    }
    if (wide.length >= 5) break;
  }
  const head = document.querySelector("header.top");
  const sideTop = side ? side.getBoundingClientRect().top : -1, headBottom = head ? head.getBoundingClientRect().bottom : -1;
  window.scrollTo(0, doc.scrollHeight);
  const box = side && getComputedStyle(side).display !== "none" ? side.getBoundingClientRect() : null;
  let navEnd = 0; // where the side bar's links end, in page coordinates
  if (side) for (const el of side.children) navEnd = Math.max(navEnd, el.getBoundingClientRect().bottom + window.scrollY);
  return {overflow: doc.scrollWidth - window.innerWidth, wide: wide, long: doc.scrollHeight > window.innerHeight + 50, navEnd: navEnd,
    sideBottom: box ? box.bottom : -1, sideRight: box ? box.right : -1, innerHeight: window.innerHeight,
    sideTop: sideTop, headBottom: headBottom};
})()`

type layout struct {
	Overflow    float64  `json:"overflow"`
	Wide        []string `json:"wide"`
	Long        bool     `json:"long"`
	SideBottom  float64  `json:"sideBottom"`
	SideRight   float64  `json:"sideRight"`
	InnerHeight float64  `json:"innerHeight"`
	SideTop     float64  `json:"sideTop"`
	HeadBottom  float64  `json:"headBottom"`
	NavEnd      float64  `json:"navEnd"`
}

// checkLayout saves the page's full screenshot as name and fails on a
// broken layout.
func checkLayout(t *testing.T, b *apptest.Browser, name string, phone bool) {
	t.Helper()
	var l layout
	b.Eval(`window.scrollTo(0, 0)`, nil)
	shot := b.Screenshot(name)
	b.Eval(layoutJS, &l)
	if l.Overflow > 0 {
		t.Errorf("%s: the page is %.0f px wider than the window: %v", name, l.Overflow, l.Wide)
	} else if len(l.Wide) > 0 {
		t.Errorf("%s: wider than the window, outside any scrolling box: %v", name, l.Wide)
	}
	if phone {
		return
	}
	if l.SideBottom < 0 {
		t.Errorf("%s: no side bar on a laptop", name)
		return
	}
	if l.SideTop < l.HeadBottom-1 { // the sandbox banner above the header pushes both down
		t.Errorf("%s: the side bar starts at %.0f px, under the header that ends at %.0f px", name, l.SideTop, l.HeadBottom)
	}
	if l.SideBottom < l.InnerHeight-1 {
		t.Errorf("%s: scrolled to the bottom, the side bar ends at %.0f px of a %.0f px window", name, l.SideBottom, l.InnerHeight)
	}
	if l.Long && shot != "" {
		sideColumnPainted(t, name, shot, int(l.SideRight), int(l.NavEnd))
	}
}

// sideColumnPainted checks the full-page picture of a long page: the side
// bar's white column reaches the bottom of the page, not only of the
// first window's height. It looks below the side bar's last link (navEnd),
// so a link's text, as the menu grows, is never taken for a gap.
func sideColumnPainted(t *testing.T, name, file string, sideRight, navEnd int) {
	t.Helper()
	f, err := os.ReadFile(file)
	if err != nil {
		t.Errorf("%s: %v", name, err)
		return
	}
	img, err := png.Decode(bytes.NewReader(f))
	if err != nil {
		t.Errorf("%s: %v", name, err)
		return
	}
	bounds := img.Bounds()
	x := sideRight / 2
	ys := []int{bounds.Max.Y - 3}
	if mid := (max(navEnd, bounds.Max.Y/2) + bounds.Max.Y) / 2; mid < bounds.Max.Y-3 {
		ys = append(ys, mid)
	}
	for _, y := range ys {
		r, g, bl, _ := img.At(x, y).RGBA()
		if r>>8 != 0xff || g>>8 != 0xff || bl>>8 != 0xff {
			t.Errorf("%s: the side bar's column is not painted at (%d, %d) of a %d px page: #%02x%02x%02x", name, x, y, bounds.Max.Y, r>>8, g>>8, bl>>8)
			return
		}
	}
}
