package couponpack

import (
	"context"
	"fmt"
	"time"

	"github.com/kaidian/kaidian/internal/coupon"
	"github.com/kaidian/kaidian/internal/database"
	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/review"
)

// Grabbed is a shopper's grab of a pack: the slot and the coupon it put in
// their wallet. Again is set when the shopper had grabbed before: the same
// grab, never a second one.
type Grabbed struct {
	Pack  Pack
	Slot  Slot
	Held  coupon.Held
	Again bool
}

// Grab gives the shopper the pack's next free coupon, or ErrEmpty, or
// ErrExpired; a shopper who already grabbed gets their grab back.
//
// The giver may grab their own pack, as WeChat lets the sender of a group
// red envelope grab it too: the pack is theirs to share, not a gift only to
// others.
//
// The claim is one guarded statement (claimSlot) and the coupon is issued
// in the same transaction. A pack with no free slot is answered from two
// reads (standing), without a write transaction, so the crowd that comes
// after the last coupon costs little; a unique (pack_id, shopper_id) makes a second grab by
// the same shopper fail in the database even across replicas, and that
// shopper then reads the first one back.
func (s *Service) Grab(ctx context.Context, shopperID int64, token string) (Grabbed, error) {
	p, err := s.Pack(ctx, token)
	if err != nil {
		return Grabbed{}, err
	}
	free, mine, err := s.standing(ctx, p.ID, shopperID)
	if err != nil {
		return Grabbed{}, err
	}
	if mine {
		if g, ok, err := s.grabOf(ctx, p, shopperID); ok || err != nil {
			return g, err
		}
	}
	now := s.clock.Now()
	switch {
	case !free:
		return Grabbed{}, ErrEmpty
	case !now.Before(p.ExpiresAt):
		return Grabbed{}, ErrExpired.With("expires_at", p.ExpiresAt)
	}
	c, err := s.Campaign(ctx, p.CampaignID)
	if err != nil {
		return Grabbed{}, err
	}
	sh, err := s.customers.Get(ctx, shopperID)
	if err != nil {
		return Grabbed{}, err
	}
	g := Grabbed{Pack: p}
	err = s.db.Tx(ctx, func(ctx context.Context) error {
		slot, ok, err := s.claimSlot(ctx, p.ID, shopperID, review.MaskName(sh.Nickname), sh.AvatarURL, now)
		if err != nil || !ok {
			if err == nil {
				err = ErrEmpty
			}
			return err
		}
		if g.Held, err = s.coupons.Grant(ctx, c.couponDraft(slot.Amount, now), shopperID, "pack:"+p.Token); err != nil {
			return err
		}
		slot.CouponID = &g.Held.ID
		g.Slot = slot
		return s.db.Conn(ctx).Model(&Slot{}).Where("id = ?", slot.ID).Update("coupon_id", g.Held.ID).Error
	})
	if database.IsDuplicate(err) || errs.Is(err, ErrEmpty.Code) {
		// The same shopper's other grab won the race (for the last slot,
		// or the unique index): answer with it.
		if g, ok, err := s.grabOf(ctx, p, shopperID); ok || err != nil {
			return g, err
		}
	}
	if err != nil {
		return Grabbed{}, err
	}
	return g, nil
}

// claimSlot takes the pack's first free slot for the shopper with one
// guarded statement and returns it; ok is false when none is free. On
// PostgreSQL concurrent grabs skip the slots others hold locked and take
// the next; only when every free slot is locked does it wait (without
// SKIP LOCKED) for their grabs to commit or roll back, so a grab that
// fails later gives its slot to a waiting one instead of an early
// "empty". On SQLite the write transaction already holds the database.
func (s *Service) claimSlot(ctx context.Context, packID, shopperID int64, name, avatar string, now time.Time) (Slot, bool, error) {
	claim := func(lock string) (Slot, bool, error) {
		var got []Slot
		err := s.db.Conn(ctx).Raw(`UPDATE coupon_pack_slots SET shopper_id = ?, name = ?, avatar_url = ?, grabbed_at = ?
			WHERE shopper_id IS NULL AND id = (SELECT id FROM coupon_pack_slots WHERE pack_id = ? AND shopper_id IS NULL
				ORDER BY slot LIMIT 1`+lock+`)
			RETURNING id, pack_id, slot, amount, shopper_id, name, avatar_url, grabbed_at`,
			shopperID, name, avatar, now, packID).Scan(&got).Error
		if err != nil {
			return Slot{}, false, fmt.Errorf("couponpack: claim slot: %w", err)
		}
		if len(got) == 0 {
			return Slot{}, false, nil
		}
		return got[0], true, nil
	}
	slot, ok, err := claim(s.db.SkipLockedSQL())
	if ok || err != nil || s.db.Dialect != database.Postgres {
		return slot, ok, err
	}
	return claim(s.db.LockSQL())
}

// standing reads, in one statement (one snapshot), whether the pack has a
// slot nobody grabbed and whether the shopper holds one: so the crowd after
// the last coupon is answered with two reads, the pack and this. A grab of
// the shopper's that commits after this read looked free then; the claim
// that follows finds it (Grab).
func (s *Service) standing(ctx context.Context, packID, shopperID int64) (free, mine bool, err error) {
	var row struct {
		Free *int64 `gorm:"column:free"`
		Mine *int64 `gorm:"column:mine"`
	}
	err = s.db.Conn(ctx).Raw(`SELECT
		(SELECT id FROM coupon_pack_slots WHERE pack_id = ? AND shopper_id IS NULL LIMIT 1) AS free,
		(SELECT id FROM coupon_pack_slots WHERE pack_id = ? AND shopper_id = ?) AS mine`, packID, packID, shopperID).
		Scan(&row).Error
	if err != nil {
		return false, false, fmt.Errorf("couponpack: pack standing: %w", err)
	}
	return row.Free != nil, row.Mine != nil, nil
}

// grabOf finds the shopper's grab of the pack, with its coupon.
func (s *Service) grabOf(ctx context.Context, p Pack, shopperID int64) (Grabbed, bool, error) {
	var slots []Slot
	if err := s.db.Conn(ctx).Where("pack_id = ? AND shopper_id = ?", p.ID, shopperID).Limit(1).Find(&slots).Error; err != nil {
		return Grabbed{}, false, fmt.Errorf("couponpack: grab of: %w", err)
	}
	if len(slots) == 0 || slots[0].CouponID == nil {
		return Grabbed{}, false, nil
	}
	held, err := s.coupons.HeldOne(ctx, shopperID, *slots[0].CouponID)
	if err != nil {
		return Grabbed{}, false, err
	}
	return Grabbed{Pack: p, Slot: slots[0], Held: held, Again: true}, true, nil
}

// Pack finds a pack by its token. A string that cannot be a token names no
// pack, as a malformed id in a path does (httpx.PathID): not found, without
// a query.
func (s *Service) Pack(ctx context.Context, token string) (Pack, error) {
	if !ValidToken(token) {
		return Pack{}, ErrNotFound
	}
	var ps []Pack
	if err := s.db.Conn(ctx).Where("token = ?", token).Limit(1).Find(&ps).Error; err != nil {
		return Pack{}, fmt.Errorf("couponpack: pack: %w", err)
	}
	if len(ps) == 0 {
		return Pack{}, ErrNotFound.With("token", token)
	}
	return ps[0], nil
}
