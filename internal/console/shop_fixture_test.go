package console_test

import (
	"context"
	"net/http"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/app/apptest"
	"github.com/kaidian/kaidian/internal/catalog"
	"github.com/kaidian/kaidian/internal/channel"
	"github.com/kaidian/kaidian/internal/coupon"
	"github.com/kaidian/kaidian/internal/couponpack"
	"github.com/kaidian/kaidian/internal/flashsale"
	"github.com/kaidian/kaidian/internal/home"
	"github.com/kaidian/kaidian/internal/shipping"
	"github.com/kaidian/kaidian/internal/staff"
)

// The shop's own words in the fixtures: long on purpose, in Chinese and in
// English, so every page is looked at with names that push the layout.
const (
	longZhProduct  = "春夏新款纯棉宽松短袖圆领上衣男女同款情侣装加大码打底衫（限量联名款）"
	longEnProduct  = "Extraordinarily Comfortable Organic Cotton Relaxed Crew Neck Tee, Limited Collaboration Edition"
	longZhCategory = "男装上衣与家居服饰精选专区"
	longZhCoupon   = "新店开业满一百元减二十元全场通用优惠券（每人限领一张）"
	longEnCoupon   = "Grand Opening Storewide Discount Voucher"
	longZhFlash    = "双十二零点限时秒杀爆款直降五折仅限今晚"
	longEnFlash    = "Midnight Mega Flash Sale for the Whole Holiday Season"
	longZhReason   = "尺码偏小想换大一号但已经没有库存了所以申请部分退款"
	longZhBanner   = "双十二全场五折起限时狂欢还有满减优惠券等你来领"
	longZhSection  = "本周新品推荐精选好物限时特惠"
	longZhPack     = "付款后分享拼手气优惠券好友各抢一张"
	longZhStore    = "上海南京西路旗舰店（静安嘉里中心北区一楼）"
	longZhPromoter = "小红书美妆穿搭达人阿美的推广账号"
	shopper        = "alice"
	clerk          = "xiaowang"
	bossName       = "boss"
	importFile     = "\ufeffproduct_title,category,sku_code,spec,price,original_price,stock,on_sale\n" +
		"龙井绿茶,茶叶,LJ-50,规格:50g,68.00,88.00,40,1\n" +
		"白瓷盖碗,茶具,GW-1,,45,,3,1\n"
)

// shop is what demoShop made: the records the pages with ids show, and the
// test data's own words, which may be in any language on any page.
type shop struct {
	Owner   *apptest.Console
	OrderNo string
	Product catalog.Product
	Data    []string
}

