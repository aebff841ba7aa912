package setting

import (
	"context"
	"time"

	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/i18n"
)

// DefaultCommissionSettleDays is the after-sale window of commission when
// the shop has not set one: a week after completion, as WeChat's own shops
// allow returns for seven days.
const DefaultCommissionSettleDays = 7

// commissionRow is the settings row's commission column, read on its own
// so the rest of the settings keep their shape.
type commissionRow struct {
	SettleDays int `gorm:"column:commission_settle_days"`
}

func (commissionRow) TableName() string { return "shop_settings" }

// CommissionSettleDays is how many days after an order completes its
// commission settles (within them a refund reverses it).
func (s *Service) CommissionSettleDays(ctx context.Context) (int, error) {
	var r commissionRow
	err := s.db.Conn(ctx).Select("commission_settle_days").Where("id = 1").Take(&r).Error
	return r.SettleDays, err
}

// UpdateCommissionSettleDays sets that window, 0 to 90 days, audited
// under actor when it changes.
func (s *Service) UpdateCommissionSettleDays(ctx context.Context, actor string, days int) error {
	if days < 0 || days > 90 {
		return errs.Field("commission_settle_days", "invalid.range", "min", 0, "max", 90)
	}
	return s.db.Tx(ctx, func(ctx context.Context) error {
		before, err := s.CommissionSettleDays(ctx)
		if err != nil || before == days {
			return err
		}
		if err := s.db.Conn(ctx).Model(&commissionRow{}).Where("id = 1").
			Updates(map[string]any{"commission_settle_days": days, "updated_at": time.Now().UTC()}).Error; err != nil {
			return err
		}
		return s.audit.Record(ctx, actor, "settings.update", "settings", 1, i18n.M("record.audit.settings_updated",
			"changes", []i18n.Msg{i18n.M("record.audit.settings_commission_days", "from", before, "to", days)}))
	})
}
