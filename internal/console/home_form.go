package console

import (
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/kaidian/kaidian/internal/catalog"
	"github.com/kaidian/kaidian/internal/clock"
	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/home"
)

// The banner form has one input per kind of link target (a product id, a
// category and a flash sale to choose from, a page path); only the chosen
// type's input is read, and an error about the link shows beside it.
var bannerLinkInputs = map[home.LinkType]string{
	home.LinkProduct: "link_product", home.LinkCategory: "link_category", home.LinkFlashSale: "link_flash_sale",
}

// readBanner turns the banner form into a draft; uploaded is the image
// just uploaded, if any, which replaces the one the form held.
func readBanner(f *Form, uploaded []string) (home.BannerDraft, error) {
	d := home.BannerDraft{Image: f.Get("image"), Title: f.Get("title"), LinkType: home.LinkType(f.Get("link_type")),
		LinkPage: f.Get("link_page")}
	if len(uploaded) > 0 {
		d.Image = uploaded[0]
		f.Values.Set("image", d.Image) // a refused form keeps the new image
	}
	var err error
	if input, ok := bannerLinkInputs[d.LinkType]; ok {
		if d.LinkID, err = homeID("link_id", f.Get(input)); err != nil {
			return d, err
		}
	}
	d.Schedule, err = readSchedule(f)
	return d, err
}

// failBanner records err on the form, a link error beside the chosen input.
func failBanner(f *Form, err error) *Form {
	f.Fail(err)
	if msg, ok := f.Errors["link_id"]; ok {
		delete(f.Errors, "link_id")
		f.Errors[bannerLinkInputs[home.LinkType(f.Get("link_type"))]] = msg
	}
	return f
}

func bannerValues(b home.Banner) url.Values {
	v := url.Values{"image": {b.Image}, "title": {b.Title}, "link_type": {string(b.LinkType)}, "link_page": {b.LinkPage}}
	if input, ok := bannerLinkInputs[b.LinkType]; ok {
		v.Set(input, strconv.FormatInt(b.LinkID, 10))
	}
	scheduleValues(v, b.Schedule)
	return v
}

// readSection turns the section form into a draft.
func readSection(f *Form) (home.SectionDraft, error) {
	d := home.SectionDraft{Kind: home.Kind(f.Get("kind")), Title: f.Get("title"), Rule: catalog.PickRule(f.Get("rule"))}
	var err error
	if d.Rule == catalog.PickChosen {
		if d.ProductIDs, err = couponIDs("product_ids", f.Get("product_ids")); err != nil {
			return d, err
		}
	}
	if d.Rule == catalog.PickCategory {
		if d.CategoryID, err = homeID("category_id", f.Get("category_id")); err != nil {
			return d, err
		}
	}
	if d.ItemLimit, err = couponInt("item_limit", f.Get("item_limit")); err != nil {
		return d, err
	}
	d.Schedule, err = readSchedule(f)
	return d, err
}

func sectionValues(s home.Section) url.Values {
	ids := make([]string, len(s.ProductIDs.V))
	for i, id := range s.ProductIDs.V {
		ids[i] = strconv.FormatInt(id, 10)
	}
	v := url.Values{"kind": {string(s.Kind)}, "title": {s.Title}, "rule": {string(s.Rule)},
		"product_ids": {strings.Join(ids, ", ")}, "item_limit": {strconv.Itoa(s.ItemLimit)}}
	if s.CategoryID > 0 {
		v.Set("category_id", strconv.FormatInt(s.CategoryID, 10))
	}
	scheduleValues(v, s.Schedule)
	return v
}

// newSectionValues is a fresh section: the six newest products, shown now.
func newSectionValues() url.Values {
	return url.Values{"kind": {string(home.KindProducts)}, "rule": {string(catalog.PickNewest)}, "item_limit": {"6"}, "enabled": {"on"}}
}

// readSchedule reads the enabled switch and the optional window, typed in
// shop time like every console time.
func readSchedule(f *Form) (home.Schedule, error) {
	s := home.Schedule{Enabled: f.Get("enabled") == "on"}
	for _, w := range []struct {
		field string
		to    **time.Time
	}{{"starts_at", &s.StartsAt}, {"ends_at", &s.EndsAt}} {
		t, err := couponTime(w.field, f.Get(w.field))
		if err != nil {
			return s, err
		}
		if !t.IsZero() {
			*w.to = &t
		}
	}
	return s, nil
}

func scheduleValues(v url.Values, s home.Schedule) {
	if s.Enabled {
		v.Set("enabled", "on")
	}
	if s.StartsAt != nil {
		v.Set("starts_at", s.StartsAt.In(clock.China).Format(couponTimeLayout))
	}
	if s.EndsAt != nil {
		v.Set("ends_at", s.EndsAt.In(clock.China).Format(couponTimeLayout))
	}
}

// homeID reads an id from an input; blank is 0, which the domain refuses
// with its own message.
func homeID(field, s string) (int64, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, nil
	}
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, errs.Field(field, "invalid.positive_id")
	}
	return id, nil
}
