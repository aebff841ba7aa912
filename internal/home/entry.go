package home

import (
	"context"
	"fmt"
	"time"

	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/i18n"
)

// list is one of the home page's two ordered lists, banners or sections:
// what saving, deleting and moving an entry need to know of it.
type list struct {
	name    string // "banner" or "section", as Move and error texts name it
	table   string
	subject string // the audit log's subject
	max     int    // how many entries it may hold
	full    string // the message when it holds max
	gone    func(id int64) *errs.Error
}

var (
	banners = list{name: "banner", table: "home_banners", subject: "home_banner", max: MaxBanners, full: "home.banners_max",
		gone: func(id int64) *errs.Error { return ErrBannerNotFound.With("banner_id", id) }}
	sections = list{name: "section", table: "home_sections", subject: "home_section", max: MaxSections, full: "home.sections_max",
		gone: func(id int64) *errs.Error { return ErrSectionNotFound.With("section_id", id) }}
)

// entry is a banner or a section, as save and remove handle both.
type entry[T any] interface {
	*T
	place(position int, now time.Time) // a new entry, last in its list
	audited() (int64, i18n.Msg)        // its id and what the audit log keeps of it
}

func (b *Banner) place(position int, now time.Time) { b.Position, b.CreatedAt = position, now }
func (b *Banner) audited() (int64, i18n.Msg)        { return b.ID, bannerRecord(*b) }

func (s *Section) place(position int, now time.Time) { s.Position, s.CreatedAt = position, now }
func (s *Section) audited() (int64, i18n.Msg)        { return s.ID, sectionRecord(*s) }

// save creates an entry of l (id 0, placed last, refused when l is full)
// or updates one, with fill setting what the merchant edited; check runs
// first, in the transaction, for what the draft refers to; then the notice
// row's lock (see edit.go).
func save[T any, P entry[T]](ctx context.Context, s *Service, actor string, id int64, l list, check func(context.Context) error, fill func(P, time.Time)) (T, error) {
	var row T
	err := s.db.Tx(ctx, func(ctx context.Context) error {
		if err := check(ctx); err != nil {
			return err
		}
		if err := s.db.LockRow(ctx, "home_notice", 1); err != nil {
			return err
		}
		now := s.clock.Now()
		action := "home.update"
		if id == 0 {
			action = "home.create"
			pos, n, err := s.nextPosition(ctx, l.table)
			switch {
			case err != nil:
				return err
			case n >= l.max:
				return errs.Rule("home_full", l.full, "max", l.max)
			}
			P(&row).place(pos, now)
		} else if err := s.db.Conn(ctx).Where("id = ?", id).Take(&row).Error; err != nil {
			return notFound(err, l.gone(id))
		}
		fill(&row, now)
		if err := s.db.Conn(ctx).Save(&row).Error; err != nil {
			return fmt.Errorf("home: save %s: %w", l.name, err)
		}
		id, record := P(&row).audited()
		return s.audit.Record(ctx, actor, action, l.subject, id, record)
	})
	return row, err
}

// remove deletes an entry of l, audited with what it was.
func remove[T any, P entry[T]](ctx context.Context, s *Service, actor string, id int64, l list) (T, error) {
	var row T
	err := s.db.Tx(ctx, func(ctx context.Context) error {
		if err := s.db.Conn(ctx).Where("id = ?", id).Take(&row).Error; err != nil {
			return notFound(err, l.gone(id))
		}
		if res := s.db.Conn(ctx).Where("id = ?", id).Delete(new(T)); res.Error != nil || res.RowsAffected != 1 {
			return notFound(res.Error, l.gone(id))
		}
		_, record := P(&row).audited()
		return s.audit.Record(ctx, actor, "home.delete", l.subject, id, record)
	})
	return row, err
}
