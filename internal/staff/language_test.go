package staff

import (
	"context"
	"testing"

	"github.com/kaidian/kaidian/internal/audit"
	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/page"
)

// An account's language is stored, read back with the account, audited,
// and limited to the languages the console speaks; "" follows the browser
// again.
func TestSetLanguage(t *testing.T) {
	s := newService(t)
	ctx := context.Background()
	as, err := s.List(ctx)
	if err != nil || len(as) != 1 {
		t.Fatalf("accounts: %v %v", as, err)
	}
	a := as[0]
	if a.Language != "" {
		t.Fatalf("a new account chose %q; want none (the browser decides)", a.Language)
	}
	if a, err = s.SetLanguage(ctx, a, "EN"); err != nil || a.Language != "en" {
		t.Fatalf("SetLanguage(EN) = %q, %v; want en", a.Language, err)
	}
	if got, _ := s.Get(ctx, a.ID); got.Language != "en" {
		t.Fatalf("stored language %q, want en", got.Language)
	}
	if _, err := s.SetLanguage(ctx, a, "fr"); !errs.Is(err, ErrUnknownLanguage.Code) {
		t.Fatalf("SetLanguage(fr) = %v, want %v", err, ErrUnknownLanguage)
	}
	if got, _ := s.Get(ctx, a.ID); got.Language != "en" {
		t.Fatalf("a refused language changed the stored one to %q", got.Language)
	}
	if a, err = s.SetLanguage(ctx, a, ""); err != nil || a.Language != "" {
		t.Fatalf("SetLanguage(\"\") = %q, %v", a.Language, err)
	}
	entries, _, err := s.audit.List(ctx, audit.Query{Action: "staff.language", Page: page.Request{Limit: 10}})
	if err != nil || len(entries) != 2 || entries[0].Actor != a.Actor() {
		t.Fatalf("audit entries %+v, %v; want two by %s", entries, err, a.Actor())
	}
}
