package share

import (
	"testing"

	"github.com/kaidian/kaidian/internal/errs"
)

// TestTargets: each spelling a target may have, the page that shows it and
// the path a share opens; everything else is refused, so one target has
// one spelling (and one scene key).
func TestTargets(t *testing.T) {
	for _, tc := range []struct {
		in, page, anon, shared string
	}{
		{"home", "pages/index/index", "pages/index/index", "pages/index/index?ref=share:7"},
		{"product:42", "pages/product/index", "pages/product/index?id=42", "pages/product/index?id=42&ref=share:7"},
		{"flash_sale:7", "pages/flash/index", "pages/flash/index?id=7", "pages/flash/index?id=7&ref=share:7"},
		{"coupon:3", "pages/coupon/index", "pages/coupon/index?id=3", "pages/coupon/index?id=3&ref=share:7"},
	} {
		got, err := ParseTarget(tc.in)
		if err != nil || got.String() != tc.in || got.Page() != tc.page || got.Path("") != tc.anon || got.Path("share:7") != tc.shared {
			t.Errorf("%s: %+v %v, page %s, paths %s %s", tc.in, got, err, got.Page(), got.Path(""), got.Path("share:7"))
		}
	}
	for _, bad := range []string{"", "Home", "home:1", "product", "product:", "product:0", "product:-3", "product:+3",
		"product:03", "product: 3", "product:3 ", "product:3.0", "product:9223372036854775808", "order:1", ":1", "coupon:1:2"} {
		if _, err := ParseTarget(bad); !errs.Is(err, "invalid_field") {
			t.Errorf("ParseTarget(%q) = %v, want invalid_field", bad, err)
		}
	}
}

// TestCheckPage: a code's page is its target's own, or none (then the
// target's); a page of the mini program showing something else and a page
// outside it are refused differently.
func TestCheckPage(t *testing.T) {
	product := Target{Kind: KindProduct, ID: 42}
	for _, tc := range []struct {
		page, want string
		err        error
	}{
		{"", "pages/product/index", nil},
		{"pages/product/index", "pages/product/index", nil},
		{"pages/index/index", "", ErrPageOther},
		{"pages/flash/index", "", ErrPageOther},
		{"pages/secret/index", "", ErrBadPage},
		{"/pages/product/index", "", ErrBadPage},
		{"pages/product/index?id=42", "", ErrBadPage},
	} {
		got, err := checkPage(tc.page, product)
		if got != tc.want || err != tc.err {
			t.Errorf("checkPage(%q) = %q, %v; want %q, %v", tc.page, got, err, tc.want, tc.err)
		}
	}
	if ps := Pages(); len(ps) != 4 || ps[0] != "pages/index/index" {
		t.Errorf("Pages() = %v: the home page must come first", ps)
	}
}
