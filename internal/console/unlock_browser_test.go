package console_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/kaidian/kaidian/internal/app/apptest"
	"github.com/kaidian/kaidian/internal/coupon"
	"github.com/kaidian/kaidian/internal/staff"
)

// A merchant creates a share-to-unlock campaign in a real browser, choosing
// the invite and reward coupons from the shop's live coupons, and finds it
// in the list, running, with its numbers at zero.
func TestBrowserUnlockCampaign(t *testing.T) {
	e := apptest.Start(t)
	now := time.Now().UTC()
	mk := func(name string, claimable bool) coupon.Coupon {
		c, err := e.App.Coupons.Create(context.Background(), "test", coupon.Draft{Name: name, Kind: coupon.KindFixed, Amount: 500,
			Scope: coupon.ScopeShop, StartsAt: now.Add(-time.Hour), EndsAt: now.Add(48 * time.Hour), TotalQuantity: 100,
			PerShopperLimit: 1, Claimable: claimable})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	invite, reward := mk("好友助力券", true), mk("裂变奖励券", false)
	b := e.Browser(t)
	e.StaffAccount(t, "boss", staff.RoleOwner)
	b.SignIn("boss", "password-boss")
	w := pageLanguage(b)

	b.Open("/console/unlock-campaigns")
	b.MustSee(w.T("couponshare.console.empty"))
	b.Submit("open the form", `a.button[href="/console/unlock-campaigns/new"]`)
	b.Run("fill in the campaign", chromedp.SendKeys(`input[name=name]`, "邀3位好友得20元", chromedp.ByQuery),
		chromedp.SetValue(`select[name=invite_coupon_id]`, strconv.FormatInt(invite.ID, 10), chromedp.ByQuery),
		chromedp.SetValue(`select[name=reward_coupon_id]`, strconv.FormatInt(reward.ID, 10), chromedp.ByQuery))
	b.Screenshot("unlock-campaign-form")
	b.Submit("create it", `main form .actions button[type=submit]`)
	b.MustSee(w.T("couponshare.console.created", "name", "邀3位好友得20元"), w.T("couponshare.console.live"))
	b.Screenshot("unlock-campaigns")
	cs, err := e.App.CouponShares.Campaigns(context.Background())
	if err != nil || len(cs) != 1 || cs[0].InviteCouponID != invite.ID || cs[0].RewardCouponID != reward.ID || cs[0].FriendsNeeded != 3 {
		t.Fatalf("campaigns: %+v %v", cs, err)
	}
}
