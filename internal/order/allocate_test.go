package order

import (
	"encoding/binary"
	"math"
	"math/big"
	"testing"

	"github.com/kaidian/kaidian/internal/catalog"
)

// checkAllocation checks allocate's answer against exact arithmetic
// (math/big): the shares sum to min(total, Σw), none is negative or above
// its weight, each is its exact proportional share rounded down or up, and
// the fen rounded up went to the largest remainders (ties to the earlier line).
func checkAllocation(t *testing.T, total int64, weights, shares []int64) {
	t.Helper()
	sum := new(big.Int)
	for _, w := range weights {
		sum.Add(sum, big.NewInt(w))
	}
	want := int64(0)
	if total > 0 {
		want = min(total, sum.Int64())
	}
	var got int64
	type part struct {
		rem *big.Int
		up  bool
	}
	parts := make([]part, len(weights))
	for i, w := range weights {
		s := shares[i]
		if s < 0 || s > w {
			t.Fatalf("allocate(%d, %v): share %d of line %d is outside 0..%d", total, weights, s, i, w)
		}
		got += s
		if sum.Sign() == 0 || want == 0 {
			if s != 0 {
				t.Fatalf("allocate(%d, %v): share %d where nothing is to share", total, weights, s)
			}
			continue
		}
		q, r := new(big.Int).QuoRem(new(big.Int).Mul(big.NewInt(w), big.NewInt(want)), sum, new(big.Int))
		switch {
		case s == q.Int64():
		case s == q.Int64()+1 && r.Sign() > 0:
			parts[i].up = true
		default:
			t.Fatalf("allocate(%d, %v): line %d got %d, its exact share is %s + %s/%s", total, weights, i, s, q, r, sum)
		}
		parts[i].rem = r
	}
	if got != want {
		t.Fatalf("allocate(%d, %v) = %v sums to %d, want %d", total, weights, shares, got, want)
	}
	for i := range parts {
		for j := range parts {
			if parts[i].up && !parts[j].up && parts[i].rem != nil && parts[j].rem != nil {
				c := parts[i].rem.Cmp(parts[j].rem)
				if c < 0 || (c == 0 && j < i) {
					t.Fatalf("allocate(%d, %v) = %v: line %d got a fen before line %d with a larger (or earlier equal) remainder", total, weights, shares, i, j)
				}
			}
		}
	}
}

// weightsFrom turns fuzz bytes into up to 64 non-negative weights that sum
// to at most MaxInt64 (allocate's precondition): nine bytes a weight, the
// first choosing its size so small and huge weights mix.
func weightsFrom(data []byte) []int64 {
	var ws []int64
	for len(data) >= 9 && len(ws) < 64 {
		v := binary.LittleEndian.Uint64(data[1:9]) >> 7 // < 2^57, and 64 of them < 2^63
		ws = append(ws, int64(v>>(data[0]%58)))
		data = data[9:]
	}
	return ws
}

func FuzzAllocate(f *testing.F) {
	le := func(ws ...uint64) []byte {
		var b []byte
		for _, w := range ws {
			b = append(b, 0)
			b = binary.LittleEndian.AppendUint64(b, w<<7)
		}
		return b
	}
	f.Add(int64(30), le(100, 200))
	f.Add(int64(2), le(1, 1, 1))
	f.Add(int64(math.MaxInt64), le(1<<56, 1<<56, 3))
	f.Add(int64(494_505_000_000), le(9_990_000_000, 9_990_000_000, 9_990_000_000, 7))
	f.Add(int64(-5), le(10))
	f.Add(int64(7), []byte{})
	f.Fuzz(func(t *testing.T, total int64, data []byte) {
		ws := weightsFrom(data)
		checkAllocation(t, total, ws, allocate(total, ws))
	})
}

// The report's order: 50 lines of 999 units at the catalog's highest price
// under an uncapped 99% coupon. w×total passes int64 about 540 times; the old
// code gave negative shares and then handed out the "leftover" a fen at a
// time (minutes, inside the order's transaction).
func TestAllocateAHugeOrderExactly(t *testing.T) {
	lines := make([]Item, MaxLines)
	for i := range lines {
		lines[i] = Item{UnitPrice: catalog.MaxPrice - int64(i)*7919, Quantity: MaxQuantity - i%3}
	}
	var goods int64
	for _, l := range lines {
		goods += l.UnitPrice * int64(l.Quantity)
	}
	off := goods * 99 / 100
	p := price(lines, func(int64) int64 { return 0 }, discount{amount: off})
	if p.DiscountAmount != off || p.PayAmount != goods-off {
		t.Fatalf("order discount %d, pay %d; want %d, %d", p.DiscountAmount, p.PayAmount, off, goods-off)
	}
	weights, shares := make([]int64, len(lines)), make([]int64, len(lines))
	for i, l := range p.Lines {
		weights[i], shares[i] = l.LineAmount, l.DiscountAmount
		if l.PayAmount != l.LineAmount-l.DiscountAmount || l.PayAmount < 0 {
			t.Fatalf("line %d: %+v", i, l)
		}
	}
	checkAllocation(t, off, weights, shares)
}

// No order total can overflow int64, and so price needs no overflow guard:
// quantities are capped at MaxQuantity per line (checked when placing, also
// after merging lines of one SKU), lines at MaxLines, and prices at
// catalog.MaxPrice (checked on every way in: product forms, CSV import, flash
// sales). The largest goods amount times 100 (a percent coupon's product) is
// still far inside int64. This test fails if a cap is raised past that.
func TestPriceBoundsFitInt64(t *testing.T) {
	goods := new(big.Int).Mul(big.NewInt(MaxLines*MaxQuantity), big.NewInt(catalog.MaxPrice))
	worst := new(big.Int).Mul(goods, big.NewInt(100))
	if !worst.IsInt64() {
		t.Fatalf("MaxLines × MaxQuantity × catalog.MaxPrice × 100 = %s passes int64", worst)
	}
}
