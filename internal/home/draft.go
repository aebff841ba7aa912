package home

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/kaidian/kaidian/internal/catalog"
	"github.com/kaidian/kaidian/internal/errs"
)

// Limits of the home page. A carousel of more than ten images is never
// seen to its end, and a page of twenty sections is already a long scroll.
const (
	MaxBanners        = 10
	MaxSections       = 20
	MaxBannerTitle    = 40
	MaxSectionTitle   = 20
	MaxNoticeRunes    = 200
	MaxImageURL       = 500
	MaxPagePath       = 200
	MaxSectionItems   = catalog.MaxPick
	MaxPromotionItems = 20 // flash sales or coupons in one section
)

// BannerDraft is what the merchant fills in for a banner.
type BannerDraft struct {
	Image    string
	Title    string
	LinkType LinkType
	LinkID   int64
	LinkPage string
	Schedule
}

// SectionDraft is what the merchant fills in for a section. Fields another
// kind or rule would use are cleared, so a section never keeps stale ids.
type SectionDraft struct {
	Kind       Kind
	Title      string
	Rule       catalog.PickRule
	ProductIDs []int64
	CategoryID int64
	ItemLimit  int
	Schedule
}

func (d BannerDraft) normalized() BannerDraft {
	d.Image, d.Title, d.LinkPage = strings.TrimSpace(d.Image), strings.TrimSpace(d.Title), strings.TrimSpace(d.LinkPage)
	switch d.LinkType {
	case LinkPage:
		d.LinkID = 0
	case LinkNone:
		d.LinkID, d.LinkPage = 0, ""
	default:
		d.LinkPage = ""
	}
	d.Schedule = d.Schedule.normalized()
	return d
}

// validate checks a normalized draft; each error names its field. That the
// linked product, category or flash sale exists is checked by the service.
func (d BannerDraft) validate() error {
	switch {
	case d.Image == "":
		return errs.Field("image", "home.image_required")
	case utf8.RuneCountInString(d.Image) > MaxImageURL || !imageURL(d.Image):
		return errs.Field("image", "home.image_url")
	case utf8.RuneCountInString(d.Title) > MaxBannerTitle:
		return errs.Field("title", "invalid.max_length", "max", MaxBannerTitle)
	}
	switch d.LinkType {
	case LinkNone:
	case LinkProduct, LinkCategory, LinkFlashSale:
		if d.LinkID <= 0 {
			return errs.Field("link_id", "invalid.positive_id")
		}
	case LinkPage:
		if d.LinkPage == "" || utf8.RuneCountInString(d.LinkPage) > MaxPagePath || !pagePath(d.LinkPage) {
			return errs.Field("link_page", "home.page_path", "max", MaxPagePath)
		}
	default:
		return errs.Field("link_type", "home.link_type_invalid")
	}
	return d.Schedule.validate()
}

// imageURL accepts an image the shop serves itself (/uploads/… that the
// console stored, /static/… of the demo shop) or one on HTTPS: the mini
// program only loads images over HTTPS from the shop's domains, so
// anything else would show as a blank box.
func imageURL(s string) bool {
	own := strings.HasPrefix(s, "/uploads/") || strings.HasPrefix(s, "/static/")
	return (own || strings.HasPrefix(s, "https://")) && !strings.Contains(s, "..") && !strings.ContainsAny(s, " \t\r\n\"'<>\\")
}

// pagePath accepts a mini program page path, as wx.navigateTo takes it.
func pagePath(s string) bool {
	return strings.HasPrefix(s, "/") && !strings.HasPrefix(s, "//") && !strings.ContainsAny(s, " \t\r\n\"'<>\\")
}

func (d SectionDraft) normalized() SectionDraft {
	d.Title = strings.TrimSpace(d.Title)
	if d.Kind != KindProducts {
		d.Rule = ""
	}
	if d.Rule != catalog.PickChosen {
		d.ProductIDs = nil
	} else {
		d.ProductIDs = dedupe(d.ProductIDs)
	}
	if d.Rule != catalog.PickCategory {
		d.CategoryID = 0
	}
	d.Schedule = d.Schedule.normalized()
	return d
}

func (d SectionDraft) validate() error {
	switch {
	case d.Kind != KindProducts && d.Kind != KindFlashSales && d.Kind != KindCoupons:
		return errs.Field("kind", "home.section_kind")
	case utf8.RuneCountInString(d.Title) > MaxSectionTitle:
		return errs.Field("title", "invalid.max_length", "max", MaxSectionTitle)
	}
	most := MaxPromotionItems
	if d.Kind == KindProducts {
		most = MaxSectionItems
		switch d.Rule {
		case catalog.PickChosen:
			switch {
			case len(d.ProductIDs) == 0:
				return errs.Field("product_ids", "home.products_required")
			case len(d.ProductIDs) > MaxSectionItems:
				return errs.Field("product_ids", "home.products_max", "max", MaxSectionItems)
			case d.ProductIDs[0] <= 0:
				return errs.Field("product_ids", "home.ids_positive")
			}
		case catalog.PickNewest, catalog.PickBestSellers:
		case catalog.PickCategory:
			if d.CategoryID <= 0 {
				return errs.Field("category_id", "invalid.positive_id")
			}
		default:
			return errs.Field("rule", "home.rule_invalid")
		}
	}
	if d.ItemLimit < 1 || d.ItemLimit > most {
		return errs.Field("item_limit", "invalid.range", "min", 1, "max", most)
	}
	return d.Schedule.validate()
}

func (s Schedule) normalized() Schedule {
	utc := func(t *time.Time) *time.Time {
		if t == nil || t.IsZero() {
			return nil
		}
		u := t.UTC()
		return &u
	}
	s.StartsAt, s.EndsAt = utc(s.StartsAt), utc(s.EndsAt)
	return s
}

func (s Schedule) validate() error {
	if s.StartsAt != nil && s.EndsAt != nil && !s.EndsAt.After(*s.StartsAt) {
		return errs.Field("ends_at", "invalid.after_start")
	}
	return nil
}

// dedupe keeps the first of each id, in order (the merchant's order is the
// section's).
func dedupe(ids []int64) []int64 {
	seen := make(map[int64]bool, len(ids))
	out := make([]int64, 0, len(ids))
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	// A non-positive id is refused by validate, which looks at the first:
	// put any such id first so it cannot hide behind good ones.
	for i, id := range out {
		if id <= 0 {
			out[0], out[i] = out[i], out[0]
			break
		}
	}
	return out
}
