package couponpack

import (
	"context"
	"fmt"

	"github.com/kaidian/kaidian/internal/page"
	"github.com/kaidian/kaidian/internal/review"
)

// Page is the mini program's page that opens a pack, beside the coupon
// pages of gifts and share-to-unlock (internal/couponshare); Path adds the
// query.
const Page = "pages/coupon/pack"

// Path is the path a pack is shared with (onShareAppMessage): the page with
// the pack's token and the source its grabbers' visits are credited to, as
// share paths carry it. Tokens and references are codes and numbers,
// nothing a query must escape.
func (p Pack) Path() string {
	path := Page + "?token=" + p.Token
	if p.Ref != "" {
		path += "&ref=" + p.Ref
	}
	return path
}

// State is what can still happen to a pack.
type State string

// Pack states: open while a coupon is left and it has not expired.
const (
	StateOpen    State = "open"
	StateEmpty   State = "empty"
	StateExpired State = "expired"
)

// View is a pack as anyone who opens it sees it.
type View struct {
	Pack     Pack
	Campaign Campaign
	State    State
	Grabs    []Slot // the grabbed slots, first grab first
	Grabbed  int64  // fen grabbed so far
	Luckiest *Slot  // 手气最佳, once the pack is empty or expired
	Mine     *Slot  // the viewer's grab, if any
	// GiverName (masked) and GiverAvatar say whose pack it is; empty for a
	// pack the shop issued for a channel.
	GiverName, GiverAvatar string
}

// View reads a pack for a viewer (0: not logged in). The luckiest is the
// largest amount, the earliest grab between equals, and is named only once
// nothing more can be grabbed, as WeChat does.
func (s *Service) View(ctx context.Context, token string, viewerID int64) (View, error) {
	p, err := s.Pack(ctx, token)
	if err != nil {
		return View{}, err
	}
	c, err := s.Campaign(ctx, p.CampaignID)
	if err != nil {
		return View{}, err
	}
	v := View{Pack: p, Campaign: c, Grabs: []Slot{}}
	if err := s.db.Conn(ctx).Where("pack_id = ? AND shopper_id IS NOT NULL", p.ID).
		Order("grabbed_at, id").Find(&v.Grabs).Error; err != nil {
		return View{}, fmt.Errorf("couponpack: grabs: %w", err)
	}
	v.State = StateOpen
	switch {
	case len(v.Grabs) >= p.Count:
		v.State = StateEmpty
	case !s.clock.Now().Before(p.ExpiresAt):
		v.State = StateExpired
	}
	for i, g := range v.Grabs {
		v.Grabbed += g.Amount
		if viewerID > 0 && *g.ShopperID == viewerID {
			v.Mine = &v.Grabs[i]
		}
	}
	if v.State != StateOpen && len(v.Grabs) > 0 {
		v.Luckiest = Luckiest(v.Grabs)
	}
	if p.GiverID != nil {
		sh, err := s.customers.Get(ctx, *p.GiverID)
		if err != nil {
			return View{}, err
		}
		v.GiverName, v.GiverAvatar = review.MaskName(sh.Nickname), sh.AvatarURL
	}
	return v, nil
}

// Luckiest is the grab of the largest amount, the earliest between equals
// (grabs in grab order); nil for none.
func Luckiest(grabs []Slot) *Slot {
	var best *Slot
	for i := range grabs {
		if best == nil || grabs[i].Amount > best.Amount {
			best = &grabs[i]
		}
	}
	return best
}

// Mine is a pack the shopper was given, with how much of it was grabbed.
type Mine struct {
	Pack
	CampaignName string
	Grabbed      int // coupons grabbed so far
	State        State
}

