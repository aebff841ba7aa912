package flashsale

import (
	"strings"
	"testing"
	"time"

	"github.com/kaidian/kaidian/internal/catalog"
	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/i18n"
)

var (
	start = time.Date(2026, 6, 18, 10, 0, 0, 0, time.UTC)
	end   = start.Add(time.Hour)
)

func TestPhaseAtByTheServersClock(t *testing.T) {
	ended := start.Add(10 * time.Minute)
	for _, tc := range []struct {
		name  string
		ended *time.Time
		now   time.Time
		want  Phase
	}{
		{"before the start", nil, start.Add(-time.Nanosecond), PhaseUpcoming},
		{"at the start", nil, start, PhaseLive},
		{"just before the end", nil, end.Add(-time.Nanosecond), PhaseLive},
		{"at the end, not yet swept", nil, end, PhaseEnded},
		{"ended early", &ended, start.Add(20 * time.Minute), PhaseEnded},
		{"ended before it started", &ended, start.Add(-time.Hour), PhaseEnded},
	} {
		s := Sale{StartsAt: start, EndsAt: end, EndedAt: tc.ended}
		if got := s.PhaseAt(tc.now); got != tc.want {
			t.Errorf("%s: phase %q, want %q", tc.name, got, tc.want)
		}
	}
	// The words are what the API and the console show.
	if PhaseUpcoming != "upcoming" || PhaseLive != "live" || PhaseEnded != "ended" {
		t.Errorf("phase words changed: %q %q %q", PhaseUpcoming, PhaseLive, PhaseEnded)
	}
}

func TestCheckWhatAShopperMayTry(t *testing.T) {
	v := View{Sale: Sale{StartsAt: start, EndsAt: end, PerShopperLimit: 2},
		Offers: []Offer{{SKUID: 1, Price: 990, Available: 0}, {SKUID: 2, Price: 1990, Available: 5}}}
	live := start.Add(time.Minute)
	for _, tc := range []struct {
		name     string
		now      time.Time
		sku      int64
		quantity int
		code     string // "" for allowed
	}{
		{"live, within the limit", live, 2, 2, ""},
		{"units left are the desk's business", live, 1, 1, ""},
		{"not started", start.Add(-time.Second), 2, 1, "not_started"},
		{"ended", end, 2, 1, "ended"},
		{"a SKU not in the sale", live, 3, 1, "flash_sale_sku"},
		{"over the limit", live, 2, 3, "limit_reached"},
	} {
		o, err := v.Check(tc.now, tc.sku, tc.quantity)
		switch {
		case tc.code != "" && !errs.Is(err, tc.code):
			t.Errorf("%s: error %v, want code %s", tc.name, err, tc.code)
		case tc.code == "" && (err != nil || o.SKUID != tc.sku):
			t.Errorf("%s: offer %+v, error %v", tc.name, o, err)
		}
	}
	if v.SoldOut() {
		t.Error("a sale with units left is sold out")
	}
	v.Offers[1].Available = 0
	if !v.SoldOut() {
		t.Error("a sale with no units left is not sold out")
	}
}

