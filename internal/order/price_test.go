package order

import (
	"testing"
)

func TestAllocate(t *testing.T) {
	tests := []struct {
		name    string
		total   int64
		weights []int64
		want    []int64
	}{
		{"nothing", 0, []int64{100, 200}, []int64{0, 0}},
		{"exact proportion", 30, []int64{100, 200}, []int64{10, 20}},
		{"remainder spread", 2, []int64{1, 1, 1}, []int64{1, 1, 0}},
		{"tie goes to the earlier line", 5, []int64{1, 2, 7}, []int64{1, 1, 3}},
		{"capped at the weights", 50, []int64{10, 20}, []int64{10, 20}},
		{"uneven", 100, []int64{3333, 3333, 3334}, []int64{33, 33, 34}},
		{"whole amount", 500, []int64{200, 300}, []int64{200, 300}},
		{"single line", 7, []int64{9900}, []int64{7}},
		{"zero weights", 5, []int64{0, 0}, []int64{0, 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := allocate(tt.total, tt.weights)
			var sum int64
			for i := range got {
				sum += got[i]
				if got[i] != tt.want[i] {
					t.Fatalf("allocate(%d, %v) = %v, want %v", tt.total, tt.weights, got, tt.want)
				}
			}
			if want := min(tt.total, sumOf(tt.weights)); sum != want {
				t.Fatalf("shares sum to %d, want %d", sum, want)
			}
		})
	}
}

func sumOf(v []int64) (s int64) {
	for _, x := range v {
		s += x
	}
	return s
}

func TestPrice(t *testing.T) {
	flat := func(goods int64) int64 {
		if goods >= 9900 {
			return 0
		}
		return 1000
	}
	p := price([]Item{{UnitPrice: 2999, Quantity: 2}, {UnitPrice: 1500, Quantity: 1}}, flat, discount{amount: 1000})
	if p.GoodsAmount != 7498 || p.ShippingFee != 1000 || p.TotalAmount != 8498 || p.PayAmount != 7498 || p.ItemCount != 3 {
		t.Fatalf("got %+v", p)
	}
	if p.Lines[0].DiscountAmount+p.Lines[1].DiscountAmount != 1000 {
		t.Fatalf("line discounts do not sum to the order discount: %+v", p.Lines)
	}
	for _, l := range p.Lines {
		if l.PayAmount != l.LineAmount-l.DiscountAmount {
			t.Fatalf("line pay amount wrong: %+v", l)
		}
	}
	free := price([]Item{{UnitPrice: 9900, Quantity: 1}}, flat, discount{amount: 20000})
	if free.ShippingFee != 0 || free.DiscountAmount != 9899 || free.PayAmount != 1 {
		t.Fatalf("a discount must stop at the goods, leaving a fen to pay: %+v", free)
	}
	withShipping := price([]Item{{UnitPrice: 500, Quantity: 1}}, flat, discount{amount: 20000})
	if withShipping.DiscountAmount != 500 || withShipping.PayAmount != 1000 {
		t.Fatalf("shipping must not be discounted: %+v", withShipping)
	}
}

// A coupon's discount goes only to the lines it covers, in proportion, with
// the fen left over by rounding placed the same way every time.
func TestPriceSharesACouponOverTheLinesItCovers(t *testing.T) {
	none := func(int64) int64 { return 0 }
	lines := func() []Item {
		return []Item{{UnitPrice: 1000, Quantity: 1}, {UnitPrice: 5000, Quantity: 1}, {UnitPrice: 1000, Quantity: 2}, {UnitPrice: 1000, Quantity: 1}}
	}
	p := price(lines(), none, discount{amount: 1001, covered: []bool{true, false, true, true}})
	want := []int64{250, 0, 501, 250} // 1001 over 1000:2000:1000 → 250.25, 500.5, 250.25; the fen goes to the largest remainder
	for i, l := range p.Lines {
		if l.DiscountAmount != want[i] || l.PayAmount != l.LineAmount-l.DiscountAmount {
			t.Fatalf("line %d: %+v, want discount %d", i, l, want[i])
		}
	}
	if p.DiscountAmount != 1001 || p.PayAmount != 9000-1001 {
		t.Fatalf("order %+v", p)
	}
	again := price(lines(), none, discount{amount: 1001, covered: []bool{true, false, true, true}})
	for i := range again.Lines {
		if again.Lines[i].DiscountAmount != p.Lines[i].DiscountAmount {
			t.Fatal("the same order priced twice shares its discount differently")
		}
	}
	capped := price(lines(), none, discount{amount: 9999, covered: []bool{false, true, false, false}})
	if capped.DiscountAmount != 5000 || capped.Lines[1].PayAmount != 0 || capped.Lines[0].DiscountAmount != 0 {
		t.Fatalf("a discount above the covered goods must stop at them: %+v", capped)
	}
}

func TestStateMachine(t *testing.T) {
	allowed := map[[2]Status]bool{
		{StatusPendingPayment, StatusPaid}:   true,
		{StatusPendingPayment, StatusClosed}: true,
		{StatusPaid, StatusShipped}:          true,
		{StatusShipped, StatusCompleted}:     true,
		{StatusClosed, StatusPaid}:           true, // a late payment revives the order
	}
	all := []Status{StatusPendingPayment, StatusPaid, StatusShipped, StatusCompleted, StatusClosed}
	for _, from := range all {
		for _, to := range all {
			if got := CanMove(from, to); got != allowed[[2]Status{from, to}] {
				t.Errorf("CanMove(%s, %s) = %v", from, to, got)
			}
		}
	}
}

func TestOrderNo(t *testing.T) {
	seen := map[string]bool{}
	for i := 0; i < 1000; i++ {
		n := newOrderNo(testNow)
		if len(n) != 22 || n[:8] != "20261122" || seen[n] {
			t.Fatalf("bad or repeated order number %q", n)
		}
		for _, c := range n {
			if c < '0' || c > '9' {
				t.Fatalf("non-digit in %q", n)
			}
		}
		seen[n] = true
	}
}
