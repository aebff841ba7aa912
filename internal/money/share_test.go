package money

import (
	"math"
	"testing"
)

func TestShareRoundsDownWithoutOverflow(t *testing.T) {
	for _, c := range []struct{ amount, num, den, want int64 }{
		{999, 1000, 10000, 99},                          // 10% of ¥9.99 is 99.9 fen: 99
		{1, 5000, 10000, 0},                             // half a fen is nothing
		{math.MaxInt64, 5000, 10000, math.MaxInt64 / 2}, // the product passes int64
		{100, 0, 10000, 0},
		{-100, 10, 100, 0},
		{7, 3, 3, 7},
	} {
		if got := Share(c.amount, c.num, c.den); got != c.want {
			t.Errorf("Share(%d, %d, %d) = %d, want %d", c.amount, c.num, c.den, got, c.want)
		}
	}
}

func TestAllocateIsExact(t *testing.T) {
	got := Allocate(100, []int64{100, 100, 100})
	if got[0]+got[1]+got[2] != 100 || got[0] != 34 {
		t.Fatalf("Allocate(100, 100:100:100) = %v", got)
	}
	if got := Allocate(500, []int64{100, 300}); got[0] != 100 || got[1] != 300 {
		t.Fatalf("Allocate past the weights = %v, want the weights", got)
	}
}
