package share

import (
	"strconv"
	"strings"

	"github.com/kaidian/kaidian/internal/errs"
)

// Kinds of target: what a share card or a code opens.
const (
	KindHome      = "home"
	KindProduct   = "product"
	KindFlashSale = "flash_sale"
	KindCoupon    = "coupon"
)

// pages are the mini program's pages a share can open, one per kind of
// target: the one list Kaidian, the sandbox (its released pages) and the
// reference mini program agree on. The home page comes first, as in
// app.json, where the first page is the one a code without a page opens.
var pages = []struct{ kind, page string }{
	{KindHome, "pages/index/index"},
	{KindProduct, "pages/product/index"},
	{KindFlashSale, "pages/flash/index"},
	{KindCoupon, "pages/coupon/index"},
}

// Pages lists the mini program's pages a share can open, home page first.
func Pages() []string {
	out := make([]string, len(pages))
	for i, p := range pages {
		out[i] = p.page
	}
	return out
}

// Errors of targets and pages (the target's own not-found errors are its
// domain's: product_not_found, flash_sale_not_found, coupon_not_found).
var (
	ErrBadTarget = errs.Field("target", "share.target_invalid")
	ErrBadPage   = errs.Field("page", "share.page_unknown")
	ErrPageOther = errs.Field("page", "share.page_other")
)

// Target is what a share opens: the home page, or a product, flash sale or
// coupon by id.
type Target struct {
	Kind string
	ID   int64 // 0 for home
}

// ParseTarget reads "home", "product:42", "flash_sale:7" or "coupon:3";
// anything else is ErrBadTarget.
func ParseTarget(s string) (Target, error) {
	if s == KindHome {
		return Target{Kind: KindHome}, nil
	}
	kind, id, ok := strings.Cut(s, ":")
	if !ok || (kind != KindProduct && kind != KindFlashSale && kind != KindCoupon) {
		return Target{}, ErrBadTarget
	}
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil || n <= 0 || strconv.FormatInt(n, 10) != id {
		return Target{}, ErrBadTarget // one spelling per target, so one scene key per target
	}
	return Target{Kind: kind, ID: n}, nil
}

// String is the target as scenes keep it: "product:42", "home".
func (t Target) String() string {
	if t.Kind == KindHome {
		return KindHome
	}
	return t.Kind + ":" + strconv.FormatInt(t.ID, 10)
}

// Page is the mini-program page that shows the target.
func (t Target) Page() string {
	for _, p := range pages {
		if p.kind == t.Kind {
			return p.page
		}
	}
	return pages[0].page
}

// Path is the page with the query that names the target and the sharer's
// reference, as onShareAppMessage takes it: "pages/product/index?id=42&ref=share:7".
// References are codes and numbers, nothing a query must escape.
func (t Target) Path(ref string) string {
	var q []string
	if t.Kind != KindHome {
		q = append(q, "id="+strconv.FormatInt(t.ID, 10))
	}
	if ref != "" {
		q = append(q, "ref="+ref)
	}
	if len(q) == 0 {
		return t.Page()
	}
	return t.Page() + "?" + strings.Join(q, "&")
}

// checkPage accepts the target's own page, or none (then the target's page
// is used): a code whose page shows something else than its target would
// open a page that cannot show it.
func checkPage(page string, t Target) (string, error) {
	switch {
	case page == "":
		return t.Page(), nil
	case page == t.Page():
		return page, nil
	}
	for _, p := range pages {
		if p.page == page {
			return "", ErrPageOther
		}
	}
	return "", ErrBadPage
}
