package console_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kaidian/kaidian/internal/app/apptest"
	"github.com/kaidian/kaidian/internal/audit"
	"github.com/kaidian/kaidian/internal/clock"
	"github.com/kaidian/kaidian/internal/page"
	"github.com/kaidian/kaidian/internal/staff"
)

// The coupon form's giftable checkbox is saved, shown, and its change is
// in the audit log.
func TestCouponGiftableCheckbox(t *testing.T) {
	e := apptest.Start(t)
	c := e.SignIn(t, "lily", staff.RoleStaff)
	if p := c.Get("/console/coupons/new"); !p.Has(`name="giftable"`) || !p.Has(zh.T("couponshare.form.giftable")) {
		t.Fatalf("form without the giftable checkbox: %s", p.Body)
	}
	form := couponForm()
	form.Set("giftable", "on")
	p := c.Post("/console/coupons", form)
	if p.Status != http.StatusSeeOther {
		t.Fatalf("create: %d %s", p.Status, p.Body)
	}
	id, _ := strconv.ParseInt(strings.TrimPrefix(p.Location, "/console/coupons/"), 10, 64)
	if cp, _ := e.App.Coupons.Get(context.Background(), id); !cp.Giftable {
		t.Fatalf("saved coupon not giftable: %+v", cp)
	}
	if p := c.Get(p.Location); !p.Has(zh.T("couponshare.coupon.giftable")) {
		t.Fatalf("coupon page does not say giftable: %s", p.Body)
	}
	// Alice gives hers to Bob: the holders list says who has what and how.
	alice, bob := e.Login("alice"), e.Login("bob")
	held := e.Post("/api/v1/coupons/"+itoa(id)+"/claim", alice, nil).JSON(t)["id"].(float64)
	token := e.Post("/api/v1/me/coupons/"+itoa(int64(held))+"/share", alice, nil).JSON(t)["share_token"].(string)
	if p := c.Get(p.Location); !p.Has(zh.T("coupon.state.gifting")) {
		t.Fatalf("holders while gifting: %s", p.Body)
	}
	if r := e.Post("/api/v1/coupon-shares/"+token+"/claim", bob, nil); r.Status != http.StatusCreated {
		t.Fatalf("bob claims: %d %s", r.Status, r.Body)
	}
	aliceID, _ := e.App.Tokens.Verify(alice)
	if p := c.Get(p.Location); !p.Has(zh.T("coupon.state.gifted")) ||
		!p.Has(zh.T("couponshare.coupon.from_friend", "actor", zh.T("console.actor.shopper", "n", itoa(aliceID)))) {
		t.Fatalf("holders after the gift: %s", p.Body)
	}
	form.Del("giftable")
	if p := c.Post("/console/coupons/"+itoa(id), form); p.Status != http.StatusSeeOther {
		t.Fatalf("update: %d %s", p.Status, p.Body)
	}
	if cp, _ := e.App.Coupons.Get(context.Background(), id); cp.Giftable {
		t.Fatal("unchecking giftable did not save")
	}
	entries, _, err := e.App.Audit.List(context.Background(), audit.Query{Action: "coupon.update", SubjectID: itoa(id), Page: page.Request{Limit: 5}})
	if err != nil || len(entries) != 1 || !strings.Contains(zh.Msg(entries[0].Detail), "可赠送好友 是 → 否") {
		t.Fatalf("audit: %+v %v", entries, err)
	}
}

// A clerk creates a share-to-unlock campaign from two of the shop's
// coupons; a refused form says why where; the list shows the campaign's
// numbers as shoppers share and claim; stopping is audited.
func TestUnlockCampaignPages(t *testing.T) {
	e := apptest.Start(t)
	c := e.SignIn(t, "mei", staff.RoleStaff)
	if p := c.Get("/console/unlock-campaigns"); p.Status != http.StatusOK || !p.Has(zh.T("couponshare.console.empty")) {
		t.Fatalf("empty list: %d %s", p.Status, p.Body)
	}
	invite := c.Post("/console/coupons", couponForm()).Location
	rewardForm := couponForm()
	rewardForm.Set("name", "裂变奖励")
	rewardForm.Del("claimable")
	reward := c.Post("/console/coupons", rewardForm).Location
	inviteID, rewardID := strings.TrimPrefix(invite, "/console/coupons/"), strings.TrimPrefix(reward, "/console/coupons/")
	if p := c.Get("/console/unlock-campaigns/new"); !p.Has(`<option value="`+inviteID+`"`) || !p.Has("裂变奖励") {
		t.Fatalf("form without the shop's coupons: %s", p.Body)
	}
	start := time.Now().In(clock.China).Add(-time.Hour)
	form := url.Values{"name": {"邀3位好友得券"}, "friends_needed": {"0"}, "invite_coupon_id": {inviteID}, "reward_coupon_id": {rewardID},
		"starts_at": {start.Format("2006-01-02T15:04")}, "ends_at": {start.AddDate(0, 0, 7).Format("2006-01-02T15:04")}}
	if p := c.Post("/console/unlock-campaigns", form); p.Status != http.StatusBadRequest || !p.Has(says("invalid.range", "min", 1, "max", 100)) || !p.Has(`value="邀3位好友得券"`) {
		t.Fatalf("friends_needed 0: %d %s", p.Status, p.Body)
	}
	form.Set("friends_needed", "3")
	if p := c.Post("/console/unlock-campaigns", form); p.Status != http.StatusSeeOther || p.Location != "/console/unlock-campaigns" {
		t.Fatalf("create: %d %s", p.Status, p.Body)
	}
	camps, err := e.App.CouponShares.Campaigns(context.Background())
	if err != nil || len(camps) != 1 || camps[0].FriendsNeeded != 3 || itoa(camps[0].InviteCouponID) != inviteID {
		t.Fatalf("campaigns: %+v %v", camps, err)
	}
	id := camps[0].ID

	// A shopper shares and two friends claim: the list counts them.
	alice := e.Login("alice")
	r := e.Post("/api/v1/unlock-campaigns/"+itoa(id)+"/start", alice, nil)
	token, _ := r.JSON(t)["share_token"].(string)
	for _, f := range []string{"bob", "carol"} {
		if r := e.Post("/api/v1/unlock-shares/"+token+"/claim", e.Login(f), nil); r.Status != http.StatusCreated {
			t.Fatalf("claim: %d %s", r.Status, r.Body)
		}
	}
	p := c.Get("/console/unlock-campaigns")
	if !p.Has("邀3位好友得券") || !p.Has(`<td class="num">1</td><td class="num">2</td><td class="num">0</td>`) || !p.Has(zh.T("couponshare.console.live")) {
		t.Fatalf("list with numbers: %s", p.Body)
	}
	if p := c.Post("/console/unlock-campaigns/"+itoa(id)+"/stop", nil); p.Status != http.StatusSeeOther {
		t.Fatalf("stop: %d %s", p.Status, p.Body)
	}
	if p := c.Get("/console/unlock-campaigns"); !p.Has(zh.T("couponshare.console.stopped_status")) {
		t.Fatalf("stopped campaign: %s", p.Body)
	}
	entries, _, err := e.App.Audit.List(context.Background(), audit.Query{SubjectType: "unlock_campaign", SubjectID: itoa(id), Page: page.Request{Limit: 10}})
	if err != nil || len(entries) != 2 || entries[0].Action != "unlock.stop" || entries[1].Action != "unlock.create" {
		t.Fatalf("audit: %+v %v", entries, err)
	}
	if en := en.Msg(entries[1].Detail); !strings.Contains(en, "3 friends claim") {
		t.Fatalf("audit in English: %s", en)
	}
}
