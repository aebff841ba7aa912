// Package share turns what a shopper or merchant shares into what WeChat
// carries: share cards for chats and Moments, and mini-program codes whose
// short "scene" stands for a page, a target and a source reference.
package share

import (
	"context"
	"fmt"
	"time"

	"github.com/kaidian/kaidian/internal/clock"
	"github.com/kaidian/kaidian/internal/database"
	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/shortcode"
)

// SceneKeyLength is the length of a scene key: far under the 32 characters
// WeChat allows in a code's scene, and 31^8 ≈ 8.5·10^11 keys, so a key
// cannot be guessed to find another's code.
const SceneKeyLength = 8

// ErrSceneNotFound answers a key no code was made for.
var ErrSceneNotFound = errs.NotFound("scene_not_found", "share.scene_not_found")

// Scene is what a mini-program code's scene key stands for.
type Scene struct {
	ID        int64     `gorm:"column:id;primaryKey"`
	Key       string    `gorm:"column:scene_key"`
	Page      string    `gorm:"column:page"`   // mini-program page, "pages/product/index"
	Target    string    `gorm:"column:target"` // "product:42", "flash_sale:7", "home", …
	Ref       string    `gorm:"column:ref"`    // source reference: "channel:AB12CD", "promoter:K7X2QD", "share:42"
	CreatedAt time.Time `gorm:"column:created_at"`
}

// TableName maps Scene to its table.
func (Scene) TableName() string { return "share_scenes" }

// Scenes issues and resolves scene keys.
type Scenes struct {
	db    *database.DB
	clock *clock.Clock
}

// NewScenes builds the scene keys' service.
func NewScenes(db *database.DB, clk *clock.Clock) *Scenes {
	return &Scenes{db: db, clock: clk}
}

// Key returns the scene key for page, target and ref, issuing one the first
// time: the same triple always gets the same key, so a code printed once
// stays valid and the table grows with distinct codes only. Two requests
// racing for a new triple both end with the one key the database kept.
func (s *Scenes) Key(ctx context.Context, page, target, ref string) (string, error) {
	for attempt := 0; attempt < 4; attempt++ {
		if sc, ok, err := s.find(ctx, "page = ? AND target = ? AND ref = ?", page, target, ref); err != nil || ok {
			return sc.Key, err
		}
		sc := Scene{Key: shortcode.New(SceneKeyLength), Page: page, Target: target, Ref: ref, CreatedAt: s.clock.Now()}
		err := s.db.Conn(ctx).Create(&sc).Error
		if err == nil {
			return sc.Key, nil
		}
		if !database.IsDuplicate(err) {
			return "", fmt.Errorf("scene key: %w", err)
		}
		// Either the triple was inserted meanwhile (found on the next turn)
		// or the key was drawn twice (drawn again).
	}
	return "", fmt.Errorf("scene key for %s %s %s: no free key after 4 draws", page, target, ref)
}

// Resolve finds what a scene key stands for, or ErrSceneNotFound.
func (s *Scenes) Resolve(ctx context.Context, key string) (Scene, error) {
	if !shortcode.Valid(key, SceneKeyLength) {
		return Scene{}, ErrSceneNotFound
	}
	sc, ok, err := s.find(ctx, "scene_key = ?", key)
	if err != nil {
		return Scene{}, err
	}
	if !ok {
		return Scene{}, ErrSceneNotFound
	}
	return sc, nil
}

func (s *Scenes) find(ctx context.Context, where string, args ...any) (Scene, bool, error) {
	var scs []Scene
	if err := s.db.Conn(ctx).Where(where, args...).Limit(1).Find(&scs).Error; err != nil {
		return Scene{}, false, fmt.Errorf("scene: %w", err)
	}
	if len(scs) == 0 {
		return Scene{}, false, nil
	}
	return scs[0], true, nil
}
