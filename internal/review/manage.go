package review

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/kaidian/kaidian/internal/database"
	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/i18n"
	"github.com/kaidian/kaidian/internal/page"
)

// Query filters the console's list of reviews.
type Query struct {
	ProductID  int64
	Rating     int    // 1–5; 0 = any
	WithPhotos bool   // only reviews with photos
	Status     Status // "" = any; pending also finds unchecked ones and held follow-ups
	Page       page.Request
}

// List is the merchant's view of reviews, newest first, every status.
func (s *Service) List(ctx context.Context, q Query) ([]Review, string, error) {
	if q.Status != "" && !q.Status.Valid() {
		return nil, "", errs.Field("status", "review.status")
	}
	if q.Rating < 0 || q.Rating > 5 {
		return nil, "", errs.Field("rating", "invalid.range", "min", 1, "max", 5)
	}
	db := s.db.Conn(ctx).Model(&Review{})
	if q.ProductID > 0 {
		db = db.Where("product_id = ?", q.ProductID)
	}
	if q.Rating > 0 {
		db = db.Where("rating = ?", q.Rating)
	}
	if q.WithPhotos {
		db = db.Where("has_photos = TRUE")
	}
	switch q.Status {
	case "":
	case StatusPending:
		db = db.Where("status IN ? OR follow_up_status IN ?", held, held)
	default:
		db = db.Where("status = ?", q.Status)
	}
	if q.Page.After > 0 {
		db = db.Where("id < ?", q.Page.After)
	}
	var rs []Review
	if err := db.Order("id DESC").Limit(q.Page.Limit + 1).Find(&rs).Error; err != nil {
		return nil, "", err
	}
	rs, next := page.Trim(rs, q.Page, func(r Review) int64 { return r.ID })
	return rs, next, nil
}

// held are the states a merchant can approve.
var held = []Status{StatusUnchecked, StatusPending}

// Get is one review, for the console.
func (s *Service) Get(ctx context.Context, id int64) (Review, error) {
	var r Review
	err := s.db.Conn(ctx).Where("id = ?", id).Take(&r).Error
	if database.IsNotFound(err) {
		return Review{}, ErrNotFound
	}
	return r, err
}

// Reply sets the merchant's one reply to a review (written again, it
// replaces the last); an empty reply removes it.
func (s *Service) Reply(ctx context.Context, actor string, id int64, text string) error {
	text = strings.TrimSpace(text)
	if utf8.RuneCountInString(text) > MaxReplyRunes {
		return errs.Field("reply", "invalid.max_length", "max", MaxReplyRunes)
	}
	return s.db.Tx(ctx, func(ctx context.Context) error {
		now := s.clock.Now()
		updates := map[string]any{"reply_content": text, "reply_by": actor, "replied_at": now, "updated_at": now}
		if text == "" {
			updates["replied_at"] = nil
		}
		res := s.db.Conn(ctx).Model(&Review{}).Where("id = ?", id).Updates(updates)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return ErrNotFound
		}
		return s.audit.Record(ctx, actor, "review.reply", "review", id, i18n.M("record.audit.review_replied", "reply", text))
	})
}

// Hide takes a visible or held review off the product page (and out of its
// summary).
func (s *Service) Hide(ctx context.Context, actor string, id int64) error {
	return s.change(ctx, actor, id, []Status{StatusVisible, StatusPending, StatusUnchecked}, StatusHidden, "review.hide", "record.audit.review_hidden")
}

// Unhide shows a review the merchant hid again.
func (s *Service) Unhide(ctx context.Context, actor string, id int64) error {
	return s.change(ctx, actor, id, []Status{StatusHidden}, StatusVisible, "review.unhide", "record.audit.review_unhidden")
}

// Approve shows a held review (pending, or never checked because WeChat
// could not be reached) and its held follow-up: the merchant read them.
func (s *Service) Approve(ctx context.Context, actor string, id int64) error {
	return s.db.Tx(ctx, func(ctx context.Context) error {
		r, err := s.Get(ctx, id)
		if err != nil {
			return err
		}
		approved := false
		if contains(held, r.Status) {
			if err := s.move(ctx, id, held, StatusVisible, 0); err != nil {
				return err
			}
			approved = true
		}
		if contains(held, r.FollowUpStatus) {
			res := s.db.Conn(ctx).Model(&Review{}).Where("id = ? AND follow_up_status IN ?", id, held).
				Updates(map[string]any{"follow_up_status": StatusVisible, "updated_at": s.clock.Now()})
			if res.Error != nil {
				return res.Error
			}
			approved = approved || res.RowsAffected > 0
		}
		if !approved {
			return ErrWrongState
		}
		return s.audit.Record(ctx, actor, "review.approve", "review", id, i18n.M("record.audit.review_approved", "rating", r.Rating))
	})
}

func (s *Service) change(ctx context.Context, actor string, id int64, from []Status, to Status, action, detail string) error {
	return s.db.Tx(ctx, func(ctx context.Context) error {
		r, err := s.Get(ctx, id)
		if err != nil {
			return err
		}
		if err := s.move(ctx, id, from, to, 0); err != nil {
			return err
		}
		return s.audit.Record(ctx, actor, action, "review", id, i18n.M(detail, "rating", r.Rating))
	})
}
