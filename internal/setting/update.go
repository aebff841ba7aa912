package setting

import (
	"context"
	"time"

	"github.com/kaidian/kaidian/internal/i18n"
)

// updateColumns writes cols to the shop's settings row and records in the
// audit log what changed (as diff says, from the settings before; nothing
// recorded when it says nothing changed), in one transaction, and returns
// the settings after. Each group of settings the console saves on its own
// form (after-sale, attribution) goes through it.
func (s *Service) updateColumns(ctx context.Context, actor string, cols map[string]any, diff func(before Shop) []i18n.Msg) (Shop, error) {
	var sh Shop
	err := s.db.Tx(ctx, func(ctx context.Context) error {
		before, err := s.Get(ctx)
		if err != nil {
			return err
		}
		cols["updated_at"] = time.Now().UTC()
		if err := s.db.Conn(ctx).Model(&Shop{}).Where("id = 1").Updates(cols).Error; err != nil {
			return err
		}
		if d := diff(before); len(d) > 0 {
			if err := s.audit.Record(ctx, actor, "settings.update", "settings", 1, i18n.M("record.audit.settings_updated", "changes", d)); err != nil {
				return err
			}
		}
		sh, err = s.Get(ctx)
		return err
	})
	return sh, err
}
