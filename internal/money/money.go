// Package money turns amounts in fen (int64, 1/100 yuan, the only way
// Kaidian holds money) into the text people read and back. It is the one
// place that knows how yuan are written, so a negative amount prints as
// "-¥1.50" everywhere rather than each copy getting the sign wrong in its own
// way ("¥-1.-50"), and every form and spreadsheet reads amounts by one rule.
package money

import (
	"errors"
	"strconv"
	"strings"
)

// Yuan writes fen as people read money, thousands grouped as Chinese shops
// print them: 2990 → "¥29.90", 123450 → "¥1,234.50", -150 → "-¥1.50".
// Used for the audit log, order history and the console.
func Yuan(fen int64) string {
	d := digits(fen)
	whole := len(d) - 3 // the digits before ".xx"
	var b strings.Builder
	if fen < 0 {
		b.WriteByte('-')
	}
	b.WriteString("¥")
	for i := 0; i < whole; i++ {
		if i > 0 && (whole-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteByte(d[i])
	}
	b.WriteString(d[whole:])
	return b.String()
}

// Decimal writes fen as a plain amount, for form fields and spreadsheets
// that read it back: 5990 → "59.90", -150 → "-1.50".
func Decimal(fen int64) string {
	if fen < 0 {
		return "-" + digits(fen)
	}
	return digits(fen)
}

// Short writes fen as yuan without trailing zeros, as coupons are named
// (满20减5): 2000 → "20", 1250 → "12.5", -150 → "-1.5".
func Short(fen int64) string {
	s := Decimal(fen)
	s = strings.TrimSuffix(s, ".00")
	if strings.HasSuffix(s, "0") && strings.Contains(s, ".") {
		s = strings.TrimSuffix(s, "0")
	}
	return s
}

// digits writes |fen| as yuan with two decimals. The magnitude is taken as
// unsigned so that math.MinInt64, which has no positive int64, still prints.
func digits(fen int64) string {
	u := uint64(fen)
	if fen < 0 {
		u = -u
	}
	cents := u % 100
	s := strconv.FormatUint(u/100, 10) + "."
	if cents < 10 {
		s += "0"
	}
	return s + strconv.FormatUint(cents, 10)
}

// Parse errors; callers turn them into their own field messages.
var (
	// ErrSyntax: the text is not an amount in yuan with at most two decimals.
	ErrSyntax = errors.New("not an amount in yuan with at most two decimals, e.g. 29.90")
	// ErrRange: the amount does not fit in int64 fen.
	ErrRange = errors.New("amount too large")
)

// Parse reads an amount in yuan into fen: "12" → 1200, "12.5" → 1250,
// "12.50" → 1250, "-0.01" → -1. The text is ASCII digits with an optional
// leading minus and at most two decimals; a trailing point ("12.") is
// accepted, as people type it. Anything else (a plus sign, "1.234", ".5",
// "1e3", full-width digits, spaces, currency signs, thousands separators) is
// ErrSyntax: callers strip the decorations they allow before calling. A
// value beyond int64 fen is ErrRange. Whether negative amounts make sense is
// the caller's rule.
func Parse(s string) (int64, error) {
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	whole, frac, _ := strings.Cut(s, ".")
	if whole == "" || len(frac) > 2 || !allDigits(whole) || !allDigits(frac) {
		return 0, ErrSyntax
	}
	for len(frac) < 2 {
		frac += "0"
	}
	// Parsed unsigned so that the most negative int64 (whose magnitude is
	// one more than the largest positive one) is still representable.
	u, err := strconv.ParseUint(whole+frac, 10, 64)
	switch {
	case err != nil:
		return 0, ErrRange // only digits reach here, so the only failure is size
	case neg && u > 1<<63:
		return 0, ErrRange
	case neg:
		return int64(-u), nil
	case u > 1<<63-1:
		return 0, ErrRange
	}
	return int64(u), nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
