package couponpack

import (
	"crypto/rand"
	"math/big"
)

// Split divides total fen into count random amounts, each at least least,
// summing to total exactly: the "double mean" habit of WeChat's red
// envelopes. Each amount but the last is drawn uniformly between least and
// twice the mean of what is left (never so much that the rest could not
// each get least); the last takes the remainder. The amounts are then
// shuffled, so the luck of a slot does not depend on when it is grabbed.
// The draws are cryptographic: nobody can predict the luckiest slot.
//
// The caller guarantees 1 ≤ count and 1 ≤ least and count×least ≤ total
// (Draft.validate); every intermediate value stays at or below total, so
// nothing overflows.
func Split(total int64, count int, least int64) []int64 {
	out := make([]int64, count)
	left := total
	for i := 0; i < count-1; i++ {
		rest := int64(count - i) // slots still to fill, this one included
		upper := min(left-(rest-1)*least, 2*(left/rest))
		upper = max(upper, least)
		out[i] = least + randBelow(upper-least+1)
		left -= out[i]
	}
	out[count-1] = left
	for i := count - 1; i > 0; i-- { // Fisher–Yates
		j := randBelow(int64(i + 1))
		out[i], out[j] = out[j], out[i]
	}
	return out
}

// randBelow draws uniformly from [0, n), n ≥ 1.
func randBelow(n int64) int64 {
	v, err := rand.Int(rand.Reader, big.NewInt(n))
	if err != nil {
		panic("couponpack: no randomness: " + err.Error()) // the OS source failing is not recoverable
	}
	return v.Int64()
}
