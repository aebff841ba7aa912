package flashsale

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/kaidian/kaidian/internal/database"
	"github.com/kaidian/kaidian/internal/i18n"
	"github.com/kaidian/kaidian/internal/inventory"
)

// These are the unit moves package order makes, inside its transactions.
// Every one changes the item's row with a guarded statement, so for one SKU
// of one sale the writers are serialised on that row; the order desk batches
// many shoppers into one transaction so the row is taken once per batch, not
// once per shopper.

// Hold is an item with its sale, as read inside the caller's transaction.
type Hold struct {
	Sale Sale
	Item Item
}

// LockItem reads a sale's item for skuID and holds its row to the end of the
// transaction, with the sale as committed now (an End that committed first
// is seen).
func (s *Service) LockItem(ctx context.Context, saleID, skuID int64) (Hold, error) {
	return s.Item(ctx, saleID, skuID, true)
}

// Item reads a sale's item for skuID with its sale, in one query, holding
// the item's row to the end of the transaction when lock is set.
func (s *Service) Item(ctx context.Context, saleID, skuID int64, lock bool) (Hold, error) {
	query := `SELECT i.id, i.flash_sale_id, i.sku_id, i.product_id, i.price, i.allotted, i.available, i.held, i.sold,
		       i.returned, i.sold_out_at, f.title, f.starts_at, f.ends_at, f.per_shopper_limit, f.pay_seconds, f.ended_at
		FROM flash_sale_items i JOIN flash_sales f ON f.id = i.flash_sale_id
		WHERE i.flash_sale_id = ? AND i.sku_id = ?`
	if lock {
		query += s.db.LockSQL("i")
	}
	var rows []struct {
		Item
		Title           string     `gorm:"column:title"`
		StartsAt        time.Time  `gorm:"column:starts_at"`
		EndsAt          time.Time  `gorm:"column:ends_at"`
		PerShopperLimit int        `gorm:"column:per_shopper_limit"`
		PaySeconds      int        `gorm:"column:pay_seconds"`
		EndedAt         *time.Time `gorm:"column:ended_at"`
	}
	if err := s.db.Conn(ctx).Raw(query, saleID, skuID).Scan(&rows).Error; err != nil {
		return Hold{}, err
	}
	if len(rows) == 0 {
		return Hold{}, ErrNotInSale.With("sku_id", skuID)
	}
	r := rows[0]
	return Hold{Item: r.Item, Sale: Sale{ID: saleID, Title: r.Title, StartsAt: r.StartsAt, EndsAt: r.EndsAt,
		PerShopperLimit: r.PerShopperLimit, PaySeconds: r.PaySeconds, EndedAt: r.EndedAt}}, nil
}

// Want is a shopper asking for units in a batch.
type Want struct {
	ShopperID int64
	Units     int
}

// Admit counts the units against each shopper's per-shopper limit with one
// guarded upsert and returns the shoppers admitted; the others already hold
// too many. wants must name each shopper once.
func (s *Service) Admit(ctx context.Context, sale Sale, wants []Want) (map[int64]bool, error) {
	if len(wants) == 0 {
		return nil, nil
	}
	// Sorted rows lock in the same order in every batch, so two SKUs'
	// batches of one sale never deadlock on the same shoppers.
	sort.Slice(wants, func(i, j int) bool { return wants[i].ShopperID < wants[j].ShopperID })
	var admitted []int64
	var err error
	if s.db.Dialect == database.Postgres {
		admitted, err = s.admitPostgres(ctx, sale, wants)
	} else {
		admitted, err = s.admitSQLite(ctx, sale, wants)
	}
	if err != nil {
		return nil, fmt.Errorf("flash sale: admit buyers: %w", err)
	}
	out := make(map[int64]bool, len(admitted))
	for _, id := range admitted {
		out[id] = true
	}
	return out, nil
}