// Mine lists the packs the shopper was given to share, newest first.
func (s *Service) Mine(ctx context.Context, shopperID int64, pg page.Request) ([]Mine, string, error) {
	db := s.db.Conn(ctx).Where("giver_id = ?", shopperID)
	if pg.After > 0 {
		db = db.Where("id < ?", pg.After)
	}
	var ps []Pack
	if err := db.Order("id DESC").Limit(pg.Limit + 1).Find(&ps).Error; err != nil {
		return nil, "", fmt.Errorf("couponpack: mine: %w", err)
	}
	ps, next := page.Trim(ps, pg, func(p Pack) int64 { return p.ID })
	out := make([]Mine, len(ps))
	if len(ps) == 0 {
		return out, next, nil
	}
	ids, campaignIDs := make([]int64, len(ps)), make([]int64, len(ps))
	for i, p := range ps {
		ids[i], campaignIDs[i] = p.ID, p.CampaignID
	}
	var counts []struct {
		PackID int64 `gorm:"column:pack_id"`
		N      int   `gorm:"column:n"`
	}
	if err := s.db.Conn(ctx).Raw(`SELECT pack_id, COUNT(*) AS n FROM coupon_pack_slots
		WHERE pack_id IN ? AND shopper_id IS NOT NULL GROUP BY pack_id`, ids).Scan(&counts).Error; err != nil {
		return nil, "", fmt.Errorf("couponpack: grabbed counts: %w", err)
	}
	grabbed := map[int64]int{}
	for _, c := range counts {
		grabbed[c.PackID] = c.N
	}
	var cs []Campaign
	if err := s.db.Conn(ctx).Where("id IN ?", campaignIDs).Find(&cs).Error; err != nil {
		return nil, "", fmt.Errorf("couponpack: campaigns of packs: %w", err)
	}
	names := map[int64]string{}
	for _, c := range cs {
		names[c.ID] = c.Name
	}
	now := s.clock.Now()
	for i, p := range ps {
		out[i] = Mine{Pack: p, CampaignName: names[p.CampaignID], Grabbed: grabbed[p.ID], State: StateOpen}
		switch {
		case out[i].Grabbed >= p.Count:
			out[i].State = StateEmpty
		case !now.Before(p.ExpiresAt):
			out[i].State = StateExpired
		}
	}
	return out, next, nil
}

// PackStats is one pack as the console lists it under its campaign.
type PackStats struct {
	Pack
	Grabbed       int
	GrabbedAmount int64
}

// Packs lists a campaign's packs newest first, with what was grabbed.
func (s *Service) Packs(ctx context.Context, campaignID int64, pg page.Request) ([]PackStats, string, error) {
	db := s.db.Conn(ctx).Where("campaign_id = ?", campaignID)
	if pg.After > 0 {
		db = db.Where("id < ?", pg.After)
	}
	var ps []Pack
	if err := db.Order("id DESC").Limit(pg.Limit + 1).Find(&ps).Error; err != nil {
		return nil, "", fmt.Errorf("couponpack: packs: %w", err)
	}
	ps, next := page.Trim(ps, pg, func(p Pack) int64 { return p.ID })
	out := make([]PackStats, len(ps))
	if len(ps) == 0 {
		return out, next, nil
	}
	ids := make([]int64, len(ps))
	for i, p := range ps {
		ids[i] = p.ID
	}
	var sums []struct {
		PackID int64 `gorm:"column:pack_id"`
		N      int   `gorm:"column:n"`
		Amount int64 `gorm:"column:amount"`
	}
	if err := s.db.Conn(ctx).Raw(`SELECT pack_id, COUNT(*) AS n, SUM(amount) AS amount FROM coupon_pack_slots
		WHERE pack_id IN ? AND shopper_id IS NOT NULL GROUP BY pack_id`, ids).Scan(&sums).Error; err != nil {
		return nil, "", fmt.Errorf("couponpack: pack sums: %w", err)
	}
	byPack := map[int64]int{}
	for i, sm := range sums {
		byPack[sm.PackID] = i + 1
	}
	for i, p := range ps {
		out[i] = PackStats{Pack: p}
		if j := byPack[p.ID]; j > 0 {
			out[i].Grabbed, out[i].GrabbedAmount = sums[j-1].N, sums[j-1].Amount
		}
	}
	return out, next, nil
}
