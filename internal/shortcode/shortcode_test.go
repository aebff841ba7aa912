package shortcode_test

import (
	"testing"

	"github.com/kaidian/kaidian/internal/shortcode"
)

func TestNewDrawsValidDistinctCodes(t *testing.T) {
	seen := map[string]bool{}
	for i := 0; i < 1000; i++ {
		c := shortcode.New(8)
		if !shortcode.Valid(c, 8) {
			t.Fatalf("code %q is not valid", c)
		}
		if seen[c] {
			t.Fatalf("code %q drawn twice in 1000 draws", c)
		}
		seen[c] = true
	}
}

func TestValidRefusesConfusableAndForeignCharacters(t *testing.T) {
	for _, s := range []string{"", "AB0D", "ab2d", "AB1D", "ABOD", "AB D", "AB:D", "ABCDEFGHJKMNPQRSTUVWXYZ23456789AB"} {
		if shortcode.Valid(s, 0) {
			t.Errorf("Valid(%q) = true", s)
		}
	}
	if shortcode.Valid("ABCD", 6) {
		t.Error("a 4-character code passed for 6")
	}
}
