// Package inventory moves SKU stock, always through the ledger: every change
// to skus.stock is one guarded statement plus one inventory_movements row, in
// the caller's transaction, so stock never goes below zero under any
// concurrency and the ledger always sums to the stock.
package inventory

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/kaidian/kaidian/internal/clock"
	"github.com/kaidian/kaidian/internal/database"
	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/i18n"
	"github.com/kaidian/kaidian/internal/page"
)

// Kind says why stock moved.
type Kind string

// Movement kinds.
const (
	KindReceive Kind = "receive" // new stock arrived (initial stock, restocking from a supplier)
	KindAdjust  Kind = "adjust"  // manual correction by a merchant, with a reason
	KindReserve Kind = "reserve" // held by an unpaid order
	KindRelease Kind = "release" // an unpaid order closed; its hold returns
	KindSell    Kind = "sell"    // an order was paid; its hold becomes a sale (stock unchanged)
	KindRestock Kind = "restock" // refunded goods returned to stock
	KindAllot   Kind = "allot"   // units carved out for a flash sale (the sale holds them)
	KindReturn  Kind = "return"  // a flash sale's unsold units came back
)

// ErrOutOfStock is returned when a SKU has fewer units than asked; its details name the SKU.
var ErrOutOfStock = errs.Conflict("out_of_stock", "inventory.out_of_stock")

// Movement is one ledger row.
type Movement struct {
	ID         int64     `gorm:"column:id;primaryKey"`
	SKUID      int64     `gorm:"column:sku_id"`
	Kind       Kind      `gorm:"column:kind"`
	Quantity   int64     `gorm:"column:quantity"` // signed change to available stock
	StockAfter int64     `gorm:"column:stock_after"`
	Reason     i18n.Msg  `gorm:"column:reason"` // typed by staff (i18n.Text) or a catalog message
	RefType    string    `gorm:"column:ref_type"`
	RefID      string    `gorm:"column:ref_id"`
	Actor      string    `gorm:"column:actor"`
	CreatedAt  time.Time `gorm:"column:created_at"`
}

// TableName maps Movement to the ledger table.
func (Movement) TableName() string { return "inventory_movements" }

// Line is a quantity of one SKU.
type Line struct {
	SKUID    int64
	Quantity int64
}

// Ref names what caused a movement, e.g. {"order", "2611221234567890"}.
type Ref struct {
	Type, ID string
}

// Service moves stock.
type Service struct {
	db    *database.DB
	clock *clock.Clock
}

// New builds the service.
func New(db *database.DB, clk *clock.Clock) *Service {
	return &Service{db: db, clock: clk}
}

// Reserve holds stock for every line, all or nothing: if any SKU lacks stock
// the whole call fails with ErrOutOfStock naming it, and (the caller's
// transaction rolling back) nothing is held.
func (s *Service) Reserve(ctx context.Context, lines []Line, ref Ref, actor string) error {
	return s.apply(ctx, lines, guarded{
		kind: KindReserve, set: "stock = stock - ?, reserved = reserved + ?", guard: "stock >= ?", sign: -1,
		short: outOfStock,
	}, i18n.Msg{}, ref, actor)
}

// Release returns held stock for every line (an unpaid order closed).
func (s *Service) Release(ctx context.Context, lines []Line, ref Ref, actor string, reason i18n.Msg) error {
	return s.apply(ctx, lines, guarded{
		kind: KindRelease, set: "stock = stock + ?, reserved = reserved - ?", guard: "reserved >= ?", sign: 1,
	}, reason, ref, actor)
}

// Sell turns held stock into sold stock for every line (an order was paid).
// Available stock does not change, so each line's movement has quantity 0;
// it is still written so the ledger tells the whole story of the units.
func (s *Service) Sell(ctx context.Context, lines []Line, ref Ref, actor string) error {
	return s.apply(ctx, lines, guarded{
		kind: KindSell, set: "reserved = reserved - ?, sold = sold + ?", guard: "reserved >= ?", sign: 0,
	}, i18n.M("record.stock.paid"), ref, actor)
}

