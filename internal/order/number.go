package order

import (
	"crypto/rand"
	"math/big"
	"time"
)

// newOrderNo returns a 22-digit order number: the UTC date (yyyymmdd) for
// people reading it, then 14 random digits (about 46 bits) so numbers cannot
// be guessed from one another. Digits only, well within WeChat Pay's
// out_trade_no rule (6–32 of [0-9A-Za-z_-|*]); uniqueness is enforced by the
// database and a collision is retried by the caller.
func newOrderNo(now time.Time) string {
	n, err := rand.Int(rand.Reader, big.NewInt(1e14))
	if err != nil {
		panic("order: crypto/rand failed: " + err.Error())
	}
	s := n.String()
	for len(s) < 14 {
		s = "0" + s
	}
	return now.UTC().Format("20060102") + s
}
