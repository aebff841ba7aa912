package review

import (
	"context"

	"github.com/kaidian/kaidian/internal/database"
)

// FollowUp adds the shopper's one follow-up (追评) to their review, within
// FollowUpWithin of the review. The review is looked up with the order and
// the shopper, so anyone else's is not found. Its text is checked as a
// review's is; a risky one stores nothing.
func (s *Service) FollowUp(ctx context.Context, shopperID int64, orderNo string, reviewID int64, in FollowUpInput) (Review, error) {
	if err := in.normalize(); err != nil {
		return Review{}, err
	}
	o, err := s.orders.GetLines(ctx, shopperID, orderNo)
	if err != nil {
		return Review{}, err
	}
	r, err := s.mine(ctx, shopperID, o.ID, reviewID)
	if err != nil {
		return Review{}, err
	}
	now := s.clock.Now()
	switch {
	case r.FollowUpStatus != "":
		return Review{}, ErrFollowedUp
	case r.Status == StatusRejected:
		return Review{}, ErrNotShown
	case now.Sub(r.CreatedAt) > FollowUpWithin:
		return Review{}, ErrFollowUpClosed.With("closed_at", r.CreatedAt.Add(FollowUpWithin))
	}
	if err := s.ownPhotos(ctx, shopperID, "photos", in.Photos); err != nil {
		return Review{}, err
	}
	sh, err := s.customers.Get(ctx, shopperID)
	if err != nil {
		return Review{}, err
	}
	status, _, err := s.check(ctx, sh.OpenID, in.Text)
	if err != nil {
		return Review{}, err
	}
	// Guarded by the empty follow-up status: of two at once, one writes.
	res := s.db.Conn(ctx).Model(&Review{}).Where("id = ? AND follow_up_status = ''", r.ID).Updates(map[string]any{
		"follow_up_content": in.Text, "follow_up_photos": database.JSON[[]string]{V: in.Photos},
		"follow_up_status": status, "follow_up_at": now, "updated_at": now})
	if res.Error != nil {
		return Review{}, res.Error
	}
	if res.RowsAffected == 0 {
		return Review{}, ErrFollowedUp
	}
	r.FollowUpContent, r.FollowUpPhotos, r.FollowUpStatus, r.FollowUpAt, r.UpdatedAt =
		in.Text, database.JSON[[]string]{V: in.Photos}, status, &now, now
	s.scheduleUnchecked(ctx, []Review{r})
	return r, nil
}

// mine finds one of the shopper's reviews on an order.
func (s *Service) mine(ctx context.Context, shopperID, orderID, reviewID int64) (Review, error) {
	var r Review
	err := s.db.Conn(ctx).Where("id = ? AND order_id = ? AND shopper_id = ?", reviewID, orderID, shopperID).Take(&r).Error
	if database.IsNotFound(err) {
		return Review{}, ErrNotFound
	}
	return r, err
}

// OfOrder is the shopper's reviews of one of their orders, by line.
func (s *Service) OfOrder(ctx context.Context, shopperID int64, orderNo string) ([]Review, error) {
	o, err := s.orders.GetLines(ctx, shopperID, orderNo)
	if err != nil {
		return nil, err
	}
	var rs []Review
	err = s.db.Conn(ctx).Where("order_id = ? AND shopper_id = ?", o.ID, shopperID).Order("order_item_id").Find(&rs).Error
	return rs, err
}
