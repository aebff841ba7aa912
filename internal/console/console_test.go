package console_test

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/app/apptest"
	"github.com/kaidian/kaidian/internal/staff"
)

func TestSignInAndOut(t *testing.T) {
	e := apptest.Start(t)
	e.StaffAccount(t, "lily", staff.RoleStaff)
	c := e.Anonymous(t)
	if p := c.Get("/console/settings"); p.Status != http.StatusSeeOther || !strings.HasPrefix(p.Location, "/console/login?next=") {
		t.Fatalf("anonymous: %d %s", p.Status, p.Location)
	}
	c.Get("/console/login")
	if p := c.Post("/console/login", url.Values{"username": {"lily"}, "password": {"wrong-password"}}); p.Status != http.StatusUnauthorized ||
		!p.Has("用户名或密码错误") || !p.Has(`value="lily"`) {
		t.Fatalf("wrong password: %d %s", p.Status, p.Body)
	}
	p := c.Post("/console/login", url.Values{"username": {"LILY "}, "password": {"password-lily"}, "next": {"/console/settings"}})
	if p.Status != http.StatusSeeOther || p.Location != "/console/settings" {
		t.Fatalf("sign in: %d %s", p.Status, p.Location)
	}
	if p := c.Get("/console"); p.Status != http.StatusOK || !p.Has("lily · 店员") || !p.Has(zh.T("console.layout.sandbox")) ||
		!p.Has("<h1>概览</h1>") || !p.Has(zh.T("console.dashboard.chart_empty")) || !p.Has("<title>概览 · ") {
		t.Fatalf("dashboard: %d %s", p.Status, p.Body)
	}
	if p := c.Post("/console/logout", nil); p.Status != http.StatusSeeOther {
		t.Fatalf("sign out: %d", p.Status)
	}
	if p := c.Get("/console/login"); !p.Has("已退出登录。") || !p.Has("<title>登录 · ") {
		t.Fatalf("sign-in page after signing out: %s", p.Body)
	}
	if p := c.Get("/console"); p.Status != http.StatusSeeOther {
		t.Fatalf("after sign-out: %d", p.Status)
	}
}

func TestSignInIsThrottledAndNeedsItsFormToken(t *testing.T) {
	e := apptest.Start(t)
	e.StaffAccount(t, "lily", staff.RoleStaff)
	c := e.Anonymous(t)
	if p := c.Post("/console/login", url.Values{"username": {"lily"}, "password": {"password-lily"}}); p.Status != http.StatusForbidden {
		t.Fatalf("sign-in without the form's token: %d", p.Status)
	}
	c.Get("/console/login")
	for range staff.ThrottleUser {
		c.Post("/console/login", url.Values{"username": {"lily"}, "password": {"guess-guess-guess"}})
	}
	p := c.Post("/console/login", url.Values{"username": {"lily"}, "password": {"password-lily"}})
	if p.Status != http.StatusTooManyRequests || !p.Has(says("staff.too_many_attempts")) {
		t.Fatalf("after %d failures the right password: %d", staff.ThrottleUser, p.Status)
	}
}

func TestFormsNeedTheSessionsCSRFToken(t *testing.T) {
	e := apptest.Start(t)
	c := e.SignIn(t, "boss", staff.RoleOwner)
	p := c.Post("/console/settings", url.Values{"_csrf": {"forged"}, "name": {"Hacked"}})
	if p.Status != http.StatusForbidden {
		t.Fatalf("forged token: %d", p.Status)
	}
	if sh, _ := e.App.Settings.Get(context.Background()); sh.Name == "Hacked" {
		t.Fatal("a forged form changed the settings")
	}
}

func TestSettingsKeepInputOnErrorAndAudit(t *testing.T) {
	e := apptest.Start(t)
	c := e.SignIn(t, "boss", staff.RoleOwner)
	form := url.Values{"name": {"小店"}, "shipping_fee": {"8.5"}, "free_shipping_threshold": {"199"},
		"order_timeout_minutes": {"0"}, "low_stock_threshold": {"3"}, "owner_refund_limit": {"500"}}
	p := c.Post("/console/settings", form)
	if p.Status != http.StatusBadRequest || !p.Has(says("setting.order_timeout")) || !p.Has(`value="小店"`) {
		t.Fatalf("bad timeout: %d %s", p.Status, p.Body)
	}
	form.Set("order_timeout_minutes", "30")
	if p := c.Post("/console/settings", form); p.Status != http.StatusSeeOther {
		t.Fatalf("save: %d %s", p.Status, p.Body)
	}
	sh, _ := e.App.Settings.Get(context.Background())
	if sh.Name != "小店" || sh.ShippingFee != 850 || sh.FreeShippingThreshold != 19900 || sh.OrderTimeoutSeconds != 1800 || sh.OwnerRefundLimit != 50000 {
		t.Fatalf("saved %+v", sh)
	}
	if p := c.Get("/console/settings"); !p.Has("店铺设置已保存。") || !p.Has(zh.T("console.settings.owner_refund_limit")) || !p.Has(`value="500.00"`) {
		t.Fatalf("settings after saving: %s", p.Body)
	}
	if p := c.Get("/console/audit?action=settings.update"); !p.Has("运费 ¥10.00 → ¥8.50") || !p.Has(c.Account.Actor()) ||
		!p.Has("<td>修改店铺设置</td><td>店铺设置 1</td>") || !p.Has(`<option value="settings.update" selected>修改店铺设置</option>`) {
		t.Fatalf("audit: %s", p.Body)
	}
	c.Lang = "en"
	if p := c.Get("/console/audit?actor=boss"); !p.Has("<td>Settings changed</td><td>Settings 1</td>") || !p.Has(">boss</a>") {
		t.Fatalf("audit in English, by username: %s", p.Body)
	}
	if p := c.Get("/console/audit?actor=nobody"); p.Has("Settings changed</td>") || !p.Has(en.T("console.audit.none_match")) {
		t.Fatalf("audit by an unknown username: %s", p.Body)
	}
}

