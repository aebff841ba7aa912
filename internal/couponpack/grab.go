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
// The claim is one guarded statement (claim) and the coupon is issued in
// the same transaction. A pack with no free slot is answered from two
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
	name, began := review.MaskName(sh.Nickname), time.Now()
	for wait := time.Duration(0); ; wait = min(2*wait+time.Millisecond, maxHeldWait) {
		g, err := s.claim(ctx, p, c, shopperID, name, sh.AvatarURL, now)
		if !errs.Is(err, errAllHeld.Code) && !database.IsDuplicate(err) {
			return g, err
		}
		// Every free slot is held by a grab still in flight (it commits, or
		// rolls back and frees its slot), or the same shopper's other grab
		// won the unique index: look again, holding nothing meanwhile.
		free, mine, err := s.standing(ctx, p.ID, shopperID)
		switch {
		case err != nil:
			return Grabbed{}, err
		case mine:
			if g, ok, err := s.grabOf(ctx, p, shopperID); ok || err != nil {
				return g, err
			}
		case !free:
			return Grabbed{}, ErrEmpty
		case time.Since(began) > maxGrabWait:
			return Grabbed{}, ErrBusy
		}
		select {
		case <-ctx.Done():
			return Grabbed{}, ctx.Err()
		case <-time.After(wait):
		}
	}
}

// How long a grab waits for the grabs in flight that hold every free slot:
// they commit within milliseconds; a grab that waited maxGrabWait answers
// ErrBusy rather than hold its request.
const (
	maxHeldWait = 16 * time.Millisecond
	maxGrabWait = 5 * time.Second
)

// errAllHeld says every free slot is held by another grab in flight.
var errAllHeld = errs.Conflict("pack_slots_held", "couponpack.busy")

// claim takes the pack's first free slot for the shopper and issues its
// coupon, in one transaction. The claim is one guarded statement: on
// PostgreSQL concurrent grabs skip the slots other grabs hold (SKIP LOCKED)
// and take the next, never waiting on a row lock; when every free slot is
// held it answers errAllHeld and Grab looks again. (Waiting on the held
// rows instead, FOR UPDATE without SKIP LOCKED, lets the waiters of one row
// deadlock one another under a stampede.) On SQLite the write transaction
// already holds the database, so a free slot is never held.
func (s *Service) claim(ctx context.Context, p Pack, c Campaign, shopperID int64, name, avatar string, now time.Time) (Grabbed, error) {
	g := Grabbed{Pack: p}
	err := s.db.Tx(ctx, func(ctx context.Context) error {
		var got []Slot
		err := s.db.Conn(ctx).Raw(`UPDATE coupon_pack_slots SET shopper_id = ?, name = ?, avatar_url = ?, grabbed_at = ?
			WHERE shopper_id IS NULL AND id = (SELECT id FROM coupon_pack_slots WHERE pack_id = ? AND shopper_id IS NULL
				ORDER BY slot LIMIT 1`+s.db.SkipLockedSQL()+`)
			RETURNING id, pack_id, slot, amount, shopper_id, name, avatar_url, grabbed_at`,
			shopperID, name, avatar, now, p.ID).Scan(&got).Error
		if err != nil {
			return fmt.Errorf("couponpack: claim slot: %w", err)
		}
		if len(got) == 0 {
			return errAllHeld
		}
		g.Slot = got[0]
		if g.Held, err = s.coupons.GrantOwn(ctx, c.couponDraft(g.Slot.Amount, now), shopperID, "pack:"+p.Token); err != nil {
			return err
		}
		g.Slot.CouponID = &g.Held.ID
		return s.db.Conn(ctx).Model(&Slot{}).Where("id = ?", g.Slot.ID).Update("coupon_id", g.Held.ID).Error
	})
	if err != nil {
		return Grabbed{}, err
	}
	return g, nil
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
	held, err := s.coupons.Held(ctx, shopperID, *slots[0].CouponID)
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
