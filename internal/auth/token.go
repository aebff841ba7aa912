// Package auth issues and checks the shopper tokens of the mini-program API
// (HS256 JWTs) and runs the WeChat login that leads to one.
package auth

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/kaidian/kaidian/internal/clock"
	"github.com/kaidian/kaidian/internal/database"
	"github.com/kaidian/kaidian/internal/errs"
)

const issuer = "kaidian"

// ErrUnauthenticated is the answer to a missing, malformed, tampered or expired token.
var ErrUnauthenticated = errs.New(errs.KindUnauthenticated, "unauthenticated", "auth.unauthenticated")

// Tokens signs and verifies shopper tokens.
type Tokens struct {
	key   []byte
	ttl   time.Duration
	clock *clock.Clock

	// verified remembers tokens that passed Verify, so a shopper's next
	// requests with the same token skip parsing it again: decoding the
	// header and claims, unmarshalling them and the HMAC were ~12% of the
	// server's CPU in a flash sale, where answers are otherwise cheap. The
	// key is the whole token, so only the very bytes that were checked
	// match; an entry is used only before its expiry, read against the
	// clock on every request. Bounded: when full it is emptied and fills
	// again from the requests that follow.
	mu       sync.RWMutex
	verified map[string]verifiedToken
}

type verifiedToken struct {
	shopperID int64
	expires   time.Time
}

// maxVerified bounds the tokens remembered (a token is ~170 bytes: ~4 MB).
const maxVerified = 1 << 14

// NewTokens uses secret as the HMAC key; tokens live for ttl.
func NewTokens(secret []byte, ttl time.Duration, clk *clock.Clock) *Tokens {
	return &Tokens{key: secret, ttl: ttl, clock: clk, verified: make(map[string]verifiedToken)}
}

// Issue returns a signed token for the shopper and its lifetime in seconds.
func (t *Tokens) Issue(shopperID int64) (string, int64, error) {
	return t.IssueAt(shopperID, t.clock.Now())
}

// IssueAt is Issue as if it were the given time (tests of expired tokens).
func (t *Tokens) IssueAt(shopperID int64, now time.Time) (string, int64, error) {
	claims := jwt.RegisteredClaims{
		Issuer:    issuer,
		Subject:   strconv.FormatInt(shopperID, 10),
		IssuedAt:  jwt.NewNumericDate(now),
		ExpiresAt: jwt.NewNumericDate(now.Add(t.ttl)),
	}
	s, err := jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString(t.key)
	if err != nil {
		return "", 0, fmt.Errorf("auth: sign token: %w", err)
	}
	return s, int64(t.ttl / time.Second), nil
}

// Verify returns the shopper id a valid token was issued for.
func (t *Tokens) Verify(token string) (int64, error) {
	now := t.clock.Now()
	t.mu.RLock()
	v, ok := t.verified[token]
	t.mu.RUnlock()
	if ok && now.Before(v.expires) {
		return v.shopperID, nil
	}
	id, claims, err := t.parse(token)
	if err != nil {
		return 0, err
	}
	// A token with a not-before time would have to be checked against it
	// as well; Kaidian issues none, so such a token is simply not kept.
	if claims.NotBefore == nil {
		t.mu.Lock()
		if len(t.verified) >= maxVerified {
			clear(t.verified)
		}
		t.verified[token] = verifiedToken{shopperID: id, expires: claims.ExpiresAt.Time}
		t.mu.Unlock()
	}
	return id, nil
}

// parse checks the token's signature, issuer and expiry.
func (t *Tokens) parse(token string) (int64, jwt.RegisteredClaims, error) {
	var claims jwt.RegisteredClaims
	_, err := jwt.ParseWithClaims(token, &claims, func(*jwt.Token) (any, error) { return t.key, nil },
		jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}),
		jwt.WithIssuer(issuer),
		jwt.WithExpirationRequired(),
		jwt.WithTimeFunc(t.clock.Now),
	)
	if err != nil {
		return 0, claims, ErrUnauthenticated
	}
	id, err := strconv.ParseInt(claims.Subject, 10, 64)
	if err != nil || id <= 0 {
		return 0, claims, ErrUnauthenticated
	}
	return id, claims, nil
}

// SigningKey returns the configured secret, or the key this shop generated for
// itself on first start, kept in the database so every replica signs alike.
func SigningKey(ctx context.Context, db *database.DB, configured string) ([]byte, error) {
	if configured != "" {
		return []byte(configured), nil
	}
	type secret struct {
		Name      string    `gorm:"column:name;primaryKey"`
		Value     string    `gorm:"column:value"`
		CreatedAt time.Time `gorm:"column:created_at"`
	}
	const name = "jwt_signing_key"
	var got secret
	err := db.Conn(ctx).Table("app_secrets").Where("name = ?", name).Take(&got).Error
	if err == nil {
		return base64.StdEncoding.DecodeString(got.Value)
	}
	if !database.IsNotFound(err) {
		return nil, err
	}
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return nil, err
	}
	fresh := secret{Name: name, Value: base64.StdEncoding.EncodeToString(b), CreatedAt: time.Now().UTC()}
	if err := db.Conn(ctx).Table("app_secrets").Create(&fresh).Error; err != nil && !database.IsDuplicate(err) {
		return nil, err
	} else if err != nil {
		// Another replica created it first: use theirs.
		return SigningKey(ctx, db, configured)
	}
	return b, nil
}
