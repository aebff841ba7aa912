package money

import (
	"cmp"
	"math/bits"
	"slices"
)

// Share is ⌊amount·num/den⌋ for amounts, counts and rates that are not
// negative, computed in 128 bits so that no product overflows (a ¥10⁸ line at
// 5,000 basis points is 5e13, fine; a quantity times an amount is not always).
// It is 0 when any argument is not positive, and at most amount when
// num ≤ den: a commission at a rate in basis points is Share(base, rate, 10000).
func Share(amount, num, den int64) int64 {
	if amount <= 0 || num <= 0 || den <= 0 {
		return 0
	}
	hi, lo := bits.Mul64(uint64(amount), uint64(num))
	if hi >= uint64(den) { // the quotient would not fit: only when num > den
		return -1 >> 1 // math.MaxInt64, reached only by nonsense input
	}
	q, _ := bits.Div64(hi, lo, uint64(den))
	return int64(min(q, 1<<63-1))
}

// Allocate splits total (at most the weights' sum) in proportion to weights,
// exactly: each share is w×total/Σw rounded down, computed in 128 bits, and
// the fen left over by rounding go one each to the shares with the largest
// remainders (ties to the earlier one), the largest-remainder method. The
// shares sum to min(total, Σw) and none exceeds its weight.
func Allocate(total int64, weights []int64) []int64 {
	shares := make([]int64, len(weights))
	var sum uint64
	for _, w := range weights {
		sum += uint64(w)
	}
	if total <= 0 || sum == 0 {
		return shares
	}
	t := min(uint64(total), sum)
	rems := make([]uint64, len(weights))
	var given uint64
	for i, w := range weights {
		// hi < sum because w ≤ sum and t ≤ sum, so the quotient fits in 64 bits.
		hi, lo := bits.Mul64(uint64(w), t)
		q, r := bits.Div64(hi, lo, sum)
		shares[i], rems[i] = int64(q), r
		given += q
	}
	// The remainders sum to left×sum with each below sum, so more than left
	// shares have one: every share given a fen had a remainder, hence was
	// below its exact (fractional) share, hence below its weight.
	left := t - given
	if left == 0 {
		return shares
	}
	order := make([]int, len(weights))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(rems[b], rems[a]) })
	for _, i := range order[:left] {
		shares[i]++
	}
	return shares
}
