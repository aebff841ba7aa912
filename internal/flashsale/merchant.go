package flashsale

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"time"

	"github.com/kaidian/kaidian/internal/database"
	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/i18n"
	"github.com/kaidian/kaidian/internal/inventory"
	"github.com/kaidian/kaidian/internal/money"
	"github.com/kaidian/kaidian/internal/page"
)

// Create schedules a sale and carves its units out of the SKUs' stock
// through the ledger, all in one transaction: a SKU short of stock fails the
// whole sale with out_of_stock naming it.
func (s *Service) Create(ctx context.Context, actor string, in Input) (Sale, error) {
	in = in.normalized()
	if err := in.validate(); err != nil {
		return Sale{}, err
	}
	now := s.clock.Now()
	if !in.EndsAt.After(now) {
		return Sale{}, errs.Field("ends_at", "invalid.future")
	}
	sale := Sale{Title: in.Title, StartsAt: in.StartsAt, EndsAt: in.EndsAt, PerShopperLimit: in.PerShopperLimit,
		PaySeconds: int(in.PayWindow / time.Second), CreatedBy: actor, CreatedAt: now, UpdatedAt: now}
	err := s.db.Tx(ctx, func(ctx context.Context) error {
		if err := s.db.Conn(ctx).Create(&sale).Error; err != nil {
			return fmt.Errorf("flash sale: create: %w", err)
		}
		items, err := s.addItems(ctx, sale.ID, in.Items, actor)
		if err != nil {
			return err
		}
		sale.Items = items
		return s.audit.Record(ctx, actor, "flash_sale.create", "flash_sale", sale.ID, describe(sale))
	})
	if err != nil {
		return Sale{}, err
	}
	return sale, nil
}

// addItems inserts the sale's SKUs and allots their units.
func (s *Service) addItems(ctx context.Context, saleID int64, in []ItemInput, actor string) ([]Item, error) {
	if len(in) == 0 {
		return nil, nil
	}
	ids := make([]int64, len(in))
	for i, it := range in {
		ids[i] = it.SKUID
	}
	skus, err := s.catalog.Sellables(ctx, ids)
	if err != nil {
		return nil, err
	}
	items := make([]Item, len(in))
	lines := make([]inventory.Line, len(in))
	for i, it := range in {
		k, ok := skus[it.SKUID]
		if !ok {
			return nil, errs.Field(fmt.Sprintf("items[%d].sku_id", i), "flashsale.no_such_sku")
		}
		items[i] = Item{FlashSaleID: saleID, SKUID: it.SKUID, ProductID: k.ProductID, Price: it.Price,
			Allotted: it.Units, Available: it.Units}
		lines[i] = inventory.Line{SKUID: it.SKUID, Quantity: it.Units}
	}
	if err := s.db.Conn(ctx).Create(&items).Error; err != nil {
		return nil, fmt.Errorf("flash sale: add items: %w", err)
	}
	return items, s.inventory.Allot(ctx, lines, saleRef(saleID), actor)
}

// Update edits a sale that has not started: everything may change, and the
// units allotted per SKU follow the edit through the ledger (more taken from
// stock, or the difference given back). Once it starts, only End remains.
func (s *Service) Update(ctx context.Context, actor string, id int64, in Input) (Sale, error) {
	in = in.normalized()
	if err := in.validate(); err != nil {
		return Sale{}, err
	}
	var sale Sale
	err := s.db.Tx(ctx, func(ctx context.Context) error {
		var err error
		if sale, err = s.lock(ctx, id); err != nil {
			return err
		}
		if sale.PhaseAt(s.clock.Now()) != PhaseUpcoming {
			return ErrStarted
		}
		if !in.StartsAt.After(s.clock.Now().Add(-time.Minute)) {
			return errs.Field("starts_at", "flashsale.start_past")
		}
		if err := s.reallot(ctx, sale, in.Items, actor); err != nil {
			return err
		}
		sale.Title, sale.StartsAt, sale.EndsAt = in.Title, in.StartsAt, in.EndsAt
		sale.PerShopperLimit, sale.PaySeconds = in.PerShopperLimit, int(in.PayWindow/time.Second)
		sale.UpdatedAt = s.clock.Now()
		if err := s.db.Conn(ctx).Model(&Sale{}).Where("id = ?", id).Select("title", "starts_at", "ends_at",
			"per_shopper_limit", "pay_seconds", "updated_at").Updates(&sale).Error; err != nil {
			return fmt.Errorf("flash sale: update: %w", err)
		}
		if sale.Items, err = s.items(ctx, id); err != nil {
			return err
		}
		return s.audit.Record(ctx, actor, "flash_sale.update", "flash_sale", id, describe(sale))
	})
	if err != nil {
		return Sale{}, err
	}
	s.forget(id)
	return sale, nil
}