// admitPostgres upserts the buyers from two arrays: one statement text
// whatever the number of shoppers, planned once per connection.
func (s *Service) admitPostgres(ctx context.Context, sale Sale, wants []Want) ([]int64, error) {
	shoppers, units := make([]int64, len(wants)), make([]int64, len(wants))
	for i, w := range wants {
		shoppers[i], units[i] = w.ShopperID, int64(w.Units)
	}
	return s.returningIDs(ctx, `INSERT INTO flash_sale_buyers AS b (flash_sale_id, shopper_id, units)
		SELECT ?, w.shopper_id, w.units FROM unnest(?::bigint[], ?::bigint[]) AS w(shopper_id, units) ORDER BY w.shopper_id
		ON CONFLICT (flash_sale_id, shopper_id) DO UPDATE SET units = b.units + excluded.units
		WHERE b.units + excluded.units <= ? RETURNING b.shopper_id`,
		sale.ID, database.Array(shoppers), database.Array(units), sale.PerShopperLimit)
}

// admitSQLite upserts the buyers with multi-row VALUES, in statements of at
// most admitRows rows (three parameters each).
func (s *Service) admitSQLite(ctx context.Context, sale Sale, wants []Want) ([]int64, error) {
	const admitRows = 5000
	var admitted []int64
	for len(wants) > 0 {
		part := wants[:min(len(wants), admitRows)]
		wants = wants[len(part):]
		values := strings.TrimSuffix(strings.Repeat("(?, ?, ?),", len(part)), ",")
		args := make([]any, 0, 3*len(part)+1)
		for _, w := range part {
			args = append(args, sale.ID, w.ShopperID, w.Units)
		}
		args = append(args, sale.PerShopperLimit)
		ids, err := s.returningIDs(ctx, `INSERT INTO flash_sale_buyers (flash_sale_id, shopper_id, units) VALUES `+values+`
			ON CONFLICT (flash_sale_id, shopper_id) DO UPDATE SET units = flash_sale_buyers.units + excluded.units
			WHERE flash_sale_buyers.units + excluded.units <= ? RETURNING shopper_id`, args...)
		if err != nil {
			return nil, err
		}
		admitted = append(admitted, ids...)
	}
	return admitted, nil
}

