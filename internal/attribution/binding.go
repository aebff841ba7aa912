package attribution

import (
	"context"
	"fmt"
	"time"

	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/i18n"
	"github.com/kaidian/kaidian/internal/page"
	"github.com/kaidian/kaidian/internal/promoter"
)

// auditBinding is the audit log's subject type for bindings (the subject
// id is the shopper's, or the associate's for a move of all their customers).
const auditBinding = "binding"

// Binding is a customer bound to a store associate.
type Binding struct {
	ShopperID   int64     `gorm:"column:shopper_id"`
	PromoterID  int64     `gorm:"column:promoter_id"`
	BoundAt     time.Time `gorm:"column:bound_at"`
	LockedUntil time.Time `gorm:"column:locked_until"`
	MovedBy     string    `gorm:"column:moved_by"` // the merchant who moved the customer here; '' when a scan bound them
	UpdatedAt   time.Time `gorm:"column:updated_at"`
}

// TableName maps Binding to its table.
func (Binding) TableName() string { return "bindings" }

// Bindings lists the customers bound to the associate, most recently bound
// first; the cursor is the last shopper's id.
func (s *Service) Bindings(ctx context.Context, promoterID int64, pg page.Request) ([]Binding, string, error) {
	q := s.db.Conn(ctx).Where("promoter_id = ?", promoterID)
	if pg.After > 0 {
		q = q.Where("shopper_id < ?", pg.After)
	}
	var bs []Binding
	if err := q.Order("shopper_id DESC").Limit(pg.Limit + 1).Find(&bs).Error; err != nil {
		return nil, "", fmt.Errorf("bindings: %w", err)
	}
	bs, next := page.Trim(bs, pg, func(b Binding) int64 { return b.ShopperID })
	return bs, next, nil
}

// BindingCount is how many customers are bound to the associate.
func (s *Service) BindingCount(ctx context.Context, promoterID int64) (int64, error) {
	var n int64
	if err := s.db.Conn(ctx).Model(&Binding{}).Where("promoter_id = ?", promoterID).Count(&n).Error; err != nil {
		return 0, fmt.Errorf("bindings of %d: %w", promoterID, err)
	}
	return n, nil
}

// BindingOf is the shopper's binding, or ErrNotBound.
func (s *Service) BindingOf(ctx context.Context, shopperID int64) (Binding, error) {
	var bs []Binding
	if err := s.db.Conn(ctx).Where("shopper_id = ?", shopperID).Limit(1).Find(&bs).Error; err != nil {
		return Binding{}, fmt.Errorf("binding: %w", err)
	}
	if len(bs) == 0 {
		return Binding{}, ErrNotBound
	}
	return bs[0], nil
}

// associate finds the active associate with the code, or ErrNotAssociate.
func (s *Service) associate(ctx context.Context, code string) (promoter.Promoter, error) {
	p, err := s.promoters.ByCode(ctx, code)
	if errs.Is(err, promoter.ErrNotFound.Code) || (err == nil && (p.Kind != promoter.KindAssociate || !p.Active())) {
		return promoter.Promoter{}, ErrNotAssociate
	}
	return p, err
}

// Move binds one customer to the associate with code toCode (an associate
// left; the brand keeps the customer), audited under actor. The new
// binding is locked for the shop's lock period from now, so the new
// associate keeps the customer as a scan would have.
func (s *Service) Move(ctx context.Context, actor string, shopperID int64, toCode string) (Binding, error) {
	to, err := s.associate(ctx, toCode)
	if err != nil {
		return Binding{}, err
	}
	shop, err := s.settings.Get(ctx)
	if err != nil {
		return Binding{}, err
	}
	var b Binding
	err = s.db.Tx(ctx, func(ctx context.Context) error {
		if b, err = s.BindingOf(ctx, shopperID); err != nil {
			return err
		}
		from, now := b.PromoterID, s.clock.Now()
		b.PromoterID, b.BoundAt, b.LockedUntil, b.MovedBy, b.UpdatedAt = to.ID, now, now.Add(shop.Attribution().Lock()), actor, now
		if err := s.db.Conn(ctx).Model(&Binding{}).Where("shopper_id = ?", shopperID).Updates(map[string]any{
			"promoter_id": b.PromoterID, "bound_at": now, "locked_until": b.LockedUntil, "moved_by": actor, "updated_at": now}).Error; err != nil {
			return err
		}
		return s.audit.Record(ctx, actor, "binding.move", auditBinding, shopperID,
			i18n.M("record.attribution.moved", "shopper", shopperID, "from", from, "to", to.Name, "code", to.Code))
	})
	if err != nil {
		return Binding{}, fmt.Errorf("move binding: %w", err)
	}
	return b, nil
}

// MoveAll binds every customer of the associate fromID to the associate
// with code toCode, with one statement, audited under actor, and says how
// many moved.
func (s *Service) MoveAll(ctx context.Context, actor string, fromID int64, toCode string) (int64, error) {
	to, err := s.associate(ctx, toCode)
	if err != nil {
		return 0, err
	}
	if to.ID == fromID {
		return 0, errs.Field("to_code", "attribution.same_associate")
	}
	shop, err := s.settings.Get(ctx)
	if err != nil {
		return 0, err
	}
	var n int64
	err = s.db.Tx(ctx, func(ctx context.Context) error {
		now := s.clock.Now()
		res := s.db.Conn(ctx).Model(&Binding{}).Where("promoter_id = ?", fromID).Updates(map[string]any{
			"promoter_id": to.ID, "bound_at": now, "locked_until": now.Add(shop.Attribution().Lock()), "moved_by": actor, "updated_at": now})
		if res.Error != nil {
			return res.Error
		}
		n = res.RowsAffected
		return s.audit.Record(ctx, actor, "binding.move_all", auditBinding, fromID,
			i18n.M("record.attribution.moved_all", "count", n, "from", fromID, "to", to.Name, "code", to.Code))
	})
	if err != nil {
		return 0, fmt.Errorf("move bindings: %w", err)
	}
	return n, nil
}

// Customers finds the associate with the code (any status: a disabled
// associate's customers are the ones to move) and a page of the customers
// bound to them; an unknown code, or a KOL's, fails on field "promoter".
func (s *Service) Customers(ctx context.Context, code string, pg page.Request) (promoter.Promoter, []Binding, string, error) {
	p, err := s.promoters.ByCode(ctx, code)
	if errs.Is(err, promoter.ErrNotFound.Code) || (err == nil && p.Kind != promoter.KindAssociate) {
		return promoter.Promoter{}, nil, "", errs.Field("promoter", "attribution.no_associate")
	}
	if err != nil {
		return promoter.Promoter{}, nil, "", err
	}
	bs, next, err := s.Bindings(ctx, p.ID, pg)
	return p, bs, next, err
}
