package share

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"gorm.io/gorm/clause"

	"github.com/kaidian/kaidian/internal/errs"
)

// Widths of a mini-program code, in px (WeChat's getwxacodeunlimit: 280 to
// 1280, 430 when none is asked).
const (
	MinWidth     = 280
	MaxWidth     = 1280
	DefaultWidth = 430
)

// PrintWidths are the sizes the console offers for download: a chat
// thumbnail, WeChat's default, and two for print (a table card, a poster).
var PrintWidths = []int{280, 430, 860, 1280}

// drawTimeout bounds one WeChat call made for possibly many waiting
// requests, whichever of them asked first and however it ends.
const drawTimeout = 15 * time.Second

// Errors of codes.
var (
	ErrBadWidth = errs.Field("width", "invalid.range", "min", MinWidth, "max", MaxWidth)
	// ErrCodeUnavailable: WeChat did not draw the code (down, busy, or it
	// refused the page because the released mini program lacks it).
	ErrCodeUnavailable = errs.New(errs.KindUnavailable, "wechat_unavailable", "share.code_unavailable")
)

// Code is a mini-program code's image and the scene key it carries.
type Code struct {
	PNG   []byte
	Scene string
	Width int
}

// storedCode is a code WeChat drew, kept by (scene, width).
type storedCode struct {
	SceneKey  string    `gorm:"column:scene_key;primaryKey"`
	Width     int       `gorm:"column:width;primaryKey"`
	PNG       []byte    `gorm:"column:png"`
	CreatedAt time.Time `gorm:"column:created_at"`
}

func (storedCode) TableName() string { return "share_codes" }

// ShopperCode is the code a shopper shares (their own poster): it carries
// their reference as the share card does (RefFor). Page may be "" for the
// target's page; width 0 is DefaultWidth.
func (s *Service) ShopperCode(ctx context.Context, shopperID int64, page, target string, width int) (Code, error) {
	t, page, width, err := s.prepare(ctx, page, target, width)
	if err != nil {
		return Code{}, err
	}
	ref, err := s.RefFor(ctx, shopperID)
	if err != nil {
		return Code{}, err
	}
	return s.code(ctx, page, t, ref, width)
}

// Code is the code the merchant prints for a channel or a promoter (ref,
// checked by CheckRef), or for no one ("").
func (s *Service) Code(ctx context.Context, page, target, ref string, width int) (Code, error) {
	t, page, width, err := s.prepare(ctx, page, target, width)
	if err != nil {
		return Code{}, err
	}
	if err := s.CheckRef(ctx, ref); err != nil {
		return Code{}, err
	}
	return s.code(ctx, page, t, ref, width)
}

// prepare checks what a code is asked for, cheapest first: the width, the
// target's spelling, the page, then that the target exists.
func (s *Service) prepare(ctx context.Context, page, target string, width int) (Target, string, int, error) {
	if width == 0 {
		width = DefaultWidth
	}
	if width < MinWidth || width > MaxWidth {
		return Target{}, "", 0, ErrBadWidth
	}
	if target == "" {
		target = KindHome
	}
	t, err := ParseTarget(target)
	if err != nil {
		return Target{}, "", 0, err
	}
	if page, err = checkPage(page, t); err != nil {
		return Target{}, "", 0, err
	}
	return t, page, width, s.check(ctx, t)
}

// code returns the stored code of (page, target, ref) at width, asking
// WeChat the first time. Concurrent requests for one code on this replica
// share one WeChat call; replicas racing for a new code may each draw it
// once, and the first stored is the one every replica serves after.
func (s *Service) code(ctx context.Context, page string, t Target, ref string, width int) (Code, error) {
	key, err := s.d.Scenes.Key(ctx, page, t.String(), ref)
	if err != nil {
		return Code{}, err
	}
	png, ok, err := s.stored(ctx, key, width)
	if err != nil || ok {
		return Code{PNG: png, Scene: key, Width: width}, err
	}
	v, err, _ := s.drawing.Do(key+"/"+strconv.Itoa(width), func() (any, error) {
		// A request that began while the last one was storing finds it here.
		if png, ok, err := s.stored(ctx, key, width); err != nil || ok {
			return png, err
		}
		drawCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), drawTimeout)
		defer cancel()
		png, err := s.d.Drawer.DrawCode(drawCtx, key, page, width)
		if err != nil {
			return nil, errs.Wrap(ErrCodeUnavailable, err)
		}
		row := storedCode{SceneKey: key, Width: width, PNG: png, CreatedAt: s.d.Clock.Now()}
		if err := s.d.DB.Conn(drawCtx).Clauses(clause.OnConflict{DoNothing: true}).Create(&row).Error; err != nil {
			return nil, fmt.Errorf("store code %s/%d: %w", key, width, err)
		}
		return png, nil
	})
	if err != nil {
		return Code{}, err
	}
	return Code{PNG: v.([]byte), Scene: key, Width: width}, nil
}

func (s *Service) stored(ctx context.Context, key string, width int) ([]byte, bool, error) {
	var rows []storedCode
	if err := s.d.DB.Conn(ctx).Where("scene_key = ? AND width = ?", key, width).Limit(1).Find(&rows).Error; err != nil {
		return nil, false, fmt.Errorf("stored code %s/%d: %w", key, width, err)
	}
	if len(rows) == 0 {
		return nil, false, nil
	}
	return rows[0].PNG, true, nil
}
