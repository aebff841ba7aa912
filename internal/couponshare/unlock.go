package couponshare

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/kaidian/kaidian/internal/coupon"
	"github.com/kaidian/kaidian/internal/database"
	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/review"
	"github.com/kaidian/kaidian/internal/shortcode"
)

// UnlockPage is the mini-program page a share-to-unlock link opens.
const UnlockPage = "pages/coupon/unlock"

// SourceUnlock is the source of coupons a campaign gives: the friends'
// invite coupons and the sharer's reward.
const SourceUnlock = "unlock"

// Errors of share-to-unlock.
var (
	ErrUnlockShareNotFound = errs.NotFound("unlock_share_not_found", "couponshare.unlock_share_not_found")
	ErrAlreadyHeld         = errs.Conflict("unlock_already_held", "couponshare.already_held")
)

// UnlockShare is one shopper's share in a campaign, and how many friends
// have claimed through it.
type UnlockShare struct {
	ID             int64      `gorm:"column:id;primaryKey"`
	Token          string     `gorm:"column:token"`
	CampaignID     int64      `gorm:"column:campaign_id"`
	SharerID       int64      `gorm:"column:sharer_id"`
	Claimed        int        `gorm:"column:claimed"`
	RewardedHeldID *int64     `gorm:"column:rewarded_held_id"`
	RewardedAt     *time.Time `gorm:"column:rewarded_at"`
	CreatedAt      time.Time  `gorm:"column:created_at"`
}

// TableName maps UnlockShare to its table.
func (UnlockShare) TableName() string { return "unlock_shares" }

// UnlockClaim is one friend counted on a share.
type UnlockClaim struct {
	ID           int64     `gorm:"column:id;primaryKey"`
	ShareID      int64     `gorm:"column:share_id"`
	FriendID     int64     `gorm:"column:friend_id"`
	HeldID       int64     `gorm:"column:held_id"`
	FriendName   string    `gorm:"column:friend_name"` // masked when claimed: "张**"
	FriendAvatar string    `gorm:"column:friend_avatar"`
	CreatedAt    time.Time `gorm:"column:created_at"`
}

// TableName maps UnlockClaim to its table.
func (UnlockClaim) TableName() string { return "unlock_claims" }

// Start opens the shopper's share in a live campaign and answers its link;
// a shopper has one share per campaign, so starting again answers the same.
func (s *Service) Start(ctx context.Context, campaignID, sharerID int64) (Link, error) {
	c, err := s.Campaign(ctx, campaignID)
	if err != nil {
		return Link{}, err
	}
	if !c.LiveAt(s.clock.Now()) {
		return Link{}, ErrCampaignNotLive
	}
	sh, ok, err := s.unlockShare(ctx, "campaign_id = ? AND sharer_id = ?", campaignID, sharerID)
	if err == nil && !ok {
		sh = UnlockShare{Token: shortcode.New(TokenLength), CampaignID: campaignID, SharerID: sharerID, CreatedAt: s.clock.Now()}
		err = s.db.Conn(ctx).Create(&sh).Error
		if database.IsDuplicate(err) { // started by a parallel request: theirs is the one
			sh, _, err = s.unlockShare(ctx, "campaign_id = ? AND sharer_id = ?", campaignID, sharerID)
		}
	}
	if err != nil {
		return Link{}, fmt.Errorf("couponshare: start: %w", err)
	}
	p, err := s.path(ctx, UnlockPage, sh.Token, sharerID)
	return Link{Token: sh.Token, Path: p}, err
}

