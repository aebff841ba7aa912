package home

import (
	"context"
	"fmt"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/kaidian/kaidian/internal/catalog"
	"github.com/kaidian/kaidian/internal/coupon"
	"github.com/kaidian/kaidian/internal/flashsale"
)

// Page is the home page as a shopper sees it now.
type Page struct {
	Notice   string
	Banners  []Banner
	Sections []LiveSection
	At       time.Time // the time it was read at
}

// LiveSection is a section with what it shows; one of Products, FlashSales
// and Coupons is filled, by Kind.
type LiveSection struct {
	Section
	Products   []catalog.ProductSummary
	FlashSales []flashsale.View
	Coupons    []coupon.Coupon
}

// Layout is everything the editor shows: every banner and section, live or
// not, in order, and the notice.
type Layout struct {
	Notice   string
	Banners  []Banner
	Sections []Section
}

// Layout reads the editor's view: three statements, sent at once on
// connections of their own, so they cost one round trip of waiting.
func (s *Service) Layout(ctx context.Context) (Layout, error) {
	var l Layout
	var n notice
	var g errgroup.Group
	g.Go(func() error {
		if err := s.db.Conn(ctx).Where("id = 1").Limit(1).Find(&n).Error; err != nil {
			return fmt.Errorf("home: notice: %w", err)
		}
		return nil
	})
	g.Go(func() error {
		if err := s.db.Conn(ctx).Order("position, id").Find(&l.Banners).Error; err != nil {
			return fmt.Errorf("home: banners: %w", err)
		}
		return nil
	})
	g.Go(func() error {
		if err := s.db.Conn(ctx).Order("position, id").Find(&l.Sections).Error; err != nil {
			return fmt.Errorf("home: sections: %w", err)
		}
		return nil
	})
	if err := g.Wait(); err != nil {
		return Layout{}, err
	}
	l.Notice = n.Text
	return l, nil
}

// Live is the home page now: the live banners and sections in order, each
// section filled. Statements: three for the layout, one batch for every
// products section together (one round trip on PostgreSQL), one for the
// coupons when a coupons section is live; flash sales come from the flash
// sale service's own short-lived copy. A products section whose products
// are all off the shelf is left out rather than shown empty.
func (s *Service) Live(ctx context.Context) (Page, error) {
	l, err := s.Layout(ctx)
	if err != nil {
		return Page{}, err
	}
	now := s.clock.Now()
	p := Page{Notice: l.Notice, At: now, Banners: make([]Banner, 0, len(l.Banners))}
	for _, b := range l.Banners {
		if b.LiveAt(now) {
			p.Banners = append(p.Banners, b)
		}
	}
	var picks []catalog.Pick
	var pickAt []int
	couponLimit := 0
	for _, sec := range l.Sections {
		if !sec.LiveAt(now) {
			continue
		}
		switch sec.Kind {
		case KindProducts:
			picks = append(picks, catalog.Pick{Rule: sec.Rule, IDs: sec.ProductIDs.V, CategoryID: sec.CategoryID, Limit: sec.ItemLimit})
			pickAt = append(pickAt, len(p.Sections))
		case KindCoupons:
			couponLimit = max(couponLimit, sec.ItemLimit)
		}
		p.Sections = append(p.Sections, LiveSection{Section: sec})
	}
	if err := s.fill(ctx, &p, picks, pickAt, couponLimit); err != nil {
		return Page{}, err
	}
	kept := p.Sections[:0]
	for _, sec := range p.Sections {
		if len(sec.Products) > 0 || len(sec.FlashSales) > 0 || len(sec.Coupons) > 0 {
			kept = append(kept, sec)
		}
	}
	p.Sections = kept
	return p, nil
}

// fill reads what the live sections show: the products, the coupons and
// the flash sales at once, each on a connection of its own, so the page
// waits for the slowest rather than for their sum.
func (s *Service) fill(ctx context.Context, p *Page, picks []catalog.Pick, pickAt []int, couponLimit int) error {
	var (
		lists   [][]catalog.ProductSummary
		coupons []coupon.Coupon
		sales   []flashsale.View
		g       errgroup.Group
	)
	if len(picks) > 0 {
		g.Go(func() (err error) {
			lists, err = s.catalog.Picks(ctx, picks)
			return err
		})
	}
	if couponLimit > 0 {
		g.Go(func() (err error) {
			coupons, err = s.coupons.Claimable(ctx, couponLimit)
			return err
		})
	}
	for _, sec := range p.Sections {
		if sec.Kind == KindFlashSales {
			g.Go(func() (err error) {
				sales, err = s.flash.Current(ctx)
				return err
			})
			break
		}
	}
	if err := g.Wait(); err != nil {
		return err
	}
	for i, at := range pickAt {
		p.Sections[at].Products = lists[i]
	}
	for i := range p.Sections {
		sec := &p.Sections[i]
		switch sec.Kind {
		case KindCoupons:
			sec.Coupons = coupons[:min(len(coupons), sec.ItemLimit)]
		case KindFlashSales:
			sec.FlashSales = sales[:min(len(sales), sec.ItemLimit)]
		}
	}
	return nil
}

// Banner reads one banner, for the editor.
func (s *Service) Banner(ctx context.Context, id int64) (Banner, error) {
	var b Banner
	err := s.db.Conn(ctx).Where("id = ?", id).Take(&b).Error
	if err != nil {
		return Banner{}, notFound(err, ErrBannerNotFound.With("banner_id", id))
	}
	return b, nil
}

// Section reads one section, for the editor.
func (s *Service) Section(ctx context.Context, id int64) (Section, error) {
	var sec Section
	err := s.db.Conn(ctx).Where("id = ?", id).Take(&sec).Error
	if err != nil {
		return Section{}, notFound(err, ErrSectionNotFound.With("section_id", id))
	}
	return sec, nil
}
