package promoter

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/kaidian/kaidian/internal/database"
	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/i18n"
	"github.com/kaidian/kaidian/internal/shortcode"
)

// Limits of what is written about a promoter or store.
const (
	MaxNameRunes = 40
	MaxNoteRunes = 200
	MaxRateBP    = 5000 // 50%: a higher commission is a typo, not a deal
)

// Audit subjects of this package.
const (
	auditPromoter = "promoter"
	auditStore    = "store"
)

// Input is a promoter as the merchant (or an application) writes it.
type Input struct {
	Kind             Kind
	Status           Status
	Name             string
	Phone            string
	Note             string
	ShopperID        *int64
	StoreID          *int64
	RateBP           int
	CommissionOnSelf bool
}

func (in Input) check() (Input, error) {
	in.Name, in.Phone, in.Note = strings.TrimSpace(in.Name), strings.TrimSpace(in.Phone), strings.TrimSpace(in.Note)
	switch {
	case in.Kind != KindKOL && in.Kind != KindAssociate:
		return in, errs.Field("promoter_kind", "promoter.kind")
	case in.Status != StatusPending && in.Status != StatusActive && in.Status != StatusDisabled:
		return in, errs.Field("status", "promoter.status")
	case utf8.RuneCountInString(in.Name) == 0 || utf8.RuneCountInString(in.Name) > MaxNameRunes:
		return in, errs.Field("name", "invalid.length", "max", MaxNameRunes)
	case utf8.RuneCountInString(in.Phone) > 20:
		return in, errs.Field("phone", "invalid.max_length", "max", 20)
	case utf8.RuneCountInString(in.Note) > MaxNoteRunes:
		return in, errs.Field("note", "invalid.max_length", "max", MaxNoteRunes)
	case in.RateBP < 0 || in.RateBP > MaxRateBP:
		return in, errs.Field("rate", "invalid.range", "min", 0, "max", MaxRateBP)
	case in.Kind == KindAssociate && in.StoreID == nil:
		return in, errs.Field("store_id", "promoter.store_required")
	case in.Kind == KindKOL && in.StoreID != nil:
		return in, errs.Field("store_id", "promoter.store_for_associates")
	}
	return in, nil
}

// Create adds a promoter with a fresh code, audited under actor. A shopper
// can be one promoter only.
func (s *Service) Create(ctx context.Context, actor string, in Input) (Promoter, error) {
	in, err := in.check()
	if err != nil {
		return Promoter{}, err
	}
	now := s.clock.Now()
	p := Promoter{Kind: in.Kind, Status: in.Status, Name: in.Name, Phone: in.Phone, Note: in.Note,
		ShopperID: in.ShopperID, StoreID: in.StoreID, RateBP: in.RateBP, CommissionOnSelf: in.CommissionOnSelf,
		CreatedAt: now, UpdatedAt: now}
	for attempt := 0; ; attempt++ {
		p.ID, p.Code = 0, shortcode.New(CodeLength)
		err = s.db.Tx(ctx, func(ctx context.Context) error {
			if p.StoreID != nil {
				if _, err := s.Store(ctx, *p.StoreID); err != nil {
					return err
				}
			}
			if p.ShopperID != nil {
				if _, err := s.ByShopper(ctx, *p.ShopperID); err == nil {
					return ErrAlreadyPromoter
				} else if !errs.Is(err, ErrNotFound.Code) {
					return err
				}
			}
			if err := s.db.Conn(ctx).Create(&p).Error; err != nil {
				return err
			}
			return s.audit.Record(ctx, actor, "promoter.create", auditPromoter, p.ID, i18n.M("record.audit.promoter_created", "name", p.Name, "code", p.Code))
		})
		if err != nil && database.IsDuplicate(err) && attempt < 3 {
			continue // a code drawn twice, or a shopper's second application racing the first: the next turn tells which
		}
		if err != nil {
			return Promoter{}, fmt.Errorf("create promoter: %w", err)
		}
		return p, nil
	}
}

// StoreInput is a store as the merchant writes it.
type StoreInput struct {
	Name, City, Address string
	Active              bool
}

// CreateStore adds a physical store, audited under actor.
func (s *Service) CreateStore(ctx context.Context, actor string, in StoreInput) (Store, error) {
	st, err := checkStore(in)
	if err != nil {
		return Store{}, err
	}
	now := s.clock.Now()
	st.CreatedAt, st.UpdatedAt = now, now
	err = s.db.Tx(ctx, func(ctx context.Context) error {
		if err := s.db.Conn(ctx).Create(&st).Error; err != nil {
			return err
		}
		return s.audit.Record(ctx, actor, "store.create", auditStore, st.ID, i18n.M("record.audit.store_created", "name", st.Name))
	})
	if err != nil {
		return Store{}, fmt.Errorf("create store: %w", err)
	}
	return st, nil
}

// checkStore trims a store's fields and checks them.
func checkStore(in StoreInput) (Store, error) {
	in.Name, in.City, in.Address = strings.TrimSpace(in.Name), strings.TrimSpace(in.City), strings.TrimSpace(in.Address)
	switch {
	case utf8.RuneCountInString(in.Name) == 0 || utf8.RuneCountInString(in.Name) > MaxNameRunes:
		return Store{}, errs.Field("name", "invalid.length", "max", MaxNameRunes)
	case utf8.RuneCountInString(in.City) > MaxNameRunes:
		return Store{}, errs.Field("city", "invalid.max_length", "max", MaxNameRunes)
	case utf8.RuneCountInString(in.Address) > MaxNoteRunes:
		return Store{}, errs.Field("store_address", "invalid.max_length", "max", MaxNoteRunes)
	}
	return Store{Name: in.Name, City: in.City, Address: in.Address, Active: in.Active}, nil
}

// Store finds a store by id, or ErrStoreNotFound.
func (s *Service) Store(ctx context.Context, id int64) (Store, error) {
	var ss []Store
	if err := s.db.Conn(ctx).Where("id = ?", id).Limit(1).Find(&ss).Error; err != nil {
		return Store{}, fmt.Errorf("store %d: %w", id, err)
	}
	if len(ss) == 0 {
		return Store{}, ErrStoreNotFound
	}
	return ss[0], nil
}
