package mpapi_test

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/kaidian/kaidian/internal/app/apptest"
	"github.com/kaidian/kaidian/internal/coupon"
	"github.com/kaidian/kaidian/internal/couponshare"
)

// unlockCampaign makes a live campaign needing n friends: a claimable ¥3
// invite coupon and an issue-only ¥20 reward coupon.
func unlockCampaign(t *testing.T, e *apptest.Env, n int) (couponshare.Campaign, coupon.Coupon, coupon.Coupon) {
	t.Helper()
	invite := liveCoupon(t, e, coupon.Draft{Name: "好友助力券", Kind: coupon.KindFixed, Amount: 300, TotalQuantity: 1000, Claimable: true})
	reward := liveCoupon(t, e, coupon.Draft{Name: "裂变奖励券", Kind: coupon.KindFixed, Amount: 2000, TotalQuantity: 100})
	now := time.Now().UTC()
	c, err := e.App.CouponShares.CreateCampaign(context.Background(), "test", couponshare.CampaignDraft{Name: "邀请好友得20元",
		RewardCouponID: reward.ID, InviteCouponID: invite.ID, FriendsNeeded: n, StartsAt: now.Add(-time.Hour), EndsAt: now.Add(24 * time.Hour)})
	if err != nil {
		t.Fatalf("fixture campaign: %v", err)
	}
	return c, invite, reward
}

type progressBody struct {
	Started    bool   `json:"started"`
	ShareToken string `json:"share_token"`
	Claimed    int    `json:"claimed"`
	Needed     int    `json:"needed"`
	Friends    []struct {
		Nickname string `json:"nickname"`
	} `json:"friends"`
	Rewarded bool `json:"rewarded"`
	Reward   *struct {
		Coupon struct {
			ID int64 `json:"id"`
		} `json:"coupon"`
	} `json:"reward"`
}

func progressOf(t *testing.T, e *apptest.Env, tok string, campaignID int64) progressBody {
	t.Helper()
	r := e.Get(fmt.Sprintf("/api/v1/unlock-campaigns/%d/progress", campaignID), tok)
	if r.Status != http.StatusOK {
		t.Fatalf("progress: %d %s", r.Status, r.Body)
	}
	var b progressBody
	r.Decode(t, &b)
	return b
}

func heldOf(t *testing.T, e *apptest.Env, tok string, couponID int64) int {
	t.Helper()
	n := 0
	for _, it := range myCoupons(t, e, tok, "").Items {
		if it.Coupon.ID == couponID {
			n++
		}
	}
	return n
}