// demoShop signs an owner in (as the zh-CN default reader) and fills the
// shop with one of everything a console page lists: categories, products
// with a spec grid, a paid order with a refund request, coupons, flash
// sales, a clerk's account, an import, a stock adjustment.
func demoShop(t *testing.T, e *apptest.Env) shop {
	t.Helper()
	ctx := context.Background()
	cat := e.Category(t, longZhCategory, nil)
	p := e.CreateProduct(t, catalog.NewProduct{CategoryID: cat.ID, Title: longZhProduct, MainImage: "/static/demo/mug.svg",
		SpecDims: []catalog.SpecDim{{Name: "颜色", Values: []string{"雾霾蓝", "燕麦白"}}, {Name: "尺码", Values: []string{"加大码"}}},
		SKUs: []catalog.NewSKU{
			{Code: "LONG-SKU-CODE-000001", Price: 12900, Stock: 50, SpecValues: []string{"雾霾蓝", "加大码"}},
			{Code: "LONG-SKU-CODE-000002", Price: 12900, Stock: 3, SpecValues: []string{"燕麦白", "加大码"}},
		}})
	en := e.ProductIn(t, cat.ID, longEnProduct, apptest.SKU{Price: 123450, Stock: 80})
	tok, no := e.PaidOrder(t, shopper, p.SKUs[0].ID, 2)
	requestRefund(t, e, tok, no, 500, longZhReason)
	e.PaidOrder(t, shopper, en.SKUs[0].ID, 1)

	now := time.Now().UTC()
	for _, name := range []string{longZhCoupon, longEnCoupon} {
		if _, err := e.App.Coupons.Create(ctx, "test", coupon.Draft{Name: name, Kind: coupon.KindThreshold, Amount: 2000,
			MinAmount: 10000, Scope: coupon.ScopeShop, StartsAt: now.Add(-time.Hour), EndsAt: now.Add(30 * 24 * time.Hour),
			TotalQuantity: 1000, PerShopperLimit: 1, Claimable: true}); err != nil {
			t.Fatalf("fixture coupon: %v", err)
		}
	}
	for i, title := range []string{longZhFlash, longEnFlash} {
		start := now.Add(time.Duration(i+1) * 3 * time.Hour) // upcoming: its edit form is open too
		if _, err := e.App.Flash.Create(ctx, "test", flashsale.Input{Title: title, StartsAt: start, EndsAt: start.Add(time.Hour),
			PerShopperLimit: 2, PayWindow: 10 * time.Minute,
			Items: []flashsale.ItemInput{{SKUID: en.SKUs[0].ID, Price: 9900, Units: 10}}}); err != nil {
			t.Fatalf("fixture flash sale: %v", err)
		}
	}
	// A lucky-pack campaign (its page and edit form).
	if _, err := e.App.Packs.Create(ctx, "test", couponpack.Draft{Name: longZhPack, Total: 1000, Count: 5, MinAmount: 50,
		Scope: coupon.ScopeShop, ValidDays: 7, OnPaid: true, PerShopper: 1, PackHours: 24,
		StartsAt: now.Add(-time.Hour), EndsAt: now.Add(7 * 24 * time.Hour)}); err != nil {
		t.Fatalf("fixture pack campaign: %v", err)
	}
	// Hot search words: one pinned, one searched (the hot words page).
	if _, err := e.App.Search.AddPin(ctx, "新品", "test"); err != nil {
		t.Fatalf("fixture pin: %v", err)
	}
	e.App.Search.Record(0, "毛衣")
	if err := e.App.Search.Flush(ctx); err != nil {
		t.Fatalf("fixture searches: %v", err)
	}
	// The home page: a banner linking to the product, a section picking it.
	if _, err := e.App.Home.SaveBanner(ctx, "test", 0, home.BannerDraft{Image: "/static/demo/mug.svg", Title: longZhBanner,
		LinkType: home.LinkProduct, LinkID: p.ID, Schedule: home.Schedule{Enabled: true}}); err != nil {
		t.Fatalf("fixture banner: %v", err)
	}
	if _, err := e.App.Home.SaveSection(ctx, "test", 0, home.SectionDraft{Kind: home.KindProducts, Title: longZhSection,
		Rule: catalog.PickChosen, ProductIDs: []int64{p.ID, en.ID}, ItemLimit: 6, Schedule: home.Schedule{Enabled: true}}); err != nil {
		t.Fatalf("fixture section: %v", err)
	}
	// A channel: its page shows its mini-program codes.
	ch, err := e.App.Channels.Create(ctx, "test", channel.Input{Name: "静安店一楼橱窗海报（春季上新）", Note: "印刷 A2", Active: true})
	if err != nil {
		t.Fatalf("fixture channel: %v", err)
	}
	codes := promoterFixtures(t, e, orderOf(t, e, no).ID)
	e.StaffAccount(t, clerk, staff.RoleStaff)
	// Signed in after the orders, so the dashboard (computed at sign-in and
	// kept 30 s) counts them.
	owner := e.SignIn(t, bossName, staff.RoleOwner)
	importFinished(t, owner, "库存导入.csv", importFile)
	if p := owner.Post("/console/inventory/"+itoa(p.SKUs[1].ID)+"/adjust", map[string][]string{"quantity": {"5"}, "reason": {"供应商补货"}}); p.Status != http.StatusSeeOther {
		t.Fatalf("fixture stock adjustment: %d %s", p.Status, p.Body)
	}
	who, err := e.App.Customers.Get(ctx, orderOf(t, e, no).ShopperID)
	if err != nil {
		t.Fatal(err)
	}
	data := []string{longZhProduct, longEnProduct, longZhCategory, longZhCoupon, longEnCoupon, longZhFlash, longEnFlash,
		longZhReason, longZhBanner, longZhSection, longZhPack, shopper, clerk, bossName, no, who.OpenID, en.SKUs[0].Code, p.SKUs[0].Code, p.SKUs[1].Code,
		"LJ-50", "GW-1", "50g", "mug.svg", "库存导入.csv", ch.Code, "A2", codes[0], codes[1],
		"test",  // the fixtures' actor
		"owner", // the first owner the embedded default generates
	}
	for _, c := range shipping.Carriers { // WeChat's delivery ids, shown beside the couriers' names
		data = append(data, c.Code)
	}
	return shop{Owner: owner, OrderNo: no, Product: p, Data: data}
}

// consolePage is one console page to look at: its route and a path that
// shows a real record.
type consolePage struct{ Route, Path string }

// pathParam is a route's parameter, to be found in the links pages show.
var pathParam = regexp.MustCompile(`:[a-z]+`)

// consolePages lists every console GET page (from the engine's routes, so
// a page added later is walked too), with the records the fixtures made:
// a route with parameters takes the first link to it that a page already
// visited shows. CSV downloads and code images are not pages. A route no page links to
// fails the test: add a fixture for it.
func consolePages(t *testing.T, e *apptest.Env, c *apptest.Console) []consolePage {
	t.Helper()
	var todo []string
	for _, r := range e.App.Handler().(*gin.Engine).Routes() {
		if r.Method == http.MethodGet && strings.HasPrefix(r.Path, "/console") && !strings.HasSuffix(r.Path, ".csv") && !strings.HasSuffix(r.Path, ".png") &&
			r.Path != "/console/" && r.Path != "/console/login" {
			todo = append(todo, r.Path)
		}
	}
	sort.Strings(todo)
	var pages []consolePage
	var bodies strings.Builder
	for progress := true; progress && len(todo) > 0; {
		progress = false
		var left []string
		for _, route := range todo {
			path := route
			if pathParam.MatchString(route) {
				pattern := `href="(` + pathParam.ReplaceAllStringFunc(regexp.QuoteMeta(route), func(p string) string {
					if p == ":id" {
						return `\d+` // not "new"
					}
					return `[^/"?#]+`
				}) + `)"`
				m := regexp.MustCompile(pattern).FindStringSubmatch(bodies.String())
				if m == nil {
					left = append(left, route)
					continue
				}
				path = m[1]
			}
			p := c.Get(path)
			if p.Status != http.StatusOK {
				t.Errorf("GET %s: %d", path, p.Status)
			}
			bodies.WriteString(p.Body)
			pages = append(pages, consolePage{route, path})
			progress = true
		}
		todo = left
	}
	for _, route := range todo {
		t.Errorf("no page links to %s: the walk cannot show it with a real record", route)
	}
	return pages
}
