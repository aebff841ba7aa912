package couponshare

import (
	"context"
	"fmt"
	"time"

	"github.com/kaidian/kaidian/internal/coupon"
	"github.com/kaidian/kaidian/internal/review"
	"github.com/kaidian/kaidian/internal/shortcode"
)

// GiftPage is the mini-program page that opens a gifted coupon.
const GiftPage = "pages/coupon/gift"

// Status is where a gift share is. Open, claimed and cancelled are stored;
// expired is an open share whose coupon's validity ended.
type Status string

// Share statuses.
const (
	StatusOpen      Status = "open"
	StatusClaimed   Status = "claimed"
	StatusCancelled Status = "cancelled"
	StatusExpired   Status = "expired"
)

// Share is one coupon offered to a friend.
type Share struct {
	ID             int64      `gorm:"column:id;primaryKey"`
	Token          string     `gorm:"column:token"`
	HeldID         int64      `gorm:"column:held_id"` // the giver's copy
	CouponID       int64      `gorm:"column:coupon_id"`
	GiverID        int64      `gorm:"column:giver_id"`
	Status         Status     `gorm:"column:status"`
	ReceiverID     *int64     `gorm:"column:receiver_id"`
	ReceivedHeldID *int64     `gorm:"column:received_held_id"` // the receiver's own copy
	CreatedAt      time.Time  `gorm:"column:created_at"`
	ClosedAt       *time.Time `gorm:"column:closed_at"` // claimed or cancelled
}

// TableName maps Share to its table.
func (Share) TableName() string { return "coupon_shares" }

// Link is what the giver hands onShareAppMessage.
type Link struct {
	Token string
	Path  string // GiftPage?token=…&ref=…
}

// Give offers one of the shopper's unused, unexpired coupons of a giftable
// kind to a friend and answers the share's link; the coupon is locked for
// checkout until a friend claims it or the giver takes it back. Giving the
// same coupon again while its share is open answers the same link.
func (s *Service) Give(ctx context.Context, giverID, heldID int64) (Link, error) {
	var sh Share
	err := s.db.Tx(ctx, func(ctx context.Context) error {
		h, err := s.coupons.LockForGift(ctx, giverID, heldID)
		if err != nil {
			return err
		}
		if found, ok, err := s.find(ctx, "held_id = ? AND status = ?", heldID, StatusOpen); err != nil || ok {
			sh = found
			return err
		}
		sh = Share{Token: shortcode.New(TokenLength), HeldID: heldID, CouponID: h.CouponID, GiverID: giverID,
			Status: StatusOpen, CreatedAt: s.clock.Now()}
		if err := s.db.Conn(ctx).Create(&sh).Error; err != nil {
			return fmt.Errorf("couponshare: give: %w", err)
		}
		return nil
	})
	if err != nil {
		return Link{}, err
	}
	p, err := s.path(ctx, GiftPage, sh.Token, giverID)
	return Link{Token: sh.Token, Path: p}, err
}

// Gift is a share as a friend opening it sees it.
type Gift struct {
	Share
	Status      Status      // with expired worked out
	GiverName   string      // masked: "张**"
	GiverAvatar string      // URL, "" when the giver set none
	Coupon      coupon.Held // the giver's copy: the coupon's terms and how long it is valid
	CanClaim    bool
	Reason      string // why the viewer cannot claim: the status, login_required, own_share, limit_reached
}

// View shows a share to viewerID (0: not logged in): who sent it, what it
// is, whether it can still be claimed and by this viewer.
func (s *Service) View(ctx context.Context, token string, viewerID int64) (Gift, error) {
	sh, err := s.byToken(ctx, token)
	if err != nil {
		return Gift{}, err
	}
	giver, err := s.shoppers.Get(ctx, sh.GiverID)
	if err != nil {
		return Gift{}, err
	}
	h, err := s.coupons.Held(ctx, sh.GiverID, sh.HeldID)
	if err != nil {
		return Gift{}, err
	}
	g := Gift{Share: sh, Status: sh.Status, GiverName: review.MaskName(giver.Nickname), GiverAvatar: giver.AvatarURL, Coupon: h}
	if sh.Status == StatusOpen && !s.clock.Now().Before(h.ValidUntil) {
		g.Status = StatusExpired
	}
	switch {
	case g.Status != StatusOpen:
		g.Reason = string(g.Status)
	case viewerID == 0:
		g.Reason = "login_required"
	case viewerID == sh.GiverID:
		g.Reason = "own_share"
	default:
		n, err := s.coupons.Holds(ctx, viewerID, sh.CouponID)
		if err != nil {
			return Gift{}, err
		}
		if n >= h.Coupon.PerShopperLimit {
			g.Reason = "limit_reached"
		}
	}
	g.CanClaim = g.Reason == ""
	return g, nil
}

