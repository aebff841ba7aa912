// Package channel keeps the shop's named traffic sources: a store window, a
// poster, a KOL's campaign, an event. Each has a short code that travels in
// share paths and mini-program codes ("channel:<code>"), so that visits and
// orders can be credited to it.
package channel

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/kaidian/kaidian/internal/audit"
	"github.com/kaidian/kaidian/internal/clock"
	"github.com/kaidian/kaidian/internal/database"
	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/i18n"
	"github.com/kaidian/kaidian/internal/shortcode"
)

// CodeLength is the length of a channel's code: 6 characters of a 31-letter
// alphabet, about 887 million codes, short enough for a poster's caption.
const CodeLength = 6

// Limits of what a merchant writes.
const (
	MaxNameRunes = 40
	MaxNoteRunes = 200
)

// Errors of channels.
var (
	ErrNotFound = errs.NotFound("channel_not_found", "channel.not_found")
)

// auditSubject is the audit log's subject type for channels.
const auditSubject = "channel"

// Channel is one named source of traffic.
type Channel struct {
	ID        int64     `gorm:"column:id;primaryKey"`
	Code      string    `gorm:"column:code"`
	Name      string    `gorm:"column:name"`
	Note      string    `gorm:"column:note"`
	Active    bool      `gorm:"column:active"`
	CreatedAt time.Time `gorm:"column:created_at"`
	UpdatedAt time.Time `gorm:"column:updated_at"`
}

// TableName maps Channel to its table.
func (Channel) TableName() string { return "channels" }

// Ref is the channel as a source reference, as share paths and orders carry it.
func (c Channel) Ref() string { return "channel:" + c.Code }

// Input is what the merchant edits.
type Input struct {
	Name   string
	Note   string
	Active bool
}

// Service creates, edits and finds channels.
type Service struct {
	db    *database.DB
	audit *audit.Log
	clock *clock.Clock
}

// New builds the service.
func New(db *database.DB, log *audit.Log, clk *clock.Clock) *Service {
	return &Service{db: db, audit: log, clock: clk}
}

func (in Input) check() (Input, error) {
	in.Name = strings.TrimSpace(in.Name)
	in.Note = strings.TrimSpace(in.Note)
	if n := utf8.RuneCountInString(in.Name); n == 0 || n > MaxNameRunes {
		return in, errs.Field("name", "invalid.length", "max", MaxNameRunes)
	}
	if utf8.RuneCountInString(in.Note) > MaxNoteRunes {
		return in, errs.Field("note", "invalid.max_length", "max", MaxNoteRunes)
	}
	return in, nil
}

// Create adds a channel with a fresh code, audited under actor.
func (s *Service) Create(ctx context.Context, actor string, in Input) (Channel, error) {
	in, err := in.check()
	if err != nil {
		return Channel{}, err
	}
	now := s.clock.Now()
	c := Channel{Name: in.Name, Note: in.Note, Active: in.Active, CreatedAt: now, UpdatedAt: now}
	for attempt := 0; ; attempt++ {
		c.ID, c.Code = 0, shortcode.New(CodeLength)
		err = s.db.Tx(ctx, func(ctx context.Context) error {
			if err := s.db.Conn(ctx).Create(&c).Error; err != nil {
				return err
			}
			return s.audit.Record(ctx, actor, "channel.create", auditSubject, c.ID, i18n.M("record.audit.channel_created", "name", c.Name, "code", c.Code))
		})
		if err != nil && database.IsDuplicate(err) && attempt < 3 {
			continue // a code drawn twice: draw again
		}
		if err != nil {
			return Channel{}, fmt.Errorf("create channel: %w", err)
		}
		return c, nil
	}
}

// Update changes a channel's name, note and whether it is active; its code
// never changes (it is printed on posters).
func (s *Service) Update(ctx context.Context, actor string, id int64, in Input) (Channel, error) {
	in, err := in.check()
	if err != nil {
		return Channel{}, err
	}
	var c Channel
	err = s.db.Tx(ctx, func(ctx context.Context) error {
		if c, err = s.Get(ctx, id); err != nil {
			return err
		}
		c.Name, c.Note, c.Active, c.UpdatedAt = in.Name, in.Note, in.Active, s.clock.Now()
		if err := s.db.Conn(ctx).Model(&Channel{}).Where("id = ?", id).
			Updates(map[string]any{"name": c.Name, "note": c.Note, "active": c.Active, "updated_at": c.UpdatedAt}).Error; err != nil {
			return err
		}
		return s.audit.Record(ctx, actor, "channel.update", auditSubject, c.ID, i18n.M("record.audit.channel_updated", "name", c.Name, "code", c.Code))
	})
	if err != nil {
		return Channel{}, fmt.Errorf("update channel: %w", err)
	}
	return c, nil
}

// Get finds a channel by id, or ErrNotFound.
func (s *Service) Get(ctx context.Context, id int64) (Channel, error) {
	var cs []Channel
	if err := s.db.Conn(ctx).Where("id = ?", id).Limit(1).Find(&cs).Error; err != nil {
		return Channel{}, fmt.Errorf("channel %d: %w", id, err)
	}
	if len(cs) == 0 {
		return Channel{}, ErrNotFound
	}
	return cs[0], nil
}

// ByCode finds a channel by its code, active or not (a visit through a
// stopped channel is still that channel's), or ErrNotFound. A string that
// cannot be a code is not looked up.
func (s *Service) ByCode(ctx context.Context, code string) (Channel, error) {
	if !shortcode.Valid(code, CodeLength) {
		return Channel{}, ErrNotFound
	}
	var cs []Channel
	if err := s.db.Conn(ctx).Where("code = ?", code).Limit(1).Find(&cs).Error; err != nil {
		return Channel{}, fmt.Errorf("channel %s: %w", code, err)
	}
	if len(cs) == 0 {
		return Channel{}, ErrNotFound
	}
	return cs[0], nil
}

// List returns every channel, newest first. Shops have tens of them, not
// thousands, so the console shows them on one page.
func (s *Service) List(ctx context.Context) ([]Channel, error) {
	var cs []Channel
	if err := s.db.Conn(ctx).Order("id DESC").Limit(1000).Find(&cs).Error; err != nil {
		return nil, fmt.Errorf("channels: %w", err)
	}
	return cs, nil
}
