package staff

import (
	"context"
	"fmt"
	"strconv"

	"golang.org/x/crypto/bcrypt"

	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/i18n"
)

// Errors of changing one's own password.
var (
	ErrWrongPassword   = errs.Field("current_password", "staff.current_password_wrong")
	ErrSamePassword    = errs.Field("password", "staff.password_same")
	ErrPasswordsDiffer = errs.Field("confirm", "staff.confirm_mismatch")
	// ErrPasswordChanged: another request changed the password between the
	// check and the write; the caller's session has ended with it.
	ErrPasswordChanged = errs.Conflict("password_changed", "staff.password_changed")
)

// ChangePassword sets the signed-in account's own password. The current
// password is asked for again, so a session left open (or stolen) cannot
// lock its owner out; guesses are counted before the check and throttled
// like sign-in (ThrottleUser per ThrottleWindow for the account). The new one
// follows the rules of every password. On success MustChangePassword is
// cleared, every other session of the account ends (whoever knew the old
// password is signed out) and the change is audited, all in one
// transaction; the write is guarded by the old hash, so of two concurrent
// changes only one wins.
func (s *Service) ChangePassword(ctx context.Context, sess Session, current, next, confirm string) error {
	a, err := s.Get(ctx, sess.AccountID)
	if err != nil {
		return err
	}
	// Counted before the check, like a sign-in, so concurrent guesses from a
	// stolen session cannot all be checked; a right password gives it back.
	bucket := []throttleBucket{{"password:" + strconv.FormatInt(a.ID, 10), ThrottleUser}}
	if err := s.takeAttempt(ctx, bucket); err != nil {
		return err
	}
	if compareHash([]byte(a.PasswordHash), []byte(current)) != nil {
		return ErrWrongPassword
	}
	if err := s.giveBack(ctx, bucket); err != nil {
		return err
	}
	if err := checkPassword(next); err != nil {
		return err
	}
	switch {
	case next != confirm:
		return ErrPasswordsDiffer
	case next == current:
		return ErrSamePassword
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(next), bcrypt.DefaultCost)
	if err != nil {
		return fmt.Errorf("hash password: %w", err)
	}
	return s.db.Tx(ctx, func(ctx context.Context) error {
		res := s.db.Conn(ctx).Model(&Account{}).Where("id = ? AND password_hash = ? AND active", a.ID, a.PasswordHash).
			Updates(map[string]any{"password_hash": string(hash), "must_change_password": false, "updated_at": s.clock.Now()})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected != 1 {
			return ErrPasswordChanged
		}
		if err := s.db.Conn(ctx).Where("account_id = ? AND id <> ?", a.ID, sess.ID).Delete(&Session{}).Error; err != nil {
			return err
		}
		detail := i18n.M("record.audit.password_changed", "username", a.Username, "generated", a.MustChangePassword)
		return s.audit.Record(ctx, a.Actor(), "staff.password_change", "staff", a.ID, detail)
	})
}
