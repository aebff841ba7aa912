package coupon

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/kaidian/kaidian/internal/database"
	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/i18n"
)

// Claim gives the shopper one of a claimable, live coupon.
//
// Two guards keep the numbers right under any concurrency, on either
// database. The coupon's row is locked first (PostgreSQL; SQLite transactions
// are serial), so the shopper's count cannot change before the insert; and
// the count itself is taken by a single guarded statement,
// claimed = claimed + 1 WHERE claimed < total_quantity, whose row count is
// checked. The insert's seq (the shopper's nth of this coupon) is unique, so
// even without the lock a shopper could never pass the per-shopper limit.
func (s *Service) Claim(ctx context.Context, shopperID, couponID int64) (Held, error) {
	var h Held
	err := s.db.Tx(ctx, func(ctx context.Context) error {
		c, err := s.lock(ctx, couponID)
		if err != nil {
			return err
		}
		if !c.Claimable {
			return ErrNotFound.With("coupon_id", couponID) // issued by the shop only: not offered to shoppers
		}
		if err := s.checkLive(c); err != nil {
			return err
		}
		held, err := s.heldCounts(ctx, couponID, []int64{shopperID})
		if err != nil {
			return err
		}
		if held[shopperID] >= c.PerShopperLimit {
			return ErrLimitReached.With("per_shopper_limit", c.PerShopperLimit)
		}
		if err := s.take(ctx, c, 1); err != nil {
			return err
		}
		h = s.newHeld(c, shopperID, held[shopperID]+1, SourceClaim, "shopper:"+strconv.FormatInt(shopperID, 10))
		return s.insertHeld(ctx, []Held{h}, &h)
	})
	if err != nil {
		return Held{}, err
	}
	return h, nil
}

// Issue gives one of a live coupon to each of the shoppers, as the merchant
// (actor) chose, within the remaining quantity and each shopper's limit. It
// is all or nothing: an unknown shopper, one already at the limit, or too
// few coupons left refuses the whole list, naming who, and issues none.
func (s *Service) Issue(ctx context.Context, actor string, couponID int64, shopperIDs []int64) (int, error) {
	ids := dedupe(shopperIDs)
	switch {
	case len(ids) == 0:
		return 0, errs.Field("shopper_ids", "coupon.shoppers_required")
	case len(ids) > MaxIssueAtOnce:
		return 0, errs.Field("shopper_ids", "coupon.shoppers_max", "max", MaxIssueAtOnce)
	case ids[0] <= 0:
		return 0, errs.Field("shopper_ids", "coupon.ids_positive")
	}
	err := s.db.Tx(ctx, func(ctx context.Context) error {
		c, err := s.lock(ctx, couponID)
		if err != nil {
			return err
		}
		if err := s.checkLive(c); err != nil {
			return err
		}
		if left := c.Remaining(); left < int64(len(ids)) {
			return errs.Field("shopper_ids", "coupon.only_left", "left", left)
		}
		if missing, err := s.unknownShoppers(ctx, ids); err != nil || len(missing) > 0 {
			if err != nil {
				return err
			}
			return errs.Field("shopper_ids", "coupon.no_shopper", "ids", joinIDs(missing))
		}
		held, err := s.heldCounts(ctx, couponID, ids)
		if err != nil {
			return err
		}
		var full []int64
		for _, id := range ids {
			if held[id] >= c.PerShopperLimit {
				full = append(full, id)
			}
		}
		if len(full) > 0 {
			return errs.Field("shopper_ids", "coupon.shoppers_full", "limit", c.PerShopperLimit, "ids", joinIDs(full))
		}
		if err := s.take(ctx, c, int64(len(ids))); err != nil {
			return err
		}
		rows := make([]Held, len(ids))
		for i, id := range ids {
			rows[i] = s.newHeld(c, id, held[id]+1, SourceIssue, actor)
		}
		if err := s.insertHeld(ctx, rows, nil); err != nil {
			return err
		}
		return s.audit.Record(ctx, actor, "coupon.issue", "coupon", couponID,
			i18n.M("record.audit.coupon_issued", "name", c.Name, "count", len(ids), "ids", joinIDs(ids)))
	})
	if err != nil {
		return 0, err
	}
	return len(ids), nil
}

