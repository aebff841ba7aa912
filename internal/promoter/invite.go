package promoter

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/kaidian/kaidian/internal/database"
	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/i18n"
	"github.com/kaidian/kaidian/internal/shortcode"
)

// InviteLength is the length of an invite code: 10 characters (about 50
// bits), as a code that attaches an account to a promoter must not be
// guessed, unlike a promoter's own code, which is public.
const InviteLength = 10

// ErrInviteNotFound: no promoter waits for this invite code (a typo, or it
// was used).
var ErrInviteNotFound = errs.NotFound("invite_not_found", "promoter.invite_not_found")

// inviteRow is a promoter's invite code, read and written on its own.
type inviteRow struct {
	ID         int64   `gorm:"column:id;primaryKey"`
	InviteCode *string `gorm:"column:invite_code"`
}

func (inviteRow) TableName() string { return "promoters" }

// Invite gives a promoter without a mini-program account a fresh invite
// code (replacing an earlier one), audited under actor. They open the code
// in the mini program (POST /api/v1/promoter/invites/accept) to attach
// their account, which is how the promoter routes know them.
func (s *Service) Invite(ctx context.Context, actor string, id int64) (string, error) {
	code := shortcode.New(InviteLength)
	err := s.db.Tx(ctx, func(ctx context.Context) error {
		p, err := s.Get(ctx, id)
		if err != nil {
			return err
		}
		if p.ShopperID != nil {
			return ErrStatus.With("shopper_id", *p.ShopperID)
		}
		if err := s.db.Conn(ctx).Model(&inviteRow{}).Where("id = ? AND shopper_id IS NULL", id).
			Updates(map[string]any{"invite_code": code, "updated_at": s.clock.Now()}).Error; err != nil {
			return err
		}
		return s.audit.Record(ctx, actor, "promoter.invite", auditPromoter, id, i18n.M("record.audit.promoter_invited", "name", p.Name, "code", p.Code))
	})
	if err != nil {
		return "", fmt.Errorf("invite promoter %d: %w", id, err)
	}
	return code, nil
}

// InviteCode is a promoter's open invite code, "" for none.
func (s *Service) InviteCode(ctx context.Context, id int64) (string, error) {
	var r inviteRow
	err := s.db.Conn(ctx).Where("id = ?", id).Take(&r).Error
	if err != nil || r.InviteCode == nil {
		return "", err
	}
	return *r.InviteCode, nil
}

// AcceptInvite attaches a shopper's account to the promoter an invite code
// names and uses the code up, in one guarded statement: of two shoppers
// racing for one code, one gets it. A shopper is one promoter at most.
func (s *Service) AcceptInvite(ctx context.Context, shopperID int64, code string) (Promoter, error) {
	code = strings.ToUpper(strings.TrimSpace(code))
	if !shortcode.Valid(code, InviteLength) {
		return Promoter{}, ErrInviteNotFound
	}
	var p Promoter
	err := s.db.Tx(ctx, func(ctx context.Context) error {
		var r inviteRow
		err := s.db.Conn(ctx).Where("invite_code = ? AND shopper_id IS NULL", code).Take(&r).Error
		if database.IsNotFound(err) {
			return ErrInviteNotFound
		}
		if err != nil {
			return err
		}
		if _, err := s.ByShopper(ctx, shopperID); err == nil {
			return ErrAlreadyPromoter
		} else if !errs.Is(err, ErrNotFound.Code) {
			return err
		}
		res := s.db.Conn(ctx).Model(&Promoter{}).Where("id = ? AND shopper_id IS NULL AND invite_code = ?", r.ID, code).
			Updates(map[string]any{"shopper_id": shopperID, "invite_code": nil, "updated_at": s.clock.Now()})
		if database.IsDuplicate(res.Error) {
			return ErrAlreadyPromoter // the shopper became a promoter meanwhile
		}
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected != 1 {
			return ErrInviteNotFound
		}
		if p, err = s.Get(ctx, r.ID); err != nil {
			return err
		}
		return s.audit.Record(ctx, "shopper:"+strconv.FormatInt(shopperID, 10), "promoter.accept_invite", auditPromoter, p.ID,
			i18n.M("record.audit.promoter_invite_accepted", "name", p.Name, "code", p.Code))
	})
	if err != nil {
		return Promoter{}, fmt.Errorf("accept invite: %w", err)
	}
	return p, nil
}
