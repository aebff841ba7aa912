package money_test

import (
	"errors"
	"math"
	"testing"

	"github.com/kaidian/kaidian/internal/money"
)

func TestFormat(t *testing.T) {
	for _, tc := range []struct {
		fen                  int64
		yuan, decimal, short string
	}{
		{0, "¥0.00", "0.00", "0"},
		{1, "¥0.01", "0.01", "0.01"},
		{10, "¥0.10", "0.10", "0.1"},
		{99, "¥0.99", "0.99", "0.99"},
		{100, "¥1.00", "1.00", "1"},
		{1250, "¥12.50", "12.50", "12.5"},
		{2990, "¥29.90", "29.90", "29.9"},
		{2000, "¥20.00", "20.00", "20"},
		{100_005, "¥1,000.05", "1000.05", "1000.05"},
		{-1, "-¥0.01", "-0.01", "-0.01"},
		{-50, "-¥0.50", "-0.50", "-0.5"},
		{-150, "-¥1.50", "-1.50", "-1.5"},
		{-100, "-¥1.00", "-1.00", "-1"},
		{99_999, "¥999.99", "999.99", "999.99"},
		{123_456_789, "¥1,234,567.89", "1234567.89", "1234567.89"},
		{-123_450, "-¥1,234.50", "-1234.50", "-1234.5"},
		{math.MaxInt64, "¥92,233,720,368,547,758.07", "92233720368547758.07", "92233720368547758.07"},
		{math.MinInt64, "-¥92,233,720,368,547,758.08", "-92233720368547758.08", "-92233720368547758.08"},
		{math.MinInt64 + 1, "-¥92,233,720,368,547,758.07", "-92233720368547758.07", "-92233720368547758.07"},
	} {
		if got := money.Yuan(tc.fen); got != tc.yuan {
			t.Errorf("Yuan(%d) = %q, want %q", tc.fen, got, tc.yuan)
		}
		if got := money.Decimal(tc.fen); got != tc.decimal {
			t.Errorf("Decimal(%d) = %q, want %q", tc.fen, got, tc.decimal)
		}
		if got := money.Short(tc.fen); got != tc.short {
			t.Errorf("Short(%d) = %q, want %q", tc.fen, got, tc.short)
		}
	}
}

func TestParse(t *testing.T) {
	for in, want := range map[string]int64{
		"1": 100, "1.5": 150, "1.50": 150, "0": 0, "0.01": 1, "007.10": 710, "12.": 1200,
		"-0.01": -1, "-12.5": -1250, "-0": 0,
		"92233720368547758.07": math.MaxInt64, "-92233720368547758.08": math.MinInt64,
	} {
		if fen, err := money.Parse(in); err != nil || fen != want {
			t.Errorf("Parse(%q) = %d, %v; want %d", in, fen, err, want)
		}
	}
	refused := map[error][]string{
		// Past int64 fen either way, and past uint64 too.
		money.ErrRange: {"92233720368547758.08", "-92233720368547758.09", "184467440737095516.16", "99999999999999999999999"},
		// Full-width digits are refused, not guessed at; decorations are the caller's to strip.
		money.ErrSyntax: {"1.234", "abc", "", "-", ".5", "-.5", "+1", "--1", "1.-5", "1.+5", "1e3",
			"１.00", "1,000", " 1", "¥1", "1.2.3"},
	}
	for want, ins := range refused {
		for _, in := range ins {
			if fen, err := money.Parse(in); !errors.Is(err, want) {
				t.Errorf("Parse(%q) = %d, %v; want %v", in, fen, err, want)
			}
		}
	}
}

// TestRoundTrip: whatever Decimal writes, Parse reads back unchanged.
func TestRoundTrip(t *testing.T) {
	for _, fen := range []int64{0, 1, -1, 9, 10, 99, 100, 101, -12345, 2990, math.MaxInt64, math.MinInt64} {
		got, err := money.Parse(money.Decimal(fen))
		if err != nil || got != fen {
			t.Errorf("Parse(Decimal(%d)) = %d, %v", fen, got, err)
		}
	}
}
