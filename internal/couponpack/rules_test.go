package couponpack

import (
	"strings"
	"testing"
	"time"

	"github.com/kaidian/kaidian/internal/coupon"
	"github.com/kaidian/kaidian/internal/errs"
)

func validDraft() Draft {
	start := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	return Draft{Name: "拼手气券", Total: 1000, Count: 5, MinAmount: 100, Scope: coupon.ScopeShop, ValidDays: 7,
		OnPaid: true, PerShopper: 1, PackHours: 24, StartsAt: start, EndsAt: start.AddDate(0, 0, 7)}
}

// TestDraftRules: each rule refuses its draft naming its field; the tight
// cases on the edge pass.
func TestDraftRules(t *testing.T) {
	for _, c := range []struct {
		name  string
		edit  func(*Draft)
		field string // "" passes
	}{
		{"valid", func(*Draft) {}, ""},
		{"minimums exactly the total", func(d *Draft) { d.MinAmount = 200 }, ""},
		{"threshold exactly the largest coupon", func(d *Draft) { d.Threshold = 600 }, ""},
		{"blank name", func(d *Draft) { d.Name = "  " }, "name"},
		{"long name", func(d *Draft) { d.Name = strings.Repeat("券", coupon.MaxNameRunes+1) }, "name"},
		{"no coupons", func(d *Draft) { d.Count = 0 }, "count"},
		{"over a hundred coupons", func(d *Draft) { d.Count = MaxCount + 1; d.Total = MaxTotal }, "count"},
		{"zero minimum", func(d *Draft) { d.MinAmount = 0 }, "least"},
		{"negative total", func(d *Draft) { d.Total = -1 }, "total"},
		{"total over the most", func(d *Draft) { d.Total = MaxTotal + 1 }, "total"},
		{"minimums over the total", func(d *Draft) { d.MinAmount = 201 }, "total"},
		{"huge minimum, no overflow", func(d *Draft) { d.MinAmount = MaxTotal; d.Count = MaxCount }, "total"},
		{"negative threshold", func(d *Draft) { d.Threshold = -1 }, "threshold"},
		{"threshold below the largest coupon", func(d *Draft) { d.Threshold = 599 }, "threshold"},
		{"no validity", func(d *Draft) { d.ValidDays = 0 }, "valid_days"},
		{"negative minimum order", func(d *Draft) { d.MinOrder = -1 }, "min_order"},
		{"no packs per shopper", func(d *Draft) { d.PerShopper = 0 }, "per_shopper"},
		{"open over a week", func(d *Draft) { d.PackHours = MaxPackHours + 1 }, "pack_hours"},
		{"ends before it starts", func(d *Draft) { d.EndsAt = d.StartsAt.Add(-time.Hour) }, "ends_at"},
	} {
		t.Run(c.name, func(t *testing.T) {
			d := validDraft()
			c.edit(&d)
			err := d.normalized().validate()
			if c.field == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			if e := errs.As(err); e == nil || e.Details["field"] != c.field {
				t.Fatalf("got %v, want an error on %s", err, c.field)
			}
		})
	}
}

// TestLuckiest: the largest amount; between equals the earliest grab
// (grabs come in grab order); none for no grabs.
func TestLuckiest(t *testing.T) {
	grabs := []Slot{{ID: 1, Amount: 30}, {ID: 2, Amount: 50}, {ID: 3, Amount: 50}, {ID: 4, Amount: 20}}
	if got := Luckiest(grabs); got == nil || got.ID != 2 {
		t.Fatalf("luckiest %+v, want slot 2 (50, first of the two)", got)
	}
	if Luckiest(nil) != nil {
		t.Fatal("luckiest of no grabs")
	}
}
