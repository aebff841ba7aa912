package mpapi_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/kaidian/kaidian/internal/app/apptest"
	"github.com/kaidian/kaidian/internal/catalog"
	"github.com/kaidian/kaidian/internal/coupon"
	"github.com/kaidian/kaidian/internal/home"
)

type homeBody struct {
	Notice  string `json:"notice"`
	Banners []struct {
		ID    int64  `json:"id"`
		Image string `json:"image"`
		Link  struct {
			Type string `json:"type"`
			ID   int64  `json:"id"`
			Page string `json:"page"`
		} `json:"link"`
	} `json:"banners"`
	Sections []struct {
		ID       int64  `json:"id"`
		Kind     string `json:"kind"`
		Title    string `json:"title"`
		Products []struct {
			ID int64 `json:"id"`
		} `json:"products"`
		FlashSales []struct {
			ID int64 `json:"id"`
		} `json:"flash_sales"`
		Coupons []struct {
			ID      int64  `json:"id"`
			Summary string `json:"summary"`
		} `json:"coupons"`
	} `json:"sections"`
}

func getHome(t *testing.T, e *apptest.Env, lang string) (homeBody, *apptest.Response) {
	t.Helper()
	r := e.Do(apptest.Request{Method: http.MethodGet, Path: "/api/v1/home", Header: map[string]string{"Accept-Language": lang}})
	if r.Status != http.StatusOK {
		t.Fatalf("GET /home: %d %s", r.Status, r.Body)
	}
	var b homeBody
	r.Decode(t, &b)
	return b, r
}

func ids[T any](items []T, id func(T) int64) []int64 {
	out := []int64{}
	for _, it := range items {
		out = append(out, id(it))
	}
	return out
}

// The home page shows the live banners and sections in the merchant's
// order, each section filled by its kind, and only products on sale.
func TestHomePage(t *testing.T) {
	e := apptest.Start(t)
	ctx := context.Background()
	h := e.App.Home
	if b, _ := getHome(t, e, "zh-CN"); b.Notice != "" || len(b.Banners) != 0 || len(b.Sections) != 0 {
		t.Fatalf("an empty home page: %+v", b)
	}

	clothes := e.Category(t, "服装", nil)
	shirts := e.Category(t, "T恤", &clothes.ID)
	p1 := e.ProductIn(t, shirts.ID, "短袖T恤")
	p2 := e.ProductIn(t, clothes.ID, "外套")
	gone := e.Product(t)
	p4 := e.Product(t) // the newest
	e.PaidOrder(t, "alice", p2.SKUs[0].ID, 3)
	e.PaidOrder(t, "bob", p1.SKUs[0].ID, 1)
	// The sales sweep (a job every minute) copies the units sold to the
	// products, where the best sellers are ranked.
	if _, err := e.App.Catalog.RefreshSales(ctx); err != nil {
		t.Fatal(err)
	}
	sale := scheduleFlash(t, e, p4.SKUs[0].ID, time.Now().Add(time.Hour), 5, 1)
	cp := liveCoupon(t, e, coupon.Draft{Name: "满100减20", Kind: coupon.KindThreshold, MinAmount: 10000, Amount: 2000,
		TotalQuantity: 10, Claimable: true})

	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	past, future := time.Now().Add(-time.Hour), time.Now().Add(time.Hour)
	on := home.Schedule{Enabled: true}
	banner := func(d home.BannerDraft) int64 {
		b, err := h.SaveBanner(ctx, "test", 0, d)
		must(err)
		return b.ID
	}
	b1 := banner(home.BannerDraft{Image: "/uploads/a.jpg", LinkType: home.LinkProduct, LinkID: p1.ID, Schedule: on})
	banner(home.BannerDraft{Image: "/uploads/b.jpg", LinkType: home.LinkNone})                                                            // disabled
	banner(home.BannerDraft{Image: "/uploads/c.jpg", LinkType: home.LinkNone, Schedule: home.Schedule{Enabled: true, StartsAt: &future}}) // not yet
	banner(home.BannerDraft{Image: "/uploads/d.jpg", LinkType: home.LinkNone, Schedule: home.Schedule{Enabled: true, EndsAt: &past}})     // over
	b5 := banner(home.BannerDraft{Image: "https://cdn.example.com/e.jpg", LinkType: home.LinkPage, LinkPage: "/pages/activity/index?id=3", Schedule: on})
	b6 := banner(home.BannerDraft{Image: "/uploads/f.jpg", LinkType: home.LinkFlashSale, LinkID: sale.ID, Schedule: on})
	must(h.Move(ctx, "test", "banner", b6, true)) // b6 swaps with b5, the one above it

	section := func(d home.SectionDraft) int64 {
		s, err := h.SaveSection(ctx, "test", 0, d)
		must(err)
		return s.ID
	}
	picked := section(home.SectionDraft{Kind: home.KindProducts, Title: "精选", Rule: catalog.PickChosen,
		ProductIDs: []int64{p2.ID, gone.ID, p1.ID}, ItemLimit: 10, Schedule: on})
	newest := section(home.SectionDraft{Kind: home.KindProducts, Rule: catalog.PickNewest, ItemLimit: 2, Schedule: on})
	best := section(home.SectionDraft{Kind: home.KindProducts, Rule: catalog.PickBestSellers, ItemLimit: 2, Schedule: on})
	inCat := section(home.SectionDraft{Kind: home.KindProducts, Rule: catalog.PickCategory, CategoryID: clothes.ID, ItemLimit: 5, Schedule: on})
	flash := section(home.SectionDraft{Kind: home.KindFlashSales, ItemLimit: 3, Schedule: on})
	coupons := section(home.SectionDraft{Kind: home.KindCoupons, ItemLimit: 3, Schedule: on})
	section(home.SectionDraft{Kind: home.KindCoupons, ItemLimit: 3}) // disabled
	must(h.Move(ctx, "test", "section", coupons, true))              // coupons above flash sales
	must(h.SetNotice(ctx, "test", "  全场满99包邮 \n 今天发货 "))
	if _, err := e.App.Catalog.SetShelf(ctx, []int64{gone.ID}, false, "test"); err != nil {
		t.Fatal(err)
	}

	b, _ := getHome(t, e, "zh-CN")
	if b.Notice != "全场满99包邮 今天发货" {
		t.Errorf("notice %q", b.Notice)
	}
	if got := ids(b.Banners, func(x struct {
		ID    int64  `json:"id"`
		Image string `json:"image"`
		Link  struct {
			Type string `json:"type"`
			ID   int64  `json:"id"`
			Page string `json:"page"`
		} `json:"link"`
	}) int64 {
		return x.ID
	}); fmt.Sprint(got) != fmt.Sprint([]int64{b1, b6, b5}) {
		t.Fatalf("banners %v, want %v", got, []int64{b1, b6, b5})
	}
	if l := b.Banners[0].Link; l.Type != "product" || l.ID != p1.ID {
		t.Errorf("banner link %+v", l)
	}
	if l := b.Banners[2].Link; l.Type != "page" || l.Page != "/pages/activity/index?id=3" || l.ID != 0 {
		t.Errorf("page link %+v", l)
	}
	var secIDs []int64
	products := map[int64][]int64{}
	for _, s := range b.Sections {
		secIDs = append(secIDs, s.ID)
		for _, p := range s.Products {
			products[s.ID] = append(products[s.ID], p.ID)
		}
	}
	if fmt.Sprint(secIDs) != fmt.Sprint([]int64{picked, newest, best, inCat, coupons, flash}) {
		t.Fatalf("sections %v", secIDs)
	}
	for id, want := range map[int64][]int64{
		picked: {p2.ID, p1.ID}, // the off-shelf product dropped out, the order kept
		newest: {p4.ID, p2.ID}, // the newest on sale (gone is newer than p2 but off the shelf)
		best:   {p2.ID, p1.ID}, // 3 sold, then 1
		inCat:  {p2.ID, p1.ID}, // the category and the one below it, newest first
	} {
		if fmt.Sprint(products[id]) != fmt.Sprint(want) {
			t.Errorf("section %d shows %v, want %v", id, products[id], want)
		}
	}
	if s := b.Sections[4]; len(s.Coupons) != 1 || s.Coupons[0].ID != cp.ID || s.Coupons[0].Summary != "满100减20" {
		t.Errorf("coupons section %+v", s)
	}
	if s := b.Sections[5]; len(s.FlashSales) != 1 || s.FlashSales[0].ID != sale.ID {
		t.Errorf("flash sales section %+v", s)
	}
	if en, _ := getHome(t, e, "en"); en.Sections[4].Coupons[0].Summary != "¥20 off ¥100" {
		t.Errorf("English summary %q", en.Sections[4].Coupons[0].Summary)
	}

	// A section whose every product left the shelf is left out.
	if _, err := e.App.Catalog.SetShelf(ctx, []int64{p1.ID, p2.ID}, false, "test"); err != nil {
		t.Fatal(err)
	}
	b, _ = getHome(t, e, "zh-CN")
	for _, s := range b.Sections {
		if s.ID == picked || s.ID == inCat {
			t.Errorf("section %d shows with nothing on sale: %+v", s.ID, s)
		}
	}
}

