package review

import (
	"context"
	"fmt"

	"github.com/kaidian/kaidian/internal/database"
)

// Recheck asks WeChat again about a review, or its follow-up, stored
// unchecked. An error (WeChat still unreachable) leaves it unchecked for the
// job's next attempt; a verdict moves it, guarded by its status, so a
// merchant who approved or hid it meanwhile wins.
func (s *Service) Recheck(ctx context.Context, reviewID int64) error {
	var r Review
	err := s.db.Conn(ctx).Where("id = ?", reviewID).Take(&r).Error
	if database.IsNotFound(err) {
		return nil
	}
	if err != nil {
		return err
	}
	if r.Status != StatusUnchecked && r.FollowUpStatus != StatusUnchecked {
		return nil
	}
	sh, err := s.customers.Get(ctx, r.ShopperID)
	if err != nil {
		return err
	}
	if r.Status == StatusUnchecked {
		c, err := s.checker.CheckText(ctx, sh.OpenID, r.Content)
		if err != nil {
			return fmt.Errorf("review %d: check text: %w", r.ID, err)
		}
		if err := s.move(ctx, r.ID, []Status{StatusUnchecked}, verdictStatus(c.Verdict), c.Label); err != nil && err != ErrWrongState {
			return err
		}
	}
	if r.FollowUpStatus == StatusUnchecked {
		c, err := s.checker.CheckText(ctx, sh.OpenID, r.FollowUpContent)
		if err != nil {
			return fmt.Errorf("review %d: check follow-up: %w", r.ID, err)
		}
		return s.db.Conn(ctx).Model(&Review{}).Where("id = ? AND follow_up_status = ?", r.ID, StatusUnchecked).
			Updates(map[string]any{"follow_up_status": verdictStatus(c.Verdict), "updated_at": s.clock.Now()}).Error
	}
	return nil
}

// verdictStatus is where a late verdict puts text: nobody is waiting for an
// answer any more, so risky text is kept, rejected, for the merchant to see.
func verdictStatus(v Verdict) Status {
	switch v {
	case VerdictPass:
		return StatusVisible
	case VerdictRisky:
		return StatusRejected
	}
	return StatusPending
}

// DueChecks are reviews with text still unchecked, oldest first, for the
// sweep that (re)starts their checks.
func (s *Service) DueChecks(ctx context.Context, limit int) ([]int64, error) {
	var ids []int64
	err := s.db.Conn(ctx).Model(&Review{}).Where("status = ? OR follow_up_status = ?", StatusUnchecked, StatusUnchecked).
		Order("id").Limit(limit).Pluck("id", &ids).Error
	return ids, err
}

// move changes a review's status from one of from to to, and the product's
// aggregates with it, in one transaction; ErrWrongState when the review was
// in none of from.
func (s *Service) move(ctx context.Context, id int64, from []Status, to Status, label int) error {
	return s.db.Tx(ctx, func(ctx context.Context) error {
		var r Review
		if err := s.db.Conn(ctx).Where("id = ?", id).Take(&r).Error; err != nil {
			if database.IsNotFound(err) {
				return ErrNotFound
			}
			return err
		}
		if !contains(from, r.Status) {
			return ErrWrongState
		}
		updates := map[string]any{"status": to, "updated_at": s.clock.Now()}
		if label != 0 {
			updates["check_label"] = label
		}
		// Guarded by the status just read, so the aggregates move by what
		// the row really was even when another change raced this one.
		res := s.db.Conn(ctx).Model(&Review{}).Where("id = ? AND status = ?", id, r.Status).Updates(updates)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return ErrWrongState
		}
		if r.Status == StatusVisible {
			if err := s.count(ctx, []Review{r}, -1); err != nil {
				return err
			}
		}
		r.Status = to
		return s.count(ctx, []Review{r}, +1)
	})
}

func contains(list []Status, s Status) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
