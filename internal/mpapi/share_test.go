package mpapi_test

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kaidian/kaidian/internal/app/apptest"
	"github.com/kaidian/kaidian/internal/coupon"
	"github.com/kaidian/kaidian/internal/promoter"
	"github.com/kaidian/kaidian/internal/testkit"
)

type shareCardBody struct {
	Title    string `json:"title"`
	Path     string `json:"path"`
	ImageURL string `json:"image_url"`
}

func shareCard(t *testing.T, e *apptest.Env, target, tok, lang string) shareCardBody {
	t.Helper()
	r := e.Do(apptest.Request{Method: http.MethodGet, Path: "/api/v1/share?target=" + target, Token: tok,
		Header: map[string]string{"Accept-Language": lang}})
	if r.Status != http.StatusOK {
		t.Fatalf("share %s: %d %s", target, r.Status, r.Body)
	}
	var b shareCardBody
	r.Decode(t, &b)
	return b
}

// promoterFor makes the shopper behind tok a promoter with the given status.
func promoterFor(t *testing.T, e *apptest.Env, tok string, status promoter.Status) promoter.Promoter {
	t.Helper()
	id := shopperIDOf(t, e, tok)
	p, err := e.App.Promoters.Create(context.Background(), "merchant:test", promoter.Input{Kind: promoter.KindKOL,
		Status: status, Name: "达人" + itoa(id), ShopperID: &id, RateBP: 500})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestShareCards: the card of each kind of target, its title in the
// request's language where the words are Kaidian's, and the path carrying
// the sharer's reference: none when anonymous, share:<id> for a shopper,
// promoter:<code> for an active promoter (a pending one shares as a shopper).
func TestShareCards(t *testing.T) {
	e := apptest.Start(t)
	p := e.Product(t, apptest.SKU{Price: 9900, Stock: 10})
	sale := scheduleFlash(t, e, p.SKUs[0].ID, time.Now().UTC().Add(-time.Second), 3, 1)
	cp := liveCoupon(t, e, coupon.Draft{Name: "新客券", Kind: coupon.KindFixed, Amount: 500, TotalQuantity: 10, Claimable: true})
	shopper, kol, applicant := e.Token("share-ann"), e.Token("share-kol"), e.Token("share-new")
	k := promoterFor(t, e, kol, promoter.StatusActive)
	promoterFor(t, e, applicant, promoter.StatusPending)
	shop, err := e.App.Settings.Get(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	productTarget := "product:" + itoa(p.ID)

	if c := shareCard(t, e, productTarget, "", ""); c != (shareCardBody{p.Title, "pages/product/index?id=" + itoa(p.ID), p.MainImage}) {
		t.Errorf("anonymous product card: %+v", c)
	}
	if c := shareCard(t, e, productTarget, shopper, ""); c.Path != "pages/product/index?id="+itoa(p.ID)+"&ref=share:"+itoa(shopperIDOf(t, e, shopper)) {
		t.Errorf("a shopper's card: %+v", c)
	}
	if c := shareCard(t, e, productTarget, kol, ""); c.Path != "pages/product/index?id="+itoa(p.ID)+"&ref=promoter:"+k.Code {
		t.Errorf("an active promoter's card: %+v", c)
	}
	if c := shareCard(t, e, productTarget, applicant, ""); !strings.HasSuffix(c.Path, "&ref=share:"+itoa(shopperIDOf(t, e, applicant))) {
		t.Errorf("a pending promoter's card should carry their shopper reference: %+v", c)
	}
	view, err := e.App.Flash.View(context.Background(), sale.ID)
	if err != nil || len(view.Offers) != 1 || view.Offers[0].Image == "" {
		t.Fatalf("flash sale view: %+v %v", view, err)
	}
	if c := shareCard(t, e, "flash_sale:"+itoa(sale.ID), "", ""); c != (shareCardBody{"限时秒杀｜" + sale.Title, "pages/flash/index?id=" + itoa(sale.ID), view.Offers[0].Image}) {
		t.Errorf("flash sale card: %+v", c)
	}
	if c := shareCard(t, e, "flash_sale:"+itoa(sale.ID), "", "en"); c.Title != "Flash sale | "+sale.Title {
		t.Errorf("flash sale card in English: %+v", c)
	}
	if c := shareCard(t, e, "coupon:"+itoa(cp.ID), shopper, ""); !strings.Contains(c.Title, "新客券") || !strings.Contains(c.Title, "5") ||
		!strings.HasPrefix(c.Title, "送你一张优惠券") || c.Path != "pages/coupon/index?id="+itoa(cp.ID)+"&ref=share:"+itoa(shopperIDOf(t, e, shopper)) || c.ImageURL != "" {
		t.Errorf("coupon card: %+v", c)
	}
	if c := shareCard(t, e, "home", "", ""); c != (shareCardBody{shop.Name, "pages/index/index", ""}) {
		t.Errorf("anonymous home card: %+v", c)
	}
	if c := shareCard(t, e, "home", kol, ""); c.Path != "pages/index/index?ref=promoter:"+k.Code {
		t.Errorf("a promoter's home card: %+v", c)
	}
}

// TestShareCardBadInput: malformed targets are 400 naming the field, ones
// that do not exist (or are off the shelf) their own 404, a bad token 401.
func TestShareCardBadInput(t *testing.T) {
	e := apptest.Start(t)
	off := e.Product(t)
	if _, err := e.App.Catalog.SetShelf(context.Background(), []int64{off.ID}, false, "test"); err != nil {
		t.Fatal(err)
	}
	for _, target := range []string{"", "product", "product:", "product:abc", "product:0", "product:-1", "product:01",
		"product:1:2", "order:1", "home:1", "HOME", "coupon:9999999999999999999999"} {
		r := e.Get("/api/v1/share?target="+target, "")
		if r.Status != http.StatusBadRequest || r.ErrorCode() != "invalid_field" || !strings.Contains(string(r.Body), `"field":"target"`) {
			t.Errorf("target %q: %d %s", target, r.Status, r.Body)
		}
	}
	for target, code := range map[string]string{"product:999999": "product_not_found", "product:" + itoa(off.ID): "product_not_found",
		"flash_sale:999999": "flash_sale_not_found", "coupon:999999": "coupon_not_found"} {
		if r := e.Get("/api/v1/share?target="+target, ""); r.Status != http.StatusNotFound || r.ErrorCode() != code {
			t.Errorf("target %q: %d %s, want 404 %s", target, r.Status, r.Body, code)
		}
	}
	if r := e.Get("/api/v1/share?target=home", "not-a-token"); r.Status != http.StatusUnauthorized {
		t.Errorf("bad token: %d %s", r.Status, r.Body)
	}
}

// shareCode fetches a code and reads it: the page it opens and what its
// scene key stands for.
func shareCode(t *testing.T, e *apptest.Env, query, tok string) (png []byte, page, target, ref string) {
	t.Helper()
	r := e.Get("/api/v1/share/code?"+query, tok)
	if r.Status != http.StatusOK || r.Header.Get("Content-Type") != "image/png" || r.Header.Get("Cache-Control") != "private, max-age=86400" {
		t.Fatalf("code %s: %d %v %s", query, r.Status, r.Header, r.Body)
	}
	text, _ := testkit.ReadQR(t, r.Body)
	page, key, ok := strings.Cut(text, "?scene=")
	if !ok || len(key) != 8 {
		t.Fatalf("code %s reads %q", query, text)
	}
	sc, err := e.App.Scenes.Resolve(context.Background(), key)
	if err != nil || sc.Page != page {
		t.Fatalf("scene %s: %+v %v", key, sc, err)
	}
	return r.Body, page, sc.Target, sc.Ref
}

// TestShareCodes: a code reads page?scene=<key> and the key stands for the
// page, the target and the sharer's reference; the same code is drawn by
// WeChat once per width, however many ask at once, and answered the same
// every time after.
func TestShareCodes(t *testing.T) {
	e := apptest.Start(t)
	p := e.Product(t)
	shopper := e.Token("code-ann")
	productQuery := "target=product:" + itoa(p.ID)

	_, page, target, ref := shareCode(t, e, productQuery, "")
	if page != "pages/product/index" || target != "product:"+itoa(p.ID) || ref != "" {
		t.Errorf("anonymous code: %s %s %q", page, target, ref)
	}
	_, page, target, ref = shareCode(t, e, productQuery+"&page=pages/product/index", shopper)
	if page != "pages/product/index" || target != "product:"+itoa(p.ID) || ref != "share:"+itoa(shopperIDOf(t, e, shopper)) {
		t.Errorf("a shopper's code: %s %s %q", page, target, ref)
	}
	if _, page, target, _ = shareCode(t, e, "", ""); page != "pages/index/index" || target != "home" {
		t.Errorf("no target: %s %s", page, target)
	}

	drawn := e.App.Sandbox.CodesDrawn()
	const n = 12
	images := make([][]byte, n)
	var wg sync.WaitGroup
	for i := range images {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := e.Get("/api/v1/share/code?"+productQuery+"&width=860", shopper)
			if r.Status != http.StatusOK {
				t.Errorf("concurrent code: %d %s", r.Status, r.Body)
			}
			images[i] = r.Body
		}()
	}
	wg.Wait()
	if got := e.App.Sandbox.CodesDrawn() - drawn; got != 1 {
		t.Errorf("%d concurrent requests for a new code drew %d, want 1", n, got)
	}
	again, _, _, _ := shareCode(t, e, productQuery+"&width=860", shopper)
	for _, img := range append(images, again) {
		if !bytes.Equal(img, images[0]) {
			t.Fatal("the same code answered different images")
		}
	}
	if _, w := testkit.ReadQR(t, again); w < 860 {
		t.Errorf("width 860 drew %d px", w)
	}
	if got := e.App.Sandbox.CodesDrawn() - drawn; got != 1 {
		t.Errorf("a stored code was drawn again (%d draws)", got)
	}
}

// TestShareCodeBadInput: widths out of range or not numbers, pages outside
// the mini program or not the target's, malformed or unknown targets are
// refused in the documented shape, and none draws a code or keeps a scene.
func TestShareCodeBadInput(t *testing.T) {
	e := apptest.Start(t)
	p := e.Product(t)
	pt := "target=product:" + itoa(p.ID)
	var scenes0 int64
	e.App.DB.Conn(context.Background()).Raw("SELECT COUNT(*) FROM share_scenes").Scan(&scenes0)
	drawn := e.App.Sandbox.CodesDrawn()
	for _, tc := range []struct{ query, field string }{
		{pt + "&width=279", "width"}, {pt + "&width=1281", "width"}, {pt + "&width=abc", "width"}, {pt + "&width=-430", "width"},
		{pt + "&page=pages/secret/index", "page"}, {pt + "&page=/pages/product/index", "page"},
		{pt + "&page=pages/index/index", "page"}, {"target=home&page=pages/product/index", "page"},
		{"target=product:x", "target"}, {"target=product:" + itoa(p.ID) + "%20", "target"},
	} {
		r := e.Get("/api/v1/share/code?"+tc.query, "")
		if r.Status != http.StatusBadRequest || r.ErrorCode() != "invalid_field" || !strings.Contains(string(r.Body), `"field":"`+tc.field+`"`) {
			t.Errorf("%s: %d %s, want 400 on %s", tc.query, r.Status, r.Body, tc.field)
		}
	}
	for q, code := range map[string]string{"target=product:999999": "product_not_found", "target=coupon:999999": "coupon_not_found",
		"target=flash_sale:999999": "flash_sale_not_found"} {
		if r := e.Get("/api/v1/share/code?"+q, ""); r.Status != http.StatusNotFound || r.ErrorCode() != code {
			t.Errorf("%s: %d %s, want 404 %s", q, r.Status, r.Body, code)
		}
	}
	if r := e.Get("/api/v1/share/code?"+pt, "not-a-token"); r.Status != http.StatusUnauthorized {
		t.Errorf("bad token: %d %s", r.Status, r.Body)
	}
	var scenes int64
	e.App.DB.Conn(context.Background()).Raw("SELECT COUNT(*) FROM share_scenes").Scan(&scenes)
	if scenes != scenes0 || e.App.Sandbox.CodesDrawn() != drawn {
		t.Errorf("refused requests kept %d scenes and drew %d codes", scenes-scenes0, e.App.Sandbox.CodesDrawn()-drawn)
	}
}

// TestShareCodeWhenWeChatRefuses: when WeChat does not draw the code (here
// the released mini program lacks the product page) the answer is 503
// wechat_unavailable and nothing is kept, so the code is drawn once WeChat
// does.
func TestShareCodeWhenWeChatRefuses(t *testing.T) {
	e := apptest.Start(t)
	p := e.Product(t)
	e.App.Sandbox.SetPages([]string{"pages/index/index"})
	r := e.Get("/api/v1/share/code?target=product:"+itoa(p.ID), "")
	if r.Status != http.StatusServiceUnavailable || r.ErrorCode() != "wechat_unavailable" {
		t.Fatalf("WeChat refusing: %d %s", r.Status, r.Body)
	}
	var stored int64
	e.App.DB.Conn(context.Background()).Raw("SELECT COUNT(*) FROM share_codes").Scan(&stored)
	if stored != 0 {
		t.Fatalf("a refused code was kept (%d rows)", stored)
	}
	e.App.Sandbox.SetPages([]string{"pages/index/index", "pages/product/index"})
	if _, page, _, _ := shareCode(t, e, "target=product:"+itoa(p.ID), ""); page != "pages/product/index" {
		t.Fatalf("once WeChat draws it: %s", page)
	}
}