// The home page is cached like the catalog, per language: a change shows
// within the cache's time, and each language keeps its own answer.
func TestHomePageCache(t *testing.T) {
	e := apptest.Start(t, apptest.WithCatalogCache(400*time.Millisecond))
	ctx := context.Background()
	liveCoupon(t, e, coupon.Draft{Name: "满100减20", Kind: coupon.KindThreshold, MinAmount: 10000, Amount: 2000, TotalQuantity: 10, Claimable: true})
	if _, err := e.App.Home.SaveSection(ctx, "test", 0, home.SectionDraft{Kind: home.KindCoupons, ItemLimit: 3,
		Schedule: home.Schedule{Enabled: true}}); err != nil {
		t.Fatal(err)
	}
	if err := e.App.Home.SetNotice(ctx, "test", "旧公告"); err != nil {
		t.Fatal(err)
	}
	zh, _ := getHome(t, e, "zh-CN")
	en, r := getHome(t, e, "en")
	if r.Header.Get("X-Cache") != "miss" || zh.Sections[0].Coupons[0].Summary != "满100减20" || en.Sections[0].Coupons[0].Summary != "¥20 off ¥100" {
		t.Fatalf("per language: %s %q %q", r.Header.Get("X-Cache"), zh.Sections[0].Coupons[0].Summary, en.Sections[0].Coupons[0].Summary)
	}
	if err := e.App.Home.SetNotice(ctx, "test", "新公告"); err != nil {
		t.Fatal(err)
	}
	if b, r := getHome(t, e, "zh-CN"); b.Notice != "旧公告" || r.Header.Get("X-Cache") != "hit" {
		t.Fatalf("within the cache time: %q %s", b.Notice, r.Header.Get("X-Cache"))
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		if b, _ := getHome(t, e, "zh-CN"); b.Notice == "新公告" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the change never showed")
		}
		time.Sleep(100 * time.Millisecond)
	}
}
