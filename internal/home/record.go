package home

import (
	"strings"

	"github.com/kaidian/kaidian/internal/i18n"
)

// bannerRecord is what the audit log keeps of a banner: its title, where
// it links and whether it shows.
func bannerRecord(b Banner) i18n.Msg {
	return i18n.M("home.record.banner", "id", b.ID, "title", b.Title, "link", linkRecord(b), "state", stateRecord(b.Schedule))
}

func linkRecord(b Banner) i18n.Msg {
	switch b.LinkType {
	case LinkPage:
		return i18n.M("home.record.link_page", "path", b.LinkPage)
	case LinkProduct:
		return i18n.M("home.record.link_product", "id", b.LinkID)
	case LinkCategory:
		return i18n.M("home.record.link_category", "id", b.LinkID)
	case LinkFlashSale:
		return i18n.M("home.record.link_flash_sale", "id", b.LinkID)
	}
	return i18n.M("home.record.link_none")
}

// sectionRecord is what the audit log keeps of a section.
func sectionRecord(s Section) i18n.Msg {
	return i18n.M("home.record.section", "id", s.ID, "title", s.Title, "kind", kindRecord[s.Kind],
		"limit", s.ItemLimit, "state", stateRecord(s.Schedule))
}

var kindRecord = map[Kind]i18n.Msg{
	KindProducts:   i18n.M("home.record.kind_products"),
	KindFlashSales: i18n.M("home.record.kind_flash_sales"),
	KindCoupons:    i18n.M("home.record.kind_coupons"),
}

func stateRecord(s Schedule) i18n.Msg {
	if s.Enabled {
		return i18n.M("home.record.enabled")
	}
	return i18n.M("home.record.disabled")
}

// trimNotice keeps the notice on one line: the mini program shows it in a
// single scrolling strip.
func trimNotice(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
