package auth_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/kaidian/kaidian/internal/auth"
	"github.com/kaidian/kaidian/internal/clock"
	"github.com/kaidian/kaidian/internal/customer"
	"github.com/kaidian/kaidian/internal/database/dbtest"
	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/i18n"
)

// fakeWeChat answers jscode2session from a table: code → identity or error.
type fakeWeChat struct {
	ids   map[string]customer.Identity
	err   error
	calls int
}

func (f *fakeWeChat) Code2Session(_ context.Context, code string) (customer.Identity, error) {
	f.calls++
	if f.err != nil {
		return customer.Identity{}, f.err
	}
	return f.ids[code], nil
}

// wechatErr stands in for the mini-program client's *APIError.
type wechatErr int

func (e wechatErr) Error() string { return fmt.Sprintf("wechat errcode %d", int(e)) }
func (e wechatErr) Code() int     { return int(e) }

func newLogin(t *testing.T, wx *fakeWeChat) (*auth.Login, *auth.Tokens) {
	t.Helper()
	tokens := auth.NewTokens([]byte(strings.Repeat("k", 32)), 2*time.Hour, clock.New())
	return auth.NewLogin(wx, customer.New(dbtest.Open(t), clock.New()), tokens), tokens
}

func TestLoginIssuesATokenForTheSameShopper(t *testing.T) {
	wx := &fakeWeChat{ids: map[string]customer.Identity{
		"a1": {OpenID: "oAlice", SessionKey: "k1"},
		"a2": {OpenID: "oAlice", SessionKey: "k2"},
		"b1": {OpenID: "oBob", UnionID: "uBob", SessionKey: "k3"},
	}}
	login, tokens := newLogin(t, wx)
	ctx := context.Background()
	first, err := login.Login(ctx, "a1")
	if err != nil || first.ExpiresIn != 7200 || first.Shopper.ID == 0 {
		t.Fatalf("first login: %+v %v", first, err)
	}
	if id, err := tokens.Verify(first.Token); err != nil || id != first.Shopper.ID {
		t.Fatalf("token names shopper %d (%v), want %d", id, err, first.Shopper.ID)
	}
	again, err := login.Login(ctx, "a2")
	if err != nil || again.Shopper.ID != first.Shopper.ID {
		t.Fatalf("same openid, new shopper: %+v %v", again, err)
	}
	bob, err := login.Login(ctx, "b1")
	if err != nil || bob.Shopper.ID == first.Shopper.ID {
		t.Fatalf("bob: %+v %v", bob, err)
	}
}

func TestLoginMapsWeChatFailures(t *testing.T) {
	wx := &fakeWeChat{}
	login, _ := newLogin(t, wx)
	for _, tt := range []struct {
		name     string
		err      error
		kind     errs.Kind
		code     string
		wxCode   int // 0: no wechat_errcode detail expected
		notShown string
	}{
		{"invalid code", wechatErr(40029), errs.KindUnauthenticated, "invalid_code", 40029, ""},
		{"code reused", wechatErr(40163), errs.KindUnauthenticated, "invalid_code", 40163, ""},
		{"rate limited", wechatErr(45011), errs.KindRateLimited, "rate_limited", 45011, ""},
		{"busy", wechatErr(-1), errs.KindUnavailable, "wechat_unavailable", -1, ""},
		{"bad secret", wechatErr(40125), errs.KindUnavailable, "wechat_unavailable", 40125, ""},
		{"high risk", wechatErr(40226), errs.KindForbidden, "login_blocked", 40226, ""},
		{"network", errors.New("dial tcp: connection refused"), errs.KindUnavailable, "wechat_unavailable", 0, "dial tcp"},
		{"wrapped errcode", fmt.Errorf("jscode2session: %w", wechatErr(40029)), errs.KindUnauthenticated, "invalid_code", 40029, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			wx.err = tt.err
			_, err := login.Login(context.Background(), "some-code")
			e := errs.As(err)
			if e.Kind != tt.kind || e.Code != tt.code {
				t.Fatalf("got kind %v code %q (%v), want %v %q", e.Kind, e.Code, err, tt.kind, tt.code)
			}
			if got, _ := e.Details["wechat_errcode"].(int); got != tt.wxCode {
				t.Errorf("details %v, want wechat_errcode %d", e.Details, tt.wxCode)
			}
			for _, l := range i18n.Langs {
				if msg := i18n.For(l).Error(e); tt.notShown != "" && strings.Contains(msg, tt.notShown) {
					t.Errorf("%s message shows the cause: %q", l, msg)
				}
			}
		})
	}
}

func TestLoginRefusesBadCodesWithoutCallingWeChat(t *testing.T) {
	wx := &fakeWeChat{}
	login, _ := newLogin(t, wx)
	for _, code := range []string{"", strings.Repeat("x", 129)} {
		_, err := login.Login(context.Background(), code)
		if e := errs.As(err); e.Kind != errs.KindInvalid || e.Details["field"] != "code" {
			t.Errorf("code of %d chars: %v", len(code), err)
		}
	}
	if wx.calls != 0 {
		t.Fatalf("WeChat called %d times for codes we could refuse ourselves", wx.calls)
	}
}

func TestTokenLifecycle(t *testing.T) {
	key := []byte(strings.Repeat("k", 32))
	tokens := auth.NewTokens(key, time.Hour, clock.New())
	good, ttl, err := tokens.Issue(42)
	if err != nil || ttl != 3600 {
		t.Fatalf("issue: %v %d", err, ttl)
	}
	if id, err := tokens.Verify(good); err != nil || id != 42 {
		t.Fatalf("verify: %d %v", id, err)
	}
	expired, _, _ := tokens.IssueAt(42, time.Now().Add(-2*time.Hour))
	other, _, _ := auth.NewTokens([]byte(strings.Repeat("o", 32)), time.Hour, clock.New()).Issue(42)
	parts := strings.Split(good, ".")
	sig := []byte(parts[2])
	sig[0] ^= 1
	for name, tok := range map[string]string{
		"expired":   expired,
		"other key": other,
		"tampered":  parts[0] + "." + parts[1] + "." + string(sig),
		"garbage":   "not.a.jwt",
		"empty":     "",
	} {
		if _, err := tokens.Verify(tok); !errors.Is(err, auth.ErrUnauthenticated) {
			t.Errorf("%s token: %v", name, err)
		}
	}
}
