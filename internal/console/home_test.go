package console_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/kaidian/kaidian/internal/app/apptest"
	"github.com/kaidian/kaidian/internal/audit"
	"github.com/kaidian/kaidian/internal/page"
	"github.com/kaidian/kaidian/internal/staff"
)

// The home page editor: banners with an uploaded image and a link, sections,
// the notice, order, deleting, the phone preview and the audit log.
func TestHomeEditor(t *testing.T) {
	e := apptest.Start(t)
	c := e.SignIn(t, "lily", staff.RoleStaff)
	ctx := context.Background()
	if p := c.Get("/console/home"); p.Status != http.StatusOK || !p.Has(says("console.home.no_banners")) || !p.Has(says("console.home.preview_empty")) {
		t.Fatalf("empty editor: %d %s", p.Status, p.Body)
	}
	prod := e.ProductIn(t, e.Category(t, "服装", nil).ID, "纯棉圆领短袖T恤")

	// A banner: its image through the upload, linked to a product.
	v := url.Values{"_csrf": {c.CSRF()}, "title": {"新品上市"}, "link_type": {"product"}, "link_product": {fmt.Sprint(prod.ID)}, "enabled": {"on"}}
	ct, body := multipartForm(t, v, upload{"banner.png", pngImage(t)})
	if p := c.PostBody("/console/home/banners", ct, body); p.Status != http.StatusSeeOther || p.Location != "/console/home" {
		t.Fatalf("create banner: %d %s", p.Status, p.Body)
	}
	layout, err := e.App.Home.Layout(ctx)
	if err != nil || len(layout.Banners) != 1 || !strings.HasPrefix(layout.Banners[0].Image, "/uploads/") || layout.Banners[0].LinkID != prod.ID {
		t.Fatalf("saved banner: %+v %v", layout.Banners, err)
	}
	first := layout.Banners[0]

	// A second banner, linking to a page, edited keeping its image.
	edit := url.Values{"_csrf": {c.CSRF()}, "image": {first.Image}, "title": {"活动"}, "link_type": {"page"},
		"link_page": {"/pages/activity/index?id=3"}, "enabled": {"on"}}
	if p := c.Post("/console/home/banners", edit); p.Status != http.StatusSeeOther {
		t.Fatalf("second banner: %d %s", p.Status, p.Body)
	}
	layout, _ = e.App.Home.Layout(ctx)
	second := layout.Banners[1]
	edit.Set("title", "双十二")
	if p := c.Post(fmt.Sprintf("/console/home/banners/%d", second.ID), edit); p.Status != http.StatusSeeOther {
		t.Fatalf("edit banner: %d %s", p.Status, p.Body)
	}
	if p := c.Get(fmt.Sprintf("/console/home/banners/%d", second.ID)); !p.Has(`value="双十二"`) || !p.Has(`value="/pages/activity/index?id=3"`) {
		t.Fatalf("edit form: %s", p.Body)
	}
	if p := c.Post(fmt.Sprintf("/console/home/banners/%d/move", second.ID), url.Values{"_csrf": {c.CSRF()}, "direction": {"up"}}); p.Status != http.StatusSeeOther {
		t.Fatalf("move: %d %s", p.Status, p.Body)
	}
	if layout, _ = e.App.Home.Layout(ctx); layout.Banners[0].ID != second.ID {
		t.Fatalf("after moving up: %+v", layout.Banners)
	}

	// A section of picked products, and the notice.
	sec := url.Values{"_csrf": {c.CSRF()}, "kind": {"products"}, "title": {"精选"}, "rule": {"picked"},
		"product_ids": {fmt.Sprint(prod.ID)}, "item_limit": {"6"}, "enabled": {"on"}}
	if p := c.Post("/console/home/sections", sec); p.Status != http.StatusSeeOther {
		t.Fatalf("create section: %d %s", p.Status, p.Body)
	}
	if p := c.Post("/console/home/notice", url.Values{"_csrf": {c.CSRF()}, "notice": {"全场满99包邮"}}); p.Status != http.StatusSeeOther {
		t.Fatalf("notice: %d %s", p.Status, p.Body)
	}
	p := c.Get("/console/home")
	for _, want := range []string{"全场满99包邮", "纯棉圆领短袖T恤", "双十二", `class="phone"`, says("console.home.live")} {
		if !p.Has(want) {
			t.Errorf("the editor lacks %q", want)
		}
	}
	if home := e.Get("/api/v1/home", "").JSON(t); home["notice"] != "全场满99包邮" || len(home["banners"].([]any)) != 2 || len(home["sections"].([]any)) != 1 {
		t.Fatalf("the shopper's home page: %v", home)
	}

	// Every change is in the audit log under the merchant's name.
	entries, _, err := e.App.Audit.List(ctx, audit.Query{Action: "home.create", Page: page.Request{Limit: 50}})
	if err != nil || len(entries) != 3 || !strings.Contains(entries[0].Actor, "lily") {
		t.Fatalf("audit of creations: %+v %v", entries, err)
	}
	for _, action := range []string{"home.update", "home.move", "home.notice"} {
		if es, _, _ := e.App.Audit.List(ctx, audit.Query{Action: action, Page: page.Request{Limit: 50}}); len(es) != 1 {
			t.Errorf("audit %s: %+v", action, es)
		}
	}

	// Deleting; then the ids are unknown.
	layout, _ = e.App.Home.Layout(ctx)
	secID := layout.Sections[0].ID
	if p := c.Post(fmt.Sprintf("/console/home/sections/%d/delete", secID), url.Values{"_csrf": {c.CSRF()}}); p.Status != http.StatusSeeOther {
		t.Fatalf("delete section: %d %s", p.Status, p.Body)
	}
	for _, path := range []string{fmt.Sprintf("/console/home/sections/%d", secID), "/console/home/banners/987654", "/console/home/sections/abc"} {
		if p := c.Get(path); p.Status != http.StatusNotFound {
			t.Errorf("GET %s: %d", path, p.Status)
		}
	}
	for _, path := range []string{fmt.Sprintf("/console/home/sections/%d/delete", secID), "/console/home/banners/987654/move", "/console/home/banners/987654"} {
		if p := c.Post(path, url.Values{"_csrf": {c.CSRF()}, "direction": {"up"}}); p.Status != http.StatusNotFound {
			t.Errorf("POST %s: %d", path, p.Status)
		}
	}
	if p := c.Post("/console/home/notice", url.Values{"_csrf": {"forged"}, "notice": {"没有令牌"}}); p.Status != http.StatusForbidden {
		t.Errorf("a form without the CSRF token: %d", p.Status)
	}
}