// ClaimInvite gives a friend the campaign's invite coupon through a share
// and counts them on it; the friend who brings the count to the number
// needed also earns the sharer the reward, exactly once.
//
// Only new friends count: the sharer themself is refused, and so is a
// friend who already holds the invite coupon (from this share, another
// one, or anywhere else), which also stops a repeat claim. The friend's
// count is taken after the invite coupon's row is locked (Grant), so two
// claims by one friend at once cannot both pass. The count is one atomic
// increment; the reward is one guarded update (rewarded_at still empty,
// claimed at least the number needed) whose row count decides who grants
// it. A reward the coupon cannot give now (run out, ended) is rolled back
// alone, so the friend's claim stands and the next claim tries again.
func (s *Service) ClaimInvite(ctx context.Context, token string, friendID int64) (coupon.Held, error) {
	var got coupon.Held
	err := s.db.Tx(ctx, func(ctx context.Context) error {
		sh, err := s.unlockByToken(ctx, token)
		if err != nil {
			return err
		}
		if sh.SharerID == friendID {
			return ErrOwnShare
		}
		c, err := s.Campaign(ctx, sh.CampaignID)
		if err != nil {
			return err
		}
		if !c.LiveAt(s.clock.Now()) {
			return ErrCampaignNotLive
		}
		actor := "unlock:" + strconv.FormatInt(c.ID, 10)
		if got, err = s.coupons.Grant(ctx, friendID, c.InviteCouponID, SourceUnlock, actor); err != nil {
			if errs.Is(err, coupon.ErrLimitReached.Code) {
				return ErrAlreadyHeld
			}
			return err
		}
		if n, err := s.coupons.Holds(ctx, friendID, c.InviteCouponID); err != nil || n > 1 {
			if err != nil {
				return err
			}
			return ErrAlreadyHeld
		}
		friend, err := s.shoppers.Get(ctx, friendID)
		if err != nil {
			return err
		}
		claim := UnlockClaim{ShareID: sh.ID, FriendID: friendID, HeldID: got.ID, FriendName: review.MaskName(friend.Nickname),
			FriendAvatar: friend.AvatarURL, CreatedAt: s.clock.Now()}
		if err := s.db.Conn(ctx).Create(&claim).Error; err != nil {
			if database.IsDuplicate(err) {
				return ErrAlreadyHeld
			}
			return fmt.Errorf("couponshare: claim invite: %w", err)
		}
		if err := s.db.Conn(ctx).Model(&UnlockShare{}).Where("id = ?", sh.ID).
			Update("claimed", database.Expr("claimed + 1")).Error; err != nil {
			return fmt.Errorf("couponshare: count claim: %w", err)
		}
		return s.reward(ctx, c, sh, actor)
	})
	if err != nil {
		return coupon.Held{}, err
	}
	return got, nil
}

// reward grants the sharer the reward coupon once the share has enough
// friends and has not been rewarded, inside a savepoint (see ClaimInvite).
func (s *Service) reward(ctx context.Context, c Campaign, sh UnlockShare, actor string) error {
	err := s.db.Savepoint(ctx, func(ctx context.Context) error {
		now := s.clock.Now()
		res := s.db.Conn(ctx).Model(&UnlockShare{}).
			Where("id = ? AND rewarded_at IS NULL AND claimed >= ?", sh.ID, c.FriendsNeeded).Update("rewarded_at", now)
		if res.Error != nil || res.RowsAffected != 1 {
			return res.Error // not yet, or already rewarded
		}
		h, err := s.coupons.Grant(ctx, sh.SharerID, c.RewardCouponID, SourceUnlock, actor)
		if err != nil {
			return err
		}
		return s.db.Conn(ctx).Model(&UnlockShare{}).Where("id = ?", sh.ID).Update("rewarded_held_id", h.ID).Error
	})
	var refused *errs.Error
	if errors.As(err, &refused) {
		return nil // a business refusal of the reward: the friend's claim stands, the next one tries again
	}
	return err
}

// Progress is a sharer's progress in a campaign.
type Progress struct {
	Campaign Campaign
	Started  bool
	Link     Link // empty until started
	Claimed  int
	Friends  []UnlockClaim // in the order they claimed
	Rewarded bool
	Reward   *coupon.Held // the reward coupon, once earned
}