// Restock puts sold units back on sale (refunded goods came back or were
// never sent). Sold units are the guard: a line can only return what was sold.
func (s *Service) Restock(ctx context.Context, lines []Line, ref Ref, actor string, reason i18n.Msg) error {
	return s.apply(ctx, lines, guarded{
		kind: KindRestock, set: "stock = stock + ?, sold = sold - ?", guard: "sold >= ?", sign: 1,
	}, reason, ref, actor)
}

// Allot carves units out of available stock for a flash sale, all or
// nothing; from then on the sale accounts for them (package flashsale).
func (s *Service) Allot(ctx context.Context, lines []Line, ref Ref, actor string) error {
	return s.apply(ctx, lines, guarded{
		kind: KindAllot, set: "stock = stock - ?", guard: "stock >= ?", sign: -1,
		short: outOfStock,
	}, i18n.M("record.stock.flash_sale"), ref, actor)
}

// Return puts a flash sale's unsold units back into available stock.
func (s *Service) Return(ctx context.Context, lines []Line, ref Ref, actor string, reason i18n.Msg) error {
	return s.apply(ctx, lines, guarded{
		kind: KindReturn, set: "stock = stock + ?", guard: "? > 0", sign: 1,
	}, reason, ref, actor)
}

// SellAllotted counts units a flash sale sold as sold for their SKUs. The
// sale held them, not skus.reserved, so available stock does not change;
// the movement (quantity 0) keeps the SKU's story whole.
func (s *Service) SellAllotted(ctx context.Context, lines []Line, ref Ref, actor string) error {
	return s.apply(ctx, lines, guarded{
		kind: KindSell, set: "sold = sold + ?", guard: "? > 0", sign: 0,
	}, i18n.M("record.stock.paid_flash_sale"), ref, actor)
}

// outOfStock names the SKU short of stock, and says how many are left (a
// message value, not a detail: the contract's details stay as they were).
func outOfStock(l Line, stock int64) error {
	return ErrOutOfStock.With("sku_id", l.SKUID).Arg("available", stock)
}

// guarded describes one kind of stock move: the column changes (each
// placeholder is the line's quantity), the guard that must hold, the sign
// of the change to available stock, and the error when the guard fails
// (nil: a bug, since holds are always released or sold in full).
type guarded struct {
	kind       Kind
	set, guard string
	sign       int64
	short      func(l Line, stock int64) error // stock: what the SKU has now
}

// apply moves every line with one guarded statement each, its returned row
// checked (none means the guard failed), taking SKUs in id order so two
// orders for the same SKUs never deadlock, and records each movement.
func (s *Service) apply(ctx context.Context, lines []Line, g guarded, reason i18n.Msg, ref Ref, actor string) error {
	lines = merged(lines)
	return s.db.Tx(ctx, func(ctx context.Context) error {
		// Each line's guarded update is its own statement (its row count
		// and stock are checked one by one); their movements go in together,
		// one multi-row insert.
		moves := make([]Movement, 0, len(lines))
		for _, l := range lines {
			var after []int64
			args := make([]any, 0, 5)
			for range strings.Count(g.set, "?") {
				args = append(args, l.Quantity)
			}
			args = append(args, s.clock.Now(), l.SKUID, l.Quantity)
			err := s.db.Conn(ctx).Raw(
				"UPDATE skus SET "+g.set+", updated_at = ? WHERE id = ? AND "+g.guard+" RETURNING stock",
				args...).Scan(&after).Error
			if err != nil {
				return fmt.Errorf("%s sku %d: %w", g.kind, l.SKUID, err)
			}
			if len(after) == 0 {
				if g.short != nil {
					var stock int64
					err := s.db.Conn(ctx).Raw("SELECT stock FROM skus WHERE id = ?", l.SKUID).Scan(&stock).Error
					if err != nil {
						return fmt.Errorf("%s sku %d: read stock: %w", g.kind, l.SKUID, err)
					}
					return g.short(l, stock)
				}
				return fmt.Errorf("%s sku %d: fewer than %d units held", g.kind, l.SKUID, l.Quantity)
			}
			moves = append(moves, s.movement(l.SKUID, g.kind, g.sign*l.Quantity, after[0], reason, ref, actor))
		}
		if len(moves) == 0 {
			return nil
		}
		if err := s.db.Conn(ctx).Create(&moves).Error; err != nil {
			return fmt.Errorf("record movements: %w", err)
		}
		return nil
	})
}

