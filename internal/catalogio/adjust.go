package catalogio

import (
	"context"
	"fmt"
	"strings"

	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/i18n"
	"github.com/kaidian/kaidian/internal/inventory"
)

// MaxReasonLen bounds the reason of a manual adjustment.
const MaxReasonLen = 200

// Adjust changes a SKU's available stock by delta (more: a delivery, units
// found; fewer: damaged, lost, a count came out lower) for the merchant's
// reason: one adjustment movement in the ledger under actor and one entry
// in the audit log, in one transaction. Taking away more than is available
// fails on the quantity field, saying how many are. It returns the stock
// after the change.
func (s *Service) Adjust(ctx context.Context, skuID, delta int64, reason, actor string) (int64, error) {
	reason = strings.TrimSpace(reason)
	switch {
	case delta == 0:
		return 0, errs.Field("quantity", "catalogio.quantity_zero")
	case delta > MaxStock || delta < -MaxStock:
		return 0, errs.Field("quantity", "catalogio.quantity_range", "max", MaxStock)
	case reason == "":
		return 0, errs.Field("reason", "catalogio.reason_required")
	case len([]rune(reason)) > MaxReasonLen || strings.ContainsFunc(reason, isControl):
		return 0, errs.Field("reason", "catalogio.reason_length", "max", MaxReasonLen)
	}
	var after int64
	err := s.db.Tx(ctx, func(ctx context.Context) error {
		k, err := s.StockOf(ctx, skuID, 0)
		if err != nil {
			return err
		}
		err = s.inventory.Adjust(ctx, skuID, delta, inventory.KindAdjust, i18n.Text(reason), inventory.Ref{}, actor)
		if errs.Is(err, inventory.ErrOutOfStock.Code) {
			now, err := s.StockOf(ctx, skuID, 0)
			if err != nil {
				return err
			}
			return errs.Field("quantity", "catalogio.stock_short", "stock", now.Stock)
		}
		if err != nil {
			return err
		}
		now, err := s.StockOf(ctx, skuID, 0)
		if err != nil {
			return err
		}
		after = now.Stock
		detail := i18n.M("record.audit.sku_stock", "sku", label(k.Code, k.SpecText), "from", after-delta, "to", after,
			"reason", i18n.Text(reason))
		return s.audit.Record(ctx, actor, "stock.adjust", "sku", skuID, detail)
	})
	if err != nil {
		return 0, fmt.Errorf("adjust stock of sku %d: %w", skuID, err)
	}
	return after, nil
}
