package console

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/kaidian/kaidian/internal/catalogio"
	"github.com/kaidian/kaidian/internal/clock"
	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/flashsale"
	"github.com/kaidian/kaidian/internal/money"
)

// The flash sale form has a few SKU rows — a SKU code or id, the flash
// price in yuan and the units allotted — and a button that looks the typed
// SKUs up (showing each one's title, regular price and stock) and adds more
// rows, up to the sale's limit. Rows are named rows[i].*; the domain names
// its items items[j].*, counting only the filled rows, so its errors are
// mapped back to the row they are about.

// flashBlankRows is how many empty rows the form offers, and how many the
// look-up button adds.
const flashBlankRows = 3

// maxPayMinutes bounds the payment window typed in minutes (the domain's
// own bound is flashsale.MaxPayWindow).
const maxPayMinutes = 120

// flashRow is one SKU row of the form as typed, with the SKU it names once
// looked up.
type flashRow struct {
	Index             int
	SKU, Price, Units string              // as typed: a SKU code or id, yuan, units
	Found             *catalogio.StockRow // the SKU named; nil when none (or not typed)
	Allotted          int64               // units of it the sale being edited holds already
}

// Field is the form name of one of the row's inputs, e.g. rows[2].units.
func (r flashRow) Field(name string) string { return fmt.Sprintf("rows[%d].%s", r.Index, name) }

// Blank reports whether nothing was typed in the row.
func (r flashRow) Blank() bool {
	return strings.TrimSpace(r.SKU) == "" && strings.TrimSpace(r.Price) == "" && strings.TrimSpace(r.Units) == ""
}

// Available is how many units the row's SKU can give the sale: its stock,
// plus what the sale being edited already holds of it.
func (r flashRow) Available() int64 {
	if r.Found == nil {
		return 0
	}
	return r.Found.Stock + r.Allotted
}

// readFlashRows reads the SKU rows as posted, at most flashsale.MaxItems.
func readFlashRows(v url.Values) []flashRow {
	var rows []flashRow
	for i := range flashsale.MaxItems {
		r := flashRow{Index: i}
		if _, ok := v[r.Field("sku")]; !ok {
			break
		}
		r.SKU, r.Price, r.Units = v.Get(r.Field("sku")), v.Get(r.Field("price")), v.Get(r.Field("units"))
		rows = append(rows, r)
	}
	return rows
}

// saleRows are a saved sale's items as form rows, naming each SKU by id
// until it is looked up.
func saleRows(s flashsale.Sale) []flashRow {
	rows := make([]flashRow, len(s.Items))
	for i, it := range s.Items {
		rows[i] = flashRow{Index: i, SKU: "#" + strconv.FormatInt(it.SKUID, 10), Price: money.Decimal(it.Price),
			Units: strconv.FormatInt(it.Allotted, 10)}
	}
	return rows
}

// padRows drops blank rows when compact, numbers the rows in order again,
// and adds blank ones until the form offers n, within flashsale.MaxItems.
func padRows(rows []flashRow, n int, compact bool) []flashRow {
	out := make([]flashRow, 0, len(rows)+n)
	for _, r := range rows {
		if compact && r.Blank() {
			continue
		}
		r.Index = len(out)
		out = append(out, r)
	}
	blank := 0
	for i := len(out) - 1; i >= 0 && out[i].Blank(); i-- {
		blank++
	}
	for ; blank < n && len(out) < flashsale.MaxItems; blank++ {
		out = append(out, flashRow{Index: len(out)})
	}
	return out
}

// lookUpRows finds the SKU each row names: by code (what the inventory
// page shows), else by id ("12", or "#12" for an id only). sale is the
// sale being edited, whose units already allotted count as available.
func (h *handlers) lookUpRows(ctx context.Context, rows []flashRow, sale *flashsale.Sale) error {
	var codes []string
	for _, r := range rows {
		if s := strings.TrimSpace(r.SKU); s != "" && !strings.HasPrefix(s, "#") {
			codes = append(codes, s)
		}
	}
	byCode, err := h.d.Catalog.SKUsByCode(ctx, codes)
	if err != nil {
		return err
	}
	allotted := map[int64]int64{}
	if sale != nil {
		for _, it := range sale.Items {
			allotted[it.SKUID] = it.Allotted
		}
	}
	found := map[int64]*catalogio.StockRow{} // at most MaxItems look-ups by key
	for i := range rows {
		s := strings.TrimSpace(rows[i].SKU)
		id, err := strconv.ParseInt(strings.TrimPrefix(s, "#"), 10, 64)
		if k, ok := byCode[s]; ok {
			id, err = k.ID, nil
		}
		if err != nil || id <= 0 {
			continue
		}
		k, seen := found[id]
		if !seen {
			row, err := h.d.CatalogIO.StockOf(ctx, id, 0)
			switch {
			case err == nil:
				k = &row
			case errs.As(err).Kind != errs.KindNotFound:
				return err
			}
			found[id] = k
		}
		rows[i].Found, rows[i].Allotted = k, allotted[id]
	}
	return nil
}