// checkLive refuses a coupon outside its claim window or stopped.
func (s *Service) checkLive(c Coupon) error {
	switch c.StatusAt(s.clock.Now()) {
	case StatusStopped:
		return ErrStopped
	case StatusUpcoming:
		return ErrNotStarted.With("starts_at", c.StartsAt)
	case StatusEnded:
		return ErrEnded
	}
	return nil
}

// take counts n more coupons as claimed, only while that many remain.
func (s *Service) take(ctx context.Context, c Coupon, n int64) error {
	res := s.db.Conn(ctx).Model(&Coupon{}).
		Where("id = ? AND stopped_at IS NULL AND claimed + ? <= total_quantity", c.ID, n).
		Updates(map[string]any{"claimed": database.Expr("claimed + ?", n), "updated_at": s.clock.Now()})
	if res.Error != nil {
		return fmt.Errorf("coupon: take: %w", res.Error)
	}
	if res.RowsAffected != 1 {
		return ErrSoldOut
	}
	return nil
}

func (s *Service) newHeld(c Coupon, shopperID int64, seq int, source, actor string) Held {
	now := s.clock.Now()
	from, until := c.validity(now)
	return Held{CouponID: c.ID, ShopperID: shopperID, Seq: seq, Source: source, Actor: actor, Status: HeldUnused,
		ValidFrom: from, ValidUntil: until, ClaimedAt: now, State: HeldUnused, Coupon: c}
}

// insertHeld writes the held coupons; into, when set, receives the first
// one's id. A duplicate seq means the shopper's limit was reached meanwhile.
func (s *Service) insertHeld(ctx context.Context, rows []Held, into *Held) error {
	err := s.db.Conn(ctx).CreateInBatches(rows, 100).Error
	if database.IsDuplicate(err) {
		return ErrLimitReached
	}
	if err != nil {
		return fmt.Errorf("coupon: hold: %w", err)
	}
	if into != nil {
		into.ID = rows[0].ID
	}
	return nil
}

// heldCounts is how many of the coupon each shopper has ever received
// (used or not: the limit is on claims).
func (s *Service) heldCounts(ctx context.Context, couponID int64, shopperIDs []int64) (map[int64]int, error) {
	var rows []struct {
		ShopperID int64 `gorm:"column:shopper_id"`
		N         int   `gorm:"column:n"`
	}
	err := s.db.Conn(ctx).Raw(`SELECT shopper_id, COUNT(*) AS n FROM shopper_coupons
		WHERE coupon_id = ? AND shopper_id IN ? GROUP BY shopper_id`, couponID, shopperIDs).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("coupon: held counts: %w", err)
	}
	out := make(map[int64]int, len(rows))
	for _, r := range rows {
		out[r.ShopperID] = r.N
	}
	return out, nil
}

// unknownShoppers returns the ids that name no shopper.
func (s *Service) unknownShoppers(ctx context.Context, ids []int64) ([]int64, error) {
	found, err := s.shoppers.Existing(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("coupon: find shoppers: %w", err)
	}
	exists := map[int64]bool{}
	for _, id := range found {
		exists[id] = true
	}
	var missing []int64
	for _, id := range ids {
		if !exists[id] {
			missing = append(missing, id)
		}
	}
	return missing, nil
}

// dedupe sorts the ids and drops repeats.
func dedupe(ids []int64) []int64 {
	out := slices.Clone(ids)
	slices.Sort(out)
	return slices.Compact(out)
}

// joinIDs lists ids for a message, the first 20 and a count of the rest.
func joinIDs(ids []int64) string {
	parts := make([]string, 0, min(len(ids), 21))
	for i, id := range ids {
		if i == 20 {
			parts = append(parts, "…") // the count is said beside the list
			break
		}
		parts = append(parts, strconv.FormatInt(id, 10))
	}
	return strings.Join(parts, ", ")
}
