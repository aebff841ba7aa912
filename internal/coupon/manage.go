package coupon

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/kaidian/kaidian/internal/database"
	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/i18n"
	"github.com/kaidian/kaidian/internal/page"
)

// Create validates and saves a new coupon; actor is the merchant who did it.
func (s *Service) Create(ctx context.Context, actor string, d Draft) (Coupon, error) {
	d = d.normalized()
	if err := d.validate(); err != nil {
		return Coupon{}, err
	}
	now := s.clock.Now()
	if !d.EndsAt.After(now) {
		return Coupon{}, errs.Field("ends_at", "invalid.future")
	}
	c := Coupon{CreatedAt: now, UpdatedAt: now}
	c.apply(d)
	err := s.db.Tx(ctx, func(ctx context.Context) error {
		if err := s.checkScope(ctx, d); err != nil {
			return err
		}
		if err := s.db.Conn(ctx).Create(&c).Error; err != nil {
			return fmt.Errorf("coupon: create: %w", err)
		}
		return s.audit.Record(ctx, actor, "coupon.create", "coupon", c.ID, describe(c))
	})
	if err != nil {
		return Coupon{}, err
	}
	return c, nil
}

// Update saves an edit. Until the first coupon is claimed everything may
// change; after that the terms shoppers hold are fixed and only the name,
// the total quantity (not below what was claimed), the per-shopper limit and
// whether shoppers may claim it can change. A stopped coupon stays as it is.
func (s *Service) Update(ctx context.Context, actor string, id int64, d Draft) (Coupon, error) {
	d = d.normalized()
	if err := d.validate(); err != nil {
		return Coupon{}, err
	}
	var c Coupon
	err := s.db.Tx(ctx, func(ctx context.Context) error {
		// Claims lock the same row, so none lands between this read and the write.
		before, err := s.lock(ctx, id)
		if err != nil {
			return err
		}
		switch {
		case before.StoppedAt != nil:
			return ErrStopped
		case before.Claimed > 0:
			old, edit := before.Draft().terms(), d.terms()
			for i := range old {
				if old[i] != edit[i] {
					return ErrTermsLocked.With("field", edit[i].field)
				}
			}
		case !d.EndsAt.After(s.clock.Now()):
			return errs.Field("ends_at", "invalid.future")
		}
		if d.TotalQuantity < before.Claimed {
			return errs.Field("total_quantity", "coupon.below_claimed", "claimed", before.Claimed)
		}
		if err := s.checkScope(ctx, d); err != nil {
			return err
		}
		c = before
		c.apply(d)
		c.UpdatedAt = s.clock.Now()
		if err := s.db.Conn(ctx).Model(&Coupon{}).Where("id = ?", id).
			Select("name", "kind", "amount", "percent_off", "max_discount", "min_amount", "scope", "scope_ids",
				"starts_at", "ends_at", "valid_days", "total_quantity", "per_shopper_limit", "claimable", "giftable", "updated_at").
			Updates(&c).Error; err != nil {
			return fmt.Errorf("coupon: update: %w", err)
		}
		if change := diff(before, c); len(change) > 0 {
			return s.audit.Record(ctx, actor, "coupon.update", "coupon", id,
				i18n.M("record.audit.coupon_updated", "name", c.Name, "changes", change))
		}
		return nil
	})
	if err != nil {
		return Coupon{}, err
	}
	return c, nil
}

// Stop ends a coupon early: nobody can claim it or be issued it any more.
// Coupons shoppers already hold stay usable until their own validity ends,
// as the shop promised them.
func (s *Service) Stop(ctx context.Context, actor string, id int64) (Coupon, error) {
	var c Coupon
	err := s.db.Tx(ctx, func(ctx context.Context) error {
		now := s.clock.Now()
		res := s.db.Conn(ctx).Model(&Coupon{}).Where("id = ? AND stopped_at IS NULL", id).
			Updates(map[string]any{"stopped_at": now, "updated_at": now})
		if res.Error != nil {
			return fmt.Errorf("coupon: stop: %w", res.Error)
		}
		var err error
		if c, err = s.Get(ctx, id); err != nil {
			return err
		}
		if res.RowsAffected != 1 {
			return ErrStopped
		}
		return s.audit.Record(ctx, actor, "coupon.stop", "coupon", id,
			i18n.M("record.audit.coupon_stopped", "name", c.Name, "claimed", c.Claimed, "total", c.TotalQuantity))
	})
	return c, err
}

// Get returns a coupon.
func (s *Service) Get(ctx context.Context, id int64) (Coupon, error) {
	var c Coupon
	err := s.db.Conn(ctx).Where("id = ?", id).Take(&c).Error
	if database.IsNotFound(err) {
		return Coupon{}, ErrNotFound.With("coupon_id", id)
	}
	return c, err
}

// lock reads a coupon and holds its row until the transaction ends.
func (s *Service) lock(ctx context.Context, id int64) (Coupon, error) {
	if err := s.db.LockRow(ctx, "coupons", id); err != nil {
		return Coupon{}, err
	}
	return s.Get(ctx, id)
}

