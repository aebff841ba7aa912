package review

import (
	"context"
	"fmt"
	"sort"

	"github.com/kaidian/kaidian/internal/database"
	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/order"
)

// Submit reviews lines of one of the shopper's orders, all or none. The
// order must be received (completed); another shopper's order, or a line
// that is not the order's, is not found; a line reviewed before is a
// conflict. Each text is checked by WeChat first, outside any transaction:
// a risky one refuses the whole request, and nothing is stored.
func (s *Service) Submit(ctx context.Context, shopperID int64, orderNo string, lines []LineInput) ([]Review, error) {
	if err := normalize(lines); err != nil {
		return nil, err
	}
	o, err := s.orders.GetLines(ctx, shopperID, orderNo)
	if err != nil {
		return nil, err
	}
	if o.Status != order.StatusCompleted {
		return nil, ErrNotReceived.With("status", string(o.Status))
	}
	items := map[int64]order.Item{}
	for _, it := range o.Items {
		items[it.ID] = it
	}
	for _, l := range lines {
		if _, ok := items[l.OrderItemID]; !ok {
			return nil, ErrLineNotFound.With("order_item_id", l.OrderItemID)
		}
	}
	for i, l := range lines {
		if err := s.ownPhotos(ctx, shopperID, fmt.Sprintf("reviews[%d].photos", i), l.Photos); err != nil {
			return nil, err
		}
	}
	if err := s.notReviewed(ctx, lines); err != nil {
		return nil, err
	}
	sh, err := s.customers.Get(ctx, shopperID)
	if err != nil {
		return nil, err
	}
	now := s.clock.Now()
	reviews := make([]Review, len(lines))
	down := false // once WeChat could not be reached, the other texts wait for the job too
	for i, l := range lines {
		it := items[l.OrderItemID]
		status, label := StatusUnchecked, 0
		if !down || l.Text == "" {
			if status, label, err = s.check(ctx, sh.OpenID, l.Text); err != nil {
				return nil, err
			}
			down = down || status == StatusUnchecked
		}
		reviews[i] = Review{OrderID: o.ID, OrderItemID: it.ID, ProductID: it.ProductID, SKUID: it.SKUID, Title: it.Title, SKUText: it.SpecText,
			ShopperID: shopperID, ShopperName: MaskName(sh.Nickname), Anonymous: l.Anonymous, Rating: l.Rating,
			Grade: gradeOf(l.Rating), Content: l.Text, Photos: database.JSON[[]string]{V: l.Photos}, HasPhotos: len(l.Photos) > 0,
			Status: status, CheckLabel: label, FollowUpPhotos: database.JSON[[]string]{V: []string{}}, CreatedAt: now, UpdatedAt: now}
	}
	err = s.db.Tx(ctx, func(ctx context.Context) error {
		if err := s.db.Conn(ctx).Create(&reviews).Error; err != nil {
			if database.IsDuplicate(err) {
				return ErrAlreadyReviewed
			}
			return err
		}
		return s.count(ctx, reviews, +1)
	})
	if err != nil {
		return nil, err
	}
	s.scheduleUnchecked(ctx, reviews)
	return reviews, nil
}

// notReviewed answers the conflict before WeChat is asked about texts that
// could not be stored anyway; the unique line id decides under concurrency.
func (s *Service) notReviewed(ctx context.Context, lines []LineInput) error {
	ids := make([]int64, len(lines))
	for i, l := range lines {
		ids[i] = l.OrderItemID
	}
	var taken []int64
	if err := s.db.Conn(ctx).Model(&Review{}).Where("order_item_id IN ?", ids).Pluck("order_item_id", &taken).Error; err != nil {
		return err
	}
	if len(taken) > 0 {
		return ErrAlreadyReviewed.With("order_item_id", taken[0])
	}
	return nil
}

// ownPhotos refuses photos the shopper did not upload; field is the
// request's path of the list.
func (s *Service) ownPhotos(ctx context.Context, shopperID int64, field string, urls []string) error {
	if len(urls) == 0 {
		return nil
	}
	if s.photos == nil {
		return errs.Field(field, "review.photo_url")
	}
	return s.photos.Owned(ctx, shopperID, field, urls)
}

// check asks WeChat about a text and says where the review starts: visible
// when it passed (or there is no text to check), pending when WeChat wants a
// person to look, unchecked when WeChat could not be asked; risky text is
// refused.
func (s *Service) check(ctx context.Context, openID, text string) (Status, int, error) {
	if text == "" {
		return StatusVisible, 0, nil
	}
	c, err := s.checker.CheckText(ctx, openID, text)
	if err != nil {
		// Never shown unchecked: held, and checked again by a job.
		return StatusUnchecked, 0, nil
	}
	switch c.Verdict {
	case VerdictPass:
		return StatusVisible, c.Label, nil
	case VerdictRisky:
		return "", c.Label, ErrRisky.With("label", c.Label)
	}
	return StatusPending, c.Label, nil
}

func (s *Service) scheduleUnchecked(ctx context.Context, reviews []Review) {
	var ids []int64
	for _, r := range reviews {
		if r.Status == StatusUnchecked || r.FollowUpStatus == StatusUnchecked {
			ids = append(ids, r.ID)
		}
	}
	if len(ids) > 0 {
		s.schedule(ctx, ids)
	}
}

// count adds (sign +1) or takes away (sign −1) the visible reviews among rs
// in their products' aggregates, in the caller's transaction. Products go
// in id order, so two transactions never wait on each other's rows in turn.
func (s *Service) count(ctx context.Context, rs []Review, sign int64) error {
	per := map[int64]*Summary{}
	for _, r := range rs {
		if r.Status != StatusVisible {
			continue
		}
		sum := per[r.ProductID]
		if sum == nil {
			sum = &Summary{}
			per[r.ProductID] = sum
		}
		sum.Count++
		sum.RatingSum += int64(r.Rating)
		if r.Grade == gradeGood {
			sum.Good++
		}
		if r.Grade == gradeBad {
			sum.Bad++
		}
		if r.HasPhotos {
			sum.WithPhotos++
		}
	}
	products := make([]int64, 0, len(per))
	for id := range per {
		products = append(products, id)
	}
	sort.Slice(products, func(i, j int) bool { return products[i] < products[j] })
	for _, id := range products {
		d := per[id]
		// Taking away is a plain update (the row exists: the review was
		// counted); adding inserts the product's row the first time. Both
		// engines check the row an upsert proposes, so it cannot carry negatives.
		var err error
		if sign < 0 {
			err = s.db.Conn(ctx).Exec(`UPDATE review_stats SET review_count = review_count - ?, rating_sum = rating_sum - ?,
				good_count = good_count - ?, bad_count = bad_count - ?, photo_count = photo_count - ? WHERE product_id = ?`,
				d.Count, d.RatingSum, d.Good, d.Bad, d.WithPhotos, id).Error
		} else {
			err = s.db.Conn(ctx).Exec(`INSERT INTO review_stats (product_id, review_count, rating_sum, good_count, bad_count, photo_count)
				VALUES (?, ?, ?, ?, ?, ?)
				ON CONFLICT (product_id) DO UPDATE SET review_count = review_stats.review_count + excluded.review_count,
					rating_sum = review_stats.rating_sum + excluded.rating_sum, good_count = review_stats.good_count + excluded.good_count,
					bad_count = review_stats.bad_count + excluded.bad_count, photo_count = review_stats.photo_count + excluded.photo_count`,
				id, d.Count, d.RatingSum, d.Good, d.Bad, d.WithPhotos).Error
		}
		if err != nil {
			return err
		}
	}
	return nil
}
