// Package staff is the merchant side's people: console accounts (owners and
// staff) with hashed passwords, their server-side sessions, and sign-in
// throttling.
package staff

import (
	"context"
	"crypto/rand"
	"fmt"
	"regexp"
	"strconv"
	"time"
	"unicode/utf8"

	"golang.org/x/crypto/bcrypt"

	"github.com/kaidian/kaidian/internal/audit"
	"github.com/kaidian/kaidian/internal/database"
	"github.com/kaidian/kaidian/internal/errs"
)

// Role is what an account may do.
type Role string

// Roles: owners manage staff, shop settings and refunds above the shop's
// limit; staff do everything else.
const (
	RoleOwner Role = "owner"
	RoleStaff Role = "staff"
)

// Account is one person who signs in to the console.
type Account struct {
	ID           int64      `gorm:"column:id;primaryKey"`
	Username     string     `gorm:"column:username"`
	Name         string     `gorm:"column:name"`
	Role         Role       `gorm:"column:role"`
	PasswordHash string     `gorm:"column:password_hash"`
	Active       bool       `gorm:"column:active"`
	CreatedAt    time.Time  `gorm:"column:created_at"`
	UpdatedAt    time.Time  `gorm:"column:updated_at"`
	LastLoginAt  *time.Time `gorm:"column:last_login_at"`
}

// TableName maps Account to its table.
func (Account) TableName() string { return "staff_accounts" }

// IsOwner reports whether the account may do owner-only things.
func (a Account) IsOwner() bool { return a.Role == RoleOwner }

// Actor names the account in histories and the audit log.
func (a Account) Actor() string { return "staff:" + strconv.FormatInt(a.ID, 10) + ":" + a.Username }

// Service manages accounts, sessions and sign-in.
type Service struct {
	db    *database.DB
	audit *audit.Log
	now   func() time.Time
}

// New builds the service.
func New(db *database.DB, log *audit.Log) *Service {
	return &Service{db: db, audit: log, now: func() time.Time { return time.Now().UTC() }}
}

// NewAccount is what creating an account takes.
type NewAccount struct {
	Username, Name, Password string
	Role                     Role
}

// MinPasswordLength is the shortest password accepted.
const MinPasswordLength = 10

var usernamePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{2,31}$`)

// Errors of accounts.
var (
	ErrUsernameTaken = errs.Conflict("username_taken", "this username is already in use")
	ErrLastOwner     = errs.Rule("last_owner", "the shop needs at least one active owner")
	ErrNoAccount     = errs.NotFound("account_not_found", "no such account")
)

// Create adds an account with a hashed password; actor is who did it.
func (s *Service) Create(ctx context.Context, actor string, in NewAccount) (Account, error) {
	if err := validate(in); err != nil {
		return Account{}, err
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(in.Password), bcrypt.DefaultCost)
	if err != nil {
		return Account{}, fmt.Errorf("hash password: %w", err)
	}
	now := s.now()
	a := Account{Username: in.Username, Name: in.Name, Role: in.Role, PasswordHash: string(hash), Active: true,
		CreatedAt: now, UpdatedAt: now}
	err = s.db.Tx(ctx, func(ctx context.Context) error {
		if err := s.db.Conn(ctx).Create(&a).Error; err != nil {
			return err
		}
		return s.audit.Record(ctx, actor, "staff.create", "staff", a.ID, a.Username+" as "+string(a.Role))
	})
	if database.IsDuplicate(err) {
		return Account{}, ErrUsernameTaken
	}
	return a, err
}

func validate(in NewAccount) error {
	switch {
	case !usernamePattern.MatchString(in.Username):
		return errs.Field("username", "3 to 32 lower-case letters, digits, '.', '_' or '-'")
	case utf8.RuneCountInString(in.Name) > 60:
		return errs.Field("name", "must be at most 60 characters")
	case in.Role != RoleOwner && in.Role != RoleStaff:
		return errs.Field("role", "must be owner or staff")
	}
	return checkPassword(in.Password)
}

func checkPassword(p string) error {
	if utf8.RuneCountInString(p) < MinPasswordLength || len(p) > 72 { // bcrypt reads 72 bytes
		return errs.Field("password", "must be 10 to 72 characters")
	}
	return nil
}

// Get returns an account.
func (s *Service) Get(ctx context.Context, id int64) (Account, error) {
	var a Account
	err := s.db.Conn(ctx).Where("id = ?", id).Take(&a).Error
	if database.IsNotFound(err) {
		return a, ErrNoAccount
	}
	return a, err
}

// List returns every account, owners first.
func (s *Service) List(ctx context.Context) ([]Account, error) {
	var as []Account
	err := s.db.Conn(ctx).Order("role, username").Find(&as).Error
	return as, err
}

// Change is an owner's edit of an account.
type Change struct {
	Name     string
	Role     Role
	Active   bool
	Password string // empty: unchanged
}

// Update changes an account's name, role, activity or password. The shop
// always keeps an active owner; deactivating an account or changing its
// password ends its sessions.
func (s *Service) Update(ctx context.Context, actor string, id int64, ch Change) (Account, error) {
	var a Account
	err := s.db.Tx(ctx, func(ctx context.Context) error {
		var err error
		if a, err = s.Get(ctx, id); err != nil {
			return err
		}
		if err := validate(NewAccount{Username: a.Username, Name: ch.Name, Role: ch.Role, Password: orKeep(ch.Password)}); err != nil {
			return err
		}
		if a.IsOwner() && a.Active && (ch.Role != RoleOwner || !ch.Active) {
			var owners int64
			if err := s.db.Conn(ctx).Model(&Account{}).Where("role = ? AND active AND id <> ?", RoleOwner, id).Count(&owners).Error; err != nil {
				return err
			}
			if owners == 0 {
				return ErrLastOwner
			}
		}
		set := map[string]any{"name": ch.Name, "role": ch.Role, "active": ch.Active, "updated_at": s.now()}
		if ch.Password != "" {
			hash, err := bcrypt.GenerateFromPassword([]byte(ch.Password), bcrypt.DefaultCost)
			if err != nil {
				return err
			}
			set["password_hash"] = string(hash)
		}
		if err := s.db.Conn(ctx).Model(&Account{}).Where("id = ?", id).Updates(set).Error; err != nil {
			return err
		}
		if ch.Password != "" || !ch.Active {
			if err := s.db.Conn(ctx).Where("account_id = ?", id).Delete(&Session{}).Error; err != nil {
				return err
			}
		}
		detail := fmt.Sprintf("%s: role %s, active %t", a.Username, ch.Role, ch.Active)
		if ch.Password != "" {
			detail += ", password changed"
		}
		if err := s.audit.Record(ctx, actor, "staff.update", "staff", id, detail); err != nil {
			return err
		}
		a, err = s.Get(ctx, id)
		return err
	})
	return a, err
}

// orKeep stands in a valid password when none is being set, so validation
// checks only what changes.
func orKeep(p string) string {
	if p == "" {
		return "unchanged-password"
	}
	return p
}

// EnsureOwner creates an owner called "owner" with a generated password when
// the shop has no accounts at all, and returns that password (empty when
// accounts exist). The first start prints it once.
func (s *Service) EnsureOwner(ctx context.Context) (username, password string, err error) {
	var n int64
	if err := s.db.Conn(ctx).Model(&Account{}).Count(&n).Error; err != nil || n > 0 {
		return "", "", err
	}
	password = GeneratePassword()
	_, err = s.Create(ctx, "system", NewAccount{Username: "owner", Name: "Owner", Password: password, Role: RoleOwner})
	if errs.Is(err, ErrUsernameTaken.Code) {
		return "", "", nil // another replica made it first
	}
	return "owner", password, err
}

// GeneratePassword returns a random password (26 base32 characters).
func GeneratePassword() string { return rand.Text() }