// returningIDs runs a statement that returns one id per row.
func (s *Service) returningIDs(ctx context.Context, query string, args ...any) ([]int64, error) {
	rows, err := s.db.Conn(ctx).Raw(query, args...).Rows()
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// ErrTakenMeanwhile reports that an item no longer has the units a caller
// read: another transaction took them in between.
var ErrTakenMeanwhile = errors.New("flash sale: units taken meanwhile")

// Take moves units from available to held with one guarded update, noting
// when the item first sold out, and reports the units left. Fewer available
// than asked fails with ErrTakenMeanwhile and changes nothing.
func (s *Service) Take(ctx context.Context, itemID, units int64) (left int64, err error) {
	var after []int64
	err = s.db.Conn(ctx).Raw(`UPDATE flash_sale_items SET available = available - ?, held = held + ?,
		sold_out_at = CASE WHEN available = ? AND sold_out_at IS NULL THEN ? ELSE sold_out_at END
		WHERE id = ? AND available >= ? RETURNING available`, units, units, units, s.clock.Now(), itemID, units).Scan(&after).Error
	if err != nil {
		return 0, fmt.Errorf("flash sale: take units: %w", err)
	}
	if len(after) == 0 {
		return 0, ErrTakenMeanwhile
	}
	return after[0], nil
}

// Unit names the units of one flash order.
type Unit struct {
	SaleID, SKUID, ShopperID int64
	Quantity                 int64
	Ref                      inventory.Ref // the order
}

// Release gives back the units of an unpaid order that closed, and the
// shopper's share of the limit: to the sale while it has not ended (they can
// be bought again at once, onSale=true), else straight to the SKU's stock
// through the ledger.
func (s *Service) Release(ctx context.Context, u Unit, actor string, reason i18n.Msg) (onSale bool, err error) {
	h, err := s.LockItem(ctx, u.SaleID, u.SKUID)
	if err != nil {
		return false, err
	}
	onSale = h.Sale.EndedAt == nil
	set := map[string]any{"held": database.Expr("held - ?", u.Quantity)}
	if onSale {
		set["available"] = database.Expr("available + ?", u.Quantity)
	} else {
		set["returned"] = database.Expr("returned + ?", u.Quantity)
	}
	if err := s.db.Conn(ctx).Model(&Item{}).Where("id = ? AND held >= ?", h.Item.ID, u.Quantity).Updates(set).Error; err != nil {
		return false, fmt.Errorf("flash sale: release units: %w", err)
	}
	if err := s.db.Conn(ctx).Model(&buyer{}).Where("flash_sale_id = ? AND shopper_id = ? AND units >= ?", u.SaleID, u.ShopperID, u.Quantity).
		Update("units", database.Expr("units - ?", u.Quantity)).Error; err != nil {
		return false, fmt.Errorf("flash sale: release buyer: %w", err)
	}
	if !onSale {
		line := []inventory.Line{{SKUID: u.SKUID, Quantity: u.Quantity}}
		if err := s.inventory.Return(ctx, line, u.Ref, actor, i18n.M("record.stock.after_flash_sale", "reason", reason)); err != nil {
			return false, err
		}
	}
	if onSale {
		s.views.Delete(u.SaleID) // this replica shows the units at once
	}
	return onSale, nil
}

// Sell turns an order's held units into sold ones (it was paid), on the sale
// and on the SKU's sold count.
func (s *Service) Sell(ctx context.Context, u Unit, actor string) error {
	h, err := s.LockItem(ctx, u.SaleID, u.SKUID)
	if err != nil {
		return err
	}
	res := s.db.Conn(ctx).Model(&Item{}).Where("id = ? AND held >= ?", h.Item.ID, u.Quantity).
		Updates(map[string]any{"held": database.Expr("held - ?", u.Quantity), "sold": database.Expr("sold + ?", u.Quantity)})
	if res.Error != nil {
		return fmt.Errorf("flash sale: sell units: %w", res.Error)
	}
	if res.RowsAffected != 1 {
		return fmt.Errorf("flash sale item %d: fewer than %d units held", h.Item.ID, u.Quantity)
	}
	return s.inventory.SellAllotted(ctx, []inventory.Line{{SKUID: u.SKUID, Quantity: u.Quantity}}, u.Ref, actor)
}

// Readmit counts an order that closed (giving its share of the per-shopper
// limit back) and was then paid against the limit again, with the same
// guarded upsert as buying. Paying does not lift the limit: when the
// shopper's other orders hold it by now the answer is ErrLimitReached, and
// the caller refunds the payment instead of reviving the order.
func (s *Service) Readmit(ctx context.Context, u Unit) error {
	h, err := s.LockItem(ctx, u.SaleID, u.SKUID)
	if err != nil {
		return err
	}
	admitted, err := s.Admit(ctx, h.Sale, []Want{{ShopperID: u.ShopperID, Units: int(u.Quantity)}})
	if err != nil {
		return err
	}
	if !admitted[u.ShopperID] {
		return ErrLimitReached.With("per_shopper_limit", h.Sale.PerShopperLimit)
	}
	return nil
}

// Retake holds units again for an order that closed and was then paid: from
// the sale if it is still running and has them (ErrSoldOut or ErrEnded
// otherwise, for the caller to try the SKU's stock). The shopper's share of
// the limit is counted by Readmit, before, whichever the units come from.
func (s *Service) Retake(ctx context.Context, u Unit) error {
	h, err := s.LockItem(ctx, u.SaleID, u.SKUID)
	if err != nil {
		return err
	}
	switch {
	case h.Sale.EndedAt != nil:
		return ErrEnded
	case h.Item.Available < u.Quantity:
		return ErrSoldOut
	}
	_, err = s.Take(ctx, h.Item.ID, u.Quantity)
	return err
}

// Available reads the units an item has left right now (a read, for a
// replica that answered sold out to check whether units came back).
func (s *Service) Available(ctx context.Context, saleID, skuID int64) (int64, error) {
	var n []int64
	err := s.db.Conn(ctx).Model(&Item{}).Where("flash_sale_id = ? AND sku_id = ?", saleID, skuID).Pluck("available", &n).Error
	if err != nil || len(n) == 0 {
		return 0, err
	}
	return n[0], nil
}

type buyer struct {
	FlashSaleID int64 `gorm:"column:flash_sale_id"`
	ShopperID   int64 `gorm:"column:shopper_id"`
	Units       int   `gorm:"column:units"`
}

func (buyer) TableName() string { return "flash_sale_buyers" }