// Progress answers how far the sharer is in a campaign: friends claimed
// and needed, who, and whether the reward was earned.
func (s *Service) Progress(ctx context.Context, campaignID, sharerID int64) (Progress, error) {
	c, err := s.Campaign(ctx, campaignID)
	if err != nil {
		return Progress{}, err
	}
	p := Progress{Campaign: c, Friends: []UnlockClaim{}}
	sh, ok, err := s.unlockShare(ctx, "campaign_id = ? AND sharer_id = ?", campaignID, sharerID)
	if err != nil || !ok {
		return p, err
	}
	p.Started, p.Claimed, p.Rewarded = true, sh.Claimed, sh.RewardedAt != nil
	if p.Link.Path, err = s.path(ctx, UnlockPage, sh.Token, sharerID); err != nil {
		return Progress{}, err
	}
	p.Link.Token = sh.Token
	if err := s.db.Conn(ctx).Where("share_id = ?", sh.ID).Order("id").Limit(MaxFriendsNeeded * 2).Find(&p.Friends).Error; err != nil {
		return Progress{}, fmt.Errorf("couponshare: progress: %w", err)
	}
	if sh.RewardedHeldID != nil {
		h, err := s.coupons.Held(ctx, sharerID, *sh.RewardedHeldID)
		if err != nil {
			return Progress{}, err
		}
		p.Reward = &h
	}
	return p, nil
}

// Invitation is a share-to-unlock link as a friend opening it sees it.
type Invitation struct {
	Campaign     Campaign
	SharerName   string // masked
	SharerAvatar string
	Invite       coupon.Coupon // what the friend gets
	Claimed      int
	CanClaim     bool
	Reason       string // why not: not_live, login_required, own_share, already_held
}

// Invitation shows a share-to-unlock link to viewerID (0: not logged in).
func (s *Service) Invitation(ctx context.Context, token string, viewerID int64) (Invitation, error) {
	sh, err := s.unlockByToken(ctx, token)
	if err != nil {
		return Invitation{}, err
	}
	c, err := s.Campaign(ctx, sh.CampaignID)
	if err != nil {
		return Invitation{}, err
	}
	sharer, err := s.shoppers.Get(ctx, sh.SharerID)
	if err != nil {
		return Invitation{}, err
	}
	invite, err := s.coupons.Get(ctx, c.InviteCouponID)
	if err != nil {
		return Invitation{}, err
	}
	inv := Invitation{Campaign: c, SharerName: review.MaskName(sharer.Nickname), SharerAvatar: sharer.AvatarURL,
		Invite: invite, Claimed: sh.Claimed}
	switch {
	case !c.LiveAt(s.clock.Now()):
		inv.Reason = "not_live"
	case viewerID == 0:
		inv.Reason = "login_required"
	case viewerID == sh.SharerID:
		inv.Reason = "own_share"
	default:
		n, err := s.coupons.Holds(ctx, viewerID, c.InviteCouponID)
		if err != nil {
			return Invitation{}, err
		}
		if n > 0 {
			inv.Reason = "already_held"
		}
	}
	inv.CanClaim = inv.Reason == ""
	return inv, nil
}

func (s *Service) unlockByToken(ctx context.Context, token string) (UnlockShare, error) {
	if !validToken(token) {
		return UnlockShare{}, ErrUnlockShareNotFound
	}
	sh, ok, err := s.unlockShare(ctx, "token = ?", token)
	if err == nil && !ok {
		err = ErrUnlockShareNotFound
	}
	return sh, err
}

func (s *Service) unlockShare(ctx context.Context, where string, args ...any) (UnlockShare, bool, error) {
	var shs []UnlockShare
	if err := s.db.Conn(ctx).Where(where, args...).Limit(1).Find(&shs).Error; err != nil {
		return UnlockShare{}, false, fmt.Errorf("couponshare: unlock share: %w", err)
	}
	if len(shs) == 0 {
		return UnlockShare{}, false, nil
	}
	return shs[0], true, nil
}