// Bad input to the editor: the form comes back with the error beside the
// field, what was typed kept, and nothing saved.
func TestHomeEditorRefusesBadInput(t *testing.T) {
	e := apptest.Start(t)
	c := e.SignIn(t, "lily", staff.RoleStaff)
	long := strings.Repeat("长", 10000)
	banner := func(kv ...string) url.Values {
		v := url.Values{"_csrf": {c.CSRF()}, "image": {"/uploads/x.png"}, "link_type": {"none"}, "enabled": {"on"}}
		for i := 0; i+1 < len(kv); i += 2 {
			v.Set(kv[i], kv[i+1])
		}
		return v
	}
	section := func(kv ...string) url.Values {
		v := url.Values{"_csrf": {c.CSRF()}, "kind": {"products"}, "rule": {"newest"}, "item_limit": {"6"}}
		for i := 0; i+1 < len(kv); i += 2 {
			v.Set(kv[i], kv[i+1])
		}
		return v
	}
	for _, tt := range []struct {
		name, path string
		form       url.Values
		want       string
	}{
		{"no image", "/console/home/banners", banner("image", ""), says("home.image_required")},
		{"a script for an image", "/console/home/banners", banner("image", "javascript:alert(1)"), says("home.image_url")},
		{"a long title", "/console/home/banners", banner("title", long), says("invalid.max_length", "max", 40)},
		{"an unknown link type", "/console/home/banners", banner("link_type", "elsewhere"), says("home.link_type_invalid")},
		{"an unknown product", "/console/home/banners", banner("link_type", "product", "link_product", "987654"), says("home.link_unknown", "id", 987654)},
		{"a product id that is text", "/console/home/banners", banner("link_type", "product", "link_product", "abc"), says("invalid.positive_id")},
		{"a page path of 10,000 characters", "/console/home/banners", banner("link_type", "page", "link_page", "/"+long), says("home.page_path", "max", 200)},
		{"an end before the start", "/console/home/banners", banner("starts_at", "2026-12-10T10:00", "ends_at", "2026-12-09T10:00"), says("invalid.after_start")},
		{"a bad time", "/console/home/banners", banner("starts_at", "tomorrow"), says("console.datetime")},
		{"a long section title", "/console/home/sections", section("title", long), says("invalid.max_length", "max", 20)},
		{"an unknown kind", "/console/home/sections", section("kind", "videos"), says("home.section_kind")},
		{"an unknown rule", "/console/home/sections", section("rule", "random"), says("home.rule_invalid")},
		{"no picked products", "/console/home/sections", section("rule", "picked"), says("home.products_required")},
		{"a picked id that is text", "/console/home/sections", section("rule", "picked", "product_ids", "12, x"), "x"},
		{"an unknown picked product", "/console/home/sections", section("rule", "picked", "product_ids", "987654"), says("home.product_unknown", "id", 987654)},
		{"an unknown category", "/console/home/sections", section("rule", "category", "category_id", "987654"), says("home.category_unknown", "id", 987654)},
		{"too many items", "/console/home/sections", section("item_limit", "51"), says("invalid.range", "min", 1, "max", 50)},
		{"items as text", "/console/home/sections", section("item_limit", "six"), says("invalid.whole_number")},
		{"a notice of 10,000 characters", "/console/home/notice", url.Values{"_csrf": {c.CSRF()}, "notice": {long}}, says("invalid.max_length", "max", 200)},
	} {
		p := c.Post(tt.path, tt.form)
		if p.Status != http.StatusBadRequest || !p.Has(tt.want) {
			t.Errorf("%s: %d, want %q in\n%.2000s", tt.name, p.Status, tt.want, p.Body)
		}
	}
	l, err := e.App.Home.Layout(context.Background())
	if err != nil || len(l.Banners) != 0 || len(l.Sections) != 0 || l.Notice != "" {
		t.Fatalf("refused forms saved something: %+v %v", l, err)
	}
	// The refused form kept what was typed.
	if p := c.Post("/console/home/banners", banner("title", "春季上新", "link_type", "product", "link_product", "987654")); !p.Has(`value="春季上新"`) || !p.Has(`value="987654"`) {
		t.Errorf("the refused form lost its input: %s", p.Body)
	}
	// A file that is not an image is refused, and nothing is stored.
	ct, body := multipartForm(t, banner("image", ""), upload{"banner.png", []byte("not an image at all")})
	if p := c.PostBody("/console/home/banners", ct, body); p.Status != http.StatusBadRequest || !p.Has("banner.png") {
		t.Errorf("a text file as the image: %d %.2000s", p.Status, p.Body)
	}
}
