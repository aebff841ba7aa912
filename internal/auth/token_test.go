package auth_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/kaidian/kaidian/internal/auth"
	"github.com/kaidian/kaidian/internal/clock"
)

// A token verified once is remembered, but only for what Verify would
// still accept: it expires on time although its parse is skipped, and a
// changed byte is a different token, checked in full.
func TestRememberedTokensStillExpire(t *testing.T) {
	now := time.Date(2026, 12, 6, 8, 0, 0, 0, time.UTC)
	clk := clock.New()
	clk.Set(func() time.Time { return now })
	tokens := auth.NewTokens([]byte(strings.Repeat("k", 32)), time.Hour, clk)
	tok, _, err := tokens.Issue(7)
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if id, err := tokens.Verify(tok); err != nil || id != 7 {
			t.Fatalf("verify: %d %v", id, err)
		}
	}
	if n := tokens.Remembered(); n != 1 {
		t.Fatalf("%d tokens remembered, want 1", n)
	}
	sig := []byte(tok)
	sig[len(sig)-2] ^= 1
	if _, err := tokens.Verify(string(sig)); !errors.Is(err, auth.ErrUnauthenticated) {
		t.Errorf("tampered copy of a remembered token: %v", err)
	}
	now = now.Add(time.Hour - time.Second)
	if id, err := tokens.Verify(tok); err != nil || id != 7 {
		t.Fatalf("a second before expiry: %d %v", id, err)
	}
	now = now.Add(time.Second)
	if _, err := tokens.Verify(tok); !errors.Is(err, auth.ErrUnauthenticated) {
		t.Errorf("remembered token at its expiry: %v", err)
	}
}

// The tokens remembered are bounded: past the bound the memory is emptied
// and fills again, and every token still verifies.
func TestRememberedTokensAreBounded(t *testing.T) {
	tokens := auth.NewTokens([]byte(strings.Repeat("k", 32)), time.Hour, clock.New())
	for i := range auth.MaxVerified + 10 {
		tok, _, _ := tokens.Issue(int64(i + 1))
		if id, err := tokens.Verify(tok); err != nil || id != int64(i+1) {
			t.Fatalf("token %d: %d %v", i, id, err)
		}
	}
	if n := tokens.Remembered(); n < 1 || n > auth.MaxVerified {
		t.Fatalf("%d tokens remembered, bound %d", n, auth.MaxVerified)
	}
}

// BenchmarkVerify: a token's first check (parsed) and the checks of the
// requests that follow with the same token (remembered).
//
//	go test -run '^$' -bench Verify -benchmem ./internal/auth/
func BenchmarkVerify(b *testing.B) {
	tokens := auth.NewTokens([]byte(strings.Repeat("k", 32)), time.Hour, clock.New())
	b.Run("first", func(b *testing.B) {
		toks := make([]string, b.N)
		for i := range toks {
			toks[i], _, _ = tokens.Issue(int64(i + 1)) // distinct: none remembered yet
		}
		b.ResetTimer()
		for i := range b.N {
			if _, err := tokens.Verify(toks[i]); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("again", func(b *testing.B) {
		tok, _, _ := tokens.Issue(42)
		for b.Loop() {
			if _, err := tokens.Verify(tok); err != nil {
				b.Fatal(err)
			}
		}
	})
}