func TestInputValidation(t *testing.T) {
	good := func() Input {
		return Input{Title: "618", StartsAt: start, EndsAt: end, PerShopperLimit: 1, PayWindow: time.Minute,
			Items: []ItemInput{{SKUID: 1, Price: 990, Units: 10}}}
	}
	if err := good().validate(); err != nil {
		t.Fatalf("a good sale: %v", err)
	}
	many := make([]ItemInput, MaxItems+1)
	for i := range many {
		many[i] = ItemInput{SKUID: int64(i + 1), Price: 1, Units: 1}
	}
	for _, tc := range []struct {
		field  string
		change func(*Input)
	}{
		{"title", func(in *Input) { in.Title = "" }},
		{"title", func(in *Input) { in.Title = strings.Repeat("秒", MaxTitleRunes+1) }},
		{"starts_at", func(in *Input) { in.StartsAt = time.Time{} }},
		{"ends_at", func(in *Input) { in.EndsAt = in.StartsAt }},
		{"ends_at", func(in *Input) { in.EndsAt = in.StartsAt.Add(MaxLength + time.Second) }},
		{"per_shopper_limit", func(in *Input) { in.PerShopperLimit = 0 }},
		{"per_shopper_limit", func(in *Input) { in.PerShopperLimit = MaxLimit + 1 }},
		{"pay_window", func(in *Input) { in.PayWindow = MinPayWindow - time.Second }},
		{"pay_window", func(in *Input) { in.PayWindow = MaxPayWindow + time.Second }},
		{"items", func(in *Input) { in.Items = nil }},
		{"items", func(in *Input) { in.Items = many }},
		{"items[0].sku_id", func(in *Input) { in.Items[0].SKUID = 0 }},
		{"items[1].sku_id", func(in *Input) { in.Items = append(in.Items, in.Items[0]) }},
		{"items[0].price", func(in *Input) { in.Items[0].Price = 0 }},
		{"items[0].price", func(in *Input) { in.Items[0].Price = catalog.MaxPrice + 1 }},
		{"items[0].units", func(in *Input) { in.Items[0].Units = 0 }},
		{"items[0].units", func(in *Input) { in.Items[0].Units = MaxUnits + 1 }},
	} {
		in := good()
		tc.change(&in)
		err := in.validate()
		if e := errs.As(err); e == nil || e.Details["field"] != tc.field {
			t.Errorf("want an error on %s, got %v", tc.field, err)
		}
	}
	// The bounds themselves are allowed.
	in := good()
	in.Title, in.PerShopperLimit, in.PayWindow = strings.Repeat("秒", MaxTitleRunes), MaxLimit, MaxPayWindow
	in.EndsAt = in.StartsAt.Add(MaxLength)
	in.Items[0].Price, in.Items[0].Units = catalog.MaxPrice, MaxUnits
	if err := in.validate(); err != nil {
		t.Fatalf("a sale at every bound: %v", err)
	}
}

func TestNormalizedTrimsAndUsesUTC(t *testing.T) {
	shanghai := time.FixedZone("CST", 8*3600)
	in := Input{Title: "  618 ", StartsAt: start.In(shanghai), EndsAt: end.In(shanghai)}.normalized()
	if in.Title != "618" || in.StartsAt.Location() != time.UTC || !in.StartsAt.Equal(start) || !in.EndsAt.Equal(end) {
		t.Fatalf("normalized %+v", in)
	}
}

func TestDescribeForTheAuditLog(t *testing.T) {
	s := Sale{Title: "618", StartsAt: start, EndsAt: end, PerShopperLimit: 2, PaySeconds: 300,
		Items: []Item{{SKUID: 9, Allotted: 5, Price: 1990}, {SKUID: 3, Allotted: 10, Price: 990}}}
	want := `"618" 2026-06-18 18:00 – 2026-06-18 19:00, limit 2 per shopper, pay within 300s; ` +
		`SKU 3: 10 units at ¥9.90; SKU 9: 5 units at ¥19.90`
	if got := i18n.For(i18n.En).Msg(describe(s)); got != want {
		t.Fatalf("describe\n got %s\nwant %s", got, want)
	}
	zh := "“618”2026-06-18 18:00 至 2026-06-18 19:00，每人限购 2 件，300 秒内付款；" +
		"SKU 3：10 件，秒杀价 ¥9.90；SKU 9：5 件，秒杀价 ¥19.90"
	if got := i18n.For(i18n.ZhCN).Msg(describe(s)); got != zh {
		t.Fatalf("describe in Chinese\n got %s\nwant %s", got, zh)
	}
	if s.Items[0].SKUID != 9 {
		t.Fatal("describe reordered the sale's own items")
	}
}