// A shopper shares a campaign; each new friend who claims counts once (not
// the sharer, not a repeat, not a friend who already held the invite
// coupon), and the third friend earns the sharer the reward, once.
func TestShareToUnlock(t *testing.T) {
	e := apptest.Start(t)
	camp, invite, reward := unlockCampaign(t, e, 3)
	alice, bob, carol, dave, erin, frank := e.Token("alice"), e.Token("bob"), e.Token("carol"), e.Token("dave"), e.Token("erin"), e.Token("frank")
	if r := e.Patch("/api/v1/me", bob, map[string]any{"nickname": "鲍勃"}); r.Status != http.StatusOK {
		t.Fatalf("nickname: %d %s", r.Status, r.Body)
	}
	start := fmt.Sprintf("/api/v1/unlock-campaigns/%d/start", camp.ID)
	r := e.Post(start, alice, nil)
	if r.Status != http.StatusOK {
		t.Fatalf("start: %d %s", r.Status, r.Body)
	}
	var link shareLinkBody
	r.Decode(t, &link)
	if want := fmt.Sprintf("pages/coupon/unlock?token=%s&ref=share:%d", link.ShareToken, shopperIDOf(t, e, alice)); link.Path != want {
		t.Fatalf("path %s, want %s", link.Path, want)
	}
	var again shareLinkBody
	e.Post(start, alice, nil).Decode(t, &again)
	if again != link {
		t.Fatalf("starting again: %+v, want %+v", again, link)
	}
	if p := progressOf(t, e, bob, camp.ID); p.Started || p.Claimed != 0 || p.Needed != 3 || len(p.Friends) != 0 {
		t.Fatalf("bob's progress before starting: %+v", p)
	}

	view := func(tok string) map[string]any {
		r := e.Get("/api/v1/unlock-shares/"+link.ShareToken, tok)
		if r.Status != http.StatusOK {
			t.Fatalf("invitation: %d %s", r.Status, r.Body)
		}
		return r.JSON(t)
	}
	if v := view(""); v["can_claim"] != false || v["reason"] != "login_required" || v["needed"].(float64) != 3 {
		t.Fatalf("anonymous invitation: %v", v)
	}
	if v := view(alice); v["reason"] != "own_share" {
		t.Fatalf("the sharer's invitation: %v", v)
	}
	claimHeld(t, e, dave, invite.ID) // dave already holds the invite coupon
	if v := view(dave); v["reason"] != "already_held" {
		t.Fatalf("dave's invitation: %v", v)
	}
	if v := view(bob); v["can_claim"] != true || v["reason"] != nil {
		t.Fatalf("bob's invitation: %v", v)
	}

	claim := "/api/v1/unlock-shares/" + link.ShareToken + "/claim"
	for _, tt := range []struct {
		who, name string
		status    int
		code      string
	}{
		{alice, "the sharer", 422, "coupon_share_own"},
		{dave, "dave, holding it", 409, "unlock_already_held"},
		{bob, "bob", 201, ""},
		{bob, "bob again", 409, "unlock_already_held"},
		{carol, "carol", 201, ""},
		{"", "no login", 401, "unauthenticated"},
	} {
		if r := e.Post(claim, tt.who, nil); r.Status != tt.status || r.ErrorCode() != tt.code {
			t.Fatalf("%s claims: %d %s, want %d %s", tt.name, r.Status, r.Body, tt.status, tt.code)
		}
	}
	if p := progressOf(t, e, alice, camp.ID); !p.Started || p.Claimed != 2 || p.Rewarded || p.Reward != nil ||
		len(p.Friends) != 2 || p.Friends[0].Nickname != "鲍**" {
		t.Fatalf("progress after two: %+v", p)
	}
	if heldOf(t, e, alice, reward.ID) != 0 {
		t.Fatal("rewarded before enough friends")
	}
	for _, who := range []string{erin, frank} {
		if r := e.Post(claim, who, nil); r.Status != http.StatusCreated {
			t.Fatalf("claim: %d %s", r.Status, r.Body)
		}
	}
	p := progressOf(t, e, alice, camp.ID)
	if p.Claimed != 4 || !p.Rewarded || p.Reward == nil || p.Reward.Coupon.ID != reward.ID {
		t.Fatalf("progress after four: %+v", p)
	}
	if n := heldOf(t, e, alice, reward.ID); n != 1 {
		t.Fatalf("alice holds %d reward coupons, want 1", n)
	}
	if n := heldOf(t, e, bob, invite.ID); n != 1 {
		t.Fatalf("bob holds %d invite coupons, want 1", n)
	}

	// Bad input: unknown campaign and token, a stopped campaign.
	if r := e.Post("/api/v1/unlock-campaigns/987654/start", bob, nil); r.Status != 404 || r.ErrorCode() != "unlock_campaign_not_found" {
		t.Errorf("unknown campaign: %d %s", r.Status, r.Body)
	}
	if r := e.Get("/api/v1/unlock-campaigns/987654/progress", bob); r.Status != 404 || r.ErrorCode() != "unlock_campaign_not_found" {
		t.Errorf("unknown campaign's progress: %d %s", r.Status, r.Body)
	}
	if r := e.Get("/api/v1/unlock-shares/7KQ2M9XHB4TZ8WNP", ""); r.Status != 404 || r.ErrorCode() != "unlock_share_not_found" {
		t.Errorf("unknown token: %d %s", r.Status, r.Body)
	}
	if r := e.Post("/api/v1/unlock-shares/nope/claim", bob, nil); r.Status != 404 || r.ErrorCode() != "unlock_share_not_found" {
		t.Errorf("malformed token: %d %s", r.Status, r.Body)
	}
	if r := e.Post(start, "", nil); r.Status != 401 {
		t.Errorf("start without login: %d", r.Status)
	}
	if _, err := e.App.CouponShares.StopCampaign(context.Background(), "test", camp.ID); err != nil {
		t.Fatal(err)
	}
	if r := e.Post(start, bob, nil); r.Status != 422 || r.ErrorCode() != "unlock_campaign_not_live" {
		t.Errorf("start a stopped campaign: %d %s", r.Status, r.Body)
	}
	if r := e.Post(claim, e.Token("grace"), nil); r.Status != 422 || r.ErrorCode() != "unlock_campaign_not_live" {
		t.Errorf("claim in a stopped campaign: %d %s", r.Status, r.Body)
	}
}

// Twenty friends claim through one share at once, one of them three times
// over: every friend counts once, the count is exact, and the sharer gets
// the reward exactly once.
func TestUnlockRewardRace(t *testing.T) {
	e := apptest.Start(t)
	camp, invite, reward := unlockCampaign(t, e, 5)
	alice := e.Token("alice")
	var link shareLinkBody
	e.Post(fmt.Sprintf("/api/v1/unlock-campaigns/%d/start", camp.ID), alice, nil).Decode(t, &link)
	friends := make([]string, 20)
	for i := range friends {
		friends[i] = e.Token(fmt.Sprintf("friend%d", i))
	}
	tries := append(append([]string{}, friends...), friends[0], friends[0])

	var (
		wg      sync.WaitGroup
		mu      sync.Mutex
		created int
		again   int
	)
	startGun := make(chan struct{})
	for _, tok := range tries {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-startGun
			r := e.Post("/api/v1/unlock-shares/"+link.ShareToken+"/claim", tok, nil)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case r.Status == http.StatusCreated:
				created++
			case r.Status == http.StatusConflict && r.ErrorCode() == "unlock_already_held":
				again++
			default:
				t.Errorf("claim: %d %s", r.Status, r.Body)
			}
		}()
	}
	close(startGun)
	wg.Wait()
	if created != 20 || again != 2 {
		t.Fatalf("created %d, refused %d; want 20 and 2", created, again)
	}
	p := progressOf(t, e, alice, camp.ID)
	if p.Claimed != 20 || len(p.Friends) != 20 || !p.Rewarded {
		t.Fatalf("progress: claimed %d, friends %d, rewarded %v", p.Claimed, len(p.Friends), p.Rewarded)
	}
	if n := heldOf(t, e, alice, reward.ID); n != 1 {
		t.Fatalf("alice holds %d rewards, want 1", n)
	}
	if n := heldOf(t, e, friends[0], invite.ID); n != 1 {
		t.Fatalf("friend0 holds %d invite coupons, want 1", n)
	}
	if c, _ := e.App.Coupons.Get(context.Background(), invite.ID); c.Claimed != 20 {
		t.Fatalf("invite coupons given: %d, want 20", c.Claimed)
	}
}