func TestOwnersManageStaff(t *testing.T) {
	e := apptest.Start(t)
	boss := e.SignIn(t, "boss", staff.RoleOwner)
	if p := boss.Post("/console/staff", url.Values{"username": {"Bad Name"}, "password": {"short"}, "role": {"staff"}}); p.Status != http.StatusBadRequest {
		t.Fatalf("bad account: %d", p.Status)
	}
	if p := boss.Post("/console/staff", url.Values{"username": {"lily"}, "name": {"Lily"}, "password": {"password-lily"}, "role": {"staff"}}); p.Status != http.StatusSeeOther {
		t.Fatalf("create: %d %s", p.Status, p.Body)
	}
	if p := boss.Get("/console/staff"); !p.Has("已添加账号 lily。") || !p.Has("<h1>店员账号</h1>") || !p.Has("<td>Lily</td><td>店员</td><td>正常</td>") ||
		!p.Has(zh.T("console.staff.never")) {
		t.Fatalf("staff list: %s", p.Body)
	}
	lily := e.Anonymous(t)
	lily.Get("/console/login")
	lily.Post("/console/login", url.Values{"username": {"lily"}, "password": {"password-lily"}})
	if p := lily.Get("/console"); p.Status != http.StatusOK {
		t.Fatalf("lily signs in: %d", p.Status)
	}
	accounts, _ := e.App.Staff.List(context.Background())
	var id string
	for _, a := range accounts {
		if a.Username == "lily" {
			id = itoa(a.ID)
		}
	}
	if p := boss.Post("/console/staff/"+id, url.Values{"name": {"Lily"}, "role": {"staff"}}); p.Status != http.StatusSeeOther {
		t.Fatalf("deactivate: %d %s", p.Status, p.Body)
	}
	if p := lily.Get("/console"); p.Status != http.StatusSeeOther {
		t.Fatalf("a deactivated account's session still works: %d", p.Status)
	}
	for _, a := range accounts {
		if a.Username == "owner" { // the embedded default's generated owner
			if _, err := e.App.Staff.Update(context.Background(), "test", a.ID, staff.Change{Name: a.Name, Role: a.Role}); err != nil {
				t.Fatal(err)
			}
		}
	}
	if p := boss.Post("/console/staff/"+itoa(boss.Account.ID), url.Values{"name": {"Boss"}, "role": {"staff"}, "active": {"on"}}); !p.Has(says("staff.last_owner")) {
		t.Fatalf("demoting the last owner: %d %s", p.Status, p.Body)
	}
}

// ownerOnly are the console routes staff may not use.
var ownerOnly = []string{"/console/staff", "/console/staff/new", "/console/staff/:id", "/console/audit", "/console/settings"}

// Every console route refuses anonymous users (to the sign-in page), and
// owner-only routes refuse staff. Routes are read from the router itself,
// so a new page cannot be forgotten.
func TestEveryConsoleRouteIsGuarded(t *testing.T) {
	e := apptest.Start(t)
	anon := e.Anonymous(t)
	lily := e.SignIn(t, "lily", staff.RoleStaff)
	owner := map[string]bool{}
	for _, r := range ownerOnly {
		owner[r] = true
	}
	n := 0
	for _, r := range e.App.Handler().(*gin.Engine).Routes() {
		if !strings.HasPrefix(r.Path, "/console") || r.Path == "/console/login" {
			continue
		}
		n++
		path := strings.NewReplacer(":id", "1", ":no", "1", "*path", "x").Replace(r.Path)
		var p apptest.Page
		if r.Method == http.MethodGet {
			p = anon.Get(path)
		} else {
			p = anon.Post(path, nil)
		}
		if p.Status != http.StatusSeeOther || !strings.HasPrefix(p.Location, "/console/login") {
			t.Errorf("anonymous %s %s: %d %s", r.Method, r.Path, p.Status, p.Location)
		}
		if owner[r.Path] {
			if r.Method == http.MethodGet {
				p = lily.Get(path)
			} else {
				p = lily.Post(path, nil)
			}
			if p.Status != http.StatusForbidden {
				t.Errorf("staff %s %s: %d", r.Method, r.Path, p.Status)
			}
		}
	}
	if n < 10 {
		t.Fatalf("only %d console routes found", n)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// A form over the body limit is answered 413 with a clear page, not as a
// forged form.
func TestOversizedFormIsRefusedClearly(t *testing.T) {
	e := apptest.Start(t)
	c := e.SignIn(t, "boss", staff.RoleOwner)
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	w.WriteField("_csrf", c.CSRF())
	f, _ := w.CreateFormFile("file", "big.csv")
	f.Write(bytes.Repeat([]byte("sku_code,stock\nA-1,1\n"), 80_000)) // 1.7 MB, over the default 1 MB
	w.Close()
	p := c.PostBody("/console/inventory/import", w.FormDataContentType(), &body)
	if p.Status != http.StatusRequestEntityTooLarge || !p.Has(zh.T("console.request.too_large")) || !p.Has("<h1>内容过大</h1>") {
		t.Fatalf("oversized import: %d %s", p.Status, p.Body)
	}
}
