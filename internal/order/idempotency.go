package order

import (
	"context"
	"fmt"
	"time"
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
	CreatedAt   time.Time `gorm:"column:created_at"`
}

func (idempotencyKey) TableName() string { return "idempotency_keys" }

// PruneKeys forgets idempotency keys older than KeyRetention and reports how many.
func (s *Service) PruneKeys(ctx context.Context) (int64, error) {
	res := s.db.Conn(ctx).Where("created_at < ?", s.now().Add(-KeyRetention)).Delete(&idempotencyKey{})
	return res.RowsAffected, res.Error
}
