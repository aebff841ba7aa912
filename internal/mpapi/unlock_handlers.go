package mpapi

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/couponshare"
	"github.com/kaidian/kaidian/internal/httpx"
)

// unlockHandlers serve share-to-unlock campaigns (裂变券): the sharer starts
// and watches their progress, friends open the link and claim.
type unlockHandlers struct{ svc *couponshare.Service }

type unlockFriendJSON struct {
	Nickname  string    `json:"nickname"`
	AvatarURL string    `json:"avatar_url"`
	ClaimedAt time.Time `json:"claimed_at"`
}

type unlockProgressJSON struct {
	CampaignID int64              `json:"campaign_id"`
	Name       string             `json:"name"`
	Started    bool               `json:"started"`
	ShareToken string             `json:"share_token"`
	Path       string             `json:"path"`
	Claimed    int                `json:"claimed"`
	Needed     int                `json:"needed"`
	Friends    []unlockFriendJSON `json:"friends"`
	Rewarded   bool               `json:"rewarded"`
	Reward     *myCouponJSON      `json:"reward"`
	EndsAt     time.Time          `json:"ends_at"`
}

type unlockInvitationJSON struct {
	CampaignID int64      `json:"campaign_id"`
	Name       string     `json:"name"`
	Sharer     giverJSON  `json:"sharer"`
	Coupon     couponJSON `json:"coupon"`
	Claimed    int        `json:"claimed"`
	Needed     int        `json:"needed"`
	EndsAt     time.Time  `json:"ends_at"`
	CanClaim   bool       `json:"can_claim"`
	Reason     *string    `json:"reason"`
}

// start: POST /api/v1/unlock-campaigns/{id}/start
func (h *unlockHandlers) start(c *gin.Context) {
	id, err := httpx.PathID(c, "id")
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	link, err := h.svc.Start(c.Request.Context(), id, shopperID(c))
	reply(c, http.StatusOK, shareLinkJSON{ShareToken: link.Token, Path: link.Path}, err)
}

// progress: GET /api/v1/unlock-campaigns/{id}/progress
func (h *unlockHandlers) progress(c *gin.Context) {
	id, err := httpx.PathID(c, "id")
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	p, err := h.svc.Progress(c.Request.Context(), id, shopperID(c))
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	out := unlockProgressJSON{CampaignID: p.Campaign.ID, Name: p.Campaign.Name, Started: p.Started, ShareToken: p.Link.Token,
		Path: p.Link.Path, Claimed: p.Claimed, Needed: p.Campaign.FriendsNeeded, Friends: make([]unlockFriendJSON, len(p.Friends)),
		Rewarded: p.Rewarded, EndsAt: p.Campaign.EndsAt}
	for i, f := range p.Friends {
		out.Friends[i] = unlockFriendJSON{Nickname: f.FriendName, AvatarURL: f.FriendAvatar, ClaimedAt: f.CreatedAt}
	}
	if p.Reward != nil {
		r := myCouponFor(httpx.Printer(c), *p.Reward)
		out.Reward = &r
	}
	c.JSON(http.StatusOK, out)
}

// invitation: GET /api/v1/unlock-shares/{token} (login optional)
func (h *unlockHandlers) invitation(c *gin.Context) {
	inv, err := h.svc.Invitation(c.Request.Context(), c.Param("token"), shopperID(c))
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	var reason *string
	if inv.Reason != "" {
		reason = &inv.Reason
	}
	c.JSON(http.StatusOK, unlockInvitationJSON{CampaignID: inv.Campaign.ID, Name: inv.Campaign.Name,
		Sharer: giverJSON{Nickname: inv.SharerName, AvatarURL: inv.SharerAvatar}, Coupon: toCoupon(httpx.Printer(c), inv.Invite),
		Claimed: inv.Claimed, Needed: inv.Campaign.FriendsNeeded, EndsAt: inv.Campaign.EndsAt, CanClaim: inv.CanClaim, Reason: reason})
}

// claim: POST /api/v1/unlock-shares/{token}/claim
func (h *unlockHandlers) claim(c *gin.Context) {
	held, err := h.svc.ClaimInvite(c.Request.Context(), c.Param("token"), shopperID(c))
	reply(c, http.StatusCreated, myCouponFor(httpx.Printer(c), held), err)
}