// Query filters the console's coupon list.
type Query struct {
	Status Status // empty = every coupon
	Page   page.Request
}

// List returns the merchant's coupons newest first (not the ones GrantOwn
// made for lucky packs: their campaign shows them); the cursor is the last
// coupon's id.
func (s *Service) List(ctx context.Context, q Query) ([]Coupon, string, error) {
	db := s.db.Conn(ctx).Model(&Coupon{}).Where("origin = ?", "")
	now := s.clock.Now()
	switch q.Status {
	case "":
	case StatusStopped:
		db = db.Where("stopped_at IS NOT NULL")
	case StatusUpcoming:
		db = db.Where("stopped_at IS NULL AND starts_at > ?", now)
	case StatusLive:
		db = db.Where("stopped_at IS NULL AND starts_at <= ? AND ends_at > ?", now, now)
	case StatusEnded:
		db = db.Where("stopped_at IS NULL AND ends_at <= ?", now)
	default:
		return nil, "", errs.Field("status", "coupon.status_filter")
	}
	if q.Page.After > 0 {
		db = db.Where("id < ?", q.Page.After)
	}
	var cs []Coupon
	if err := db.Order("id DESC").Limit(q.Page.Limit + 1).Find(&cs).Error; err != nil {
		return nil, "", fmt.Errorf("coupon: list: %w", err)
	}
	cs, next := page.Trim(cs, q.Page, func(c Coupon) int64 { return c.ID })
	return cs, next, nil
}

// describe is a coupon's terms for the audit log.
func describe(c Coupon) i18n.Msg {
	return i18n.M("record.audit.coupon_created", "name", c.Name, "value", c.Value(), "scope", scopeOf(c),
		"starts", i18n.Moment(c.StartsAt), "ends", i18n.Moment(c.EndsAt), "validity", validityOf(c),
		"total", c.TotalQuantity, "limit", c.PerShopperLimit, "claimable", yesNo(c.Claimable))
}

// scopeOf names what a coupon applies to, with the ids it lists.
func scopeOf(c Coupon) i18n.Msg {
	ids := make([]string, len(c.ScopeIDs.V))
	for i, id := range c.ScopeIDs.V {
		ids[i] = strconv.FormatInt(id, 10)
	}
	list := strings.Join(ids, ", ")
	switch c.Scope {
	case ScopeCategories:
		return i18n.M("record.audit.coupon_scope_categories", "ids", list)
	case ScopeProducts:
		return i18n.M("record.audit.coupon_scope_products", "ids", list)
	}
	return i18n.M("record.audit.coupon_scope_shop")
}

// validityOf says how long a claimed coupon stays usable.
func validityOf(c Coupon) i18n.Msg {
	if c.ValidDays > 0 {
		return i18n.M("record.audit.coupon_valid_days", "days", c.ValidDays)
	}
	return i18n.M("record.audit.coupon_valid_until_end")
}

// yesNo is a yes-or-no term of a coupon, as the reader says it.
func yesNo(b bool) i18n.Msg {
	if b {
		return i18n.M("record.yes")
	}
	return i18n.M("record.no")
}

// diff names what an edit changed, one message per term.
func diff(a, b Coupon) []i18n.Msg {
	var parts []i18n.Msg
	add := func(id string, x, y any) {
		if fmt.Sprint(x) != fmt.Sprint(y) {
			parts = append(parts, i18n.M(id, "from", x, "to", y))
		}
	}
	add("record.audit.coupon_name", a.Name, b.Name)
	add("record.audit.coupon_value", a.Value(), b.Value())
	if a.Scope != b.Scope || fmt.Sprint(a.ScopeIDs.V) != fmt.Sprint(b.ScopeIDs.V) {
		parts = append(parts, i18n.M("record.audit.coupon_scope", "from", scopeOf(a), "to", scopeOf(b)))
	}
	add("record.audit.coupon_starts", i18n.Moment(a.StartsAt), i18n.Moment(b.StartsAt))
	add("record.audit.coupon_ends", i18n.Moment(a.EndsAt), i18n.Moment(b.EndsAt))
	if a.ValidDays != b.ValidDays {
		parts = append(parts, i18n.M("record.audit.coupon_validity", "from", validityOf(a), "to", validityOf(b)))
	}
	add("record.audit.coupon_total", a.TotalQuantity, b.TotalQuantity)
	add("record.audit.coupon_limit", a.PerShopperLimit, b.PerShopperLimit)
	if a.Claimable != b.Claimable {
		parts = append(parts, i18n.M("record.audit.coupon_claimable", "from", yesNo(a.Claimable), "to", yesNo(b.Claimable)))
	}
	if a.Giftable != b.Giftable {
		parts = append(parts, i18n.M("record.audit.coupon_giftable", "from", yesNo(a.Giftable), "to", yesNo(b.Giftable)))
	}
	return parts
}