// readFlash turns the form into the domain's Input. Items[j] comes from
// rows[used[j]], so the domain's errors can be shown at the right row.
func readFlash(f *Form, rows []flashRow) (in flashsale.Input, used []int, err error) {
	in.Title = f.Get("title")
	if in.StartsAt, err = couponTime("starts_at", f.Get("starts_at")); err != nil {
		return in, nil, err
	}
	if in.EndsAt, err = couponTime("ends_at", f.Get("ends_at")); err != nil {
		return in, nil, err
	}
	if in.PerShopperLimit, err = couponInt("per_shopper_limit", f.Get("per_shopper_limit")); err != nil {
		return in, nil, err
	}
	minutes, err := couponInt("pay_minutes", f.Get("pay_minutes"))
	if err == nil && (minutes < 1 || minutes > maxPayMinutes) {
		err = errs.Field("pay_minutes", "console.pay_minutes", "max", maxPayMinutes)
	}
	if err != nil {
		return in, nil, err
	}
	in.PayWindow = time.Duration(minutes) * time.Minute
	for i, r := range rows {
		if r.Blank() {
			continue
		}
		it, err := r.item()
		if err != nil {
			return in, used, err
		}
		in.Items, used = append(in.Items, it), append(used, i)
	}
	return in, used, nil
}

// item reads one filled row.
func (r flashRow) item() (flashsale.ItemInput, error) {
	var it flashsale.ItemInput
	switch {
	case strings.TrimSpace(r.SKU) == "":
		return it, errs.Field(r.Field("sku"), "console.sku_required")
	case r.Found == nil:
		return it, errs.Field(r.Field("sku"), "console.sku_unknown")
	}
	price, err := parseFen(r.Field("price"), r.Price)
	if err != nil {
		return it, err
	}
	units, err := strconv.ParseInt(strings.TrimSpace(r.Units), 10, 64)
	if err != nil {
		return it, errs.Field(r.Field("units"), "invalid.whole_number")
	}
	return flashsale.ItemInput{SKUID: r.Found.SKUID, Price: price, Units: units}, nil
}

// domainItem matches the domain's names for an item's fields.
var domainItem = regexp.MustCompile(`^items\[(\d+)\]\.(\w+)$`)

// failFlash records err on the form next to the input it is about: the
// domain's item fields at their row, pay_window at the minutes, a SKU short
// of stock at its units (with how many it has); and marks every row whose
// SKU was not found.
func failFlash(f *Form, rows []flashRow, used []int, err error) *Form {
	f.Fail(err)
	moved := map[string]string{}
	for field, msg := range f.Errors {
		m := domainItem.FindStringSubmatch(field)
		if m == nil {
			continue
		}
		j, _ := strconv.Atoi(m[1])
		if j >= len(used) {
			continue
		}
		delete(f.Errors, field)
		name := strings.TrimSuffix(m[2], "_id") // sku_id is typed in the row's sku input
		moved[rows[used[j]].Field(name)] = msg
	}
	for field, msg := range moved {
		f.Errors[field] = msg
	}
	if msg, ok := f.Errors["pay_window"]; ok {
		delete(f.Errors, "pay_window")
		f.Errors["pay_minutes"] = msg
	}
	if e := errs.As(err); e.Code == "out_of_stock" {
		sku, _ := e.Details["sku_id"].(int64)
		for _, r := range rows {
			if r.Found != nil && r.Found.SKUID == sku && !r.Blank() {
				f.Errors[r.Field("units")] = f.p.T("console.flash_form.only_in_stock", "n", r.Available())
				f.Error = f.p.T("console.flash_form.not_enough_stock")
			}
		}
	}
	return markUnknown(f, rows)
}

// markUnknown notes next to each row that its SKU was not found (in place
// of any other error on that input: a code that names nothing is the one to fix).
func markUnknown(f *Form, rows []flashRow) *Form {
	for _, r := range rows {
		if strings.TrimSpace(r.SKU) != "" && r.Found == nil {
			f.Errors[r.Field("sku")] = f.p.T("console.flash_form.unknown_sku")
		}
	}
	return f
}

// flashValues fills the form from a saved sale, for editing.
func flashValues(s flashsale.Sale) url.Values {
	return url.Values{"title": {s.Title},
		"starts_at": {s.StartsAt.In(clock.China).Format(couponTimeLayout)}, "ends_at": {s.EndsAt.In(clock.China).Format(couponTimeLayout)},
		"per_shopper_limit": {strconv.Itoa(s.PerShopperLimit)}, "pay_minutes": {strconv.Itoa((s.PaySeconds + 59) / 60)}}
}

// newFlashValues is a fresh form: an hour from the next full hour, one unit
// per shopper, five minutes to pay.
func newFlashValues(now time.Time) url.Values {
	start := now.In(clock.China).Truncate(time.Hour).Add(time.Hour)
	return url.Values{"starts_at": {start.Format(couponTimeLayout)}, "ends_at": {start.Add(time.Hour).Format(couponTimeLayout)},
		"per_shopper_limit": {"1"}, "pay_minutes": {"5"}}
}
