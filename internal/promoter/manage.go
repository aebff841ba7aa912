package promoter

import (
	"context"
	"fmt"
	"strconv"

	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/i18n"
	"github.com/kaidian/kaidian/internal/page"
)

// ErrStatus refuses a status change the promoter's status does not allow
// (approving someone already active, say).
var ErrStatus = errs.Conflict("promoter_status", "promoter.status_change")

// ApplyInput is a shopper's application to become a KOL.
type ApplyInput struct {
	Name, Phone, Note string
}

// Apply records a shopper's application as a pending KOL at rate 0 (the
// merchant sets the rate when approving). A shopper is one promoter at
// most: a second application is ErrAlreadyPromoter.
func (s *Service) Apply(ctx context.Context, shopperID int64, in ApplyInput) (Promoter, error) {
	return s.Create(ctx, "shopper:"+strconv.FormatInt(shopperID, 10), Input{Kind: KindKOL, Status: StatusPending,
		Name: in.Name, Phone: in.Phone, Note: in.Note, ShopperID: &shopperID})
}

// Moves between statuses the merchant makes, each audited under its action.
var moves = map[string]struct {
	from, to Status
	record   string
}{
	"promoter.approve": {StatusPending, StatusActive, "record.audit.promoter_approved"},
	"promoter.reject":  {StatusPending, StatusDisabled, "record.audit.promoter_rejected"},
	"promoter.disable": {StatusActive, StatusDisabled, "record.audit.promoter_disabled"},
	"promoter.enable":  {StatusDisabled, StatusActive, "record.audit.promoter_enabled"},
}

// Approve makes a pending promoter active, at the rate given.
func (s *Service) Approve(ctx context.Context, actor string, id int64, rateBP int) (Promoter, error) {
	if rateBP < 0 || rateBP > MaxRateBP {
		return Promoter{}, errs.Field("rate", "invalid.range", "min", 0, "max", MaxRateBP)
	}
	return s.move(ctx, actor, id, "promoter.approve", map[string]any{"rate_bp": rateBP})
}

// Reject turns a pending application down (the promoter stays, disabled,
// so the shopper cannot simply apply again; enabling them later is possible).
func (s *Service) Reject(ctx context.Context, actor string, id int64) (Promoter, error) {
	return s.move(ctx, actor, id, "promoter.reject", nil)
}

// Disable stops crediting an active promoter with new orders and customers;
// what they earned stays theirs.
func (s *Service) Disable(ctx context.Context, actor string, id int64) (Promoter, error) {
	return s.move(ctx, actor, id, "promoter.disable", nil)
}

// Enable makes a disabled promoter active again.
func (s *Service) Enable(ctx context.Context, actor string, id int64) (Promoter, error) {
	return s.move(ctx, actor, id, "promoter.enable", nil)
}

// move changes a promoter's status by one guarded statement (only from the
// status the move starts at), audited in the same transaction.
func (s *Service) move(ctx context.Context, actor string, id int64, action string, also map[string]any) (Promoter, error) {
	m := moves[action]
	var p Promoter
	err := s.db.Tx(ctx, func(ctx context.Context) error {
		var err error
		if p, err = s.Get(ctx, id); err != nil {
			return err
		}
		set := map[string]any{"status": m.to, "updated_at": s.clock.Now()}
		for k, v := range also {
			set[k] = v
		}
		res := s.db.Conn(ctx).Model(&Promoter{}).Where("id = ? AND status = ?", id, m.from).Updates(set)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected != 1 {
			return ErrStatus.With("status", string(p.Status))
		}
		if p, err = s.Get(ctx, id); err != nil {
			return err
		}
		return s.audit.Record(ctx, actor, action, auditPromoter, id, i18n.M(m.record, "name", p.Name, "code", p.Code))
	})
	if err != nil {
		return Promoter{}, fmt.Errorf("%s %d: %w", action, id, err)
	}
	return p, nil
}

// Changes is what the merchant edits of a promoter.
type Changes struct {
	Name, Phone, Note string
	StoreID           *int64 // associates: their store
	RateBP            int
	CommissionOnSelf  bool
}

