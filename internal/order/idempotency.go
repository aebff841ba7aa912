package order

import (
	"context"
	"fmt"
	"time"

	"github.com/kaidian/kaidian/internal/database"
)

// KeyRetention is how long an Idempotency-Key is remembered: a retry within
// it returns the first order; after it the key is forgotten (as Stripe does).
const KeyRetention = 24 * time.Hour

// replay answers a repeated request with the order the key created.
func (s *Service) replay(ctx context.Context, shopperID int64, key, hash string) (Order, error) {
	var k idempotencyKey
	err := s.db.Conn(ctx).Where("shopper_id = ? AND scope = ? AND key = ?", shopperID, scopePlace, key).Take(&k).Error
	if err != nil {
		return Order{}, fmt.Errorf("read idempotency key: %w", err)
	}
	if k.RequestHash != hash {
		return Order{}, ErrKeyReused
	}
	return s.byID(ctx, shopperID, k.ResourceID)
}

const scopePlace = "orders.place"

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

// KeyRecord is what an Idempotency-Key remembers for a request other than
// placing an order (paying one): the request it came with and the answer.
type KeyRecord struct {
	RequestHash, Response string
}

// RecallKey returns what the shopper's key remembers in scope, if anything.
func (s *Service) RecallKey(ctx context.Context, shopperID int64, scope, key string) (KeyRecord, bool, error) {
	var k idempotencyKey
	err := s.db.Conn(ctx).Where("shopper_id = ? AND scope = ? AND key = ?", shopperID, scope, key).Take(&k).Error
	if database.IsNotFound(err) {
		return KeyRecord{}, false, nil
	}
	if err != nil {
		return KeyRecord{}, false, fmt.Errorf("read idempotency key: %w", err)
	}
	return KeyRecord{RequestHash: k.RequestHash, Response: k.Response}, true, nil
}

// RememberKey stores the answer a key gave. If a concurrent request stored
// one first, that one stays (and both answers were equally valid).
func (s *Service) RememberKey(ctx context.Context, shopperID int64, scope, key string, rec KeyRecord) error {
	err := s.db.Conn(ctx).Create(&idempotencyKey{ShopperID: shopperID, Scope: scope, Key: key,
		RequestHash: rec.RequestHash, Response: rec.Response, CreatedAt: s.clock.Now()}).Error
	if database.IsDuplicate(err) {
		return nil
	}
	return err
}

// PruneKeys forgets idempotency keys older than KeyRetention and reports how many.
func (s *Service) PruneKeys(ctx context.Context) (int64, error) {
	res := s.db.Conn(ctx).Where("created_at < ?", s.clock.Now().Add(-KeyRetention)).Delete(&idempotencyKey{})
	return res.RowsAffected, res.Error
}