// reallot makes the sale's items match the edit before the start, when no
// unit can be held or sold yet: changed counts move the difference through
// the ledger, dropped SKUs give all their units back.
func (s *Service) reallot(ctx context.Context, sale Sale, want []ItemInput, actor string) error {
	have, err := s.items(ctx, sale.ID)
	if err != nil {
		return err
	}
	byS := map[int64]Item{}
	for _, it := range have {
		byS[it.SKUID] = it
	}
	var added []ItemInput
	var more, back []inventory.Line
	for _, w := range want {
		old, ok := byS[w.SKUID]
		delete(byS, w.SKUID)
		if !ok {
			added = append(added, w)
			continue
		}
		switch d := w.Units - old.Allotted; {
		case d > 0:
			more = append(more, inventory.Line{SKUID: w.SKUID, Quantity: d})
		case d < 0:
			back = append(back, inventory.Line{SKUID: w.SKUID, Quantity: -d})
		}
		if err := s.db.Conn(ctx).Model(&Item{}).Where("id = ?", old.ID).
			Updates(map[string]any{"price": w.Price, "allotted": w.Units, "available": w.Units}).Error; err != nil {
			return fmt.Errorf("flash sale: update item: %w", err)
		}
	}
	for _, gone := range byS {
		back = append(back, inventory.Line{SKUID: gone.SKUID, Quantity: gone.Allotted})
		if err := s.db.Conn(ctx).Delete(&Item{}, gone.ID).Error; err != nil {
			return fmt.Errorf("flash sale: drop item: %w", err)
		}
	}
	if len(more) > 0 {
		if err := s.inventory.Allot(ctx, more, saleRef(sale.ID), actor); err != nil {
			return err
		}
	}
	if len(back) > 0 {
		if err := s.inventory.Return(ctx, back, saleRef(sale.ID), actor, i18n.M("record.stock.flash_sale_edited")); err != nil {
			return err
		}
	}
	_, err = s.addItems(ctx, sale.ID, added, actor)
	return err
}

// End finishes a sale now (the merchant stops it early, or the sweep finds
// it past its end time): units still available go back to the SKUs' stock
// through the ledger. Units held by unpaid orders stay with those orders; if
// they close later, their units go straight back to stock. Ending twice, or
// on two replicas at once, changes nothing the second time.
func (s *Service) End(ctx context.Context, actor string, id int64) (Sale, error) {
	var sale Sale
	ended := false
	err := s.db.Tx(ctx, func(ctx context.Context) error {
		var err error
		if sale, err = s.lock(ctx, id); err != nil || sale.EndedAt != nil {
			return err
		}
		now := s.clock.Now()
		items, err := s.lockItems(ctx, id)
		if err != nil {
			return err
		}
		var back []inventory.Line
		for _, it := range items {
			if it.Available == 0 {
				continue
			}
			back = append(back, inventory.Line{SKUID: it.SKUID, Quantity: it.Available})
			if err := s.db.Conn(ctx).Model(&Item{}).Where("id = ?", it.ID).Updates(map[string]any{
				"available": 0, "returned": database.Expr("returned + ?", it.Available)}).Error; err != nil {
				return fmt.Errorf("flash sale: return units: %w", err)
			}
		}
		if len(back) > 0 {
			if err := s.inventory.Return(ctx, back, saleRef(id), actor, i18n.M("record.stock.flash_sale_ended")); err != nil {
				return err
			}
		}
		set := map[string]any{"ended_at": now, "updated_at": now}
		if now.Before(sale.EndsAt) && now.After(sale.StartsAt) {
			set["ends_at"] = now // stopped early: the record shows when it really ended
		}
		if err := s.db.Conn(ctx).Model(&Sale{}).Where("id = ?", id).Updates(set).Error; err != nil {
			return fmt.Errorf("flash sale: end: %w", err)
		}
		ended = true
		if actor == ActorSystem {
			return nil
		}
		return s.audit.Record(ctx, actor, "flash_sale.end", "flash_sale", id, describe(sale))
	})
	if err != nil {
		return Sale{}, err
	}
	if ended {
		s.forget(id)
	}
	return s.Get(ctx, id)
}

// ActorSystem ends sales whose time is up.
const ActorSystem = "system"

// EndDue ends every sale past its end time that still holds units, and
// reports how many it ended. It is what the periodic job runs.
func (s *Service) EndDue(ctx context.Context) (int, error) {
	var ids []int64
	if err := s.db.Conn(ctx).Model(&Sale{}).Where("ended_at IS NULL AND ends_at <= ?", s.clock.Now()).
		Order("ends_at").Limit(100).Pluck("id", &ids).Error; err != nil {
		return 0, err
	}
	for _, id := range ids {
		if _, err := s.End(ctx, ActorSystem, id); err != nil {
			return 0, err
		}
	}
	return len(ids), nil
}

