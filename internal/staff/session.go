package staff

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"time"

	"github.com/kaidian/kaidian/internal/database"
)

// Session lifetimes: a session ends after IdleTimeout without use, and
// after MaxLifetime whatever happens.
const (
	IdleTimeout = 12 * time.Hour
	MaxLifetime = 7 * 24 * time.Hour
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
	now := s.clock.Now()
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

// PruneSessions deletes ended sessions, throttling buckets whose window has
// passed and browsers unused for DeviceLifetime.
func (s *Service) PruneSessions(ctx context.Context) error {
	now := s.clock.Now()
	if err := s.db.Conn(ctx).Where("expires_at < ? OR created_at < ?", now, now.Add(-MaxLifetime)).Delete(&Session{}).Error; err != nil {
		return err
	}
	return s.pruneThrottle(ctx, now)
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
