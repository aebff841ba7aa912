package catalog

import (
	"context"
	"fmt"

	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/i18n"
)

// MaxBulk is how many products one bulk action may touch: a page of the
// console's list, with room to spare.
const MaxBulk = 500

// SetShelf puts the products ids on shelf (on) or takes them off, in one
// transaction, recording each product that changed in the audit log under
// actor. Products already there, and unknown ids, are left alone; it
// returns how many changed.
func (s *Service) SetShelf(ctx context.Context, ids []int64, on bool, actor string) (int, error) {
	if len(ids) == 0 {
		return 0, errs.Field("ids", "catalog.select_products")
	}
	if len(ids) > MaxBulk {
		return 0, errs.Field("ids", "catalog.bulk_limit", "max", MaxBulk)
	}
	var changed []struct {
		ID    int64  `gorm:"column:id"`
		Title string `gorm:"column:title"`
	}
	err := s.db.Tx(ctx, func(ctx context.Context) error {
		// One guarded statement: only rows whose state really changes are
		// returned, so the audit log never claims a change that did not happen.
		err := s.db.Conn(ctx).Raw(`UPDATE products SET on_shelf = ?, updated_at = ?
			WHERE id IN ? AND on_shelf <> ? RETURNING id, title`, on, s.clock.Now(), ids, on).Scan(&changed).Error
		if err != nil {
			return err
		}
		for _, p := range changed {
			if err := s.audit.Record(ctx, actor, "product.shelf", "product", p.ID, shelfChange(p.Title, on)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("set shelf: %w", err)
	}
	return len(changed), nil
}

// shelfChange is the audit detail of product title going on or off shelf.
func shelfChange(title string, on bool) i18n.Msg {
	if on {
		return i18n.M("record.audit.product_on_shelf", "title", title)
	}
	return i18n.M("record.audit.product_off_shelf", "title", title)
}
