package mpapi_test

import (
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kaidian/kaidian/internal/app/apptest"
	"github.com/kaidian/kaidian/internal/auth"
	"github.com/kaidian/kaidian/internal/clock"
)

func TestLoginFindsOrCreatesTheShopper(t *testing.T) {
	e := apptest.Start(t)
	login := func(user string) map[string]any {
		r := e.Post("/api/v1/auth/login", "", map[string]any{"code": e.SandboxCode(user)})
		if r.Status != http.StatusOK {
			t.Fatalf("login %s: %d %s", user, r.Status, r.Body)
		}
		body := r.JSON(t)
		if strings.Contains(string(r.Body), "openid") || strings.Contains(string(r.Body), "session_key") {
			t.Fatalf("login leaks WeChat identifiers: %s", r.Body)
		}
		return body
	}
	first, again, other := login("alice"), login("alice"), login("bob")
	id := func(m map[string]any) float64 { return m["user"].(map[string]any)["id"].(float64) }
	if id(first) != id(again) || id(first) == id(other) {
		t.Fatalf("shopper ids: alice %v then %v, bob %v", id(first), id(again), id(other))
	}
	if r := e.Get("/api/v1/cart", first["token"].(string)); r.Status != http.StatusOK {
		t.Fatalf("token does not work: %d %s", r.Status, r.Body)
	}
}

func TestLoginCodesAreSingleUseAndExpire(t *testing.T) {
	e := apptest.Start(t)
	code := e.SandboxCode("alice")
	if r := e.Post("/api/v1/auth/login", "", map[string]any{"code": code}); r.Status != http.StatusOK {
		t.Fatalf("first use: %d %s", r.Status, r.Body)
	}
	r := e.Post("/api/v1/auth/login", "", map[string]any{"code": code})
	if r.Status != http.StatusUnauthorized || r.ErrorCode() != "invalid_code" || !strings.Contains(string(r.Body), "40163") {
		t.Fatalf("reuse: %d %s", r.Status, r.Body)
	}
	r = e.Post("/api/v1/auth/login", "", map[string]any{"code": "made-up"})
	if r.Status != http.StatusUnauthorized || !strings.Contains(string(r.Body), "40029") {
		t.Fatalf("unknown code: %d %s", r.Status, r.Body)
	}

	stale := e.SandboxCode("alice")
	e.App.Sandbox.SetClock(func() time.Time { return time.Now().UTC().Add(5*time.Minute + time.Second) })
	r = e.Post("/api/v1/auth/login", "", map[string]any{"code": stale})
	if r.Status != http.StatusUnauthorized || !strings.Contains(string(r.Body), "40029") {
		t.Fatalf("expired code: %d %s", r.Status, r.Body)
	}
	e.App.Sandbox.SetClock(func() time.Time { return time.Now().UTC() })

	// Two phones racing one code: exactly one login.
	code = e.SandboxCode("carol")
	var wg sync.WaitGroup
	var mu sync.Mutex
	ok := 0
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if r := e.Post("/api/v1/auth/login", "", map[string]any{"code": code}); r.Status == http.StatusOK {
				mu.Lock()
				ok++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if ok != 1 {
		t.Fatalf("%d logins with one code", ok)
	}
}

func TestLoginRejectsBadInput(t *testing.T) {
	e := apptest.Start(t)
	for _, body := range []any{`{`, `{"code": 5}`, `{}`, `{"code": ""}`, `{"code": "x", "openid": "y"}`, map[string]any{"code": strings.Repeat("a", 200)}} {
		if r := e.Post("/api/v1/auth/login", "", body); r.Status != http.StatusBadRequest {
			t.Errorf("login %v: %d %s", body, r.Status, r.Body)
		}
	}
}

func TestBadTokensAreRefused(t *testing.T) {
	e := apptest.Start(t)
	good := e.Login("alice")
	parts := strings.Split(good, ".")
	sig := []byte(parts[2])
	sig[3] ^= 1
	tampered := parts[0] + "." + parts[1] + "." + string(sig)
	forged, _, _ := auth.NewTokens([]byte(strings.Repeat("k", 32)), time.Hour, clock.New()).Issue(1)
	expired := expiredToken(t, e)

	for name, header := range map[string]string{
		"missing":      "",
		"not bearer":   "Token " + good,
		"garbage":      "Bearer not-a-jwt",
		"tampered":     "Bearer " + tampered,
		"other key":    "Bearer " + forged,
		"expired":      "Bearer " + expired,
		"alg none":     "Bearer eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJzdWIiOiIxIiwiaXNzIjoia2FpZGlhbiJ9.",
		"empty bearer": "Bearer ",
	} {
		for _, path := range []string{"/api/v1/cart", "/api/v1/addresses", "/api/v1/orders"} {
			r := e.Do(apptest.Request{Method: http.MethodGet, Path: path, Header: map[string]string{"Authorization": header}})
			if r.Status != http.StatusUnauthorized || r.ErrorCode() != "unauthenticated" {
				t.Errorf("%s token on %s: %d %s", name, path, r.Status, r.Body)
			}
		}
	}
}

// expiredToken is signed with the shop's real key but expired an hour ago.
func expiredToken(t *testing.T, e *apptest.Env) string {
	t.Helper()
	tok, _, err := e.App.Tokens.IssueAt(1, time.Now().Add(-3*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	return tok
}
