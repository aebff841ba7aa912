package flashsale

import (
	"fmt"
	"strings"
	"time"

	"github.com/kaidian/kaidian/internal/catalog"
	"github.com/kaidian/kaidian/internal/errs"
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
		return errs.Field("title", fmt.Sprintf("must be 1 to %d characters", MaxTitleRunes))
	case in.StartsAt.IsZero():
		return errs.Field("starts_at", "is required")
	case !in.EndsAt.After(in.StartsAt):
		return errs.Field("ends_at", "must be after the start")
	case in.EndsAt.Sub(in.StartsAt) > MaxLength:
		return errs.Field("ends_at", "a flash sale lasts at most 31 days")
	case in.PerShopperLimit < 1 || in.PerShopperLimit > MaxLimit:
		return errs.Field("per_shopper_limit", fmt.Sprintf("must be from 1 to %d", MaxLimit))
	case in.PayWindow < MinPayWindow || in.PayWindow > MaxPayWindow:
		return errs.Field("pay_window", "must be from 10 seconds to 2 hours")
	case len(in.Items) == 0:
		return errs.Field("items", "add at least one SKU")
	case len(in.Items) > MaxItems:
		return errs.Field("items", fmt.Sprintf("at most %d SKUs per flash sale", MaxItems))
	}
	seen := map[int64]bool{}
	for i, it := range in.Items {
		field := fmt.Sprintf("items[%d]", i)
		switch {
		case it.SKUID <= 0:
			return errs.Field(field+".sku_id", "must be a positive id")
		case seen[it.SKUID]:
			return errs.Field(field+".sku_id", "each SKU only once")
		case it.Price <= 0 || it.Price > catalog.MaxPrice:
			// The catalog's cap keeps price × quantity (and an order's sums)
			// far inside int64; a flash price is no exception.
			return errs.Field(field+".price", fmt.Sprintf("must be more than zero and at most %d fen", catalog.MaxPrice))
		case it.Units < 1 || it.Units > MaxUnits:
			return errs.Field(field+".units", fmt.Sprintf("must be from 1 to %d", MaxUnits))
		}
		seen[it.SKUID] = true
	}
	return nil
}
