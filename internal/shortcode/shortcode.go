// Package shortcode draws the short random codes people read aloud, type or
// see in a link: channel and promoter codes, the keys of mini-program codes.
// The alphabet leaves out letters and digits that are easy to confuse
// (0/O, 1/I/L) and lower case, so a code read off a poster is typed right.
package shortcode

import (
	"crypto/rand"
	"math/big"
)

// Alphabet is the characters a code is drawn from: 31 of them, so each
// character carries almost 5 bits.
const Alphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"

// New draws a code of n characters from a cryptographic source, so codes
// cannot be guessed from one another.
func New(n int) string {
	max := big.NewInt(int64(len(Alphabet)))
	b := make([]byte, n)
	for i := range b {
		v, err := rand.Int(rand.Reader, max)
		if err != nil {
			panic("shortcode: no randomness: " + err.Error()) // the OS source failing is not recoverable
		}
		b[i] = Alphabet[v.Int64()]
	}
	return string(b)
}

// Valid reports whether s could be a code of n characters (n 0: any length
// from 1 to 32), without asking whether one was issued.
func Valid(s string, n int) bool {
	if s == "" || len(s) > 32 || (n > 0 && len(s) != n) {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isCodeChar(s[i]) {
			return false
		}
	}
	return true
}

func isCodeChar(c byte) bool {
	for i := 0; i < len(Alphabet); i++ {
		if Alphabet[i] == c {
			return true
		}
	}
	return false
}
