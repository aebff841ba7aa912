package couponpack

import (
	"math/rand/v2"
	"testing"
)

// TestSplitProperties draws many splits of random shapes, the tight ones
// included (count × least = total, one slot, a minimum of one fen), and
// checks each: the sum is total to the fen, every amount is at least the
// minimum and none exceeds what the others' minimums leave.
func TestSplitProperties(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	shapes := [][3]int64{{100, 100, 1}, {1, 1, 1}, {1_000_000, 100, 10_000}, {1_000_000, 1, 1}, {999_999, 7, 3}, {200, 100, 2}}
	for i := 0; i < 20_000; i++ {
		count := int64(1 + r.IntN(MaxCount))
		least := int64(1 + r.IntN(500))
		total := count*least + r.Int64N(MaxTotal-count*least+1)
		shapes = append(shapes, [3]int64{total, count, least})
	}
	for _, s := range shapes {
		total, count, least := s[0], int(s[1]), s[2]
		got := Split(total, count, least)
		if len(got) != count {
			t.Fatalf("Split(%d, %d, %d): %d amounts", total, count, least, len(got))
		}
		var sum int64
		for _, a := range got {
			if a < least || a > total-int64(count-1)*least {
				t.Fatalf("Split(%d, %d, %d): amount %d out of [%d, %d]", total, count, least, a, least, total-int64(count-1)*least)
			}
			sum += a
		}
		if sum != total {
			t.Fatalf("Split(%d, %d, %d): sum %d", total, count, least, sum)
		}
	}
}

// TestSplitVaries checks the amounts are not all equal when they need not
// be: a split that always answered total/count would pass the sums above.
func TestSplitVaries(t *testing.T) {
	seen := map[int64]bool{}
	for i := 0; i < 50; i++ {
		for _, a := range Split(10_000, 10, 1) {
			seen[a] = true
		}
	}
	if len(seen) < 50 {
		t.Fatalf("only %d distinct amounts in 500 draws of 10,000 fen into 10: %v", len(seen), seen)
	}
}