// Adjust changes available stock by delta (positive or negative) outside any
// order: initial stock, deliveries, counting corrections. A negative delta
// larger than the stock fails with ErrOutOfStock.
func (s *Service) Adjust(ctx context.Context, skuID, delta int64, kind Kind, reason i18n.Msg, ref Ref, actor string) error {
	if kind != KindReceive && kind != KindAdjust {
		return fmt.Errorf("adjust: kind %q is not a manual movement", kind)
	}
	if delta == 0 {
		return errs.Field("quantity", "inventory.quantity_zero")
	}
	return s.db.Tx(ctx, func(ctx context.Context) error {
		var after []int64
		err := s.db.Conn(ctx).Raw(
			`UPDATE skus SET stock = stock + ?, updated_at = ? WHERE id = ? AND stock + ? >= 0 RETURNING stock`,
			delta, s.clock.Now(), skuID, delta).Scan(&after).Error
		if err != nil {
			return fmt.Errorf("adjust sku %d: %w", skuID, err)
		}
		if len(after) == 0 {
			return ErrOutOfStock.With("sku_id", skuID)
		}
		return s.record(ctx, skuID, kind, delta, after[0], reason, ref, actor)
	})
}

func (s *Service) movement(skuID int64, kind Kind, qty, after int64, reason i18n.Msg, ref Ref, actor string) Movement {
	return Movement{SKUID: skuID, Kind: kind, Quantity: qty, StockAfter: after, Reason: reason,
		RefType: ref.Type, RefID: ref.ID, Actor: actor, CreatedAt: s.clock.Now()}
}

func (s *Service) record(ctx context.Context, skuID int64, kind Kind, qty, after int64, reason i18n.Msg, ref Ref, actor string) error {
	m := s.movement(skuID, kind, qty, after, reason, ref, actor)
	if err := s.db.Conn(ctx).Create(&m).Error; err != nil {
		return fmt.Errorf("record movement: %w", err)
	}
	return nil
}

// Movements lists a SKU's ledger, oldest first.
func (s *Service) Movements(ctx context.Context, skuID int64) ([]Movement, error) {
	var ms []Movement
	err := s.db.Conn(ctx).Where("sku_id = ?", skuID).Order("id").Find(&ms).Error
	return ms, err
}

// MovementsPage returns a page of a SKU's ledger, newest first, and the
// cursor of the next page.
func (s *Service) MovementsPage(ctx context.Context, skuID int64, r page.Request) ([]Movement, string, error) {
	if r.Limit <= 0 {
		r.Limit = page.DefaultLimit
	}
	db := s.db.Conn(ctx).Where("sku_id = ?", skuID)
	if r.After > 0 {
		db = db.Where("id < ?", r.After)
	}
	var ms []Movement
	if err := db.Order("id DESC").Limit(r.Limit + 1).Find(&ms).Error; err != nil {
		return nil, "", fmt.Errorf("ledger of sku %d: %w", skuID, err)
	}
	ms, next := page.Trim(ms, r, func(m Movement) int64 { return m.ID })
	return ms, next, nil
}

// merged sums lines per SKU and sorts them by SKU id (the lock order).
func merged(lines []Line) []Line {
	sum := map[int64]int64{}
	for _, l := range lines {
		sum[l.SKUID] += l.Quantity
	}
	out := make([]Line, 0, len(sum))
	for id, q := range sum {
		out = append(out, Line{SKUID: id, Quantity: q})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].SKUID < out[j].SKUID })
	return out
}
