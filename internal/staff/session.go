package staff

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/kaidian/kaidian/internal/database"
	"github.com/kaidian/kaidian/internal/errs"
)

// Session lifetimes: a session ends after IdleTimeout without use, and
// after MaxLifetime whatever happens.
const (
	IdleTimeout = 12 * time.Hour
	MaxLifetime = 7 * 24 * time.Hour
)

// Throttling: this many failed sign-ins for one username (or, against
// password spraying, ThrottleIP for one address) within ThrottleWindow
// refuse further attempts until the window passes.
const (
	ThrottleUser   = 5
	ThrottleIP     = 30
	ThrottleWindow = 15 * time.Minute
)

// Session is a signed-in console session. The cookie holds the token; the
// table holds only its hash.
type Session struct {
	ID         int64     `gorm:"column:id;primaryKey"`
	TokenHash  string    `gorm:"column:token_hash"`
	AccountID  int64     `gorm:"column:account_id"`
	CSRFToken  string    `gorm:"column:csrf_token"`
	UserAgent  string    `gorm:"column:user_agent"`
	IP         string    `gorm:"column:ip"`
	CreatedAt  time.Time `gorm:"column:created_at"`
	LastSeenAt time.Time `gorm:"column:last_seen_at"`
	ExpiresAt  time.Time `gorm:"column:expires_at"`

	Account Account `gorm:"-"`
}

// TableName maps Session to its table.
func (Session) TableName() string { return "staff_sessions" }

type attempt struct {
	ID        int64     `gorm:"column:id;primaryKey"`
	Username  string    `gorm:"column:username"`
	IP        string    `gorm:"column:ip"`
	Succeeded bool      `gorm:"column:succeeded"`
	CreatedAt time.Time `gorm:"column:created_at"`
}

func (attempt) TableName() string { return "login_attempts" }

// Errors of signing in.
var (
	ErrBadCredentials = errs.New(errs.KindUnauthenticated, "bad_credentials", "wrong username or password")
	ErrThrottled      = errs.New(errs.KindRateLimited, "too_many_attempts", "too many failed sign-ins; try again in 15 minutes")
	ErrNoSession      = errs.New(errs.KindUnauthenticated, "not_signed_in", "please sign in")
)

// SignIn checks a username and password and starts a session, returning
// its token for the cookie. Failures are counted; after too many the
// username (or the address) is refused for a while even with the right
// password, so guessing is slow.
func (s *Service) SignIn(ctx context.Context, username, password, ip, userAgent string) (token string, sess Session, err error) {
	username = strings.ToLower(strings.TrimSpace(username))
	since := s.now().Add(-ThrottleWindow)
	var byUser, byIP int64
	db := s.db.Conn(ctx)
	if err := db.Model(&attempt{}).Where("username = ? AND NOT succeeded AND created_at > ?", username, since).Count(&byUser).Error; err != nil {
		return "", Session{}, err
	}
	if err := db.Model(&attempt{}).Where("ip = ? AND NOT succeeded AND created_at > ?", ip, since).Count(&byIP).Error; err != nil {
		return "", Session{}, err
	}
	if byUser >= ThrottleUser || byIP >= ThrottleIP {
		return "", Session{}, ErrThrottled
	}
	var a Account
	err = db.Where("username = ? AND active", username).Take(&a).Error
	switch {
	case database.IsNotFound(err):
		// Spend the time a real check takes, so timing does not tell which usernames exist.
		bcrypt.CompareHashAndPassword(dummyHash, []byte(password))
	case err != nil:
		return "", Session{}, err
	default:
		err = bcrypt.CompareHashAndPassword([]byte(a.PasswordHash), []byte(password))
	}
	ok := err == nil
	if err := db.Create(&attempt{Username: username, IP: ip, Succeeded: ok, CreatedAt: s.now()}).Error; err != nil {
		return "", Session{}, err
	}
	if !ok {
		return "", Session{}, ErrBadCredentials
	}
	now := s.now()
	token = rand.Text() + rand.Text()
	sess = Session{TokenHash: hashToken(token), AccountID: a.ID, CSRFToken: rand.Text(), UserAgent: truncate(userAgent, 200),
		IP: ip, CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(IdleTimeout), Account: a}
	err = s.db.Tx(ctx, func(ctx context.Context) error {
		if err := s.db.Conn(ctx).Create(&sess).Error; err != nil {
			return err
		}
		return s.db.Conn(ctx).Model(&Account{}).Where("id = ?", a.ID).Update("last_login_at", now).Error
	})
	return token, sess, err
}

var dummyHash, _ = bcrypt.GenerateFromPassword([]byte("not anyone's password"), bcrypt.DefaultCost)

// Session returns the live session for a cookie's token, with its account,
// and extends its idle timeout (at most once a minute, to spare writes).
func (s *Service) Session(ctx context.Context, token string) (Session, error) {
	if token == "" {
		return Session{}, ErrNoSession
	}
	var sess Session
	err := s.db.Conn(ctx).Where("token_hash = ?", hashToken(token)).Take(&sess).Error
	if database.IsNotFound(err) {
		return Session{}, ErrNoSession
	}
	if err != nil {
		return Session{}, err
	}
	now := s.now()
	if !now.Before(sess.ExpiresAt) || now.Sub(sess.CreatedAt) > MaxLifetime {
		s.db.Conn(ctx).Delete(&Session{}, sess.ID)
		return Session{}, ErrNoSession
	}
	if sess.Account, err = s.Get(ctx, sess.AccountID); err != nil || !sess.Account.Active {
		return Session{}, ErrNoSession
	}
	if now.Sub(sess.LastSeenAt) > time.Minute {
		sess.LastSeenAt, sess.ExpiresAt = now, now.Add(IdleTimeout)
		if err := s.db.Conn(ctx).Model(&Session{}).Where("id = ?", sess.ID).
			Updates(map[string]any{"last_seen_at": now, "expires_at": sess.ExpiresAt}).Error; err != nil {
			return Session{}, err
		}
	}
	return sess, nil
}

// SignOut ends the session of a cookie's token.
func (s *Service) SignOut(ctx context.Context, token string) error {
	return s.db.Conn(ctx).Where("token_hash = ?", hashToken(token)).Delete(&Session{}).Error
}

// PruneSessions deletes ended sessions and old sign-in attempts.
func (s *Service) PruneSessions(ctx context.Context) error {
	now := s.now()
	if err := s.db.Conn(ctx).Where("expires_at < ? OR created_at < ?", now, now.Add(-MaxLifetime)).Delete(&Session{}).Error; err != nil {
		return err
	}
	return s.db.Conn(ctx).Where("created_at < ?", now.Add(-24*time.Hour)).Delete(&attempt{}).Error
}

func hashToken(t string) string {
	sum := sha256.Sum256([]byte(t))
	return hex.EncodeToString(sum[:])
}

func truncate(s string, n int) string {
	if len(s) > n {
		return strings.ToValidUTF8(s[:n], "")
	}
	return s
}
