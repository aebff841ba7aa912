package order

import (
	"context"
	"time"

	"github.com/kaidian/kaidian/internal/database"
	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/i18n"
)

// ReasonAutoCompleted is the history entry of an order completed because
// the shopper never confirmed receipt.
var ReasonAutoCompleted = i18n.M("record.aftersale.completed_automatically")

// DueForCompletion lists the numbers of shipped orders that shipped at or
// before cutoff, oldest first, for the auto-complete sweep.
func (s *Service) DueForCompletion(ctx context.Context, cutoff time.Time, limit int) ([]string, error) {
	var nos []string
	err := s.db.Conn(ctx).Model(&Order{}).Where("status = ? AND shipped_at <= ?", StatusShipped, cutoff).
		Order("shipped_at").Limit(limit).Pluck("order_no", &nos).Error
	return nos, err
}

// AutoComplete completes a shipped order that shipped at or before cutoff,
// as the shopper would by confirming receipt. Like Expire it is safe to run
// any number of times on any replica: the move is one guarded statement
// (still shipped, shipped long enough ago), so an order the shopper
// confirmed meanwhile, or another replica completed, is left alone and
// reported as not completed.
func (s *Service) AutoComplete(ctx context.Context, orderNo string, cutoff time.Time) (bool, error) {
	done := false
	err := s.db.Tx(ctx, func(ctx context.Context) error {
		var o Order
		err := s.db.Conn(ctx).Where("order_no = ?", orderNo).Take(&o).Error
		if database.IsNotFound(err) {
			return nil
		}
		if err != nil {
			return err
		}
		if o.Status != StatusShipped || o.ShippedAt == nil || o.ShippedAt.After(cutoff) {
			return nil
		}
		err = s.move(ctx, &o, StatusCompleted, ActorSystem, ReasonAutoCompleted)
		if err == nil {
			done = true
		} else if errs.Is(err, ErrInvalidTransition.Code) {
			err = nil // someone else got there first
		}
		return err
	})
	return done, err
}
