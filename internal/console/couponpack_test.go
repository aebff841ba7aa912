package console_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/kaidian/kaidian/internal/app/apptest"
	"github.com/kaidian/kaidian/internal/channel"
	"github.com/kaidian/kaidian/internal/clock"
	"github.com/kaidian/kaidian/internal/i18n"
	"github.com/kaidian/kaidian/internal/staff"
)

// packCampaignForm is a valid campaign: ¥10 in 5 coupons of at least ¥0.50,
// no threshold, for every paid order, for a week from an hour ago.
func packCampaignForm() url.Values {
	start := time.Now().In(clock.China).Add(-time.Hour)
	return url.Values{"name": {"拼手气券"}, "total": {"10"}, "count": {"5"}, "least": {"0.5"}, "threshold": {"0"},
		"scope": {"shop"}, "valid_days": {"7"}, "on_paid": {"on"}, "min_order": {"0"}, "per_shopper": {"3"}, "pack_hours": {"24"},
		"starts_at": {start.Format("2006-01-02T15:04")}, "ends_at": {start.AddDate(0, 0, 7).Format("2006-01-02T15:04")}}
}

// TestPackCampaignPages: create (a refused form first), issue a pack for a
// channel, edit (the coupon terms locked once a pack was given), stop; the
// audit log names each step, in both languages.
func TestPackCampaignPages(t *testing.T) {
	e := apptest.Start(t)
	c := e.SignIn(t, "lily", staff.RoleStaff)
	zh := i18n.For(i18n.ZhCN)
	if p := c.Get("/console/coupon-packs"); p.Status != http.StatusOK || !p.Has(zh.T("console.coupon_packs.none")) {
		t.Fatalf("empty list: %d %s", p.Status, p.Body)
	}
	if p := c.Get("/console/coupon-packs/new"); p.Status != http.StatusOK || !p.Has(`name="least"`) || !p.Has(`value="24"`) {
		t.Fatalf("new form: %d %s", p.Status, p.Body)
	}
	if p := c.Get("/console/coupon-packs/424242"); p.Status != http.StatusNotFound {
		t.Fatalf("unknown campaign: %d", p.Status)
	}

	bad := packCampaignForm()
	bad.Set("least", "3") // 5 × ¥3 > ¥10
	if p := c.Post("/console/coupon-packs", bad); p.Status != http.StatusBadRequest ||
		!p.Has(says("couponpack.total_below_minimums", "least", "15")) || !p.Has(`value="3"`) {
		t.Fatalf("minimums over the total: %d %s", p.Status, p.Body)
	}
	bad = packCampaignForm()
	bad.Set("threshold", "5") // the largest coupon can be ¥8
	if p := c.Post("/console/coupon-packs", bad); p.Status != http.StatusBadRequest || !p.Has(says("couponpack.threshold_below_largest", "largest", "8")) {
		t.Fatalf("threshold below the largest coupon: %d %s", p.Status, p.Body)
	}
	bad = packCampaignForm()
	bad.Set("count", "101")
	if p := c.Post("/console/coupon-packs", bad); p.Status != http.StatusBadRequest || !p.Has(says("invalid.range", "min", 1, "max", 100)) {
		t.Fatalf("too many coupons: %d %s", p.Status, p.Body)
	}
	if p := c.Get("/console/coupon-packs"); !p.Has(zh.T("console.coupon_packs.none")) {
		t.Fatalf("a refused form saved something: %s", p.Body)
	}

	p := c.Post("/console/coupon-packs", packCampaignForm())
	if p.Status != http.StatusSeeOther || !strings.HasPrefix(p.Location, "/console/coupon-packs/") {
		t.Fatalf("create: %d %s", p.Status, p.Body)
	}
	page := p.Location
	if p := c.Get(page); !p.Has("¥10.00 分成 5 张，每张至少 ¥0.50") || !p.Has(`badge live">进行中`) || !p.Has(zh.T("console.coupon_pack.no_channels")) {
		t.Fatalf("campaign page: %s", p.Body)
	}

	ch, err := e.App.Channels.Create(context.Background(), "test", channel.Input{Name: "门店橱窗", Active: true})
	if err != nil {
		t.Fatal(err)
	}
	if p := c.Post(page+"/issue", url.Values{"channel_id": {"424242"}}); p.Status != http.StatusBadRequest || !p.Has(says("couponpack.channel_unknown")) {
		t.Fatalf("issue for an unknown channel: %d %s", p.Status, p.Body)
	}
	if p := c.Post(page+"/issue", url.Values{"channel_id": {fmt.Sprint(ch.ID)}}); p.Status != http.StatusSeeOther {
		t.Fatalf("issue: %d %s", p.Status, p.Body)
	}
	if p := c.Get(page); !p.Has("channel:"+ch.Code) || !p.Has("pages/coupon/pack?token=") || !p.Has("0 / 5") {
		t.Fatalf("issued pack not listed: %s", p.Body)
	}

	edit := packCampaignForm()
	edit.Set("name", "拼手气红包券")
	edit.Set("threshold", "20")
	if p := c.Post(page, edit); p.Status != http.StatusConflict || !p.Has(zh.T("couponpack.terms_locked")) {
		t.Fatalf("threshold after a pack was given: %d %s", p.Status, p.Body)
	}
	edit.Set("threshold", "0")
	edit.Set("total", "20")
	if p := c.Post(page, edit); p.Status != http.StatusSeeOther {
		t.Fatalf("edit: %d %s", p.Status, p.Body)
	}
	if p := c.Post(page+"/stop", nil); p.Status != http.StatusSeeOther {
		t.Fatalf("stop: %d %s", p.Status, p.Body)
	}
	if p := c.Get(page); !p.Has("拼手气红包券") || !p.Has(`badge stopped">`) || p.Has(zh.T("console.coupon_pack.issue_heading")) {
		t.Fatalf("stopped campaign: %s", p.Body)
	}
	if p := c.Post(page+"/issue", url.Values{"channel_id": {fmt.Sprint(ch.ID)}}); p.Status != http.StatusConflict {
		t.Fatalf("issue after stop: %d %s", p.Status, p.Body)
	}

	owner := e.SignIn(t, "boss", staff.RoleOwner)
	a := owner.Get("/console/audit?subject_type=coupon_pack_campaign")
	for _, id := range []string{"coupon_pack_create", "coupon_pack_issue", "coupon_pack_update", "coupon_pack_stop"} {
		if !a.Has(zh.T("console.audit_action." + id)) {
			t.Errorf("audit log lacks %s: %s", id, a.Body)
		}
	}
	owner.Lang = "en"
	if p := owner.Get(page); !p.Has("¥20.00 in 5 coupons of at least ¥0.50") || !p.Has("Packs given") {
		t.Fatalf("English page: %s", p.Body)
	}
}