// Update changes a promoter's details, rate and switch, audited under
// actor. Kind and status change only through their own moves.
func (s *Service) Update(ctx context.Context, actor string, id int64, c Changes) (Promoter, error) {
	var p Promoter
	err := s.db.Tx(ctx, func(ctx context.Context) error {
		old, err := s.Get(ctx, id)
		if err != nil {
			return err
		}
		in, err := Input{Kind: old.Kind, Status: old.Status, Name: c.Name, Phone: c.Phone, Note: c.Note,
			StoreID: c.StoreID, RateBP: c.RateBP, CommissionOnSelf: c.CommissionOnSelf}.check()
		if err != nil {
			return err
		}
		if in.StoreID != nil {
			if _, err := s.Store(ctx, *in.StoreID); err != nil {
				return errs.Field("store_id", "promoter.no_such_store")
			}
		}
		if err := s.db.Conn(ctx).Model(&Promoter{}).Where("id = ?", id).Updates(map[string]any{
			"name": in.Name, "phone": in.Phone, "note": in.Note, "store_id": in.StoreID, "rate_bp": in.RateBP,
			"commission_on_self": in.CommissionOnSelf, "updated_at": s.clock.Now()}).Error; err != nil {
			return err
		}
		if p, err = s.Get(ctx, id); err != nil {
			return err
		}
		return s.audit.Record(ctx, actor, "promoter.update", auditPromoter, id, i18n.M("record.audit.promoter_updated",
			"name", p.Name, "code", p.Code, "rate", p.RateBP))
	})
	if err != nil {
		return Promoter{}, fmt.Errorf("update promoter %d: %w", id, err)
	}
	return p, nil
}

// Query filters the promoters list.
type Query struct {
	Kind    Kind
	Status  Status
	StoreID int64
	Page    page.Request
}

// List lists promoters, newest first, paged by id.
func (s *Service) List(ctx context.Context, q Query) ([]Promoter, string, error) {
	db := s.db.Conn(ctx)
	if q.Kind != "" {
		db = db.Where("kind = ?", q.Kind)
	}
	if q.Status != "" {
		db = db.Where("status = ?", q.Status)
	}
	if q.StoreID != 0 {
		db = db.Where("store_id = ?", q.StoreID)
	}
	if q.Page.After > 0 {
		db = db.Where("id < ?", q.Page.After)
	}
	var ps []Promoter
	if err := db.Order("id DESC").Limit(q.Page.Limit + 1).Find(&ps).Error; err != nil {
		return nil, "", fmt.Errorf("list promoters: %w", err)
	}
	ps, next := page.Trim(ps, q.Page, func(p Promoter) int64 { return p.ID })
	return ps, next, nil
}

// ByIDs returns the promoters ids names, by id.
func (s *Service) ByIDs(ctx context.Context, ids []int64) (map[int64]Promoter, error) {
	out := map[int64]Promoter{}
	if len(ids) == 0 {
		return out, nil
	}
	var ps []Promoter
	if err := s.db.Conn(ctx).Where("id IN ?", ids).Find(&ps).Error; err != nil {
		return nil, err
	}
	for _, p := range ps {
		out[p.ID] = p
	}
	return out, nil
}

// Stores lists every store, active first, by name.
func (s *Service) Stores(ctx context.Context) ([]Store, error) {
	var ss []Store
	return ss, s.db.Conn(ctx).Order("active DESC, name, id").Find(&ss).Error
}

// UpdateStore changes a store (deactivating it with Active false: its
// associates stay, their customers with them), audited under actor.
func (s *Service) UpdateStore(ctx context.Context, actor string, id int64, in StoreInput) (Store, error) {
	st, err := checkStore(in)
	if err != nil {
		return Store{}, err
	}
	err = s.db.Tx(ctx, func(ctx context.Context) error {
		if _, err := s.Store(ctx, id); err != nil {
			return err
		}
		if err := s.db.Conn(ctx).Model(&Store{}).Where("id = ?", id).Updates(map[string]any{"name": st.Name, "city": st.City,
			"address": st.Address, "active": st.Active, "updated_at": s.clock.Now()}).Error; err != nil {
			return err
		}
		if st, err = s.Store(ctx, id); err != nil {
			return err
		}
		return s.audit.Record(ctx, actor, "store.update", auditStore, id, i18n.M("record.audit.store_updated", "name", st.Name, "active", st.Active))
	})
	if err != nil {
		return Store{}, fmt.Errorf("update store %d: %w", id, err)
	}
	return st, nil
}

// ErrNotPromoter answers the promoter routes for a shopper who is not an
// active promoter.
var ErrNotPromoter = errs.New(errs.KindForbidden, "not_promoter", "promoter.not_promoter")

// ActiveByShopper finds the active promoter a shopper is, or ErrNotPromoter.
func (s *Service) ActiveByShopper(ctx context.Context, shopperID int64) (Promoter, error) {
	p, err := s.ByShopper(ctx, shopperID)
	if errs.Is(err, ErrNotFound.Code) || (err == nil && !p.Active()) {
		return Promoter{}, ErrNotPromoter
	}
	return p, err
}
