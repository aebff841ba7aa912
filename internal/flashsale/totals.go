package flashsale

import "github.com/kaidian/kaidian/internal/errs"

// UnitTotals are a sale's units summed over its SKUs.
type UnitTotals struct {
	Allotted, Available, Held, Sold int64
}

// UnitTotals sums the units of the sale's items as loaded.
func (s Sale) UnitTotals() UnitTotals {
	var t UnitTotals
	for _, it := range s.Items {
		t.Allotted += it.Allotted
		t.Available += it.Available
		t.Held += it.Held
		t.Sold += it.Sold
	}
	return t
}

// ParsePhase reads a list's phase filter: upcoming, live or ended; empty
// means every phase.
func ParsePhase(s string) (Phase, error) {
	switch p := Phase(s); p {
	case "", PhaseUpcoming, PhaseLive, PhaseEnded:
		return p, nil
	}
	return "", errs.Field("phase", "flashsale.phase")
}
