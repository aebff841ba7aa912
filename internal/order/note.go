package order

import (
	"context"

	"github.com/kaidian/kaidian/internal/i18n"
)

// Note adds an entry to an order's history without moving it (an
// after-sale step, a parcel's news), in the caller's transaction.
func (s *Service) Note(ctx context.Context, orderID int64, actor string, note i18n.Msg) error {
	var o Order
	if err := s.db.Conn(ctx).Select("id, status").Where("id = ?", orderID).Take(&o).Error; err != nil {
		return err
	}
	return s.logTransition(ctx, o.ID, o.Status, o.Status, actor, note)
}
