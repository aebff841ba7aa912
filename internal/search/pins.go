package search

import (
	"context"
	"fmt"
	"time"

	"github.com/kaidian/kaidian/internal/database"
	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/i18n"
)

// Pin is a word the merchant put at the top of the hot searches.
type Pin struct {
	ID        int64     `gorm:"column:id;primaryKey"`
	Word      string    `gorm:"column:word"`
	Norm      string    `gorm:"column:norm"`
	Position  int       `gorm:"column:position"`
	CreatedAt time.Time `gorm:"column:created_at"`
}

// TableName maps Pin to its table.
func (Pin) TableName() string { return "search_pins" }

// Errors of pinning.
var (
	ErrPinned       = errs.Conflict("search_word_pinned", "search.pinned")
	ErrTooManyPins  = errs.Rule("search_pins_full", "search.pins_full", "max", MaxPins)
	ErrPinNotFound  = errs.NotFound("search_pin_not_found", "search.pin_not_found")
	auditPinSubject = "search_pin"
)

// Pins returns the pinned words in their order.
func (s *Service) Pins(ctx context.Context) ([]Pin, error) {
	var out []Pin
	if err := s.db.Conn(ctx).Order("position, id").Find(&out).Error; err != nil {
		return nil, fmt.Errorf("search pins: %w", err)
	}
	return out, nil
}

// AddPin pins a word after the others, audited under actor. The same word
// (as searches compare it) cannot be pinned twice.
func (s *Service) AddPin(ctx context.Context, raw, actor string) (Pin, error) {
	w, norm, err := word(raw, "word")
	if err != nil {
		return Pin{}, err
	}
	p := Pin{Word: w, Norm: norm, CreatedAt: s.clock.Now()}
	err = s.db.Tx(ctx, func(ctx context.Context) error {
		var n, last int64
		if err := s.db.Conn(ctx).Model(&Pin{}).Select("COUNT(*), COALESCE(MAX(position), 0)").Row().Scan(&n, &last); err != nil {
			return err
		}
		if n >= MaxPins {
			return ErrTooManyPins
		}
		p.Position = int(last) + 1
		if err := s.db.Conn(ctx).Create(&p).Error; err != nil {
			if database.IsDuplicate(err) {
				return ErrPinned.With("word", w)
			}
			return err
		}
		return s.audit.Record(ctx, actor, "search.pin", auditPinSubject, p.ID, i18n.M("record.audit.search_pinned", "word", w))
	})
	if err != nil {
		return Pin{}, fmt.Errorf("pin search word: %w", err)
	}
	return p, nil
}

// RemovePin unpins a word, audited under actor.
func (s *Service) RemovePin(ctx context.Context, id int64, actor string) error {
	err := s.db.Tx(ctx, func(ctx context.Context) error {
		var ps []Pin
		if err := s.db.Conn(ctx).Where("id = ?", id).Limit(1).Find(&ps).Error; err != nil {
			return err
		}
		if len(ps) == 0 {
			return ErrPinNotFound.With("pin_id", id)
		}
		res := s.db.Conn(ctx).Where("id = ?", id).Delete(&Pin{})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 { // removed in between by someone else
			return ErrPinNotFound.With("pin_id", id)
		}
		return s.audit.Record(ctx, actor, "search.unpin", auditPinSubject, id, i18n.M("record.audit.search_unpinned", "word", ps[0].Word))
	})
	if err != nil {
		return fmt.Errorf("unpin search word: %w", err)
	}
	return nil
}

// MovePin swaps a pinned word with its neighbour above (up) or below,
// audited under actor; the first word moved up, or the last down, stays.
func (s *Service) MovePin(ctx context.Context, id int64, up bool, actor string) error {
	err := s.db.Tx(ctx, func(ctx context.Context) error {
		// The pins are few: read them all in order, under the write lock
		// the transaction takes on SQLite and the row locks on PostgreSQL.
		var ps []Pin
		if err := s.db.Locking(ctx).Order("position, id").Find(&ps).Error; err != nil {
			return err
		}
		at := -1
		for i, p := range ps {
			if p.ID == id {
				at = i
			}
		}
		if at < 0 {
			return ErrPinNotFound.With("pin_id", id)
		}
		other := at + 1
		if up {
			other = at - 1
		}
		if other < 0 || other >= len(ps) {
			return nil
		}
		// Positions are renumbered 1…n as they are swapped, so ties left by
		// concurrent adds never make a swap a no-op.
		ps[at], ps[other] = ps[other], ps[at]
		for i, p := range ps {
			if err := s.db.Conn(ctx).Model(&Pin{}).Where("id = ?", p.ID).Update("position", i+1).Error; err != nil {
				return err
			}
		}
		return s.audit.Record(ctx, actor, "search.move_pin", auditPinSubject, id,
			i18n.M("record.audit.search_moved", "word", ps[other].Word, "position", other+1))
	})
	if err != nil {
		return fmt.Errorf("move search word: %w", err)
	}
	return nil
}
