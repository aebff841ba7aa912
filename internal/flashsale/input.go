package flashsale

import (
	"fmt"
	"strings"
	"time"

	"github.com/kaidian/kaidian/internal/catalog"
	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/money"
)

// Bounds on what a merchant may schedule.
const (
	MaxTitleRunes = 60
	MaxItems      = 20
	MaxUnits      = 1_000_000
	MaxLimit      = 99
	MinPayWindow  = 10 * time.Second
	MaxPayWindow  = 2 * time.Hour
	MaxLength     = 31 * 24 * time.Hour
)

// Input is a sale as the merchant describes it.
type Input struct {
	Title           string
	StartsAt        time.Time
	EndsAt          time.Time
	PerShopperLimit int
	PayWindow       time.Duration
	Items           []ItemInput
}

// ItemInput is one SKU offered: its flash price and the units allotted.
type ItemInput struct {
	SKUID int64
	Price int64 // fen
	Units int64
}

func (in Input) normalized() Input {
	in.Title = strings.TrimSpace(in.Title)
	in.StartsAt, in.EndsAt = in.StartsAt.UTC(), in.EndsAt.UTC()
	return in
}

func (in Input) validate() error {
	n := len([]rune(in.Title))
	switch {
	case n == 0 || n > MaxTitleRunes:
		return errs.Field("title", "invalid.length", "max", MaxTitleRunes)
	case in.StartsAt.IsZero():
		return errs.Field("starts_at", "invalid.required")
	case !in.EndsAt.After(in.StartsAt):
		return errs.Field("ends_at", "invalid.after_start")
	case in.EndsAt.Sub(in.StartsAt) > MaxLength:
		return errs.Field("ends_at", "flashsale.max_days")
	case in.PerShopperLimit < 1 || in.PerShopperLimit > MaxLimit:
		return errs.Field("per_shopper_limit", "invalid.range", "min", 1, "max", MaxLimit)
	case in.PayWindow < MinPayWindow || in.PayWindow > MaxPayWindow:
		return errs.Field("pay_window", "flashsale.pay_window")
	case len(in.Items) == 0:
		return errs.Field("items", "flashsale.items_required")
	case len(in.Items) > MaxItems:
		return errs.Field("items", "flashsale.items_max", "max", MaxItems)
	}
	seen := map[int64]bool{}
	for i, it := range in.Items {
		field := fmt.Sprintf("items[%d]", i)
		switch {
		case it.SKUID <= 0:
			return errs.Field(field+".sku_id", "invalid.positive_id")
		case seen[it.SKUID]:
			return errs.Field(field+".sku_id", "flashsale.sku_once")
		case it.Price <= 0 || it.Price > catalog.MaxPrice:
			// The catalog's cap keeps price × quantity (and an order's sums)
			// far inside int64; a flash price is no exception.
			return errs.Field(field+".price", "flashsale.price", "max", money.Yuan(catalog.MaxPrice))
		case it.Units < 1 || it.Units > MaxUnits:
			return errs.Field(field+".units", "invalid.range", "min", 1, "max", MaxUnits)
		}
		seen[it.SKUID] = true
	}
	return nil
}