// Claim gives the shared coupon to the friend. Exactly one friend gets it:
// the share moves from open to claimed in one guarded update whose count is
// checked, and the coupon changes hands in the same transaction, so a
// friend refused by the coupon (their per-shopper limit, the coupon
// expired) leaves the share open for another. The giver cannot claim their
// own.
func (s *Service) Claim(ctx context.Context, token string, friendID int64) (coupon.Held, error) {
	var got coupon.Held
	err := s.db.Tx(ctx, func(ctx context.Context) error {
		sh, err := s.byToken(ctx, token)
		if err != nil {
			return err
		}
		if sh.GiverID == friendID {
			return ErrOwnShare
		}
		now := s.clock.Now()
		res := s.db.Conn(ctx).Model(&Share{}).Where("id = ? AND status = ?", sh.ID, StatusOpen).
			Updates(map[string]any{"status": StatusClaimed, "receiver_id": friendID, "closed_at": now})
		if res.Error != nil {
			return fmt.Errorf("couponshare: claim: %w", res.Error)
		}
		if res.RowsAffected != 1 {
			return s.closedError(ctx, sh.ID)
		}
		if got, err = s.coupons.GiveAway(ctx, sh.HeldID, friendID); err != nil {
			return err
		}
		if err := s.db.Conn(ctx).Model(&Share{}).Where("id = ?", sh.ID).Update("received_held_id", got.ID).Error; err != nil {
			return fmt.Errorf("couponshare: claim: %w", err)
		}
		return nil
	})
	if err != nil {
		return coupon.Held{}, err
	}
	return got, nil
}

// Cancel takes back a coupon the shopper offered, while no friend has
// claimed it, and answers it usable again.
func (s *Service) Cancel(ctx context.Context, giverID, heldID int64) (coupon.Held, error) {
	err := s.db.Tx(ctx, func(ctx context.Context) error {
		res := s.db.Conn(ctx).Model(&Share{}).Where("held_id = ? AND giver_id = ? AND status = ?", heldID, giverID, StatusOpen).
			Updates(map[string]any{"status": StatusCancelled, "closed_at": s.clock.Now()})
		if res.Error != nil {
			return fmt.Errorf("couponshare: cancel: %w", res.Error)
		}
		if res.RowsAffected == 1 {
			if ok, err := s.coupons.ReleaseGift(ctx, heldID); err != nil || !ok {
				return fmt.Errorf("couponshare: cancel: coupon %d was not on offer (%v)", heldID, err)
			}
			return nil
		}
		h, err := s.coupons.Held(ctx, giverID, heldID)
		switch {
		case err != nil:
			return err // not the shopper's coupon
		case h.Status == coupon.HeldGifted:
			return ErrClaimed
		}
		return ErrShareNotFound.With("id", heldID) // never offered, or already taken back
	})
	if err != nil {
		return coupon.Held{}, err
	}
	return s.coupons.Held(ctx, giverID, heldID)
}

// closedError says why a share that is no longer open cannot be claimed.
func (s *Service) closedError(ctx context.Context, id int64) error {
	sh, ok, err := s.find(ctx, "id = ?", id)
	switch {
	case err != nil:
		return err
	case !ok:
		return ErrShareNotFound
	case sh.Status == StatusCancelled:
		return ErrCancelled
	}
	return ErrClaimed
}

func (s *Service) byToken(ctx context.Context, token string) (Share, error) {
	if !validToken(token) {
		return Share{}, ErrShareNotFound
	}
	sh, ok, err := s.find(ctx, "token = ?", token)
	if err == nil && !ok {
		err = ErrShareNotFound
	}
	return sh, err
}

func (s *Service) find(ctx context.Context, where string, args ...any) (Share, bool, error) {
	var shs []Share
	if err := s.db.Conn(ctx).Where(where, args...).Limit(1).Find(&shs).Error; err != nil {
		return Share{}, false, fmt.Errorf("couponshare: find: %w", err)
	}
	if len(shs) == 0 {
		return Share{}, false, nil
	}
	return shs[0], true, nil
}
