package order

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/kaidian/kaidian/internal/database"
	"github.com/kaidian/kaidian/internal/errs"
)

// Idempotency-Keys. Every request that takes one (placing an order at
// checkout or in a flash sale, paying an order) goes through the helpers
// here: CheckKey validates it, recallKeys finds what keys remember (one query
// for a whole flash batch), keyUse.answers decides whether a remembered key
// answers this request or was used with another one, and rememberKeys
// stores keys (one statement for a whole flash batch), turning a key a
// concurrent request stored first into errKeyTaken.

// KeyRetention is how long an Idempotency-Key is remembered: a retry within
// it returns the first order; after it the key is forgotten (as Stripe does).
const KeyRetention = 24 * time.Hour

// MaxKeyLength is the longest Idempotency-Key accepted.
const MaxKeyLength = 100

// errKeyTaken: a concurrent request stored the key first (ErrKeyReused, with
// the errors of placing an order, is the answer to a key used with another request).
var errKeyTaken = errors.New("idempotency key taken")

// CheckKey refuses an Idempotency-Key that is too long ("" is no key).
func CheckKey(key string) error {
	if len(key) > MaxKeyLength {
		return errs.Invalid("invalid_idempotency_key", "order.idempotency_key_length", "max", 100)
	}
	return nil
}

// scopePlace is the scope of the keys of placing orders (a key may be used
// once per scope; paying has its own).
const scopePlace = "orders.place"

// keyUse is one request carrying an Idempotency-Key: whose it is, the key,
// and the request's fingerprint (the same key with another request is refused).
type keyUse struct {
	shopperID int64
	key, hash string
}

// row is what the key remembers: the resource it created or the answer it gave.
func (u keyUse) row(scope string, resourceID int64, response string, now time.Time) idempotencyKey {
	return idempotencyKey{ShopperID: u.shopperID, Scope: scope, Key: u.key, RequestHash: u.hash,
		ResourceID: resourceID, Response: response, CreatedAt: now}
}

// answers reports whether the remembered key answers this request: it does
// when it came with the same request, and is ErrKeyReused otherwise.
func (u keyUse) answers(k *idempotencyKey) error {
	if k.RequestHash != u.hash {
		return ErrKeyReused
	}
	return nil
}

// recallKeys returns what each use's key remembers in scope (nil where the
// key is new), with one query however many uses there are.
func (s *Service) recallKeys(ctx context.Context, scope string, uses []keyUse) ([]*idempotencyKey, error) {
	shoppers, keys := make([]int64, len(uses)), make([]string, len(uses))
	for i, u := range uses {
		shoppers[i], keys[i] = u.shopperID, u.key
	}
	// Shoppers first, as the unique index has them; the pairs are matched below.
	var found []idempotencyKey
	err := s.db.Conn(ctx).Where("shopper_id IN ? AND scope = ? AND key IN ?", shoppers, scope, keys).Find(&found).Error
	if err != nil {
		return nil, fmt.Errorf("read idempotency keys: %w", err)
	}
	type owner struct {
		shopper int64
		key     string
	}
	known := make(map[owner]*idempotencyKey, len(found))
	for i := range found {
		known[owner{found[i].ShopperID, found[i].Key}] = &found[i]
	}
	out := make([]*idempotencyKey, len(uses))
	for i, u := range uses {
		out[i] = known[owner{u.shopperID, u.key}]
	}
	return out, nil
}

// rememberKeys stores the keys with one statement, inside the caller's
// transaction if any. A key already stored (by a concurrent request with
// it) fails the whole statement as errKeyTaken.
func (s *Service) rememberKeys(ctx context.Context, rows []idempotencyKey) error {
	if len(rows) == 0 {
		return nil
	}
	if err := s.db.Conn(ctx).Create(&rows).Error; err != nil {
		return duplicateAs(errKeyTaken, fmt.Errorf("remember idempotency keys: %w", err))
	}
	return nil
}

// bindKey records the resource a key claimed ahead of its work created.
func (s *Service) bindKey(ctx context.Context, claim *idempotencyKey, resourceID int64) error {
	if err := s.db.Conn(ctx).Model(claim).Update("resource_id", resourceID).Error; err != nil {
		return fmt.Errorf("bind idempotency key: %w", err)
	}
	return nil
}

// replay answers a repeated request with the order its key placed.
func (s *Service) replay(ctx context.Context, shopperID int64, key, hash string) (Order, error) {
	u := keyUse{shopperID: shopperID, key: key, hash: hash}
	k, err := s.recallKeys(ctx, scopePlace, []keyUse{u})
	switch {
	case err != nil:
		return Order{}, err
	case k[0] == nil:
		return Order{}, errors.New("read idempotency key: gone since it was taken") // pruned meanwhile
	}
	if err := u.answers(k[0]); err != nil {
		return Order{}, err
	}
	return s.byID(ctx, shopperID, k[0].ResourceID)
}

// duplicateAs marks a unique-index violation as the sentinel that says what
// was taken, keeping the database error (database.IsDuplicate still holds).
func duplicateAs(sentinel, err error) error {
	if database.IsDuplicate(err) {
		return fmt.Errorf("%w: %w", sentinel, err)
	}
	return err
}

type idempotencyKey struct {
	ID          int64     `gorm:"column:id;primaryKey"`
	ShopperID   int64     `gorm:"column:shopper_id"`
	Scope       string    `gorm:"column:scope"`
	Key         string    `gorm:"column:key"`
	RequestHash string    `gorm:"column:request_hash"`
	ResourceID  int64     `gorm:"column:resource_id"`
	Response    string    `gorm:"column:response"`
	CreatedAt   time.Time `gorm:"column:created_at"`
}

func (idempotencyKey) TableName() string { return "idempotency_keys" }

// RecallKey returns the answer the shopper's key gave in scope, if it gave
// one; a key used with another request (hash) is ErrKeyReused.
func (s *Service) RecallKey(ctx context.Context, shopperID int64, scope, key, hash string) (response string, found bool, err error) {
	u := keyUse{shopperID: shopperID, key: key, hash: hash}
	k, err := s.recallKeys(ctx, scope, []keyUse{u})
	switch {
	case err != nil:
		return "", false, err
	case k[0] == nil:
		return "", false, nil
	}
	if err := u.answers(k[0]); err != nil {
		return "", false, err
	}
	return k[0].Response, true, nil
}

// RememberKey stores the answer a key gave. If a concurrent request stored
// one first, that one stays (and both answers were equally valid).
func (s *Service) RememberKey(ctx context.Context, shopperID int64, scope, key, hash, response string) error {
	u := keyUse{shopperID: shopperID, key: key, hash: hash}
	err := s.rememberKeys(ctx, []idempotencyKey{u.row(scope, 0, response, s.clock.Now())})
	if errors.Is(err, errKeyTaken) {
		return nil
	}
	return err
}

// PruneKeys forgets idempotency keys older than KeyRetention and reports how many.
func (s *Service) PruneKeys(ctx context.Context) (int64, error) {
	res := s.db.Conn(ctx).Where("created_at < ?", s.clock.Now().Add(-KeyRetention)).Delete(&idempotencyKey{})
	return res.RowsAffected, res.Error
}
