package home

import (
	"context"
	"fmt"
	"time"

	"github.com/kaidian/kaidian/internal/database"
	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/i18n"
)

// Every edit takes the notice row's lock first (PostgreSQL; SQLite writes
// are serial anyway), so counts checked against MaxBanners and MaxSections
// and positions handed out hold under concurrent editors.

// SaveBanner creates a banner (id 0, placed last) or updates one; actor is
// the merchant who did it.
func (s *Service) SaveBanner(ctx context.Context, actor string, id int64, d BannerDraft) (Banner, error) {
	d = d.normalized()
	if err := d.validate(); err != nil {
		return Banner{}, err
	}
	check := func(ctx context.Context) error { return s.checkLink(ctx, d) }
	return save(ctx, s, actor, id, banners, check, func(b *Banner, now time.Time) {
		b.Image, b.Title, b.LinkType, b.LinkID, b.LinkPage, b.Schedule = d.Image, d.Title, d.LinkType, d.LinkID, d.LinkPage, d.Schedule
		b.UpdatedAt = now
	})
}

// SaveSection creates a section (id 0, placed last) or updates one.
func (s *Service) SaveSection(ctx context.Context, actor string, id int64, d SectionDraft) (Section, error) {
	d = d.normalized()
	if err := d.validate(); err != nil {
		return Section{}, err
	}
	check := func(ctx context.Context) error { return s.checkSection(ctx, d) }
	return save(ctx, s, actor, id, sections, check, func(sec *Section, now time.Time) {
		ids := d.ProductIDs
		if ids == nil {
			ids = []int64{}
		}
		sec.Kind, sec.Title, sec.Rule, sec.ProductIDs, sec.CategoryID = d.Kind, d.Title, d.Rule, database.JSON[[]int64]{V: ids}, d.CategoryID
		sec.ItemLimit, sec.Schedule, sec.UpdatedAt = d.ItemLimit, d.Schedule, now
	})
}

// DeleteBanner removes a banner.
func (s *Service) DeleteBanner(ctx context.Context, actor string, id int64) (Banner, error) {
	return remove[Banner](ctx, s, actor, id, banners)
}

// DeleteSection removes a section.
func (s *Service) DeleteSection(ctx context.Context, actor string, id int64) (Section, error) {
	return remove[Section](ctx, s, actor, id, sections)
}

// SetNotice replaces the notice line ("" takes it down).
func (s *Service) SetNotice(ctx context.Context, actor, text string) error {
	text = trimNotice(text)
	if n := len([]rune(text)); n > MaxNoticeRunes {
		return errs.Field("notice", "invalid.max_length", "max", MaxNoticeRunes)
	}
	return s.db.Tx(ctx, func(ctx context.Context) error {
		res := s.db.Conn(ctx).Model(&notice{}).Where("id = 1").Updates(map[string]any{"text": text, "updated_at": s.clock.Now()})
		if res.Error != nil {
			return fmt.Errorf("home: notice: %w", res.Error)
		}
		detail := i18n.M("home.record.notice", "text", text)
		if text == "" {
			detail = i18n.M("home.record.notice_cleared")
		}
		return s.audit.Record(ctx, actor, "home.notice", "home_notice", 1, detail)
	})
}

// Move swaps a banner or section with its neighbour above (up) or below;
// at the top or bottom it stays. what is "banner" or "section".
func (s *Service) Move(ctx context.Context, actor, what string, id int64, up bool) error {
	l := banners
	if what == sections.name {
		l = sections
	}
	return s.db.Tx(ctx, func(ctx context.Context) error {
		if err := s.db.LockRow(ctx, "home_notice", 1); err != nil {
			return err
		}
		var rows []struct {
			ID       int64 `gorm:"column:id"`
			Position int   `gorm:"column:position"`
		}
		if err := s.db.Conn(ctx).Raw("SELECT id, position FROM " + l.table + " ORDER BY position, id").Scan(&rows).Error; err != nil {
			return fmt.Errorf("home: move: %w", err)
		}
		at := -1
		for i, r := range rows {
			if r.ID == id {
				at = i
			}
		}
		other := at + 1
		if up {
			other = at - 1
		}
		switch {
		case at < 0:
			return l.gone(id)
		case other < 0 || other >= len(rows):
			return nil
		}
		// Positions are rewritten as 1..n in the new order, so ties left by
		// concurrent creates on an older version resolve too.
		rows[at], rows[other] = rows[other], rows[at]
		for i, r := range rows {
			if r.Position != i+1 || i == at || i == other {
				if err := s.db.Conn(ctx).Exec("UPDATE "+l.table+" SET position = ? WHERE id = ?", i+1, r.ID).Error; err != nil {
					return fmt.Errorf("home: move: %w", err)
				}
			}
		}
		return s.audit.Record(ctx, actor, "home.move", l.subject, id, i18n.M("home.record.moved", "id", id, "position", other+1))
	})
}

// nextPosition is one past the last position in table, and how many rows it has.
func (s *Service) nextPosition(ctx context.Context, table string) (int, int, error) {
	var r struct {
		Last int `gorm:"column:last"`
		N    int `gorm:"column:n"`
	}
	if err := s.db.Conn(ctx).Raw("SELECT COALESCE(MAX(position), 0) AS last, COUNT(*) AS n FROM " + table).Scan(&r).Error; err != nil {
		return 0, 0, fmt.Errorf("home: position: %w", err)
	}
	return r.Last + 1, r.N, nil
}

// checkLink refuses a banner linking to a product, category or flash sale
// that does not exist.
func (s *Service) checkLink(ctx context.Context, d BannerDraft) error {
	var found bool
	switch d.LinkType {
	case LinkProduct:
		t, err := s.catalog.ProductTitles(ctx, []int64{d.LinkID})
		if err != nil {
			return err
		}
		_, found = t[d.LinkID]
	case LinkCategory:
		t, err := s.catalog.CategoryNames(ctx, []int64{d.LinkID})
		if err != nil {
			return err
		}
		_, found = t[d.LinkID]
	case LinkFlashSale:
		_, err := s.flash.Get(ctx, d.LinkID)
		if err != nil && !errs.Is(err, "flash_sale_not_found") {
			return err
		}
		found = err == nil
	default:
		return nil
	}
	if !found {
		return errs.Field("link_id", "home.link_unknown", "id", d.LinkID)
	}
	return nil
}

// checkSection refuses picked products or a category that do not exist.
func (s *Service) checkSection(ctx context.Context, d SectionDraft) error {
	switch {
	case len(d.ProductIDs) > 0:
		t, err := s.catalog.ProductTitles(ctx, d.ProductIDs)
		if err != nil {
			return err
		}
		for _, id := range d.ProductIDs {
			if _, ok := t[id]; !ok {
				return errs.Field("product_ids", "home.product_unknown", "id", id)
			}
		}
	case d.CategoryID > 0:
		t, err := s.catalog.CategoryNames(ctx, []int64{d.CategoryID})
		if err != nil {
			return err
		}
		if _, ok := t[d.CategoryID]; !ok {
			return errs.Field("category_id", "home.category_unknown", "id", d.CategoryID)
		}
	}
	return nil
}

// notFound turns gorm's "record not found" (or nothing found) into gone.
func notFound(err error, gone *errs.Error) error {
	if err == nil || database.IsNotFound(err) {
		return gone
	}
	return fmt.Errorf("home: %w", err)
}
