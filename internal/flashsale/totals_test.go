package flashsale

import "testing"

func TestUnitTotalsSumEverySKU(t *testing.T) {
	s := Sale{Items: []Item{{Allotted: 10, Available: 4, Held: 1, Sold: 5}, {Allotted: 3, Available: 0, Held: 2, Sold: 1}}}
	if got := s.UnitTotals(); got != (UnitTotals{Allotted: 13, Available: 4, Held: 3, Sold: 6}) {
		t.Fatalf("totals %+v", got)
	}
	if got := (Sale{}).UnitTotals(); got != (UnitTotals{}) {
		t.Fatalf("no items: %+v", got)
	}
}

func TestParsePhaseSpeaksTheAPIsWords(t *testing.T) {
	for _, s := range []string{"", "upcoming", "live", "ended"} {
		if p, err := ParsePhase(s); err != nil || string(p) != s {
			t.Errorf("%q: %q %v", s, p, err)
		}
	}
	for _, s := range []string{"finished", "sold_out", "LIVE"} {
		if _, err := ParsePhase(s); err == nil {
			t.Errorf("%q accepted", s)
		}
	}
}
