// Package customer keeps the shoppers: mini-program users known by their
// WeChat openid (and unionid when the mini program has one).
package customer

import (
	"context"
	"time"

	"github.com/kaidian/kaidian/internal/clock"
	"github.com/kaidian/kaidian/internal/database"
	"github.com/kaidian/kaidian/internal/errs"
)

// Shopper is a mini-program user of this shop.
type Shopper struct {
	ID          int64     `gorm:"column:id;primaryKey"`
	OpenID      string    `gorm:"column:openid"`
	UnionID     *string   `gorm:"column:unionid"`
	SessionKey  string    `gorm:"column:session_key"`
	Nickname    string    `gorm:"column:nickname"`
	AvatarURL   string    `gorm:"column:avatar_url"`
	Phone       string    `gorm:"column:phone"`              // as WeChat vouched for it; personal data, shown masked
	PhoneRegion string    `gorm:"column:phone_country_code"` // "86" for mainland China
	CreatedAt   time.Time `gorm:"column:created_at"`
	UpdatedAt   time.Time `gorm:"column:updated_at"`
	LastLoginAt time.Time `gorm:"column:last_login_at"`
}

// TableName maps Shopper to its table.
func (Shopper) TableName() string { return "shoppers" }

// Identity is what WeChat's jscode2session tells us about the person logging in.
type Identity struct {
	OpenID     string
	UnionID    string // empty unless the mini program is bound to an Open Platform account
	SessionKey string // kept server-side only
}

// ErrNotFound is returned for an unknown shopper.
var ErrNotFound = errs.NotFound("shopper_not_found", "customer.not_found")

// Service finds and records shoppers.
type Service struct {
	db    *database.DB
	clock *clock.Clock
}

// New builds the service.
func New(db *database.DB, clk *clock.Clock) *Service {
	return &Service{db: db, clock: clk}
}

// Login finds the shopper with this openid, or else with this unionid, or
// creates one, and records the fresh session key. Two first logins racing for
// the same openid end with one shopper: the loser of the insert re-reads.
func (s *Service) Login(ctx context.Context, id Identity) (Shopper, error) {
	if id.OpenID == "" {
		return Shopper{}, errs.Invalid("invalid_identity", "customer.no_openid")
	}
	var out Shopper
	err := s.db.Tx(ctx, func(ctx context.Context) error {
		now := s.clock.Now()
		found, err := s.find(ctx, id)
		if err != nil && !database.IsNotFound(err) {
			return err
		}
		if err == nil {
			found.SessionKey, found.LastLoginAt, found.UpdatedAt = id.SessionKey, now, now
			if id.UnionID != "" {
				found.UnionID = &id.UnionID
			}
			out = found
			return s.db.Conn(ctx).Model(&Shopper{}).Where("id = ?", found.ID).Updates(map[string]any{
				"session_key": found.SessionKey, "unionid": found.UnionID, "last_login_at": now, "updated_at": now,
			}).Error
		}
		out = Shopper{OpenID: id.OpenID, SessionKey: id.SessionKey, CreatedAt: now, UpdatedAt: now, LastLoginAt: now}
		if id.UnionID != "" {
			out.UnionID = &id.UnionID
		}
		return s.db.Conn(ctx).Create(&out).Error
	})
	if database.IsDuplicate(err) {
		return s.Login(ctx, id)
	}
	return out, err
}

func (s *Service) find(ctx context.Context, id Identity) (Shopper, error) {
	var sh Shopper
	q := s.db.Conn(ctx).Where("openid = ?", id.OpenID)
	if id.UnionID != "" {
		q = q.Or("unionid = ?", id.UnionID)
	}
	err := q.Order("id").Take(&sh).Error
	return sh, err
}

// Get returns one shopper.
func (s *Service) Get(ctx context.Context, id int64) (Shopper, error) {
	var sh Shopper
	err := s.db.Conn(ctx).Where("id = ?", id).Take(&sh).Error
	if database.IsNotFound(err) {
		return sh, ErrNotFound
	}
	return sh, err
}

// Existing returns those of ids that name a shopper, in no set order.
func (s *Service) Existing(ctx context.Context, ids []int64) ([]int64, error) {
	var found []int64
	if err := s.db.Conn(ctx).Raw("SELECT id FROM shoppers WHERE id IN ?", ids).Scan(&found).Error; err != nil {
		return nil, err
	}
	return found, nil
}

// IDsByOpenID returns the id of the shopper with this openid: one id, or
// none when no shopper has it.
func (s *Service) IDsByOpenID(ctx context.Context, openid string) ([]int64, error) {
	var ids []int64
	if err := s.db.Conn(ctx).Raw("SELECT id FROM shoppers WHERE openid = ?", openid).Scan(&ids).Error; err != nil {
		return nil, err
	}
	return ids, nil
}

// Lock takes the shopper's row lock until the caller's transaction ends, so
// one shopper's changes that check a count first (cart lines, addresses) run
// one at a time. On SQLite, whose transactions hold the whole database, it
// does nothing.
func (s *Service) Lock(ctx context.Context, shopperID int64) error {
	return s.db.LockRow(ctx, "shoppers", shopperID)
}