// Get reads a sale with its items.
func (s *Service) Get(ctx context.Context, id int64) (Sale, error) {
	var sale Sale
	err := s.db.Conn(ctx).Where("id = ?", id).Take(&sale).Error
	if database.IsNotFound(err) {
		return Sale{}, ErrNotFound.With("flash_sale_id", id)
	}
	if err != nil {
		return Sale{}, err
	}
	sale.Items, err = s.items(ctx, id)
	return sale, err
}

// ListFilter picks sales by phase ("" = all), newest start first.
type ListFilter struct {
	Phase Phase
	Page  page.Request
}

// List pages through sales, newest start first (the cursor is the id).
func (s *Service) List(ctx context.Context, f ListFilter) ([]Sale, string, error) {
	now := s.clock.Now()
	q := s.db.Conn(ctx).Model(&Sale{})
	switch f.Phase {
	case PhaseUpcoming:
		q = q.Where("ended_at IS NULL AND starts_at > ?", now)
	case PhaseLive:
		q = q.Where("ended_at IS NULL AND starts_at <= ? AND ends_at > ?", now, now)
	case PhaseEnded:
		q = q.Where("ended_at IS NOT NULL OR ends_at <= ?", now)
	}
	if f.Page.After > 0 {
		q = q.Where("id < ?", f.Page.After)
	}
	var sales []Sale
	if err := q.Order("id DESC").Limit(f.Page.Limit + 1).Find(&sales).Error; err != nil {
		return nil, "", err
	}
	sales, next := page.Trim(sales, f.Page, func(s Sale) int64 { return s.ID })
	if err := s.attachItems(ctx, sales); err != nil {
		return nil, "", err
	}
	return sales, next, nil
}

func (s *Service) attachItems(ctx context.Context, sales []Sale) error {
	if len(sales) == 0 {
		return nil
	}
	ids := make([]int64, len(sales))
	for i, sale := range sales {
		ids[i] = sale.ID
	}
	var items []Item
	if err := s.db.Conn(ctx).Where("flash_sale_id IN ?", ids).Order("id").Find(&items).Error; err != nil {
		return err
	}
	at := map[int64]int{}
	for i, sale := range sales {
		at[sale.ID] = i
	}
	for _, it := range items {
		i := at[it.FlashSaleID]
		sales[i].Items = append(sales[i].Items, it)
	}
	return nil
}

func (s *Service) items(ctx context.Context, saleID int64) ([]Item, error) {
	var items []Item
	err := s.db.Conn(ctx).Where("flash_sale_id = ?", saleID).Order("id").Find(&items).Error
	return items, err
}

// lockItems reads a sale's items and holds their rows (in id order, the
// order every writer takes them in) to the end of the transaction, so no
// order holds a unit between the read and the caller's write.
func (s *Service) lockItems(ctx context.Context, saleID int64) ([]Item, error) {
	var items []Item
	err := s.db.Locking(ctx).Where("flash_sale_id = ?", saleID).Order("id").Find(&items).Error
	return items, err
}

// lock reads a sale and holds its row to the end of the transaction.
func (s *Service) lock(ctx context.Context, id int64) (Sale, error) {
	if err := s.db.LockRow(ctx, "flash_sales", id); err != nil {
		return Sale{}, err
	}
	var sale Sale
	err := s.db.Conn(ctx).Where("id = ?", id).Take(&sale).Error
	if database.IsNotFound(err) {
		return Sale{}, ErrNotFound.With("flash_sale_id", id)
	}
	return sale, err
}

func saleRef(id int64) inventory.Ref {
	return inventory.Ref{Type: "flash_sale", ID: strconv.FormatInt(id, 10)}
}

// describe is the audit log's summary of a sale.
func describe(s Sale) i18n.Msg {
	items := append([]Item(nil), s.Items...)
	sort.Slice(items, func(i, j int) bool { return items[i].SKUID < items[j].SKUID })
	lines := make([]i18n.Msg, len(items))
	for i, it := range items {
		lines[i] = i18n.M("record.audit.flash_item", "sku", it.SKUID, "units", it.Allotted, "price", money.Yuan(it.Price))
	}
	return i18n.M("record.audit.flash_sale", "title", s.Title, "starts", i18n.Moment(s.StartsAt), "ends", i18n.Moment(s.EndsAt),
		"limit", s.PerShopperLimit, "pay", s.PaySeconds, "items", lines)
}
