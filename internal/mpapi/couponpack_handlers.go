package mpapi

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/couponpack"
	"github.com/kaidian/kaidian/internal/httpx"
	"github.com/kaidian/kaidian/internal/i18n"
	"github.com/kaidian/kaidian/internal/page"
)

// couponPackHandlers serve lucky coupon packs: opening one, grabbing from
// it, and the packs a shopper was given to share.
type couponPackHandlers struct{ svc *couponpack.Service }

// view: GET /api/v1/coupon-packs/{token} (login optional: a logged-in
// viewer also sees their own grab)
func (h *couponPackHandlers) view(c *gin.Context) {
	v, err := h.svc.View(c.Request.Context(), c.Param("token"), shopperID(c))
	reply(c, http.StatusOK, toPackView(httpx.Printer(c), v), err)
}

// grab: POST /api/v1/coupon-packs/{token}/grab → 201 with the new coupon, or
// 200 with the shopper's earlier grab
func (h *couponPackHandlers) grab(c *gin.Context) {
	g, err := h.svc.Grab(c.Request.Context(), shopperID(c), c.Param("token"))
	status := http.StatusCreated
	if g.Again {
		status = http.StatusOK
	}
	p := httpx.Printer(c)
	reply(c, status, grabJSON{Token: g.Pack.Token, Amount: g.Slot.Amount, Again: g.Again, Coupon: myCouponFor(p, g.Held)}, err)
}

// mine: GET /api/v1/me/coupon-packs?cursor=&limit=
func (h *couponPackHandlers) mine(c *gin.Context) {
	pg, err := page.Parse(c.Query("cursor"), c.Query("limit"))
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	packs, next, err := h.svc.Mine(c.Request.Context(), shopperID(c), pg)
	reply(c, http.StatusOK, listOf(packs, next, toMyPack), err)
}

type grabJSON struct {
	Token  string       `json:"token"`
	Amount int64        `json:"amount"`
	Again  bool         `json:"again"`
	Coupon myCouponJSON `json:"coupon"`
}

type packCampaignJSON struct {
	ID        int64  `json:"id"`
	Name      string `json:"name"`
	Summary   string `json:"summary"`
	Threshold int64  `json:"threshold"`
	ValidDays int    `json:"valid_days"`
}

type packGrabJSON struct {
	Nickname  string    `json:"nickname"`
	AvatarURL string    `json:"avatar_url"`
	Amount    int64     `json:"amount"`
	GrabbedAt time.Time `json:"grabbed_at"`
	Luckiest  bool      `json:"luckiest"`
}

type packGiverJSON struct {
	Nickname  string `json:"nickname"`
	AvatarURL string `json:"avatar_url"`
}

type packViewJSON struct {
	Token         string           `json:"token"`
	Path          string           `json:"path"`
	State         couponpack.State `json:"state"`
	Total         int64            `json:"total"`
	Count         int              `json:"count"`
	GrabbedCount  int              `json:"grabbed_count"`
	GrabbedAmount int64            `json:"grabbed_amount"`
	ExpiresAt     time.Time        `json:"expires_at"`
	Campaign      packCampaignJSON `json:"campaign"`
	Giver         *packGiverJSON   `json:"giver"`
	Grabs         []packGrabJSON   `json:"grabs"`
	Luckiest      *packGrabJSON    `json:"luckiest"`
	Mine          *packGrabJSON    `json:"mine"`
}

func toPackView(p *i18n.Printer, v couponpack.View) packViewJSON {
	out := packViewJSON{Token: v.Pack.Token, Path: v.Pack.Path(), State: v.State, Total: v.Pack.Total, Count: v.Pack.Count,
		GrabbedCount: len(v.Grabs), GrabbedAmount: v.Grabbed, ExpiresAt: v.Pack.ExpiresAt,
		Campaign: packCampaignJSON{ID: v.Campaign.ID, Name: v.Campaign.Name, Summary: p.Msg(couponpack.Value(v.Campaign)),
			Threshold: v.Campaign.Threshold, ValidDays: v.Campaign.ValidDays},
		Grabs: make([]packGrabJSON, len(v.Grabs))}
	if v.Pack.GiverID != nil {
		out.Giver = &packGiverJSON{Nickname: v.GiverName, AvatarURL: v.GiverAvatar}
	}
	grab := func(s *couponpack.Slot) *packGrabJSON {
		if s == nil {
			return nil
		}
		g := packGrabJSON{Nickname: s.Name, AvatarURL: s.AvatarURL, Amount: s.Amount, GrabbedAt: *s.GrabbedAt,
			Luckiest: v.Luckiest != nil && v.Luckiest.ID == s.ID}
		return &g
	}
	for i := range v.Grabs {
		out.Grabs[i] = *grab(&v.Grabs[i])
	}
	out.Luckiest, out.Mine = grab(v.Luckiest), grab(v.Mine)
	return out
}

type myPackJSON struct {
	Token        string           `json:"token"`
	Path         string           `json:"path"`
	CampaignName string           `json:"campaign_name"`
	State        couponpack.State `json:"state"`
	Total        int64            `json:"total"`
	Count        int              `json:"count"`
	GrabbedCount int              `json:"grabbed_count"`
	ExpiresAt    time.Time        `json:"expires_at"`
	CreatedAt    time.Time        `json:"created_at"`
}

func toMyPack(m couponpack.Mine) myPackJSON {
	return myPackJSON{Token: m.Token, Path: m.Path(), CampaignName: m.CampaignName, State: m.State, Total: m.Total,
		Count: m.Count, GrabbedCount: m.Grabbed, ExpiresAt: m.ExpiresAt, CreatedAt: m.CreatedAt}
}
